"""Demo data: every generated row obeys the rules the services enforce, on both databases; the
same seed gives the same data; a cancelled run leaves nothing behind; 10,000 organizations are
generated quickly and the services query them quickly."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections import Counter, defaultdict
from decimal import Decimal
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from incubator import demo
from incubator import validation as v
from incubator.db import Database
from incubator.domain import (
    ACTIVE_STAGES,
    TRANSITIONS,
    AllocationStatus,
    LegalForm,
    PaymentStatus,
    Stage,
)
from incubator.errors import ValidationError
from incubator.models import (
    AnnualReport,
    AuditEntry,
    AuthorityListing,
    Document,
    Fund,
    FundPayment,
    LifecycleTransition,
    Organization,
    OrganizationContact,
    OrganizationServiceField,
    Project,
    Rating,
    Space,
    SpaceAllocation,
    TalentRecord,
)
from incubator.models import Evaluation as EvaluationRow
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
from incubator.services.registry import OrgQuery
from incubator.textkeys import initials, name_keys, sort_key
from tests.factories import audited_as, credit_code

TODAY = dt.date.today()
ARABIC = re.compile(r"[\u0600-\u06ff]")
HAN = re.compile(r"[\u4e00-\u9fff]")
TYPE_FORM = {
    "1": LegalForm.SOCIAL_GROUP,
    "2": LegalForm.SOCIAL_SERVICE_ORG,
    "3": LegalForm.FOUNDATION,
}


def refresh_dates() -> None:
    """Run before each test (tests/conftest.py): a run that crosses midnight sees the new day,
    as the code under test does."""
    global TODAY
    TODAY = dt.date.today()


def count(db: Database, model) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def all_rows(db: Database, model, order=()) -> list:
    with db.reading() as session:
        rows = list(session.scalars(select(model).order_by(*order, model.id)))
        session.expunge_all()  # keep the loaded values after the read-only rollback
        return rows


@pytest.fixture
def demo_db(db):
    summary = demo.generate(db, 60, seed=2026)
    return db, summary


def test_summary_counts_what_was_written(demo_db):
    db, s = demo_db
    assert s.organizations == count(db, Organization) == 60
    assert s.transitions == count(db, LifecycleTransition)
    assert s.funds == count(db, Fund) > 0
    assert s.payments == count(db, FundPayment) >= s.funds
    assert s.projects == count(db, Project) > 0
    assert s.talent_records == count(db, TalentRecord) > 0
    assert s.spaces == count(db, Space) == 46
    assert s.allocations == count(db, SpaceAllocation) > 0
    assert s.evaluations == count(db, EvaluationRow) > 0


def test_credit_codes_are_valid_unique_and_match_the_legal_form(demo_db):
    db, _ = demo_db
    orgs = all_rows(db, Organization)
    codes = [o.credit_code for o in orgs if o.credit_code]
    assert len(codes) == len(set(codes))
    for o in orgs:
        if o.legal_form is LegalForm.COMMUNITY_UNREGISTERED:
            assert o.credit_code is None and o.registered_on is None
            continue
        code, warnings = v.credit_code(o.credit_code)
        assert code == o.credit_code and warnings == []
        assert TYPE_FORM[code[1]] is o.legal_form
        assert code[8:10] == "MJ"
    assert any(o.credit_code is None for o in orgs)


def test_profiles_pass_the_registry_rules(demo_db):
    db, _ = demo_db
    views = registry.get_many(db, [o.id for o in all_rows(db, Organization)])
    for view in views:
        data = {name: getattr(view, name) for name in registry.PROFILE_FIELDS}
        clean, _warnings = registry.clean_profile(data)
        assert clean["name"] == view.name
        assert 1 <= len(view.service_fields) <= 3
        assert re.fullmatch(r"1[3589]\d{9}", view.contact_phone)
        assert view.area_county and view.area_township and view.area_community
    for o in all_rows(db, Organization):
        assert (o.name_sort, o.search_key) == name_keys(o.name, o.short_name, o.credit_code)
        assert o.version == 1 and o.created_at <= o.updated_at
        assert o.created_at.tzinfo is not None


def test_names_are_realistic(demo_db):
    db, _ = demo_db
    orgs = all_rows(db, Organization)
    names = [o.name for o in orgs]
    assert len(set(names)) == len(names)
    assert any(ARABIC.search(n) and not HAN.search(n) for n in names)  # Uyghur script
    assert any("·" in n for n in names)  # named after a person, in transliteration
    people = [o.legal_representative for o in orgs if o.legal_representative]
    people += [c.name for c in all_rows(db, OrganizationContact)]
    mains = [c.organization_id for c in all_rows(db, OrganizationContact) if c.is_main]
    assert len(mains) == len(set(mains)) == len(orgs)  # one main contact each
    assert sum("·" in p for p in people) >= 10
    assert sum(bool(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", p)) for p in people) >= 10  # Han
    assert all(HAN.search(n) or ARABIC.search(n) for n in names)


def test_lifecycles_follow_the_state_machine(demo_db):
    db, _ = demo_db
    by_org = defaultdict(list)
    for t in all_rows(
        db, LifecycleTransition, (LifecycleTransition.occurred_on, LifecycleTransition.id)
    ):
        by_org[t.organization_id].append(t)
    orgs = all_rows(db, Organization)
    assert {o.stage for o in orgs} == set(Stage)
    for o in orgs:
        steps = by_org[o.id]
        assert steps[0].from_stage is None and steps[0].to_stage is Stage.APPLIED
        for before, after in pairwise(steps):
            assert after.from_stage is before.to_stage
            assert after.to_stage in TRANSITIONS[before.to_stage]
            assert before.occurred_on <= after.occurred_on
        assert all(t.occurred_on <= TODAY and HAN.search(t.reason) for t in steps)
        assert TODAY - dt.timedelta(days=3 * 366) <= steps[0].occurred_on
        assert (o.stage, o.stage_since) == (steps[-1].to_stage, steps[-1].occurred_on)
        history = lifecycle.history(db, o.id)
        assert [h.to_stage for h in history] == [t.to_stage for t in steps]
        if o.stage in ACTIVE_STAGES:
            assert o.agreement_start <= TODAY
            assert 365 <= (o.agreement_planned_end - o.agreement_start).days <= 730
    assert lifecycle.overdue(db, TODAY)
    soon = lifecycle.overdue(db, TODAY, within_days=30)
    assert len(soon) > len(lifecycle.overdue(db, TODAY))


def test_funds_and_payment_schedules(demo_db):
    db, _ = demo_db
    past_due = 0
    seen_sources = set()
    for o in all_rows(db, Organization):
        for f in funds.funds_of(db, o.id):
            funds.clean_fund({n: getattr(f, n) for n in funds.FUND_FIELDS})
            assert f.amount_committed == f.amount_committed.quantize(Decimal("0.01"))
            assert Decimal(5000) <= f.amount_committed <= Decimal(500_000)
            assert 1 <= len(f.payments) <= 4
            live = [p for p in f.payments if p.status is not PaymentStatus.CANCELLED]
            assert sum((p.amount for p in live), Decimal(0)) <= f.amount_committed
            for p in f.payments:
                funds.clean_payment(
                    {n: getattr(p, n) for n in ("due_on", "amount", "status", "paid_on", "notes")}
                )
                if p.status is PaymentStatus.PAID:
                    assert p.paid_on <= TODAY
                if p.status is PaymentStatus.SCHEDULED and p.due_on < TODAY:
                    past_due += 1
            seen_sources.add(f.source)
    assert past_due > 0
    assert len(seen_sources) >= 4
    totals = funds.totals(db)
    assert totals.committed > totals.disbursed > 0


def test_projects_talent_and_evaluations_pass_their_rules(demo_db):
    db, _ = demo_db
    kinds = set()
    for o in all_rows(db, Organization):
        for p in projects.list_for(db, o.id):
            projects.clean({n: getattr(p, n) for n in projects.FIELDS})
        for t in talent.list_for(db, o.id):
            talent.clean({n: getattr(t, n) for n in talent.FIELDS})
            kinds.add(t.kind)
            if t.kind.value != "training":
                assert t.person_name
        for e in evaluations.list_for(db, o.id):
            evaluations.clean({n: getattr(e, n) for n in evaluations.FIELDS})
            assert e.evaluated_on <= TODAY
    assert len(kinds) == 3


def test_allocations_never_overlap(demo_db):
    db, _ = demo_db
    space_list = spaces.list_spaces(db)
    assert len(space_list) == 46
    for space in space_list:
        held = [
            a for a in spaces.allocations_on(db, space.id) if a.status is AllocationStatus.ACTIVE
        ]
        for before, after in pairwise(held):
            assert before.end_on < after.start_on  # inclusive periods: touching is end + 1
    first = TODAY - dt.timedelta(days=365)
    assert spaces.occupancy(db, first, TODAY).rate > 0
    stages = {o.id: o.stage for o in all_rows(db, Organization)}
    for a in all_rows(db, SpaceAllocation):
        assert stages[a.organization_id] in (*ACTIVE_STAGES, Stage.GRADUATED)


AUDITED = (
    Organization,
    OrganizationContact,
    LifecycleTransition,
    Fund,
    FundPayment,
    Project,
    TalentRecord,
    EvaluationRow,
    Space,
    SpaceAllocation,
    AnnualReport,
    Rating,
    AuthorityListing,
    Document,
)


def test_every_row_is_counted_by_a_demo_batch_its_organization_shows(demo_db):
    """The demo audits each batch of rows with one entry (issue 16), not each row: every entry
    is a "batch" created by "demo"; their counts add up to the rows of every table; each
    organization's history shows the demo batches that hold it, and nothing else."""
    db, _ = demo_db
    with db.reading() as session:
        totals: Counter[str] = Counter()
        for e in session.scalars(select(AuditEntry)):
            assert (e.entity, e.actor, e.action.value) == (
                "batch",
                audited_as(db, "demo"),
                "create",
            )
            changes = json.loads(e.changes)
            assert changes["batch"] == "demo"
            totals.update(changes["rows"])
        tables = (*AUDITED, OrganizationServiceField)
        rows = {
            m.__tablename__: session.scalar(select(func.count()).select_from(m)) for m in tables
        }
    assert totals == {table: n for table, n in rows.items() if n}
    for org in all_rows(db, Organization):
        history = audit_trail.for_organization(db, org.id)
        assert history and {(h.entity, h.changes["batch"]) for h in history} == {("batch", "demo")}


def test_services_work_on_demo_data_and_afterwards(demo_db):
    db, _ = demo_db
    orgs = all_rows(db, Organization)
    some = orgs[len(orgs) // 2]
    found = registry.search(db, OrgQuery(text=some.name, include_archived=True))
    assert some.id in [o.id for o in found]
    assert registry.count(db, OrgQuery(include_archived=True)) == 60
    # Normal inserts after the explicit ids of the demo (PostgreSQL sequences moved on).
    new = registry.register(
        db,
        {"name": "新成立社区服务中心", "credit_code": credit_code(1), "legal_form": "social_group"},
    )
    assert new.id == max(o.id for o in orgs) + 1
    with db.reading() as session:
        last_fund = session.scalar(select(func.max(Fund.id)))
    fund = funds.add_fund(
        db,
        new.id,
        {
            "title": "公益创投",
            "source": "government",
            "kind": "grant",
            "amount_committed": "10000",
            "committed_on": TODAY,
        },
    )
    assert fund.id == last_fund + 1
    space = spaces.create_space(
        db, {"code": "NEW1", "name": "新工位", "kind": "desk", "area_m2": 4}
    )
    assert space.id == 47
    spaces.allocate(db, space.id, new.id, TODAY, TODAY + dt.timedelta(days=30))


def test_runs_over_existing_data_and_twice(db):
    registry.register(
        db, {"name": "已有的组织", "credit_code": credit_code(7), "legal_form": "social_group"}
    )
    room = spaces.create_space(
        db, {"code": "X1", "name": "老会议室", "kind": "room", "area_m2": 30}
    )
    with pytest.raises(demo.RealDataPresent) as refused:  # fake ones would mix with it
        demo.generate(db, 25, seed=5)
    assert "1 organizations" in refused.value.message("en") and count(db, Organization) == 1
    first = demo.generate(db, 25, seed=5, force=True)
    second = demo.generate(db, 25, seed=5, force=True)  # the same codes are taken: others drawn
    assert first.spaces == second.spaces == 0  # the center's existing spaces are used
    assert count(db, Organization) == 51
    assert count(db, Space) == 1
    codes = [o.credit_code for o in all_rows(db, Organization) if o.credit_code]
    assert len(codes) == len(set(codes))
    held = [a for a in spaces.allocations_on(db, room.id) if a.status is AllocationStatus.ACTIVE]
    for before, after in pairwise(held):
        assert before.end_on < after.start_on
    registry.register(
        db, {"name": "后来的组织", "credit_code": credit_code(8), "legal_form": "social_group"}
    )


def test_imported_organizations_are_real_data_and_the_demo_s_own_are_not(db, tmp_path):
    """Both are audited by batch now: an import's batch counts each organization it holds,
    the demo's batches none (a second demo run is welcome)."""
    from openpyxl import Workbook

    from incubator.importing import organizations as importer
    from incubator.importing import sheets

    demo.generate(db, 4, seed=3)
    demo.generate(db, 4, seed=4)
    book = Workbook()
    book.active.append(["名称", "统一社会信用代码", "法定代表人"])
    for n in (1, 2, 3):
        book.active.append([f"导入的第{n}个协会", credit_code(500 + n), "张伟"])
    book.save(tmp_path / "名单.xlsx")
    importer.commit(db, importer.plan(db, sheets.read(tmp_path / "名单.xlsx")))
    with pytest.raises(demo.RealDataPresent) as refused:
        demo.generate(db, 4, seed=5)
    assert "holds 3 organizations" in refused.value.message("en")
    assert count(db, Organization) == 11


def test_two_runs_at_once_from_two_desks_both_land(db):
    """Two desks filling the same registry at the same moment: the second waits for the
    first (the write lock is taken up front), then hands out ids after the first's."""
    import threading

    desks = [Database(db.url, actor=f"desk{i}") for i in (1, 2)]
    errors: list[BaseException] = []

    def run(desk: Database, seed: int) -> None:
        try:
            demo.generate(desk, 120, seed=seed)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=(d, s)) for d, s in zip(desks, (1, 2), strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for d in desks:
        d.dispose()
    assert not errors, errors
    assert count(db, Organization) == 240
    codes = [o.credit_code for o in all_rows(db, Organization) if o.credit_code]
    assert len(codes) == len(set(codes))


def _names_and_codes(db: Database) -> list[tuple]:
    return [
        (o.name, o.credit_code, o.stage, o.stage_since, o.address, [c.phone for c in o.contacts])
        for o in all_rows(db, Organization)
    ]


def test_same_seed_same_data(sqlite_db, sqlite_template, tmp_path):
    day = dt.date(2025, 6, 30)
    demo.generate(sqlite_db, 40, seed=7, today=day)
    copies = []
    for n, seed in ((1, 7), (2, 8)):
        path = tmp_path / f"copy{n}.sqlite3"
        shutil.copy(sqlite_template, path)
        other = Database(str(path), actor="tester")
        demo.generate(other, 40, seed=seed, today=day)
        copies.append(_names_and_codes(other))
        other.dispose()
    assert _names_and_codes(sqlite_db) == copies[0]
    assert [r[0] for r in copies[1]] != [r[0] for r in copies[0]]


def test_cancel_leaves_nothing(db):
    calls = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return done < 100  # stop after the first batch was written

    with pytest.raises(demo.Cancelled):
        demo.generate(db, 300, seed=1, progress=progress)
    assert calls[0] == (0, 300) and calls[-1][0] >= 100
    for model in (Organization, OrganizationServiceField, LifecycleTransition, Fund, Space):
        assert count(db, model) == 0
    assert count(db, AuditEntry) == 0
    with pytest.raises(demo.Cancelled):
        demo.generate(db, 5, progress=lambda done, total: False)
    assert count(db, Organization) == 0


@pytest.mark.parametrize("orgs", [0, -1, 200_001])
def test_number_of_organizations_is_checked(sqlite_db, orgs):
    with pytest.raises(ValidationError) as err:
        demo.generate(sqlite_db, orgs)
    assert err.value.fields() == {"orgs"}


@pytest.mark.parametrize("years", [2, 31, True])
def test_years_of_history_are_checked(sqlite_db, years):
    with pytest.raises(ValidationError) as err:
        demo.generate(sqlite_db, 5, years=years)
    assert err.value.fields() == {"years"}
    assert count(sqlite_db, Organization) == 0


def test_ten_years_of_history(sqlite_db):
    """Organizations that graduated or left are spread over the years asked for; every date
    stays within them and none is after today."""
    today = dt.date(2026, 6, 30)
    demo.generate(sqlite_db, 120, seed=4, today=today, years=10)
    with sqlite_db.reading() as session:
        applied = session.scalars(
            select(LifecycleTransition.occurred_on).where(
                LifecycleTransition.to_stage == Stage.APPLIED
            )
        ).all()
        committed = session.scalars(select(Fund.committed_on)).all()
    first = today - dt.timedelta(days=10 * 365)
    assert first <= min(applied) < today - dt.timedelta(days=6 * 365)
    assert max(applied) <= today
    assert first <= min(committed) < today - dt.timedelta(days=5 * 365)
    assert max(committed) <= today


@pytest.mark.slow
def test_ten_thousand_organizations(demo_at_scale, at_scale):
    db, today = at_scale, demo_at_scale.today
    summary, calls = demo_at_scale.summary, demo_at_scale.progress
    # Speed is measured in bench/, never asserted here.
    assert summary.organizations == 10_000 and len(calls) >= 10
    assert calls == sorted(calls) and calls[-1] == 10_000
    assert summary.funds > 10_000 and summary.payments > summary.funds

    everyone = OrgQuery(include_archived=True)
    assert registry.count(db, everyone) == 10_000
    by_stage = registry.count_by_stage(db, include_archived=True)
    assert sum(by_stage.values()) == 10_000 and all(by_stage.values())
    incubating = registry.count(db, OrgQuery(stage=Stage.INCUBATING, include_archived=True))
    assert incubating == by_stage[Stage.INCUBATING]

    for typed in ("sqfw", "jjylfw"):  # 社区服务..., 居家养老服务...
        ids = registry.search_ids(db, OrgQuery(text=typed, include_archived=True))
        assert ids
        for o in registry.get_many(db, ids[:50]):
            keys = initials(o.name) + " " + initials(o.short_name or "") + " " + sort_key(o.name)
            assert typed in keys.replace(" ", "") or typed.upper() in (o.credit_code or "")
    ids = registry.search_ids(db, OrgQuery(text="养老"))
    assert ids
    assert all(
        "养老" in o.name or "养老" in (o.short_name or "") for o in registry.get_many(db, ids[:50])
    )
    page = registry.search(db, OrgQuery(stage=Stage.GRADUATED, order_by="stage_since"), limit=100)
    assert page and all(o.stage is Stage.GRADUATED for o in page)

    totals = funds.totals(db)
    assert totals.fund_count > 10_000 and totals.committed > totals.disbursed > 0
    year = funds.totals(db, start=today - dt.timedelta(days=365), end=today)
    assert 0 < year.committed < totals.committed
    assert spaces.occupancy(db, today - dt.timedelta(days=365), today).rate > Decimal("0.5")
    assert lifecycle.overdue(db, today)
