"""Registered capital and business scope

Two columns of every registration certificate and bureau list, kept when a list is imported.
Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.add_column(sa.Column("registered_capital", sa.Numeric(precision=14, scale=2)))
        batch.add_column(sa.Column("business_scope", sa.Text()))


def downgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.drop_column("business_scope")
        batch.drop_column("registered_capital")
