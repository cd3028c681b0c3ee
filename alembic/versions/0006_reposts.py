"""reposts

A posting's normalised title + locations key and the earlier posting it republished. Plain
``ALTER TABLE ADD COLUMN`` (no batch copy), so SQLite keeps the posting table and its full-text
triggers; existing rows get their key filled in here.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import hashlib
import re
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def _norm(text: str) -> str:
    return _NON_WORD.sub(" ", text.casefold()).strip()


def _key(title: str, locations: list[str]) -> str:
    # A frozen copy of store.reposts.repost_key: a migration must not change when the code does.
    places = sorted({_norm(place) for place in locations} - {""})
    raw = _norm(title) + "\x1f" + "\x1e".join(places)
    return hashlib.sha1(raw.encode()).hexdigest()[:32]


def upgrade() -> None:
    op.add_column(
        "posting",
        sa.Column("repost_key", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    )
    op.add_column("posting", sa.Column("repost_of", sa.Integer(), nullable=True))
    op.create_index("ix_posting_repost_of", "posting", ["repost_of"], unique=False)
    op.create_index(
        "ix_posting_company_repost_key", "posting", ["company_id", "repost_key"], unique=False
    )
    bind = op.get_bind()
    posting = sa.table(
        "posting",
        sa.column("id", sa.Integer),
        sa.column("title", sa.String),
        sa.column("locations", sa.JSON),
        sa.column("repost_key", sa.String),
    )
    rows = bind.execute(sa.select(posting.c.id, posting.c.title, posting.c.locations)).all()
    updates = [
        {"pid": pid, "key": _key(title or "", list(locations or []))}
        for pid, title, locations in rows
    ]
    if updates:
        bind.execute(
            posting.update()
            .where(posting.c.id == sa.bindparam("pid"))
            .values(repost_key=sa.bindparam("key")),
            updates,
        )


def downgrade() -> None:
    op.drop_index("ix_posting_company_repost_key", table_name="posting")
    op.drop_index("ix_posting_repost_of", table_name="posting")
    # Plain DROP COLUMN (SQLite 3.35+) keeps the table, and so its full-text triggers.
    op.drop_column("posting", "repost_of")
    op.drop_column("posting", "repost_key")
