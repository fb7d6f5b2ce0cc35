"""Cancel reasons

A fund or an instalment entered wrongly is cancelled with a reason, kept beside it (and in the
audit trail), so its reminder can be cleared without losing why.
Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("funds", "fund_payments"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("cancel_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    for table in ("funds", "fund_payments"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("cancel_reason")
