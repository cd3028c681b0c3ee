"""hires and feeds

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import store.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AutoString = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "hire",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person", AutoString(length=200), nullable=False),
        sa.Column("person_key", AutoString(length=200), nullable=False),
        sa.Column("from_company", AutoString(length=200), nullable=True),
        sa.Column("to_company", AutoString(length=200), nullable=False),
        sa.Column("role", AutoString(length=300), nullable=True),
        sa.Column("announced_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("source_url", AutoString(length=2048), nullable=True),
        sa.Column("source_title", AutoString(length=500), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("origin", AutoString(length=16), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("created_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hire", schema=None) as batch_op:
        batch_op.create_index("ix_hire_person_to", ["person_key", "to_company"], unique=False)
        batch_op.create_index(batch_op.f("ix_hire_announced_at"), ["announced_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_hire_from_company"), ["from_company"], unique=False)
        batch_op.create_index(batch_op.f("ix_hire_to_company"), ["to_company"], unique=False)

    op.create_table(
        "feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", AutoString(length=2048), nullable=False),
        sa.Column("name", AutoString(length=300), nullable=False),
        sa.Column("etag", AutoString(length=512), nullable=True),
        sa.Column("last_modified", AutoString(length=100), nullable=True),
        sa.Column("last_run_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_ok_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_outcome", AutoString(length=16), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("url"),
    )

    op.create_table(
        "feed_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("item_key", AutoString(length=64), nullable=False),
        sa.Column("seen_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("hires", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["feed_id"], ["feed.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("feed_id", "item_key", name="uq_feed_item_key"),
    )
    with op.batch_alter_table("feed_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feed_item_feed_id"), ["feed_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("feed_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feed_item_feed_id"))
    op.drop_table("feed_item")
    op.drop_table("feed")
    with op.batch_alter_table("hire", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hire_to_company"))
        batch_op.drop_index(batch_op.f("ix_hire_from_company"))
        batch_op.drop_index(batch_op.f("ix_hire_announced_at"))
        batch_op.drop_index("ix_hire_person_to")
    op.drop_table("hire")
