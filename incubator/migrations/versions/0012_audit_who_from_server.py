"""The audit's who and when, set by PostgreSQL

On a shared registry the client's word is not enough: a trigger sets each new audit entry's
``actor`` to the database login (``session_user``, which ``SET ROLE`` does not change) and its
``at`` to the server's clock, whatever the client sent. A SQLite file has no logins: its
entries keep the operating-system user the program sends.
Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

FUNCTION = "audit_log_from_server"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN NEW.actor := session_user; NEW.at := timezone('UTC', now()); RETURN NEW; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {FUNCTION} BEFORE INSERT ON audit_log "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP TRIGGER {FUNCTION} ON audit_log")
    op.execute(f"DROP FUNCTION {FUNCTION}()")
