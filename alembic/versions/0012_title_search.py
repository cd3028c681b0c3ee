"""title search index

SQLite: a second FTS5 external-content table over posting(title, team) only, kept in step by its
own triggers and filled from the existing rows. ``/api/search`` asks it for its title tiers: a
word that few titles hold is answered from short lists, where the whole index would decode the
positions of every posting whose description holds it. PostgreSQL needs nothing: its weighted
``search_vector`` already tells the title (A) and team (B) apart.

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
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS posting_fts_titles_au",
    "DROP TRIGGER IF EXISTS posting_fts_titles_ad",
    "DROP TRIGGER IF EXISTS posting_fts_titles_ai",
    "DROP TABLE IF EXISTS posting_fts_titles",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
