"""topics and search

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Function and seniority of each posting, from the taxonomy; indexed for the API filters.
    with op.batch_alter_table("posting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("function", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.add_column(
            sa.Column("seniority", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_posting_function"), ["function"], unique=False)
        batch_op.create_index(batch_op.f("ix_posting_seniority"), ["seniority"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("posting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posting_seniority"))
        batch_op.drop_index(batch_op.f("ix_posting_function"))
        batch_op.drop_column("seniority")
        batch_op.drop_column("function")
