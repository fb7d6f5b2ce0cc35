"""Rules the database keeps itself

Until now only the program checked them; a desk writing SQL by hand (a shared registry's
staff have the rights to) could store a negative amount, an end before its start, a score of
900 or a stage that does not exist. Each becomes a CHECK constraint, and a space's allocations
are held to its capacity (one organization at a time for capacity 1: no overlap) by a trigger,
which on PostgreSQL locks the space's row so that two desks allocating at once are counted one
after the other. (Not an EXCLUSION constraint: the capacity is the space's, in another table.)

The values are written out here as they are at this revision: a later member of an
enumeration needs its own migration (``tests/test_db_rules.py`` fails until it has one).

Rows that already break a rule stop the upgrade before anything changes, each named.
Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

from incubator import search_index
from incubator.errors import DatabaseError

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

ENUMS = (
    ("audit_log", "action", ("create", "update", "delete")),
    (
        "organizations",
        "legal_form",
        ("social_group", "social_service_org", "foundation", "community_unregistered", "unknown"),
    ),
    (
        "organizations",
        "stage",
        ("applied", "admitted", "incubating", "mid_term_evaluated", "graduated", "exited"),
    ),
    ("spaces", "kind", ("room", "desk", "shared")),
    ("evaluations", "kind", ("admission", "mid_term", "annual", "graduation")),
    ("funds", "source", ("government", "foundation", "enterprise", "partner_province", "other")),
    ("funds", "kind", ("grant", "subsidy", "purchased_service", "award")),
    ("funds", "status", ("planned", "active", "completed", "cancelled")),
    (
        "lifecycle_transitions",
        "from_stage",
        ("applied", "admitted", "incubating", "mid_term_evaluated", "graduated", "exited"),
    ),
    (
        "lifecycle_transitions",
        "to_stage",
        ("applied", "admitted", "incubating", "mid_term_evaluated", "graduated", "exited"),
    ),
    (
        "organization_service_fields",
        "field",
        (
            "elderly",
            "youth",
            "children",
            "disability",
            "community",
            "mediation",
            "employment",
            "education",
            "health",
            "women",
            "culture",
            "environment",
            "rural",
            "legal_aid",
        ),
    ),
    ("projects", "status", ("planned", "ongoing", "completed", "cancelled")),
    ("space_allocations", "status", ("active", "cancelled")),
    ("talent_records", "kind", ("training", "mentor", "social_worker")),
    ("fund_payments", "status", ("scheduled", "paid", "cancelled")),
)
# (table, name, condition): what no row may break.
CHECKS = (
    ("organizations", "staff_count", "staff_count IS NULL OR staff_count >= 0"),
    ("organizations", "volunteer_count", "volunteer_count IS NULL OR volunteer_count >= 0"),
    (
        "organizations",
        "agreement",
        "agreement_planned_end IS NULL OR agreement_start IS NULL "
        "OR agreement_planned_end >= agreement_start",
    ),
    ("funds", "amount", "amount_committed >= 0"),
    ("funds", "period", "end_on IS NULL OR start_on IS NULL OR end_on >= start_on"),
    ("fund_payments", "amount", "amount >= 0"),
    ("projects", "budget", "budget >= 0"),
    ("projects", "beneficiaries", "beneficiaries >= 0"),
    ("projects", "period", "end_on IS NULL OR end_on >= start_on"),
    ("talent_records", "people", "people_count >= 0"),
    ("talent_records", "hours", "hours >= 0"),
    ("talent_records", "period", "end_on IS NULL OR end_on >= start_on"),
    ("spaces", "area", "area_m2 >= 0"),
    ("spaces", "capacity", "capacity >= 1"),
    ("space_allocations", "period", "end_on >= start_on"),
    *(
        ("evaluations", score, f"{score} >= 0 AND {score} <= 100")
        for score in ("governance", "finance", "services", "team")
    ),
)


def all_checks() -> list[tuple[str, str, str]]:
    """Every constraint: (table, constraint name, condition)."""
    out = [(table, f"ck_{table}_{name}", condition) for table, name, condition in CHECKS]
    for table, column, values in ENUMS:
        listed = ", ".join(f"'{v}'" for v in values)
        out.append(
            (table, f"ck_{table}_{column}_known", f"{column} IS NULL OR {column} IN ({listed})")
        )
    return out


# The most active allocations of space {space} on one day of {start}..{end} (other than row
# {own}), counted at each day one of them starts: where the count can rise.
BUSIEST = (
    "(SELECT coalesce(max((SELECT count(*) FROM space_allocations o "
    "WHERE o.space_id = {space} AND o.status = 'active' AND o.id <> {own} "
    "AND o.start_on <= d.day AND o.end_on >= d.day)), 0) "
    "FROM (SELECT {start} AS day UNION SELECT a.start_on FROM space_allocations a "
    "WHERE a.space_id = {space} AND a.status = 'active' AND a.id <> {own} "
    "AND a.start_on > {start} AND a.start_on <= {end}) d)"
)
REFUSED = "space_allocations: more active allocations than its space holds"


def _violations(bind) -> list[str]:
    found = []
    for table, name, condition in all_checks():
        key = "sha256" if table == "stored_files" else "id"
        if table == "organization_service_fields":
            key = "organization_id"
        rows = bind.exec_driver_sql(
            f"SELECT {key} FROM {table} WHERE NOT ({condition}) LIMIT 5"
        ).fetchall()
        found += [f"{table} {row[0]} ({name})" for row in rows]
    return found


def upgrade() -> None:
    bind = op.get_bind()
    broken = _violations(bind)
    if broken:
        raise DatabaseError(
            detail="rows break rules the registry keeps from this version on (nothing was "
            "changed; correct them, then upgrade): " + "; ".join(broken[:20])
        )
    by_table: dict[str, list[tuple[str, str]]] = {}
    for table, name, condition in all_checks():
        by_table.setdefault(table, []).append((name, condition))
    sqlite = bind.dialect.name == "sqlite"
    for table, checks in by_table.items():
        with op.batch_alter_table(table, recreate="always" if sqlite else "auto") as batch:
            for name, condition in checks:
                batch.create_check_constraint(op.f(name), condition)
    if sqlite:
        # Rebuilding organizations dropped the search index's triggers.
        search_index.create(bind)
        _sqlite_capacity(bind)
    else:
        _postgres_capacity(bind)


def _sqlite_capacity(bind) -> None:
    for event, own in (("INSERT", "-1"), ("UPDATE", "NEW.id")):
        busiest = BUSIEST.format(
            space="NEW.space_id", start="NEW.start_on", end="NEW.end_on", own=own
        )
        bind.exec_driver_sql(
            f"CREATE TRIGGER space_allocations_capacity_{event.lower()} BEFORE {event} "
            f"ON space_allocations WHEN NEW.status = 'active' AND {busiest} >= "
            "(SELECT capacity FROM spaces WHERE id = NEW.space_id) "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"
        )


def _postgres_capacity(bind) -> None:
    busiest = BUSIEST.format(
        space="NEW.space_id", start="NEW.start_on", end="NEW.end_on", own="coalesce(NEW.id, -1)"
    )
    bind.exec_driver_sql(
        "CREATE FUNCTION space_allocations_capacity() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "DECLARE room integer; BEGIN "
        "IF NEW.status <> 'active' THEN RETURN NEW; END IF; "
        # The space's row locked: a second desk allocating it waits for this one to finish.
        "SELECT capacity INTO room FROM spaces WHERE id = NEW.space_id FOR UPDATE; "
        f"IF {busiest} >= room THEN "
        f"RAISE EXCEPTION '{REFUSED}' USING ERRCODE = 'exclusion_violation'; END IF; "
        "RETURN NEW; END $$"
    )
    bind.exec_driver_sql(
        "CREATE TRIGGER space_allocations_capacity BEFORE INSERT OR UPDATE ON space_allocations "
        "FOR EACH ROW EXECUTE FUNCTION space_allocations_capacity()"
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for event in ("insert", "update"):
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS space_allocations_capacity_{event}")
    else:
        bind.exec_driver_sql("DROP TRIGGER space_allocations_capacity ON space_allocations")
        bind.exec_driver_sql("DROP FUNCTION space_allocations_capacity()")
    by_table: dict[str, list[str]] = {}
    for table, name, _condition in all_checks():
        by_table.setdefault(table, []).append(name)
    for table, names in by_table.items():
        with op.batch_alter_table(table) as batch:
            for name in names:
                batch.drop_constraint(op.f(name), type_="check")
    if bind.dialect.name == "sqlite":
        search_index.create(bind)
