"""fulltext search

SQLite: an FTS5 external-content table over posting(title, team, description) kept in step by
triggers, filled from the existing rows. PostgreSQL: a stored generated ``search_vector``
column (weighted tsvector of title, team, description) with a GIN index. These objects is described by the SQLModel metadata, so
``alembic/env.py`` leaves them out of autogenerate comparisons.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the DDL in store/search.py: a migration must not change when the code does.
PG_VECTOR = (
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(team, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(description, '')), 'C')"
)
SQLITE_UP = (
    "CREATE VIRTUAL TABLE posting_fts USING fts5("
    "title, team, description, content='posting', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER posting_fts_ai AFTER INSERT ON posting BEGIN "
    "INSERT INTO posting_fts(rowid, title, team, description) "
    "VALUES (new.id, new.title, new.team, new.description); END",
    "CREATE TRIGGER posting_fts_ad AFTER DELETE ON posting BEGIN "
    "INSERT INTO posting_fts(posting_fts, rowid, title, team, description) "
    "VALUES ('delete', old.id, old.title, old.team, old.description); END",
    "CREATE TRIGGER posting_fts_au AFTER UPDATE OF title, team, description ON posting BEGIN "
    "INSERT INTO posting_fts(posting_fts, rowid, title, team, description) "
    "VALUES ('delete', old.id, old.title, old.team, old.description); "
    "INSERT INTO posting_fts(rowid, title, team, description) "
    "VALUES (new.id, new.title, new.team, new.description); END",
    "INSERT INTO posting_fts(posting_fts) VALUES ('rebuild')",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS posting_fts_au",
    "DROP TRIGGER IF EXISTS posting_fts_ad",
    "DROP TRIGGER IF EXISTS posting_fts_ai",
    "DROP TABLE IF EXISTS posting_fts",
)
PG_UP = (
    f"ALTER TABLE posting ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({PG_VECTOR}) "
    "STORED",
    "CREATE INDEX ix_posting_search ON posting USING gin (search_vector)",
)
PG_DOWN = (
    "DROP INDEX IF EXISTS ix_posting_search",
    "ALTER TABLE posting DROP COLUMN IF EXISTS search_vector",
)


def _run(statements: dict[str, tuple[str, ...]]) -> None:
    for statement in statements.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def upgrade() -> None:
    _run({"sqlite": SQLITE_UP, "postgresql": PG_UP})


def downgrade() -> None:
    _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN})
