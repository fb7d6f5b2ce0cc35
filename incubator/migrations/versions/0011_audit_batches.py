"""Audit entries about a range of organizations

The bulk writer (import, demo) audits each batch of new rows with one entry that says what the
batch was, instead of one entry per row. Such an entry is about every organization from
``organization_id`` to ``last_organization_id``; every other entry is about one organization
at most, and leaves the new column empty.
Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("last_organization_id", sa.Integer(), nullable=True))
        batch.create_index("ix_audit_log_last_organization_id", ["last_organization_id"])


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_index("ix_audit_log_last_organization_id")
        batch.drop_column("last_organization_id")
