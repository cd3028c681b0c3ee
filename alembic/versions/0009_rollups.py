"""rollups and read-side indexes

The trend rollup (``posting_rollup``: postings first seen and closed per day, week and month,
company and label), the pay rollup (``posting_pay_rollup``: open postings' annual USD pay
figures per company and label) and its per-company summary (``company_pay_rollup``), filled from the existing postings; indexes that match the lists'
sort orders and the rollups' maintenance; ``ix_posting_company_id`` goes (every new index on
``company_id`` leads with it). Plain ``CREATE/DROP INDEX`` (no batch copy), so SQLite keeps the
posting table and its full-text triggers. Statistics are refreshed at the end, so the planner
knows which index fits.

The rollups are derived data: they are filled by ``store.rollups``, the one definition of what
they hold, so the figures match what the code computes. A later change to that definition
ships a migration that rebuilds them again; the pay rollup changed shape in 0014, which fills
it, so this revision fills the trend rollup only.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSTING_INDEXES = {
    "ix_posting_status_id": ["status", "id"],
    "ix_posting_company_status_id": ["company_id", "status", "id"],
    "ix_posting_board_status": ["board_id", "status"],
    "ix_posting_company_first_seen": ["company_id", "first_seen_at"],
    "ix_posting_company_closed": ["company_id", "closed_at"],
}


def upgrade() -> None:
    op.create_table(
        "posting_rollup",
        sa.Column("grain", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=False),
        sa.Column("dim", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("repost", sa.Boolean(), nullable=False),
        sa.Column("opened", sa.Integer(), nullable=False),
        sa.Column("closed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("grain", "dim", "key", "company_id", "period", "repost"),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_posting_rollup_company",
        "posting_rollup",
        ["grain", "dim", "company_id", "key", "period"],
        unique=False,
    )
    op.create_index(
        "ix_posting_rollup_cell", "posting_rollup", ["company_id", "period"], unique=False
    )
    op.create_table(
        "posting_pay_rollup",
        sa.Column("dim", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("side", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("repost", sa.Boolean(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("dim", "key", "company_id", "side", "value", "repost"),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_posting_pay_rollup_company",
        "posting_pay_rollup",
        ["dim", "company_id", "key", "side", "value"],
        unique=False,
    )
    op.create_table(
        "company_pay_rollup",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("no_reposts", sa.Boolean(), nullable=False),
        sa.Column("postings", sa.Integer(), nullable=False),
        sa.Column("with_pay", sa.Integer(), nullable=False),
        sa.Column("min_p25", sa.Float(), nullable=True),
        sa.Column("min_median", sa.Float(), nullable=True),
        sa.Column("min_p75", sa.Float(), nullable=True),
        sa.Column("max_p25", sa.Float(), nullable=True),
        sa.Column("max_median", sa.Float(), nullable=True),
        sa.Column("max_p75", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("company_id", "no_reposts"),
    )
    for name, columns in POSTING_INDEXES.items():
        op.create_index(name, "posting", columns, unique=False)
    op.drop_index("ix_posting_company_id", table_name="posting")

    from store.maintenance import analyze
    from store.rollups import rebuild_trends

    bind = op.get_bind()
    rebuild_trends(bind)
    analyze(bind)


def downgrade() -> None:
    op.create_index("ix_posting_company_id", "posting", ["company_id"], unique=False)
    for name in POSTING_INDEXES:
        op.drop_index(name, table_name="posting")
    op.drop_table("company_pay_rollup")
    op.drop_index("ix_posting_pay_rollup_company", table_name="posting_pay_rollup")
    op.drop_table("posting_pay_rollup")
    op.drop_index("ix_posting_rollup_cell", table_name="posting_rollup")
    op.drop_index("ix_posting_rollup_company", table_name="posting_rollup")
    op.drop_table("posting_rollup")
