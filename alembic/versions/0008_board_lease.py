"""board lease and counted observations

``board_lease``: the lease that keeps one run of a board at a time on SQLite (PostgreSQL uses
advisory locks and leaves the table empty). ``board.last_counted_at``: when the last run that
counted towards closing postings finished, so an overlapping run is not a second observation.
Plain ``ALTER TABLE ADD COLUMN`` (no batch copy of the board table).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import store.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "board_lease",
        sa.Column("board_key", sqlmodel.sql.sqltypes.AutoString(length=600), nullable=False),
        sa.Column("holder", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("expires_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("board_key"),
    )
    op.add_column(
        "board",
        sa.Column("last_counted_at", store.types.UTCDateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("board", "last_counted_at")
    op.drop_table("board_lease")
