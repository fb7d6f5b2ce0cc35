"""Records entered by mistake are voided, never deleted (issue 17, point 8): they stop counting
in every total, stay in the history, and an administrator restores them. Figures are checked
against sums worked out by hand from the fixture."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import psycopg
import pytest
from psycopg import errors

from incubator import roles, voiding
from incubator.db import Database
from incubator.errors import IncubatorError, ValidationError
from incubator.exporting import tables
from incubator.services import audit_trail, funds, projects, spaces
from tests.factories import fund_data, org

D = dt.date


def grant(db, org_id: int, title: str, amount: str, paid: str) -> funds.FundView:
    fund = funds.add_fund(db, org_id, fund_data(title=title, amount_committed=amount))
    return funds.add_payment(
        db,
        fund.id,
        {"due_on": "2026-02-01", "amount": paid, "status": "paid", "paid_on": "2026-02-01"},
    )


def test_a_voided_fund_counts_nowhere_and_comes_back_when_restored(db) -> None:
    o = org(db, 1)
    grant(db, o.id, "公益创投", "10000", "4000")
    mistake = grant(db, o.id, "重复录入的资助", "5000", "5000")
    assert funds.totals(db, o.id).committed == Decimal("15000.00")
    with pytest.raises(ValidationError, match="Say why"):
        voiding.void(db, "funds", mistake.id, "  ")
    voiding.void(db, "funds", mistake.id, "与第一笔重复", actor="张敏")
    # By hand: 10,000 committed, 4,000 paid, one fund; its payment went with it.
    after = funds.totals(db, o.id)
    assert (after.committed, after.disbursed, after.fund_count) == (
        Decimal("10000.00"),
        Decimal("4000.00"),
        1,
    )
    assert [f.title for f in funds.funds_of(db, o.id)] == ["公益创投"]
    exported = tables.table(db, "funds", org_id=o.id)
    assert exported.count == 1
    assert tables.table(db, "payments", org_id=o.id).count == 1
    # The history says who voided it, and why.
    history = audit_trail.for_organization(db, o.id)
    voided_now = {e.entity: e for e in history if e.at == history[0].at}  # one change, two rows
    assert voided_now["funds"].changes["void_reason"] == [None, "与第一笔重复"]
    assert voided_now["fund_payments"].changes["void_reason"] == [None, "与第一笔重复"]
    (listed,) = voiding.voided(db, o.id)
    assert (listed.kind, listed.what, listed.reason) == ("funds", "重复录入的资助", "与第一笔重复")
    voiding.restore(db, "funds", mistake.id)
    assert funds.totals(db, o.id).disbursed == Decimal("9000.00")
    assert voiding.voided(db) == []


def test_a_voided_allocation_frees_its_space(db) -> None:
    a, b = org(db, 1, name="甲协会"), org(db, 2, name="乙协会")
    room = spaces.create_space(db, {"code": "R1", "name": "会议室", "kind": "room", "area_m2": 20})
    wrong = spaces.allocate(db, room.id, a.id, D(2026, 1, 1), D(2026, 3, 31))
    voiding.void(db, "space_allocations", wrong.id, "录错了组织")
    spaces.allocate(db, room.id, b.id, D(2026, 2, 1), D(2026, 2, 28))  # the room is free
    with pytest.raises(ValidationError, match="already allocated to “乙协会”"):
        voiding.restore(db, "space_allocations", wrong.id)
    assert [v.id for v in voiding.voided(db)] == [wrong.id]


def test_records_of_each_kind_are_voided(db) -> None:
    o = org(db, 1)
    project = projects.add(db, o.id, {"name": "助老", "budget": "800", "start_on": D(2026, 1, 1)})
    assert projects.totals(db, o.id).budget == Decimal("800.00")
    voiding.void(db, "projects", project.id, "不是本组织的项目")
    assert projects.list_for(db, o.id) == []
    assert projects.totals(db, o.id).budget == Decimal("0")
    with pytest.raises(ValidationError):
        voiding.void(db, "organizations", o.id, "x")


@pytest.mark.postgres
def test_staff_void_and_only_an_administrator_restores(pg_db) -> None:
    o = org(pg_db, 1)
    project = projects.add(
        pg_db, o.id, {"name": "助老", "budget": "800", "start_on": D(2026, 1, 1)}
    )
    roles.init(pg_db)
    names = {r: f"{pg_db.url.database}_{r}_user" for r in ("staff", "admin")}
    for role, name in names.items():
        roles.add_user(pg_db, name, role, None)
    staff = Database(pg_db.url.set(username=names["staff"]))
    admin = Database(pg_db.url.set(username=names["admin"]))
    try:
        voiding.void(staff, "projects", project.id, "录重了")
        with pytest.raises(IncubatorError, match="do not have the right"):
            voiding.restore(staff, "projects", project.id)
        raw = staff.url.set(drivername="postgresql").render_as_string(False)
        with (
            psycopg.connect(raw, autocommit=True) as conn,
            pytest.raises(errors.InsufficientPrivilege),
        ):
            conn.execute("UPDATE projects SET voided_at = NULL")  # by hand: refused the same
        voiding.restore(admin, "projects", project.id)
        assert [p.name for p in projects.list_for(staff, o.id)] == ["助老"]
    finally:
        staff.dispose()
        admin.dispose()
