"""Center summary and annual targets

The center report's summary per period (highlights, problems, corrective actions) and the
center's targets per year, against which the report sets its key performance indicators.
Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "center_narratives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("highlights", sa.Text(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("actions", sa.Text(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_center_narratives")),
        sa.UniqueConstraint("period", name=op.f("uq_center_narratives_period")),
    )
    op.create_table(
        "annual_targets",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("incubated", sa.Integer(), nullable=True),
        sa.Column("graduation_rate", sa.Numeric(precision=5, scale=4), nullable=True),
        sa.Column("disbursed", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("training_hours", sa.Numeric(precision=9, scale=1), nullable=True),
        sa.Column("occupancy_rate", sa.Numeric(precision=5, scale=4), nullable=True),
        sa.Column("overdue_payments", sa.Integer(), nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_annual_targets")),
    )


def downgrade() -> None:
    op.drop_table("annual_targets")
    op.drop_table("center_narratives")
