"""detail state

A posting listed by its board is stored even when its detail request fails; these columns keep
what a later run needs: the listing entry's signature (an unchanged one needs no detail), the
pending detail with its attempts and next retry time, and whether the posting was stored from
its listing alone. Runs record how many details are still pending. Plain ``ALTER TABLE ADD
COLUMN`` (no batch copy), so SQLite keeps the posting table and its full-text triggers; the
server defaults fill existing rows.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import store.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "posting",
        sa.Column("listing_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    )
    op.add_column(
        "posting",
        sa.Column("detail_pending", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "posting",
        sa.Column("detail_attempts", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column(
        "posting",
        sa.Column("detail_retry_at", store.types.UTCDateTime(timezone=True), nullable=True),
    )
    op.add_column(
        "posting",
        sa.Column("listing_only", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "scrape_run",
        sa.Column("details_pending", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+) keeps the table, and so its full-text triggers.
    op.drop_column("scrape_run", "details_pending")
    op.drop_column("posting", "listing_only")
    op.drop_column("posting", "detail_retry_at")
    op.drop_column("posting", "detail_attempts")
    op.drop_column("posting", "detail_pending")
    op.drop_column("posting", "listing_hash")
