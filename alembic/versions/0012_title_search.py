"""title search index

SQLite: a second FTS5 external-content table over posting(title, team) only, kept in step by its
own triggers and filled from the existing rows. ``/api/search`` asks it for its title tiers: a
word that few titles hold is answered from short lists, where the whole index would decode the
positions of every posting whose description holds it. PostgreSQL: a stored generated
``title_vector`` (title labelled A, team B) with a GIN index of its own, for the same reason: the
labels of ``search_vector`` tell the title apart, but its GIN index does not keep them, so a
title-only query would recheck every posting holding the word.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the DDL in store/fulltext.py: a migration must not change when the code does.
SQLITE_UP = (
    "CREATE VIRTUAL TABLE posting_fts_titles USING fts5("
    "title, team, content='posting', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER posting_fts_titles_ai AFTER INSERT ON posting BEGIN "
    "INSERT INTO posting_fts_titles(rowid, title, team) VALUES (new.id, new.title, new.team); END",
    "CREATE TRIGGER posting_fts_titles_ad AFTER DELETE ON posting BEGIN "
    "INSERT INTO posting_fts_titles(posting_fts_titles, rowid, title, team) "
    "VALUES ('delete', old.id, old.title, old.team); END",
    "CREATE TRIGGER posting_fts_titles_au AFTER UPDATE OF title, team ON posting BEGIN "
    "INSERT INTO posting_fts_titles(posting_fts_titles, rowid, title, team) "
    "VALUES ('delete', old.id, old.title, old.team); "
    "INSERT INTO posting_fts_titles(rowid, title, team) VALUES (new.id, new.title, new.team); END",
    "INSERT INTO posting_fts_titles(posting_fts_titles) VALUES ('rebuild')",
)
PG_TITLE_VECTOR = (
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(team, '')), 'B')"
)
PG_UP = (
    f"ALTER TABLE posting ADD COLUMN title_vector tsvector GENERATED ALWAYS AS ({PG_TITLE_VECTOR}) "
    "STORED",
    "CREATE INDEX ix_posting_title_search ON posting USING gin (title_vector)",
)
PG_DOWN = (
    "DROP INDEX IF EXISTS ix_posting_title_search",
    "ALTER TABLE posting DROP COLUMN IF EXISTS title_vector",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS posting_fts_titles_au",
    "DROP TRIGGER IF EXISTS posting_fts_titles_ad",
    "DROP TRIGGER IF EXISTS posting_fts_titles_ai",
    "DROP TABLE IF EXISTS posting_fts_titles",
)


def _run(statements: dict[str, tuple[str, ...]]) -> None:
    for statement in statements.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def upgrade() -> None:
    _run({"sqlite": SQLITE_UP, "postgresql": PG_UP})


def downgrade() -> None:
    _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN})
