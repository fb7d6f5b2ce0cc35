"""Period figures against numbers worked out by hand from a small registry built here.

The period is 2025Q3 (1 July to 30 September 2025, 92 days). Every expected number below is
a literal with the sum that gives it: the dashboard, the printed reports and the CLI must all
show these, whatever code computes them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from reportlab.graphics import renderPDF

from incubator import reports
from incubator.cli import main as cli_main
from incubator.db import Database
from incubator.domain import ProjectStatus, TalentKind
from incubator.reports import charts, fmt, fonts
from incubator.services import (
    dashboard,
    evaluations,
    figures,
    funds,
    kpis,
    lifecycle,
    narratives,
    projects,
    registry,
    spaces,
    talent,
    targets,
)
from tests.factories import credit_code
from tests.pdf import pdfread

D = dt.date
Q3 = (D(2025, 7, 1), D(2025, 9, 30))


def _registry(db: Database) -> tuple[int, int]:
    a = registry.register(
        db,
        {
            "name": "天山区阳光助老服务中心",
            "credit_code": credit_code(801),
            "applied_on": "2025-01-05",
            "legal_form": "social_service_org",
        },
    )
    lifecycle.transition(db, a.id, "admitted", reason="评审通过", occurred_on="2025-02-01")
    lifecycle.transition(
        db,
        a.id,
        "incubating",
        reason="签约",
        occurred_on="2025-03-01",
        agreement_planned_end="2026-02-28",
    )
    b = registry.register(
        db,
        {
            "name": "水磨沟区青年志愿者协会",
            "credit_code": credit_code(802),
            "applied_on": "2025-06-01",
            "legal_form": "social_group",
        },
    )
    lifecycle.transition(db, b.id, "admitted", reason="评审通过", occurred_on="2025-08-10")

    paid = "paid"
    funds.add_fund(
        db,
        a.id,
        {
            "title": "购买服务合同",
            "source": "government",
            "kind": "purchased_service",
            "amount_committed": "100000",
            "committed_on": "2025-06-20",
            "payments": [
                {
                    "due_on": "2025-07-15",
                    "amount": "40000",
                    "status": paid,
                    "paid_on": "2025-07-15",
                },
                {
                    "due_on": "2025-10-01",
                    "amount": "30000",
                    "status": paid,
                    "paid_on": "2025-10-05",
                },
                {"due_on": "2025-09-01", "amount": "30000"},
            ],
        },
    )
    funds.add_fund(
        db,
        a.id,
        {
            "title": "公益创投",
            "source": "foundation",
            "kind": "grant",
            "amount_committed": "50000.50",
            "committed_on": "2025-08-01",
            "payments": [
                {
                    "due_on": "2025-09-30",
                    "amount": "50000.50",
                    "status": paid,
                    "paid_on": "2025-09-30",
                }
            ],
        },
    )
    withdrawn = funds.add_fund(
        db,
        a.id,
        {
            "title": "撤回的资助",
            "source": "enterprise",
            "kind": "grant",
            "amount_committed": "9999",
            "committed_on": "2025-07-10",
        },
    )
    funds.cancel_fund(db, withdrawn.id, "企业撤回", withdrawn.version)

    def project(name, start, end, status, budget, people):
        projects.add(
            db,
            a.id,
            {
                "name": name,
                "budget": budget,
                "start_on": start,
                "end_on": end,
                "status": status,
                "beneficiaries": people,
            },
        )

    project("社区助餐项目", "2025-05-01", "2026-03-31", "completed", "200000", 100)  # ongoing then
    project("夏季防暑关爱行动", "2025-07-01", "2025-08-31", "completed", "30000", 40)
    project("冬季温暖计划", "2025-11-01", "2026-01-31", "planned", "15000", 20)  # after Q3
    project("老年大学筹备", "2025-08-01", None, "planned", "8000", 10)  # never started
    project("取消的项目", "2025-07-01", "2025-12-31", "cancelled", "5000", 5)
    project("往年项目", "2024-01-01", "2025-06-30", "completed", "12000", 30)  # ended before

    def engagement(kind, title, start, end, people, hours):
        talent.add(
            db,
            a.id,
            {
                "kind": kind,
                "title": title,
                "start_on": start,
                "end_on": end,
                "people_count": people,
                "hours": hours,
            },
        )

    engagement("training", "消防安全培训", "2025-07-10", None, 5, "6")
    engagement("training", "护理员培训班", "2025-09-29", "2025-10-02", 8, "16")  # 4 days
    engagement("mentor", "机构治理导师", "2025-06-01", "2025-11-30", 1, "61")  # 183 days
    engagement("social_worker", "驻点社工", "2025-09-01", None, 1, "10")

    desk = spaces.create_space(
        db, {"code": "D01", "name": "工位一", "kind": "desk", "area_m2": "10"}
    )
    room = spaces.create_space(
        db, {"code": "R01", "name": "活动室", "kind": "room", "area_m2": "40"}
    )
    spaces.allocate(db, desk.id, a.id, "2025-08-01", "2025-12-31")
    spaces.allocate(db, room.id, b.id, "2025-07-01", "2025-07-20")
    evaluations.record(
        db,
        a.id,
        {
            "kind": "admission",
            "evaluated_on": "2025-01-28",
            "evaluator": "专家组",
            "governance": "84.5",
            "finance": 70,
            "services": 75,
            "team": 80,
        },
    )
    return a.id, b.id


def test_the_core_figures_of_2025q3(db: Database) -> None:
    a, b = _registry(db)
    m = figures.money_total(db, *Q3)
    # Committed in Q3: 50,000.50 (the 100,000 was committed in June, 9,999 was withdrawn).
    # Disbursed in Q3: 40,000 (15 July) + 50,000.50 (30 September).
    assert (m.committed, m.disbursed, m.funds) == (Decimal("50000.50"), Decimal("90000.50"), 1)
    to_date = figures.money_total(db, None, Q3[1])
    assert (to_date.committed, to_date.disbursed) == (Decimal("150000.50"), Decimal("90000.50"))

    p = figures.projects(db, *Q3)
    # Active: the meal project (May 2025 - March 2026) and the summer action (July-August).
    assert (p.count, p.budget, p.beneficiaries) == (2, Decimal("230000.00"), 140)
    assert p.by_status[ProjectStatus.ONGOING] == (1, Decimal("200000.00"), 100)
    assert p.by_status[ProjectStatus.COMPLETED] == (1, Decimal("30000.00"), 40)
    assert figures.projects(db, D(2025, 10, 1), D(2025, 12, 31)).count == 1  # the meal project

    t = figures.talent(db, *Q3)
    # Trainings starting in Q3: 2 (5 + 8 people). Training hours: 6 + 16 x 2/4 = 14.0.
    # Mentor: 61 h over 183 days, 92 of them in Q3: 61 x 92 / 183 = 30.67 -> 30.7.
    assert (t.trainings, t.trainees, t.training_hours) == (2, 13, Decimal("14.0"))
    assert (t.mentors, t.mentor_hours) == (1, Decimal("30.7"))
    assert (t.social_workers, t.social_worker_hours) == (1, Decimal("10.0"))
    q4 = figures.talent(db, D(2025, 10, 1), D(2025, 12, 31))
    # The training that started on 29 September counts in Q3, its last 2 days' hours in Q4;
    # the mentor's days in Q4 run to 30 November (31 + 30 = 61): 61 x 61 / 183 = 20.33 -> 20.3.
    assert (q4.trainings, q4.training_hours, q4.mentor_hours) == (
        0,
        Decimal("8.0"),
        Decimal("20.3"),
    )

    use = figures.space_use_total(db, *Q3)
    # Two active spaces x 92 days = 184 space-days; held: the desk 1 Aug - 30 Sep (61 days),
    # the room 1-20 July (20 days): 81 / 184 = 0.4402.
    assert (use.space_days, use.occupied_days, use.rate) == (184, 81, Decimal("0.4402"))
    assert figures.space_use_total(db, *Q3, org_id=a).occupied_days == 61
    assert figures.space_use(db, *Q3, by="org")[b].occupied_days == 20


def test_the_dashboard_shows_the_same_rules(sqlite_db: Database) -> None:
    _registry(sqlite_db)
    d = dashboard.summary(sqlite_db, D(2025, 9, 30))
    # The year 2025 up to 30 September: committed 100,000 (June) + 50,000.50 (August);
    # disbursed 40,000 + 50,000.50 (not the payment of 5 October). Trainees 5 + 8; training
    # hours 6 + 16 x 2/4 (the course's days to 30 September); mentor and social-worker hours
    # are not training hours.
    assert (d.committed, d.disbursed) == (Decimal("150000.50"), Decimal("90000.50"))
    assert (d.trainees, d.training_hours) == (13, Decimal("14.0"))
    assert (d.spaces_total, d.spaces_in_use) == (2, 1)  # the desk on 30 September


def test_the_reports_print_the_hand_computed_figures(sqlite_db: Database, tmp_path: Path) -> None:
    a, _ = _registry(sqlite_db)
    org_pdf, center_pdf = tmp_path / "org.pdf", tmp_path / "center.pdf"
    today = D(2025, 12, 1)
    reports.org_report(sqlite_db, a, "2025Q3", org_pdf, lang="zh_CN", today=today)
    reports.center_report(sqlite_db, "2025Q3", center_pdf, lang="zh_CN", today=today)
    org = pdfread.lines(org_pdf)
    text = "\n".join(org)
    # Key figures: committed, disbursed, active projects, training hours, space-days.
    assert "50,000.50 90,000.50 2 14.0 61" in org
    assert "合计 50,000.50 90,000.50 150,000.50 90,000.50 60,000.00" in org
    # The meal project, completed in 2026, was ongoing on 30 September 2025.
    assert any(line.startswith("社区助餐项目") and "进行中" in line for line in org)
    assert any(line.startswith("夏季防暑关爱行动") and "已完成" in line for line in org)
    for absent in ("冬季温暖计划", "老年大学筹备", "取消的项目", "往年项目"):
        assert absent not in text
    assert "参加培训 2 13 14.0" in text
    assert "导师 1 — 30.7" in text
    assert "数据截至" not in text  # the quarter has ended

    center = "\n".join(pdfread.lines(center_pdf))
    assert "进行中 1 200,000.00 100" in center
    assert "已完成 1 30,000.00 40" in center
    assert "44.0%" in center
    assert "参加培训 2 13 14.0" in center


def test_a_period_that_has_not_ended_counts_to_today(sqlite_db: Database, tmp_path: Path) -> None:
    a, _ = _registry(sqlite_db)
    pdf = tmp_path / "q4.pdf"
    reports.org_report(sqlite_db, a, "2025Q4", pdf, lang="zh_CN", today=D(2025, 11, 15))
    lines = pdfread.lines(pdf)
    text = "\n".join(lines)
    assert "本期尚未结束，数据截至 2025-11-15" in text
    # Up to 15 November: the mentor's days 1 Oct - 15 Nov (46 of 183): 61 x 46 / 183 = 15.33;
    # the training's last 2 days (8.0 h); the desk 46 days; the payment of 5 October; one
    # project running (the winter plan is still planned).
    assert "导师 1 — 15.3" in text
    assert "0.00 30,000.00 1 8.0 46" in lines
    # Space-days to date: the desk from 1 August to 15 November, 31 + 30 + 31 + 15.
    assert "累计使用场地 107 天" in text.replace("\n", "")


def test_scores_and_rates_round_half_up_in_tables_and_charts(tmp_path: Path) -> None:
    assert fmt.score(Decimal("84.5")) == "84.5"
    assert fmt.score(Decimal("84.45")) == "84.5"  # half up, not to even
    assert fmt.percent(Decimal("0.8445")) == "84.5%"
    assert fmt.percent(Decimal("0.84449")) == "84.4%"
    assert fmt.decimal1(Decimal("0.25")) == "0.3"
    assert fmt.money(Decimal("0.125")) == "0.13"
    # The score chart prints the table's strings: 84.5 stays 84.5 (it printed "84").
    view = evaluations.EvaluationView(
        id=1,
        organization_id=1,
        kind=evaluations.EvaluationKind.ADMISSION,
        evaluated_on=D(2025, 1, 28),
        evaluator="专家组",
        governance=Decimal("84.5"),
        finance=Decimal("70.0"),
        services=Decimal("75.0"),
        team=Decimal("80.0"),
        conclusion=None,
        version=1,
        total=Decimal("77.4"),
    )
    fonts.register()
    drawing = charts.score_chart([view], "zh_CN", 300)
    pdf = tmp_path / "chart.pdf"
    renderPDF.drawToFile(drawing, str(pdf))
    words = pdfread.text(pdf).split()
    assert "84.5" in words and "84" not in words


@pytest.mark.parametrize("kind", list(TalentKind))
def test_hours_of_one_day_records_fall_on_their_day(kind: TalentKind) -> None:
    share = figures.hours_share(Decimal("7.5"), D(2025, 9, 1), None, *Q3)
    assert share == Decimal("7.5")
    assert figures.hours_share(Decimal("7.5"), D(2025, 10, 1), None, *Q3) == 0


def test_the_cli_shows_the_same_fund_totals(sqlite_db: Database, capsys) -> None:
    _registry(sqlite_db)
    url = sqlite_db.url.render_as_string(hide_password=False)
    code = cli_main(["orgs", "show", credit_code(801), "--db", url])
    out = capsys.readouterr().out
    assert code == 0
    # All funds to date: committed 150,000.50; disbursed 40,000 + 30,000 + 50,000.50.
    assert "150,000.50" in out and "120,000.50" in out and "30,000.00" in out


def test_phone_and_id_numbers_typed_into_free_text_are_masked_in_print(
    sqlite_db: Database, tmp_path: Path
) -> None:
    a, _ = _registry(sqlite_db)
    narratives.save(
        sqlite_db,
        a,
        "2025Q3",
        "负责人电话 13912345678，身份证号 65010219850312123X，座机 0991-2345678。",
        "联系 +86 139 8765 4321；信用代码 51650102MJ0000901G 不变。",
        0,
    )
    pdf = tmp_path / "masked.pdf"
    reports.org_report(sqlite_db, a, "2025Q3", pdf, lang="zh_CN", today=D(2025, 12, 1))
    text = pdfread.text(pdf).replace("\n", "")
    for raw in ("13912345678", "65010219850312123X", "2345678", "8765 4321"):
        assert raw not in text
    for shown in ("139****5678", "650***********123X", "099*-***5678", "+86 139 **** 4321"):
        assert shown in text
    assert "51650102MJ0000901G" in text  # a credit code is no personal number


def test_indicators_against_the_years_targets(sqlite_db: Database, tmp_path: Path) -> None:
    _registry(sqlite_db)
    targets.save(
        sqlite_db,
        2025,
        {
            "incubated": 2,
            "disbursed": "300万",
            "training_hours": 20,
            "occupancy_rate": 50,
            "overdue_payments": 0,
        },
        0,
    )
    found = {k.key: k for k in kpis.indicators(sqlite_db, *Q3)}
    # One organization incubating in Q3 and in 2025 (the other is only admitted): 1 of 2.
    assert (found["incubated"].in_period, found["incubated"].in_year) == (1, 1)
    assert found["incubated"].completion == Decimal("0.5")
    # No graduation nor exit: no rate, and no target set for it.
    assert found["graduation_rate"].in_year is None and found["graduation_rate"].target is None
    # Disbursed in Q3 and 1 January - 30 September alike: 90,000.50 of 3,000,000 = 3.0 %.
    assert found["disbursed"].in_year == Decimal("90000.50")
    assert found["disbursed"].completion == Decimal("0.0300")
    # Of the 150,000.50 committed by 30 September, 90,000.50 paid: 0.599998 -> 60.0 %.
    assert found["paid_share"].in_period == Decimal("0.6000")
    # Training hours 14.0 of 20 = 70 %.
    assert (found["training_hours"].in_year, found["training_hours"].completion) == (
        Decimal("14.0"),
        Decimal("0.7000"),
    )
    # Occupancy of 2025 to 30 September: 81 held days of 2 x 273 = 546: 0.1484, 29.7 % of 50 %.
    assert found["occupancy_rate"].in_year == Decimal("0.1484")
    assert found["occupancy_rate"].completion == Decimal("0.2968")
    # One instalment (30,000 due 1 September) unpaid on 30 September: the ceiling 0 is not met.
    assert (found["overdue_payments"].in_period, found["overdue_payments"].met) == (1, False)

    overdue = kpis.overdue_payments(sqlite_db, D(2025, 9, 30))
    assert [(p.amount, p.days) for p in overdue] == [(Decimal("30000.00"), 29)]
    # On 4 October the instalment due 1 October (paid on the 5th) was overdue too.
    later = kpis.overdue_payments(sqlite_db, D(2025, 10, 4))
    assert [(p.due_on, p.days) for p in later] == [(D(2025, 9, 1), 33), (D(2025, 10, 1), 3)]
    # The incubation agreement started on 1 March: the mid-term evaluation was due on
    # 1 September and none was recorded.
    evals = kpis.overdue_evaluations(sqlite_db, D(2025, 9, 30))
    assert [(e.kind.value, e.due_on, e.days) for e in evals] == [("mid_term", D(2025, 9, 1), 29)]
    assert kpis.overdue_evaluations(sqlite_db, D(2025, 8, 31)) == []

    pdf = tmp_path / "center.pdf"
    reports.center_report(sqlite_db, "2025Q3", pdf, lang="zh_CN", today=D(2025, 12, 1))
    text = pdfread.text(pdf)
    assert "孵化组织数 2 1 1 50.0%" in text
    assert "拨付资金（元） 3,000,000.00 90,000.50 90,000.50 3.0%" in text
    assert "期末逾期拨付笔数 ≤ 0 1 1 未达成" in text
    assert "合计：1 笔 30,000.00" in text
    assert "2025-09-01 29" in text  # the mid-term evaluation, 29 days overdue


def test_talent_totals_match_each_records_share(db: Database) -> None:
    """The talent figures add the records' shares of hours as integers per record length
    (``figures._talent``); each record's own share (``figures.hours_share``, printed line by
    line in the organization's report) is a Fraction. On random records and periods, by
    organization, both add up to the same hours, and the sessions counted are those begun."""
    import random
    from fractions import Fraction

    from tests.factories import org

    rng = random.Random(16)
    owners = [org(db, n).id for n in (1, 2)]
    records = []
    for _ in range(60):
        kind = rng.choice(list(TalentKind))
        first = D(2025, 1, 1) + dt.timedelta(days=rng.randrange(700))
        last = None if rng.random() < 0.3 else first + dt.timedelta(days=rng.randrange(200))
        hours = Decimal(rng.randrange(1, 5000)) / 10
        owner = rng.choice(owners)
        data = {"kind": kind.value, "title": "记录", "start_on": first.isoformat()}
        data |= {"end_on": last.isoformat() if last else None, "people_count": 3, "hours": hours}
        talent.add(db, owner, data)
        records.append((owner, kind, first, last, hours))
    for _ in range(12):
        start = D(2025, 1, 1) + dt.timedelta(days=rng.randrange(800))
        end = start + dt.timedelta(days=rng.randrange(1, 400))
        for lo in (start, None):
            by_org = figures.talent_by_org(db, lo, end)
            for owner in owners:
                mine = [r for r in records if r[0] == owner]
                got = by_org.get(owner, figures.TalentFigures())
                for kind in TalentKind:
                    shares = [
                        figures.hours_share(h, a, b, lo, end) for _, k, a, b, h in mine if k is kind
                    ]
                    want = sum(shares, Fraction(0))
                    assert got.exact_hours(kind) == want, (owner, kind, lo, end)
                trainings = [
                    r for r in mine
                    if r[1] is TalentKind.TRAINING and figures.counts_in(r[1], r[2], r[3], lo, end)
                ]  # fmt: skip
                assert (got.trainings, got.trainees) == (len(trainings), 3 * len(trainings))
