"""Files stored in the registry; the center's logo among them

The logo was a path on one desk: the others printed without it. Files are now kept inside the
registry, once per content (keyed by SHA-256), and the setting ``center_logo`` names its file
as ``sha256:<hex>``. A logo whose path this computer can read is moved in; one it cannot is
left as a path (the desk that has the file still prints it; saving the logo again there
shares it).
Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    files = op.create_table(
        "stored_files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_stored_files")),
    )
    bind = op.get_bind()
    path = bind.execute(sa.text("SELECT value FROM settings WHERE key = 'center_logo'")).scalar()
    if not path or path.startswith("sha256:"):
        return
    try:
        data = Path(path).read_bytes()
    except OSError:  # not on this computer: left as it was
        return
    digest = hashlib.sha256(data).hexdigest()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    op.bulk_insert(files, [{"sha256": digest, "size": len(data), "data": data, "added_at": now}])
    bind.execute(
        sa.text("UPDATE settings SET value = :v WHERE key = 'center_logo'"),
        {"v": f"sha256:{digest}"},
    )


def downgrade() -> None:
    op.drop_table("stored_files")
