"""read-side indexes

``ix_posting_company_id`` on ``(company_id, id)``: one company's postings in id order whatever
their status, so ``/api/postings?company=…&status=all`` pages and the CSV export's batches (``id``
ascending, under a company filter) read the index in order instead of sorting every posting of
the company for each page or batch. Plain ``CREATE/DROP INDEX`` (no batch copy), so SQLite keeps
the posting table and its full-text triggers; statistics are refreshed after it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_posting_company_id", "posting", ["company_id", "id"], unique=False)

    from store.maintenance import analyze

    analyze(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_posting_company_id", table_name="posting")
