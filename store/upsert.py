"""``INSERT … ON CONFLICT`` on both supported databases.

Rows with a unique key that two processes may write at once (a company, a board, a posting, a
feed and its items, a lease) are inserted this way: the process that loses the race finds the
row there instead of failing on the key (a select-then-insert would raise IntegrityError, and on
PostgreSQL abort the whole transaction).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlmodel import Session, SQLModel

Insert = sqlite.Insert | postgresql.Insert


def insert(bind: Session | Connection, entity: type[SQLModel] | Table) -> Insert:
    """An INSERT for the bind's database that takes ``on_conflict_do_nothing/do_update``."""
    dialect = (bind.get_bind() if isinstance(bind, Session) else bind).dialect.name
    if dialect == "postgresql":
        return postgresql.insert(entity)
    if dialect == "sqlite":
        return sqlite.insert(entity)
    raise NotImplementedError(f"INSERT … ON CONFLICT is not supported on {dialect}")


def column_values(row: SQLModel) -> dict[str, Any]:
    """The row's column values, its default factories applied; an unset primary key is left
    for the database to assign."""
    table: Table = row.__table__  # type: ignore[attr-defined]
    return {
        c.key: getattr(row, c.key)
        for c in table.columns
        if not (c.primary_key and getattr(row, c.key) is None)
    }


def insert_missing(session: Session, row: SQLModel, *, key: Sequence[str]) -> bool:
    """Insert ``row`` unless one with the same unique ``key`` columns exists (then nothing
    changes). True when this call inserted it."""
    table: Table = row.__table__  # type: ignore[attr-defined]
    stmt = (
        insert(session, type(row))
        .values(column_values(row))
        .on_conflict_do_nothing(index_elements=list(key))
        # A row comes back only when inserted (rowcount is -1 once the ORM adds RETURNING).
        .returning(*table.primary_key.columns)
    )
    return session.exec(stmt).first() is not None
