"""Audit trail written in the change's own transaction; optimistic locking between desks."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from incubator.db import Database
from incubator.domain import AuditAction
from incubator.errors import ConflictError, IllegalTransitionError, ValidationError
from incubator.models import AuditEntry, Organization
from incubator.services import (
    audit_trail,
    evaluations,
    funds,
    lifecycle,
    projects,
    registry,
    spaces,
    talent,
)
from tests.factories import audited_as, credit_code, org

D = dt.date


def n_audit(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


def fund_data(**overrides):
    data = {
        "title": "公益创投",
        "source": "foundation",
        "kind": "grant",
        "amount_committed": "100000",
        "committed_on": D(2024, 1, 1),
    }
    data.update(overrides)
    return data


# --- audit ------------------------------------------------------------------------------------


def test_create_is_audited_with_actor_and_new_values(db):
    o = registry.register(
        db,
        {
            "name": "星光助残服务中心",
            "legal_form": "social_service_org",
            "credit_code": credit_code(3),
            "service_fields": ["disability"],
            "staff_count": 5,
        },
        actor="王五",
    )
    entries = audit_trail.for_organization(db, o.id)
    by_entity = {e.entity: e for e in entries}
    assert set(by_entity) == {
        "organizations",
        "lifecycle_transitions",
        "organization_service_fields",
    }
    assert {e.actor for e in entries} == {audited_as(db, "王五")}
    assert {e.action for e in entries} == {AuditAction.CREATE}
    created = by_entity["organizations"]
    assert created.entity_id == created.organization_id == o.id
    assert created.changes["name"] == [None, "星光助残服务中心"]
    assert created.changes["credit_code"] == [None, credit_code(3)]
    assert created.changes["legal_form"] == [None, "social_service_org"]
    assert created.changes["staff_count"] == [None, 5]
    assert "version" not in created.changes and "name_sort" not in created.changes
    assert by_entity["organization_service_fields"].changes["field"] == [None, "disability"]
    assert isinstance(created.at, dt.datetime) and created.at.tzinfo is not None


def test_create_rows_name_the_created_entity(db):
    """for_entity finds a row's creation (entity_id is the new row's own id)."""
    org(db, 1)
    o = org(db, 2)
    f = funds.add_fund(db, o.id, fund_data(payments=[{"due_on": D(2024, 1, 1), "amount": 1}]))
    s = spaces.create_space(db, {"code": "S", "name": "s", "kind": "desk"})
    for entity, ident in (
        ("organizations", o.id),
        ("funds", f.id),
        ("fund_payments", f.payments[0].id),
        ("spaces", s.id),
    ):
        actions = [e.action for e in audit_trail.for_entity(db, entity, ident)]
        assert actions == [AuditAction.CREATE], (entity, ident, actions)


def test_update_records_old_and_new_values_and_actor(db):
    o = org(db, 1, name="旧名称", staff_count=3)
    registry.update(
        db, o.id, {"name": "新名称", "staff_count": "4", "notes": "备注"}, o.version, actor="李四"
    )
    last = audit_trail.for_entity(db, "organizations", o.id)[-1]
    assert (last.action, last.actor) == (AuditAction.UPDATE, audited_as(db, "李四"))
    assert last.changes == {
        "name": ["旧名称", "新名称"],
        "staff_count": [3, 4],
        "notes": [None, "备注"],
    }
    # Saving the same values again changes nothing and writes nothing.
    before = n_audit(db)
    same = registry.update(db, o.id, {"name": "新名称"}, o.version + 1)
    assert same.version == o.version + 1
    assert n_audit(db) == before


def test_money_and_dates_are_audited_as_exact_text(db):
    o = org(db)
    f = funds.add_fund(db, o.id, fund_data(payments=[{"due_on": D(2024, 3, 1), "amount": "500.5"}]))
    funds.update_fund(db, f.id, {"amount_committed": "90000.10"}, f.version, actor="财务")
    change = audit_trail.for_entity(db, "funds", f.id)[-1]
    assert change.changes == {"amount_committed": ["100000.00", "90000.10"]}
    assert change.actor == audited_as(db, "财务")
    funds.record_payment(db, f.payments[0].id, "2024-03-02", f.payments[0].version)
    paid = audit_trail.for_entity(db, "fund_payments", f.payments[0].id)[-1]
    assert paid.changes == {"status": ["scheduled", "paid"], "paid_on": [None, "2024-03-02"]}
    assert paid.organization_id == o.id  # a payment is traced to its organization via the fund


def test_refused_change_leaves_no_audit_row(db):
    a = org(db, 1)
    b = org(db, 2)
    f = funds.add_fund(
        db, a.id, fund_data(payments=[{"due_on": D(2024, 2, 1), "amount": "100000"}])
    )
    before = n_audit(db)
    with pytest.raises(ValidationError):
        registry.update(db, b.id, {"credit_code": a.credit_code}, b.version)
    with pytest.raises(ValidationError):
        funds.update_fund(db, f.id, {"amount_committed": "1"}, f.version)
    with pytest.raises(ValidationError):
        funds.add_payment(db, f.id, {"due_on": D(2024, 3, 1), "amount": "1"})
    with pytest.raises(ConflictError):
        registry.update(db, a.id, {"notes": "x"}, a.version + 5)
    with pytest.raises(IllegalTransitionError):
        lifecycle.transition(db, a.id, "graduated", reason="too soon")
    assert n_audit(db) == before


def test_audit_row_is_rolled_back_with_a_failed_transaction(db):
    """The audit row is written at flush; a later failure in the same unit removes both."""
    o = org(db, 1, name="原名")
    before = n_audit(db)
    with pytest.raises(RuntimeError), db.transaction("someone") as session:
        row = session.get(Organization, o.id)
        row.name = "半途而废"
        session.flush()
        in_flight = session.scalar(select(func.count()).select_from(AuditEntry))
        assert in_flight == before + 1  # written inside the transaction...
        raise RuntimeError("power cut")
    assert n_audit(db) == before  # ...and gone with it
    assert registry.get(db, o.id).name == "原名"


def test_for_organization_shows_profile_and_support_changes(db):
    o = org(db, 1)
    other = org(db, 2)
    registry.update(db, o.id, {"notes": "第一次走访"}, o.version)
    lifecycle.transition(db, o.id, "admitted", reason="评审通过")
    f = funds.add_fund(db, o.id, fund_data(payments=[{"due_on": D(2024, 5, 1), "amount": 10}]))
    funds.record_payment(db, f.payments[0].id, D(2024, 5, 2), 1)
    projects.add(db, o.id, {"name": "项目", "budget": 1, "start_on": D(2024, 1, 1)})
    talent.add(db, o.id, {"kind": "training", "title": "培训", "start_on": D(2024, 1, 1)})
    evaluations.record(
        db,
        o.id,
        {
            "kind": "annual",
            "evaluated_on": D(2024, 6, 1),
            "governance": 1,
            "finance": 1,
            "services": 1,
            "team": 1,
        },
    )
    room = spaces.create_space(
        db, {"code": "A1", "name": "活动室", "kind": "shared", "area_m2": 50}
    )
    spaces.allocate(db, room.id, o.id, D(2024, 1, 1), D(2024, 6, 30))
    funds.add_fund(db, other.id, fund_data())

    trail = audit_trail.for_organization(db, o.id)
    assert {e.entity for e in trail} == {
        "organizations",
        "organization_service_fields",
        "lifecycle_transitions",
        "funds",
        "fund_payments",
        "projects",
        "talent_records",
        "evaluations",
        "space_allocations",
    } - ({"organization_service_fields"} if not o.service_fields else set())
    assert all(e.organization_id == o.id for e in trail)
    ids = [e.id for e in trail]
    assert ids == sorted(ids, reverse=True)  # newest first
    assert trail[0].entity == "space_allocations"
    assert next(e.changes for e in trail if e.entity == "fund_payments")["status"] == [
        "scheduled",
        "paid",
    ]
    # The other organization's fund is not in this trail; the space itself belongs to no one.
    assert not any(e.entity == "spaces" for e in trail)
    assert len(audit_trail.for_organization(db, o.id, limit=3)) == 3


# --- optimistic locking -----------------------------------------------------------------------


def test_two_desks_first_save_wins(db):
    o = org(db, 1, name="原名")
    desk1 = registry.get(db, o.id)
    desk2 = registry.get(db, o.id)
    assert desk1.version == desk2.version == 1
    saved = registry.update(db, o.id, {"name": "一号窗口改的"}, desk1.version, actor="desk1")
    assert saved.version == 2
    before = n_audit(db)
    with pytest.raises(ConflictError) as info:
        registry.update(db, o.id, {"legal_representative": "二号"}, desk2.version, actor="desk2")
    err = info.value
    assert err.current_values["name"] == "一号窗口改的"
    assert err.current_values["version"] == 2
    assert (err.params["current"], err.params["yours"]) == (2, 1)
    assert "now version 2, you edited version 1" in err.message("en")
    now = registry.get(db, o.id)
    assert (now.name, now.legal_representative, now.version) == ("一号窗口改的", None, 2)
    assert n_audit(db) == before


def test_locking_on_funds_payments_spaces_and_projects(db):
    o = org(db)
    f = funds.add_fund(db, o.id, fund_data(payments=[{"due_on": D(2024, 2, 1), "amount": 10}]))
    funds.update_fund(db, f.id, {"title": "一号"}, f.version)
    with pytest.raises(ConflictError) as info:
        funds.update_fund(db, f.id, {"title": "二号"}, f.version)
    assert info.value.current_values["title"] == "一号"

    p = f.payments[0]
    funds.update_payment(db, p.id, {"notes": "一号"}, p.version)
    with pytest.raises(ConflictError):
        funds.record_payment(db, p.id, D(2024, 2, 2), p.version)

    s = spaces.create_space(db, {"code": "R9", "name": "房间", "kind": "room", "area_m2": 9})
    spaces.update_space(db, s.id, {"name": "一号改名"}, s.version)
    with pytest.raises(ConflictError) as info:
        spaces.update_space(db, s.id, {"active": False}, s.version)
    assert info.value.current_values["name"] == "一号改名"
    assert spaces.list_spaces(db)[0].active

    pr = projects.add(db, o.id, {"name": "项目", "budget": 1, "start_on": D(2024, 1, 1)})
    projects.update(db, pr.id, {"budget": 2}, pr.version)
    with pytest.raises(ConflictError) as info:
        projects.update(db, pr.id, {"budget": 3}, pr.version)
    assert info.value.current_values["budget"] == Decimal("2.00")
    assert projects.list_for(db, o.id)[0].budget == Decimal("2.00")


def test_real_race_between_two_databases_on_one_sqlite_file(sqlite_db):
    """Desk 1 has read the row; desk 2 (another Database on the same file) saves first; desk
    1's save of what it read is refused, and the registry holds desk 2's change only. (A write
    transaction on SQLite holds the write lock from its start, so desk 2 cannot save in the
    middle of desk 1's: what desk 1 read in a form is checked by its version.)"""
    o = org(sqlite_db, 1, name="原名")
    desk2 = Database(sqlite_db.url, actor="desk2")
    try:
        before = n_audit(sqlite_db)
        with sqlite_db.reading() as session:
            assert session.get(Organization, o.id).version == 1
        registry.update(desk2, o.id, {"name": "二号先存"}, 1)
        with pytest.raises(ConflictError):
            registry.update(sqlite_db, o.id, {"name": "一号后存"}, 1)
        now = registry.get(sqlite_db, o.id)
        assert (now.name, now.version) == ("二号先存", 2)
        assert n_audit(sqlite_db) == before + 1  # desk 2's change only
        assert audit_trail.for_entity(sqlite_db, "organizations", o.id)[-1].actor == "desk2"
    finally:
        desk2.dispose()


def test_a_desk_waits_for_anothers_write_then_saves(sqlite_db):
    """While desk 1's unit of work is open, desk 2's save waits for it (busy timeout), then
    lands after it: never "database is locked" for a short write, never lost."""
    o = org(sqlite_db, 1, name="原名")
    desk2 = Database(sqlite_db.url, actor="desk2")
    saved = threading.Event()
    try:

        def second() -> None:
            registry.update(desk2, o.id, {"short_name": "二号"}, 2)
            saved.set()

        with sqlite_db.transaction("desk1") as session:
            session.get(Organization, o.id).name = "一号改名"
            waiting = threading.Thread(target=second)
            waiting.start()
            assert not saved.wait(0.5)  # desk 2 waits while desk 1's write is open
        waiting.join(10)
        assert saved.is_set()
        now = registry.get(sqlite_db, o.id)
        assert (now.name, now.short_name, now.version) == ("一号改名", "二号", 3)
    finally:
        desk2.dispose()


def race(db, n: int, work) -> tuple[list, list[BaseException]]:
    """Run ``work(database, i)`` in n threads, each with its own Database, started together."""
    desks = [Database(db.url, actor=f"desk{i}") for i in range(n)]
    gate = threading.Barrier(n)
    results: list = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        gate.wait()
        try:
            out = work(desks[i], i)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        else:
            with lock:
                results.append(out)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    for d in desks:
        d.dispose()
    return results, errors


def test_concurrent_saves_one_winner(db):
    o = org(db, 1)
    results, errors = race(
        db, 4, lambda desk, i: registry.update(desk, o.id, {"notes": f"desk{i}"}, o.version)
    )
    assert len(results) == 1, errors
    assert len(errors) == 3 and all(isinstance(e, ConflictError) for e in errors), errors
    now = registry.get(db, o.id)
    assert (now.notes, now.version) == (results[0].notes, 2)
    updates = [
        e
        for e in audit_trail.for_entity(db, "organizations", o.id)
        if e.action is AuditAction.UPDATE
    ]
    assert len(updates) == 1


def test_concurrent_transitions_one_winner(db):
    o = org(db, 1)
    results, errors = race(
        db, 3, lambda desk, i: lifecycle.transition(desk, o.id, "admitted", reason=f"desk{i}")
    )
    assert len(results) == 1, errors
    assert all(isinstance(e, ConflictError | IllegalTransitionError) for e in errors), errors
    assert len(lifecycle.history(db, o.id)) == 2


def test_concurrent_allocations_of_one_space_one_winner(db):
    room = spaces.create_space(db, {"code": "R1", "name": "房间", "kind": "room", "area_m2": 10})
    orgs = [org(db, i) for i in range(1, 4)]
    results, errors = race(
        db,
        3,
        lambda desk, i: spaces.allocate(desk, room.id, orgs[i].id, D(2024, 1, 1), D(2024, 6, 30)),
    )
    assert len(results) == 1, errors
    assert all(isinstance(e, ValidationError) for e in errors), errors
    assert len(spaces.allocations_on(db, room.id)) == 1


def test_concurrent_payments_cannot_overrun_the_commitment(db):
    o = org(db)
    f = funds.add_fund(db, o.id, fund_data(amount_committed="100"))
    results, errors = race(
        db,
        3,
        lambda desk, i: funds.add_payment(desk, f.id, {"due_on": D(2024, 2, 1), "amount": 60}),
    )
    assert len(results) == 1, errors
    assert all(isinstance(e, ValidationError) for e in errors), errors
    assert funds.funds_of(db, o.id)[0].scheduled == Decimal("60.00")


def test_rows_keyed_by_text_are_audited_too(sqlite_db):
    """Settings are keyed by name: the audit hook records them with id 0 and the key."""
    from incubator.models import Setting

    with sqlite_db.transaction("desk1") as session:
        session.add(Setting(key="center_name", value="孵化基地"))
    (entry,) = audit_trail.for_entity(sqlite_db, "settings", 0)
    assert entry.actor == "desk1" and entry.changes["key"] == [None, "center_name"]


def test_every_new_database_object_audits(sqlite_template, tmp_path):
    """Regression: audit listeners were once tied to each sessionmaker and silently lost when a
    new one reused a collected one's id; many short-lived Database objects must all audit."""
    import shutil

    for i in range(40):
        path = tmp_path / f"r{i}.sqlite3"
        shutil.copy(sqlite_template, path)
        db = Database(str(path), actor="t")
        o = org(db, 1)
        assert audit_trail.for_entity(db, "organizations", o.id), i
        db.dispose()


def test_history_is_described_in_words_in_both_languages(sqlite_db):
    o = org(sqlite_db, 1)
    lifecycle.transition(sqlite_db, o.id, "admitted", reason="评审通过")
    entries = audit_trail.for_organization(sqlite_db, o.id)
    update = next(e for e in entries if e.entity == "organizations" and e.action.value == "update")
    assert "Lifecycle stage: Applied → Admitted" in audit_trail.describe(update, "en")
    assert "已申请 → " in audit_trail.describe(update, "zh_CN")
    assert "applied" not in audit_trail.describe(update, "zh_CN")


def test_a_change_of_a_funds_source_shows_in_the_history(sqlite_db):
    """Regression: "source" was hidden from the history (it served the demo's own audit
    field), so a fund moved from one source to another left an empty line."""
    o = org(sqlite_db, 1)
    fund = funds.add_fund(
        sqlite_db,
        o.id,
        {
            "title": "公益创投资助",
            "source": "government",
            "kind": "grant",
            "amount_committed": "10000",
            "committed_on": "2025-03-01",
        },
    )
    funds.update_fund(sqlite_db, fund.id, {"source": "foundation"}, fund.version)
    update = audit_trail.for_entity(sqlite_db, "funds", fund.id)[-1]
    assert audit_trail.describe(update, "en") == "Source: Government department → Foundation"
    assert audit_trail.describe(update, "zh_CN") == "资金来源：政府部门 → 基金会"
