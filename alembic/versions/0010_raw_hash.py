"""raw entry hashes

The hash of the raw listing entry each posting was last parsed from: a later run that lists the
same entry need not parse it again. Plain ``ALTER TABLE ADD COLUMN``, as in 0007, so SQLite keeps
the posting table and its full-text triggers; existing rows start without one (parsed once more).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "posting",
        sa.Column("raw_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+) keeps the table, and so its full-text triggers.
    op.drop_column("posting", "raw_hash")
