"""Search key without a length limit

A name of more than about 140 Han characters (validation allows 200) reads as a search key
longer than 1,000 characters, which PostgreSQL refused on saving. The key becomes Text; the
sort key stays 600 wide and is cut there (textkeys).
Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.alter_column(
            "search_key", existing_type=sa.String(length=1000), type_=sa.Text(), nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.alter_column(
            "search_key", existing_type=sa.Text(), type_=sa.String(length=1000), nullable=False
        )
