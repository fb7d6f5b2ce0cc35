"""Support records voided, not deleted

A fund, payment, project, talent record, evaluation or space allocation entered by mistake is
voided with a reason (when, by whom): it counts nowhere, its history stays, an administrator
may restore it. On PostgreSQL the restoring is the administrators' by trigger, whoever writes
the SQL; and a voided allocation no longer holds its space (0015's capacity trigger again,
leaving voided ones out).
Revision ID: 0016
Revises: 0015
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

TABLES = (
    "funds",
    "fund_payments",
    "projects",
    "talent_records",
    "evaluations",
    "space_allocations",
)
# 0015's count of the active allocations of a space on its busiest day, voided ones left out.
BUSIEST = (
    "(SELECT coalesce(max((SELECT count(*) FROM space_allocations o "
    "WHERE o.space_id = {space} AND o.status = 'active' AND o.voided_at IS NULL "
    "AND o.id <> {own} AND o.start_on <= d.day AND o.end_on >= d.day)), 0) "
    "FROM (SELECT {start} AS day UNION SELECT a.start_on FROM space_allocations a "
    "WHERE a.space_id = {space} AND a.status = 'active' AND a.voided_at IS NULL "
    "AND a.id <> {own} AND a.start_on > {start} AND a.start_on <= {end}) d)"
)
REFUSED = "space_allocations: more active allocations than its space holds"
RESTORE_REFUSED = "only an administrator of the registry restores a voided record"


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("voided_at", sa.DateTime(), nullable=True))
            batch.add_column(sa.Column("voided_by", sa.String(length=100), nullable=True))
            batch.add_column(sa.Column("void_reason", sa.Text(), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for event, own in (("insert", "-1"), ("update", "NEW.id")):
            busiest = BUSIEST.format(
                space="NEW.space_id", start="NEW.start_on", end="NEW.end_on", own=own
            )
            bind.exec_driver_sql(f"DROP TRIGGER space_allocations_capacity_{event}")
            bind.exec_driver_sql(
                f"CREATE TRIGGER space_allocations_capacity_{event} BEFORE {event.upper()} "
                "ON space_allocations WHEN NEW.status = 'active' AND NEW.voided_at IS NULL "
                f"AND {busiest} >= (SELECT capacity FROM spaces WHERE id = NEW.space_id) "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"
            )
        return
    busiest = BUSIEST.format(
        space="NEW.space_id", start="NEW.start_on", end="NEW.end_on", own="coalesce(NEW.id, -1)"
    )
    bind.exec_driver_sql(
        "CREATE OR REPLACE FUNCTION space_allocations_capacity() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ DECLARE room integer; BEGIN "
        "IF NEW.status <> 'active' OR NEW.voided_at IS NOT NULL THEN RETURN NEW; END IF; "
        "SELECT capacity INTO room FROM spaces WHERE id = NEW.space_id FOR UPDATE; "
        f"IF {busiest} >= room THEN "
        f"RAISE EXCEPTION '{REFUSED}' USING ERRCODE = 'exclusion_violation'; END IF; "
        "RETURN NEW; END $$"
    )
    # Restoring is the administrators': a superuser, a member of the registry's admin group
    # (``incubator.roles``), or anyone where the registry has no roles.
    bind.exec_driver_sql(
        "CREATE FUNCTION voided_records_restore() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "DECLARE admin text := current_database() || '_admin'; BEGIN "
        "IF OLD.voided_at IS NULL OR NEW.voided_at IS NOT NULL THEN RETURN NEW; END IF; "
        "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = admin) THEN RETURN NEW; END IF; "
        "IF (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) "
        "OR pg_has_role(session_user, admin, 'MEMBER') THEN RETURN NEW; END IF; "
        f"RAISE EXCEPTION '{RESTORE_REFUSED}' USING ERRCODE = 'insufficient_privilege'; "
        "END $$"
    )
    for table in TABLES:
        bind.exec_driver_sql(
            f"CREATE TRIGGER {table}_restore BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION voided_records_restore()"
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        for table in TABLES:
            bind.exec_driver_sql(f"DROP TRIGGER {table}_restore ON {table}")
        bind.exec_driver_sql("DROP FUNCTION voided_records_restore()")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("void_reason")
            batch.drop_column("voided_by")
            batch.drop_column("voided_at")
