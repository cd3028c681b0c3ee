"""PostgreSQL: a covering index for the company series of the rollup

``ix_posting_rollup_company_series`` on ``(grain, key, company_id, period)`` including
``opened``, ``closed`` and ``repost``, over the ``company`` dimension's rows only. A trend by
company reads every company's rows of one grain; through the primary key each row cost a heap
fetch (80,000 of them for a year of weeks at 1,000 companies), through this index the scan is
index-only. It holds one row in twenty of the rollup. SQLite keeps the rollup in its primary key
(a table without rowid), so it needs none.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A frozen copy of the index in store/models/rollups.py: a migration must not change with the code.
PG_UP = (
    "CREATE INDEX IF NOT EXISTS ix_posting_rollup_company_series ON posting_rollup "
    "(grain, key, company_id, period) INCLUDE (opened, closed, repost) WHERE dim = 'company'"
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(PG_UP)
    op.execute("ANALYZE posting_rollup")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_posting_rollup_company_series")
