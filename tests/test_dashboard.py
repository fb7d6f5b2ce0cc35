"""The dashboard service: key figures of the year and the reminders of the day, on hand-built
data with exact expected numbers, including the edge days (ending in exactly 30 days, overdue
by one day, due exactly today)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from incubator.domain import FundSource, Stage
from incubator.services import dashboard, evaluations, funds, lifecycle, registry, spaces, talent
from incubator.services.dashboard import ReminderKind as K
from tests.factories import org

D = dt.date
M = Decimal
TODAY = D(2025, 6, 16)


def make(db, n: int, name: str, stage: Stage, start=None, end=None, archived=False):
    """An organization driven through the lifecycle to ``stage``."""
    o = org(db, n, name=name, applied_on=D(2024, 1, 2))
    if stage is Stage.EXITED:
        return lifecycle.transition(db, o.id, stage, reason="退出", occurred_on=D(2024, 2, 1))
    if stage is Stage.APPLIED:
        return o
    o = lifecycle.transition(db, o.id, Stage.ADMITTED, reason="入驻", occurred_on=D(2024, 1, 10))
    if stage is not Stage.ADMITTED:
        o = lifecycle.transition(
            db,
            o.id,
            Stage.INCUBATING,
            reason="签订孵化协议",
            occurred_on=start,
            agreement_start=start,
            agreement_planned_end=end,
        )
    if stage in (Stage.MID_TERM, Stage.GRADUATED):
        o = lifecycle.transition(
            db, o.id, stage, reason="评估", occurred_on=start + dt.timedelta(days=30)
        )
    if archived:
        o = registry.set_archived(db, o.id, True, o.version)
    return o


def evaluate(db, org_id: int, kind: str, day: dt.date) -> None:
    scores = dict(governance=80, finance=80, services=80, team=80)
    evaluations.record(db, org_id, {"kind": kind, "evaluated_on": day, **scores})


@pytest.fixture
def center(db):
    o = {}
    # A: incubation ends in exactly 30 days; mid-term evaluation recorded (so none is due).
    o["A"] = make(db, 1, "甲社区服务中心", Stage.INCUBATING, D(2024, 7, 16), D(2025, 7, 16))
    evaluate(db, o["A"].id, "mid_term", D(2025, 1, 20))
    # B: ends in 31 days: not yet; mid-term evaluation recorded.
    o["B"] = make(db, 2, "乙志愿者协会", Stage.INCUBATING, D(2024, 7, 17), D(2025, 7, 17))
    evaluate(db, o["B"].id, "mid_term", D(2025, 1, 20))
    # C: mid-term evaluated, agreement ended yesterday (overdue by one day), no graduation eval.
    o["C"] = make(
        db, 3, "阿依古丽·买买提社工服务站", Stage.MID_TERM, D(2024, 6, 15), D(2025, 6, 15)
    )
    # D: graduation evaluation due: planned end in exactly 60 days.
    o["D"] = make(db, 4, "丁青少年服务中心", Stage.MID_TERM, D(2024, 8, 15), D(2025, 8, 15))
    # E: planned end in 61 days: nothing yet.
    o["E"] = make(db, 5, "戊文化协会", Stage.MID_TERM, D(2024, 8, 16), D(2025, 8, 16))
    # F: archived: nothing, although overdue and without any evaluation.
    o["F"] = make(db, 6, "己养老服务社", Stage.INCUBATING, D(2024, 1, 15), D(2025, 1, 15), True)
    # G: graduated long ago.
    o["G"] = make(db, 7, "庚助残服务中心", Stage.GRADUATED, D(2024, 1, 15), D(2025, 1, 15))
    # H: agreement started six months ago today: mid-term evaluation due today.
    o["H"] = make(
        db, 8, "ئۈمىد ياشلار مۇلازىمەت مەركىزى", Stage.INCUBATING, D(2024, 12, 16), D(2026, 12, 15)
    )
    # I: six months are up tomorrow: not yet.
    o["I"] = make(db, 9, "辛调解服务中心", Stage.INCUBATING, D(2024, 12, 17), D(2026, 12, 16))
    # J: started on 31 August: due on 28 February (the month's last day).
    o["J"] = make(db, 10, "壬环保协会", Stage.INCUBATING, D(2024, 8, 31), D(2026, 8, 30))
    # N: mid-term evaluated, ends in 15 days, graduation evaluation already recorded.
    o["N"] = make(db, 11, "癸法律援助中心", Stage.MID_TERM, D(2024, 7, 1), D(2025, 7, 1))
    evaluate(db, o["N"].id, "graduation", D(2025, 6, 1))
    o["L"] = make(db, 12, "子妇女之家", Stage.APPLIED)
    o["M"] = make(db, 13, "丑健康促进会", Stage.EXITED)

    # Funds of 2025 (and one of 2024).
    funds.add_fund(
        db,
        o["A"].id,
        {
            "title": "社区养老服务项目",
            "source": "government",
            "kind": "purchased_service",
            "amount_committed": "100000",
            "committed_on": D(2025, 3, 1),
            "payments": [
                {
                    "due_on": D(2025, 3, 10),
                    "amount": "30000",
                    "status": "paid",
                    "paid_on": D(2025, 3, 10),
                },
                {"due_on": D(2025, 6, 15), "amount": "30000"},  # overdue by one day
                {"due_on": D(2025, 6, 16), "amount": "40000"},  # due today: not overdue yet
            ],
        },
    )
    funds.add_fund(  # cancelled: counts for nothing, its instalments remind of nothing
        db,
        o["B"].id,
        {
            "title": "青年志愿服务资助",
            "source": "foundation",
            "kind": "grant",
            "amount_committed": "50000",
            "committed_on": D(2025, 2, 1),
            "status": "cancelled",
            "payments": [{"due_on": D(2025, 5, 1), "amount": "50000"}],
        },
    )
    funds.add_fund(  # committed last year, paid this year
        db,
        o["C"].id,
        {
            "title": "企业公益捐赠",
            "source": "enterprise",
            "kind": "grant",
            "amount_committed": "20000.50",
            "committed_on": D(2024, 12, 20),
            "payments": [
                {
                    "due_on": D(2025, 1, 5),
                    "amount": "10000.25",
                    "status": "paid",
                    "paid_on": D(2025, 1, 5),
                },
                {"due_on": D(2025, 1, 31), "amount": "10000.25", "status": "cancelled"},
            ],
        },
    )
    funds.add_fund(
        db,
        o["D"].id,
        {
            "title": "对口援疆项目",
            "source": "partner_province",
            "kind": "grant",
            "amount_committed": "1234567.89",
            "committed_on": D(2025, 6, 1),
        },
    )
    funds.add_fund(  # archived organization: its money still counts, no reminder
        db,
        o["F"].id,
        {
            "title": "其他资助",
            "source": "other",
            "kind": "award",
            "amount_committed": "5000",
            "committed_on": D(2025, 4, 1),
            "payments": [{"due_on": D(2025, 5, 1), "amount": "5000"}],
        },
    )

    # Talent: trainees are people in training sessions starting this year.
    def train(who, kind, start, people, hours):
        talent.add(
            db,
            o[who].id,
            {
                "kind": kind,
                "title": "培训",
                "start_on": start,
                "people_count": people,
                "hours": hours,
            },
        )

    train("A", "training", D(2025, 2, 1), 12, "6")
    train("B", "training", D(2024, 12, 30), 5, "3")  # last year
    train("C", "mentor", D(2025, 3, 1), 1, "20")  # a mentor is not a trainee
    train("F", "training", D(2025, 5, 5), 3, "3.5")

    # Spaces.
    def space(code, kind="desk"):
        return spaces.create_space(
            db, {"code": code, "name": f"空间{code}", "kind": kind, "area_m2": 10}
        )

    s = {code: space(code) for code in ("D1", "D2", "D3", "D4", "X1")}
    s["R1"] = space("R1", "room")
    alloc = spaces.allocate
    a = {}
    a["R1-A"] = alloc(db, s["R1"].id, o["A"].id, D(2025, 1, 1), D(2025, 7, 16))  # ends in 30 days
    a["R1-B"] = alloc(db, s["R1"].id, o["B"].id, D(2025, 7, 17), D(2025, 12, 31))
    a["D1-C"] = alloc(db, s["D1"].id, o["C"].id, D(2025, 1, 1), D(2025, 7, 17))  # 31 days
    a["D2-D"] = alloc(db, s["D2"].id, o["D"].id, D(2025, 1, 1), D(2025, 6, 30))  # renewed:
    a["D2-D2"] = alloc(db, s["D2"].id, o["D"].id, D(2025, 7, 1), D(2025, 12, 31))  # no reminder
    a["D3-H"] = alloc(db, s["D3"].id, o["H"].id, D(2025, 6, 1), D(2025, 6, 16))  # ends today
    e = alloc(db, s["D3"].id, o["E"].id, D(2025, 6, 17), D(2025, 6, 20))
    spaces.change_allocation(db, e.id, {"status": "cancelled"}, e.version)  # cancelled
    a["D4-G"] = alloc(db, s["D4"].id, o["G"].id, D(2025, 3, 1), D(2025, 6, 15))  # ended yesterday
    x = alloc(db, s["X1"].id, o["I"].id, D(2025, 1, 1), D(2025, 7, 1))
    spaces.update_space(db, s["X1"].id, {"active": False}, s["X1"].version)  # no longer in use
    return db, o, s, a, x


def test_key_figures(center):
    db, *_ = center
    d = dashboard.summary(db, TODAY)
    assert d.today == TODAY and d.year == 2025
    assert list(d.by_stage.items()) == [
        (Stage.APPLIED, 1),
        (Stage.ADMITTED, 0),
        (Stage.INCUBATING, 6),  # A B F H I J (F is archived: it counts, as in reports)
        (Stage.MID_TERM, 4),  # C D E N
        (Stage.GRADUATED, 1),
        (Stage.EXITED, 1),
    ]
    assert d.organizations == 13
    assert d.being_incubated == 10
    assert d.committed == M("1339567.89")  # 100,000 + 1,234,567.89 + 5,000
    assert d.disbursed == M("40000.25")  # 30,000 in March + 10,000.25 in January
    assert d.disbursed_share == M("0.0299")
    months = {m.month: (m.committed, m.disbursed) for m in d.by_month}
    assert len(d.by_month) == 12
    assert months[1] == (M("0.00"), M("10000.25"))
    assert months[3] == (M("100000.00"), M("30000.00"))
    assert months[4] == (M("5000.00"), M("0.00"))
    assert months[6] == (M("1234567.89"), M("0.00"))
    assert all(months[m] == (0, 0) for m in (2, 5, 7, 8, 9, 10, 11, 12))
    sources = {s.source: (s.committed, s.disbursed) for s in d.by_source}
    assert list(sources) == list(FundSource)
    assert sources == {
        FundSource.GOVERNMENT: (M("100000.00"), M("30000.00")),
        FundSource.FOUNDATION: (M("0.00"), M("0.00")),  # the cancelled fund
        FundSource.ENTERPRISE: (M("0.00"), M("10000.25")),
        FundSource.PARTNER_PROVINCE: (M("1234567.89"), M("0.00")),
        FundSource.OTHER: (M("5000.00"), M("0.00")),
    }
    assert (d.trainees, d.training_hours) == (15, M("9.5"))
    # Occupancy from 1 January to 16 June 2025 (167 days) of the five spaces in use:
    # R1, D1, D2 all 167 days, D3 16 days (1..16 June), D4 107 days (1 March..15 June).
    assert d.occupancy.space_days == 5 * 167
    assert d.occupancy.occupied_days == 3 * 167 + 16 + 107
    assert d.occupancy.rate == M("0.7473")
    assert (d.spaces_in_use, d.spaces_total) == (4, 5)  # R1 D1 D2 D3; D4 ended yesterday


def test_reminders_exact(center):
    db, o, *_ = center
    name = {v.id: k for k, v in o.items()}
    got = [
        (r.kind, name[r.organization_id], r.date, r.days) for r in dashboard.reminders(db, TODAY)
    ]
    assert got == [
        (K.MID_TERM_DUE, "J", D(2025, 2, 28), -108),
        (K.INCUBATION_OVERDUE, "C", D(2025, 6, 15), -1),
        (K.PAYMENT_OVERDUE, "A", D(2025, 6, 15), -1),
        (K.GRADUATION_DUE, "C", D(2025, 6, 15), -1),
        (K.SPACE_ENDING, "H", D(2025, 6, 16), 0),
        (K.MID_TERM_DUE, "H", D(2025, 6, 16), 0),
        (K.INCUBATION_ENDING, "N", D(2025, 7, 1), 15),
        (K.INCUBATION_ENDING, "A", D(2025, 7, 16), 30),
        (K.SPACE_ENDING, "A", D(2025, 7, 16), 30),
        (K.GRADUATION_DUE, "D", D(2025, 8, 15), 60),
    ]
    assert dashboard.summary(db, TODAY).reminders == tuple(dashboard.reminders(db, TODAY))


def test_reminder_texts_and_records(center):
    db, o, _s, a, _x = center
    found = dashboard.reminders(db, TODAY)
    payment = next(r for r in found if r.kind is K.PAYMENT_OVERDUE)
    assert payment.overdue
    assert (
        payment.text("en")
        == "Instalment of 30,000.00 yuan for “社区养老服务项目” was due on 2025-06-15"
    )
    assert (
        payment.text("zh_CN") == "“社区养老服务项目”有一笔30,000.00元应于2025-06-15拨付，尚未拨付"
    )
    space = next(r for r in found if r.kind is K.SPACE_ENDING and r.organization_id == o["A"].id)
    assert space.record_id == a["R1-A"].id
    assert space.text("en") == "Allocation of R1 空间R1 ends on 2025-07-16"
    overdue = next(r for r in found if r.kind is K.INCUBATION_OVERDUE)
    assert overdue.organization_name == "阿依古丽·买买提社工服务站"
    assert overdue.text("zh_CN") == "孵化协议已于2025-06-15到期"
    assert K.MID_TERM_DUE.display("zh_CN") == "中期评估待开展"
    uyghur = next(r for r in found if r.kind is K.MID_TERM_DUE and r.days == 0)
    assert uyghur.organization_name == "ئۈمىد ياشلار مۇلازىمەت مەركىزى"
    assert uyghur.text("en") == "No mid-term evaluation yet; the agreement started on 2024-12-16"


def test_reminders_move_with_the_day(center):
    db, o, *_ = center
    kinds = {
        (r.kind, r.organization_id) for r in dashboard.reminders(db, TODAY - dt.timedelta(days=1))
    }
    # A day earlier: C's agreement ends today (not overdue), A's instalment is due today,
    # A's agreement ends in 31 days, H's six months are not up yet.
    assert (K.INCUBATION_ENDING, o["C"].id) in kinds
    assert (K.INCUBATION_OVERDUE, o["C"].id) not in kinds
    assert (K.PAYMENT_OVERDUE, o["A"].id) not in kinds
    assert (K.INCUBATION_ENDING, o["A"].id) not in kinds
    assert (K.MID_TERM_DUE, o["H"].id) not in kinds
    later = {
        (r.kind, r.organization_id) for r in dashboard.reminders(db, TODAY + dt.timedelta(days=1))
    }
    # A day later: H's allocation has ended, I's six months are up, B's end is 30 days away.
    assert (K.SPACE_ENDING, o["H"].id) not in later
    assert (K.MID_TERM_DUE, o["I"].id) in later
    assert (K.INCUBATION_ENDING, o["B"].id) in later


def test_space_board_names_todays_holders(center):
    db, o, _s, a, _x = center
    board = dashboard.space_board(db, TODAY)
    assert [r.space.code for r in board] == ["D1", "D2", "D3", "D4", "R1"]
    holders = {r.space.code: (r.holder_name, r.held_until, r.allocation_id) for r in board}
    assert holders["R1"] == ("甲社区服务中心", D(2025, 7, 16), a["R1-A"].id)
    assert holders["D3"] == ("ئۈمىد ياشلار مۇلازىمەت مەركىزى", D(2025, 6, 16), a["D3-H"].id)
    assert holders["D4"] == (None, None, None)
    everything = dashboard.space_board(db, TODAY, include_inactive=True)
    x1 = next(r for r in everything if r.space.code == "X1")
    assert not x1.space.active and x1.holder_id == o["I"].id


def test_empty_registry(db):
    d = dashboard.summary(db, TODAY)
    assert d.organizations == 0 and d.reminders == ()
    assert d.committed == d.disbursed == M("0.00") and d.disbursed_share == 0
    assert d.occupancy.rate == 0 and (d.spaces_in_use, d.spaces_total) == (0, 0)
    assert dashboard.summary(db).today == dt.date.today()


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 8, 31), 6, D(2025, 2, 28)),
        (D(2023, 8, 31), 6, D(2024, 2, 29)),
        (D(2024, 12, 16), 6, D(2025, 6, 16)),
        (D(2025, 6, 16), -6, D(2024, 12, 16)),
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
    ],
)
def test_add_months(day, months, expected):
    assert dashboard.add_months(day, months) == expected
