"""The rules the database keeps itself (issue 17, point 6, migration 0015), proved with SQL
written by hand, as a desk with the rights could: on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Enum as SAEnum
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from incubator import stored_files
from incubator.errors import ValidationError
from incubator.models import Base, Document
from incubator.services import compliance, evaluations, funds, projects, spaces, talent
from tests.factories import fund_data, org

D = dt.date


def refused(db, sql: str, **params) -> bool:
    """Whether the database refuses ``sql`` (nothing is kept either way)."""
    with db.engine.connect() as conn:
        try:
            conn.execute(text(sql), params)
        except DBAPIError:
            return True
        finally:
            conn.rollback()
    return False


@pytest.fixture
def filled(db):
    """One row in every table that has rules."""
    o = org(db, 1, service_fields=["elderly"])
    space = spaces.create_space(db, {"code": "R1", "name": "会议室", "kind": "room", "area_m2": 20})
    spaces.allocate(db, space.id, o.id, D(2026, 1, 1), D(2026, 3, 31))
    fund = funds.add_fund(db, o.id, fund_data(amount_committed="50000"))
    funds.add_payment(db, fund.id, {"due_on": "2026-02-01", "amount": "20000"})
    projects.add(db, o.id, {"name": "助老", "budget": "1000", "start_on": "2026-01-01"})
    talent.add(
        db, o.id, {"kind": "training", "title": "财务培训", "start_on": "2026-01-10", "hours": 6}
    )
    evaluations.record(
        db,
        o.id,
        {
            "kind": "annual",
            "evaluated_on": "2026-03-01",
            "governance": 80,
            "finance": 70,
            "services": 90,
            "team": 60,
        },
    )
    compliance.record_report(db, o.id, {"year": 2025, "submitted_on": "2026-03-01"})
    compliance.record_rating(db, o.id, {"grade": "3A", "awarded_on": "2025-01-01"})
    compliance.record_listing(db, o.id, {"list_kind": "abnormal", "listed_on": "2025-08-01"})
    with db.transaction() as session:  # a document, written as the form would
        digest = stored_files.put_digest(session, b"%PDF-1.4")
        session.add(
            Document(
                organization_id=o.id,
                sha256=digest,
                filename="a.pdf",
                size=8,
                title="章程",
                kind="charter",
                added_by="t",
            )
        )
    return db, space


def enum_columns() -> list[tuple[str, str, tuple[str, ...]]]:
    return [
        (table.name, column.name, tuple(column.type.enums))
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, SAEnum) and table.name != "audit_log"
    ]


def test_every_enumeration_takes_its_members_and_nothing_else(filled) -> None:
    """Against the program's own enumerations: a member added without a migration that lets
    the database take it fails here."""
    db, _space = filled
    for table, column, members in enum_columns():
        for value in members:
            assert not refused(db, f"UPDATE {table} SET {column} = :v", v=value), (table, value)
        assert refused(db, f"UPDATE {table} SET {column} = 'bogus'"), (table, column)


NO_FORM_WOULD_TAKE = [
    "UPDATE funds SET amount_committed = -1",
    "UPDATE funds SET start_on = '2026-05-01', end_on = '2026-04-30'",
    "UPDATE fund_payments SET amount = -0.01",
    "UPDATE projects SET budget = -5",
    "UPDATE projects SET beneficiaries = -1",
    "UPDATE projects SET end_on = '2025-12-31'",
    "UPDATE talent_records SET hours = -1",
    "UPDATE talent_records SET people_count = -1",
    "UPDATE talent_records SET end_on = '2026-01-09'",
    "UPDATE evaluations SET governance = 100.01",
    "UPDATE evaluations SET team = -1",
    "UPDATE spaces SET capacity = 0",
    "UPDATE spaces SET area_m2 = -1",
    "UPDATE space_allocations SET end_on = '2025-12-31'",
    "UPDATE organizations SET staff_count = -1",
    "UPDATE organizations SET agreement_start = '2026-05-01', agreement_planned_end = '2026-04-30'",
    "UPDATE annual_reports SET year = 1900",
    "UPDATE ratings SET valid_until = '2024-12-31'",
    "UPDATE authority_listings SET removed_on = '2025-07-31'",
    "UPDATE documents SET size = -1",
    "UPDATE documents SET record_kind = 'funds'",  # a kind without a record
    "UPDATE documents SET record_kind = 'spaces', record_id = 1",  # not a record of theirs
]


def test_values_no_form_would_take_are_refused(filled) -> None:
    db, _space = filled
    for sql in NO_FORM_WOULD_TAKE:  # each on its own, rolled back
        assert refused(db, sql), sql


def test_the_edges_are_allowed(filled) -> None:
    db, _space = filled
    for sql in (
        "UPDATE funds SET amount_committed = 0",
        "UPDATE evaluations SET governance = 100, team = 0",
        "UPDATE projects SET end_on = start_on",
        "UPDATE space_allocations SET end_on = start_on",
    ):
        assert not refused(db, sql), sql


ALLOCATE = (
    "INSERT INTO space_allocations (space_id, organization_id, start_on, end_on, status, "
    "version, created_at, updated_at) VALUES (:space, :org, :start, :end, :status, 1, "
    "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
)


def raw_allocate(db, space: int, org_id: int, start, end, status: str = "active") -> bool:
    """A raw insert, kept when the database takes it; whether it was refused."""
    with db.engine.connect() as conn:
        try:
            conn.execute(
                text(ALLOCATE),
                {"space": space, "org": org_id, "start": start, "end": end, "status": status},
            )
        except DBAPIError:
            conn.rollback()
            return True
        conn.commit()
    return False


def test_a_space_holds_as_many_as_its_capacity(db) -> None:
    o = org(db, 1)
    shared = spaces.create_space(
        db, {"code": "S1", "name": "共享办公区", "kind": "shared", "area_m2": 60, "capacity": 2}
    )
    assert not raw_allocate(db, shared.id, o.id, "2026-01-01", "2026-06-30")
    assert not raw_allocate(db, shared.id, o.id, "2026-03-01", "2026-03-31")
    assert raw_allocate(db, shared.id, o.id, "2026-03-31", "2026-04-30")  # a third on 31 March
    assert not raw_allocate(db, shared.id, o.id, "2026-04-01", "2026-04-30")  # touching is fine
    assert not raw_allocate(db, shared.id, o.id, "2026-03-15", "2026-03-20", "cancelled")
    # Capacity 1: one at a time.
    room = spaces.create_space(db, {"code": "R1", "name": "会议室", "kind": "room", "area_m2": 20})
    assert not raw_allocate(db, room.id, o.id, "2026-01-01", "2026-01-31")
    assert raw_allocate(db, room.id, o.id, "2026-01-31", "2026-02-28")
    assert not raw_allocate(db, room.id, o.id, "2026-02-01", "2026-02-28")
    # Moving an allocation into another's days is refused too.
    assert refused(
        db,
        "UPDATE space_allocations SET start_on = '2026-01-15' "
        "WHERE space_id = :s AND start_on = '2026-02-01'",
        s=room.id,
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    capacity=st.integers(1, 3),
    periods=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 15)), min_size=1, max_size=8),
)
def test_the_program_and_the_database_agree_on_capacity(sqlite_db, capacity, periods) -> None:
    """Each attempt made twice, on two spaces alike: through the program, and by hand. Both
    take it or both refuse it."""
    db = sqlite_db
    org_id = org(db, 1).id if not registry_has_org(db) else 1
    n = next(_spaces)
    kw = {"kind": "shared", "area_m2": 10, "capacity": capacity}
    by_program = spaces.create_space(db, {"code": f"P{n}", "name": f"甲{n}", **kw})
    by_hand = spaces.create_space(db, {"code": f"H{n}", "name": f"乙{n}", **kw})
    for offset, length in periods:
        start = D(2026, 1, 1) + dt.timedelta(days=offset)
        end = start + dt.timedelta(days=length)
        try:
            spaces.allocate(db, by_program.id, org_id, start, end)
            program_refused = False
        except ValidationError:
            program_refused = True
        assert raw_allocate(db, by_hand.id, org_id, start, end) == program_refused


_spaces = iter(range(10**6))


def registry_has_org(db) -> bool:
    with db.engine.connect() as conn:
        return bool(conn.execute(text("SELECT count(*) FROM organizations")).scalar())


@pytest.mark.postgres
def test_two_desks_allocating_at_once_are_counted_one_after_the_other(pg_db) -> None:
    o = org(pg_db, 1)
    room = spaces.create_space(
        pg_db, {"code": "R1", "name": "会议室", "kind": "room", "area_m2": 20}
    )
    params = {"space": room.id, "org": o.id, "status": "active"}
    first = pg_db.engine.connect()
    first.begin()
    first.execute(text(ALLOCATE), {**params, "start": "2026-01-01", "end": "2026-01-31"})
    outcome: list[str] = []

    def second_desk() -> None:
        with pg_db.engine.connect() as conn:
            try:
                conn.execute(text(ALLOCATE), {**params, "start": "2026-01-20", "end": "2026-02-10"})
                conn.commit()
                outcome.append("kept")
            except DBAPIError as exc:
                outcome.append(str(exc.orig))

    desk = threading.Thread(target=second_desk)
    desk.start()
    desk.join(1.0)
    assert desk.is_alive()  # waiting for the first desk's lock on the space
    first.commit()
    first.close()
    desk.join(30)
    assert len(outcome) == 1 and "more active allocations than its space holds" in outcome[0]


def test_an_upgrade_over_rows_that_break_a_rule_names_them_and_changes_nothing(tmp_path) -> None:
    from alembic import command

    from incubator import schema
    from incubator.db import Database
    from incubator.errors import DatabaseError

    db = Database(str(tmp_path / "old.sqlite3"))
    schema.upgrade(db)
    o = org(db, 1)
    fund = funds.add_fund(db, o.id, fund_data(amount_committed="100"))
    command.downgrade(schema.alembic_config(db), "0014")  # a registry from before the rules
    with db.engine.begin() as conn:  # as an old import or a hand edit might have left it
        conn.exec_driver_sql(f"UPDATE funds SET amount_committed = -100 WHERE id = {fund.id}")
    with pytest.raises(DatabaseError, match=rf"funds {fund.id} \(ck_funds_amount\)"):
        schema.upgrade(db)
    assert schema.current_revision(db.engine) == "0014"
    db.dispose()
