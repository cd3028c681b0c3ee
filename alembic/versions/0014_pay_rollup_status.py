"""pay rollup per status

``posting_pay_rollup`` gains ``status`` as the first column of its key and holds closed
postings' pay beside the open ones', and ``company_pay_rollup`` gains ``status`` (open, closed,
all) in its key, so pay statistics of closed or all postings are read from them instead of
scanning every posting (seconds at a million). Both tables are derived data: they are created
again and filled by ``store.rollups.rebuild_pay``. Going back keeps the open rows, which are
what the earlier revision held.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _create(with_status: bool) -> None:
    """The table by status (its key leads with status, dimension and company, which serves
    every read and ingest's recount of one company, so it needs no other index), or the
    earlier shape with its index."""
    columns = {
        "status": sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        "dim": sa.Column("dim", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        "company_id": sa.Column("company_id", sa.Integer(), nullable=False),
        "key": sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        "side": sa.Column("side", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        "value": sa.Column("value", sa.Float(), nullable=False),
        "repost": sa.Column("repost", sa.Boolean(), nullable=False),
    }
    if with_status:
        key = ["status", "dim", "company_id", "key", "side", "value", "repost"]
    else:
        key = ["dim", "key", "company_id", "side", "value", "repost"]
    op.create_table(
        "posting_pay_rollup",
        *(columns[name] for name in key),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*key),
        sqlite_with_rowid=False,
    )
    if not with_status:
        op.create_index(
            "ix_posting_pay_rollup_company",
            "posting_pay_rollup",
            ["dim", "company_id", "key", "side", "value"],
            unique=False,
        )


def _create_summary(with_status: bool) -> None:
    status = (
        [sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False)]
        if with_status
        else []
    )
    op.create_table(
        "company_pay_rollup",
        sa.Column("company_id", sa.Integer(), nullable=False),
        *status,
        sa.Column("no_reposts", sa.Boolean(), nullable=False),
        sa.Column("postings", sa.Integer(), nullable=False),
        sa.Column("with_pay", sa.Integer(), nullable=False),
        *(
            sa.Column(f"{side}_{q}", sa.Float(), nullable=True)
            for side in ("min", "max")
            for q in ("p25", "median", "p75")
        ),
        sa.PrimaryKeyConstraint("company_id", *(["status"] if with_status else []), "no_reposts"),
    )


SUMMARY_COLUMNS = (
    "company_id, no_reposts, postings, with_pay, min_p25, min_median, min_p75, max_p25, "
    "max_median, max_p75"
)


def _fill(bind: sa.engine.Connection) -> None:
    from store.maintenance import analyze
    from store.rollups import rebuild_pay

    rebuild_pay(bind)
    analyze(bind)


def upgrade() -> None:
    op.drop_index("ix_posting_pay_rollup_company", table_name="posting_pay_rollup")
    op.drop_table("posting_pay_rollup")
    op.drop_table("company_pay_rollup")
    _create(with_status=True)
    _create_summary(with_status=True)
    _fill(op.get_bind())


def downgrade() -> None:
    # The open rows are the whole of the old table: kept, the rest dropped.
    op.rename_table("posting_pay_rollup", "posting_pay_rollup_by_status")
    if op.get_bind().dialect.name == "postgresql":  # its key's index keeps the old name there
        op.execute(
            "ALTER TABLE posting_pay_rollup_by_status "
            "RENAME CONSTRAINT posting_pay_rollup_pkey TO posting_pay_rollup_by_status_pkey"
        )
    _create(with_status=False)
    op.execute(
        "INSERT INTO posting_pay_rollup (dim, key, company_id, side, value, repost, n) "
        "SELECT dim, key, company_id, side, value, repost, n FROM posting_pay_rollup_by_status "
        "WHERE status = 'open'"
    )
    op.drop_table("posting_pay_rollup_by_status")
    op.rename_table("company_pay_rollup", "company_pay_rollup_by_status")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE company_pay_rollup_by_status "
            "RENAME CONSTRAINT company_pay_rollup_pkey TO company_pay_rollup_by_status_pkey"
        )
    _create_summary(with_status=False)
    op.execute(
        f"INSERT INTO company_pay_rollup ({SUMMARY_COLUMNS}) "
        f"SELECT {SUMMARY_COLUMNS} FROM company_pay_rollup_by_status WHERE status = 'open'"
    )
    op.drop_table("company_pay_rollup_by_status")
