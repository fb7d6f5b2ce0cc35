"""Projects, talent records and evaluations: validation, listing, updates, totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from incubator.domain import EvaluationKind, ProjectStatus, TalentKind
from incubator.errors import ConflictError, NotFoundError, ValidationError
from incubator.services import evaluations, projects, talent
from tests.factories import org
from tests.test_money import FLOAT_TRAP

D = dt.date
M = Decimal
SCORES = {"governance": 80, "finance": "75.5", "services": "９０", "team": 60}


# --- projects ---------------------------------------------------------------------------------


def test_project_add_list_update(db):
    o = org(db)
    late = projects.add(
        db,
        o.id,
        {
            "name": "四点半课堂",
            "funder": "团区委",
            "budget": "¥20,000",
            "start_on": "2024-09-01",
            "beneficiaries": "１２０",
            "outputs": "开展课后托管 60 次",
        },
    )
    early = projects.add(db, o.id, {"name": "助老送餐", "budget": 0, "start_on": D(2024, 3, 1)})
    assert (late.budget, late.beneficiaries, late.status) == (
        M("20000.00"),
        120,
        ProjectStatus.ONGOING,
    )
    assert [p.id for p in projects.list_for(db, o.id)] == [early.id, late.id]
    done = projects.update(
        db, late.id, {"status": "completed", "end_on": "2024-12-31"}, late.version
    )
    assert (done.status, done.end_on, done.version) == (ProjectStatus.COMPLETED, D(2024, 12, 31), 2)
    assert done.name == "四点半课堂" and done.budget == M("20000.00")  # untouched fields kept
    with pytest.raises(ConflictError) as info:
        projects.update(db, late.id, {"beneficiaries": 1}, late.version)
    assert info.value.current_values["status"] is ProjectStatus.COMPLETED
    assert projects.list_for(db, o.id)[1].beneficiaries == 120
    with pytest.raises(NotFoundError):
        projects.add(db, o.id + 999, {"name": "x", "budget": 1, "start_on": D(2024, 1, 1)})
    with pytest.raises(ValidationError) as bad:
        projects.add(
            db, o.id, {"name": "x", "budget": 1, "start_on": D(2024, 1, 1), "beneficiaries": "-2"}
        )
    assert bad.value.fields() == {"beneficiaries"}


def test_project_totals_by_period(db):
    a = org(db, 1)
    b = org(db, 2)

    def add(o, budget, start, end=None, status="ongoing", people=0):
        projects.add(
            db,
            o.id,
            {
                "name": "p",
                "budget": budget,
                "start_on": start,
                "end_on": end,
                "status": status,
                "beneficiaries": people,
            },
        )

    add(a, "1000.10", D(2024, 1, 1), D(2024, 3, 31), people=10)
    add(a, "2000.20", D(2024, 3, 1), None, people=20)  # open-ended
    add(a, "99999", D(2024, 2, 1), D(2024, 2, 28), status="cancelled", people=999)
    add(b, "300.03", D(2023, 6, 1), D(2023, 12, 31), people=3)
    everything = projects.totals(db)
    assert (everything.count, everything.budget, everything.beneficiaries) == (3, M("3300.33"), 33)
    q2 = projects.totals(db, start=D(2024, 4, 1), end=D(2024, 6, 30))
    assert (q2.count, q2.budget, q2.beneficiaries) == (1, M("2000.20"), 20)
    q1_a = projects.totals(db, org_id=a.id, start=D(2024, 1, 1), end=D(2024, 3, 31))
    assert (q1_a.count, q1_a.budget) == (2, M("3000.30"))
    y2023 = projects.totals(db, end=D(2023, 12, 31))
    assert (y2023.count, y2023.budget) == (1, M("300.03"))


def test_project_budget_totals_are_exact(db):
    o = org(db)
    for amount in FLOAT_TRAP:
        projects.add(db, o.id, {"name": "大项目", "budget": amount, "start_on": D(2024, 1, 1)})
    assert projects.totals(db).budget == sum(FLOAT_TRAP)


# --- talent -----------------------------------------------------------------------------------


def test_talent_records_and_totals(db):
    a = org(db, 1)
    b = org(db, 2)
    talent.add(
        db,
        a.id,
        {
            "kind": "training",
            "title": "财务规范培训",
            "provider": "市社工协会",
            "start_on": D(2024, 4, 10),
            "people_count": 3,
            "hours": "6.5",
        },
    )
    talent.add(
        db,
        a.id,
        {
            "kind": "Mentor assigned",
            "title": "督导",
            "person_name": "王老师",
            "start_on": D(2024, 1, 1),
            "end_on": D(2024, 12, 31),
            "hours": 40,
        },
    )
    talent.add(
        db,
        b.id,
        {
            "kind": "social_worker",
            "title": "驻点社工",
            "person_name": "阿依古丽",
            "start_on": D(2024, 5, 1),
            "people_count": 1,
            "hours": "１２０",
        },
    )
    talent.add(
        db,
        b.id,
        {
            "kind": "training",
            "title": "项目设计",
            "start_on": D(2023, 11, 2),
            "people_count": 2,
            "hours": "3",
        },
    )
    listed = talent.list_for(db, a.id)
    assert [r.kind for r in listed] == [TalentKind.MENTOR, TalentKind.TRAINING]
    assert listed[1].hours == M("6.5") and type(listed[1].hours) is Decimal

    t = talent.totals(db)
    assert (t.trainings, t.trainees, t.mentors, t.social_workers) == (2, 5, 1, 1)
    # Each kind's hours under its own label: training 6.5 + 3, the mentor 40, the social worker 120.
    assert (t.training_hours, t.mentor_hours, t.social_worker_hours) == (M("9.5"), 40, 120)
    t2024 = talent.totals(db, start=D(2024, 1, 1), end=D(2024, 12, 31))
    assert (t2024.trainings, t2024.trainees, t2024.training_hours) == (1, 3, M("6.5"))
    ta = talent.totals(db, org_id=a.id)
    assert (ta.trainings, ta.mentors, ta.social_workers, ta.mentor_hours) == (1, 1, 0, 40)
    # The mentor's 40 hours run over the 366 days of 2024: each quarter gets its days' share,
    # 40 x 91/366 = 9.945 -> 9.9 (Q1, Q2) and 40 x 92/366 = 10.055 -> 10.1 (Q3, Q4).
    quarters = [(D(2024, 1, 1), D(2024, 3, 31)), (D(2024, 4, 1), D(2024, 6, 30))]
    quarters += [(D(2024, 7, 1), D(2024, 9, 30)), (D(2024, 10, 1), D(2024, 12, 31))]
    by_quarter = [talent.totals(db, a.id, s, e) for s, e in quarters]
    assert [q.mentor_hours for q in by_quarter] == [M("9.9"), M("9.9"), M("10.1"), M("10.1")]
    assert [q.mentors for q in by_quarter] == [1, 1, 1, 1]  # running in each of them
    assert [q.trainings for q in by_quarter] == [0, 1, 0, 0]  # the session of 10 April
    # A record without an end date is one day: the social worker's 120 hours fall on 1 May.
    q2 = talent.totals(db, b.id, *quarters[1])
    assert (q2.social_workers, q2.social_worker_hours) == (1, 120)
    assert talent.totals(db, b.id, *quarters[2]).social_workers == 0


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("hours", "2.55"),
        ("hours", "-1"),
        ("hours", "lots"),
        ("people_count", "1.5"),
        ("people_count", "-1"),
    ],
)
def test_talent_bad_numbers(sqlite_db, field, typed):
    o = org(sqlite_db)
    data = {"kind": "training", "title": "t", "start_on": D(2024, 1, 1), field: typed}
    with pytest.raises(ValidationError) as info:
        talent.add(sqlite_db, o.id, data)
    assert info.value.fields() == {field}
    assert talent.list_for(sqlite_db, o.id) == []


def test_talent_update_conflict(db):
    o = org(db)
    r = talent.add(db, o.id, {"kind": "mentor", "title": "督导", "start_on": D(2024, 1, 1)})
    talent.update(db, r.id, {"hours": 10}, r.version)
    with pytest.raises(ConflictError) as info:
        talent.update(db, r.id, {"hours": 20}, r.version)
    assert info.value.current_values["hours"] == M("10.0")


# --- evaluations ------------------------------------------------------------------------------


def test_evaluation_scores_and_total(db):
    o = org(db)
    e = evaluations.record(
        db,
        o.id,
        {"kind": "mid_term", "evaluated_on": D(2024, 6, 1), "evaluator": "评估组", **SCORES},
    )
    assert (e.governance, e.finance, e.services, e.team) == (M(80), M("75.5"), M(90), M(60))
    assert e.total == M("76.38")  # (80 + 75.5 + 90 + 60) / 4 = 76.375, to two places
    assert e.kind is EvaluationKind.MID_TERM
    first = evaluations.record(
        db,
        o.id,
        {"kind": "admission", "evaluated_on": D(2023, 12, 1), **SCORES, "team": 100},
    )
    assert [x.id for x in evaluations.list_for(db, o.id)] == [first.id, e.id]
    changed = evaluations.update(db, e.id, {"team": "70"}, e.version)
    assert changed.total == M("78.88")
    with pytest.raises(ConflictError):
        evaluations.update(db, e.id, {"team": "0"}, e.version)


@pytest.mark.parametrize("typed", ["100.01", "-0.5", "x", "80.123", ""])
def test_evaluation_score_out_of_range(sqlite_db, typed):
    o = org(sqlite_db)
    with pytest.raises(ValidationError) as info:
        evaluations.record(
            sqlite_db,
            o.id,
            {"kind": "annual", "evaluated_on": D(2024, 1, 1), **SCORES, "finance": typed},
        )
    assert info.value.fields() == {"finance"}
    assert evaluations.list_for(sqlite_db, o.id) == []
