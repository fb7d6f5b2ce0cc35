"""Text index for the organization search

SQLite: an FTS5 trigram table over organizations.search_key, kept in step by triggers;
PostgreSQL: a pg_trgm GIN index on it (see incubator.search_index).
Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

from incubator import search_index

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search_index.create(op.get_bind())


def downgrade() -> None:
    search_index.drop(op.get_bind())
