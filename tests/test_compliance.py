"""Compliance with the registration authority (issue 18, points 1 to 3): annual reports and
their reminders on the edge days, ratings and their validity, the authority's lists. Every
expected date and status below is worked out by hand from the rules in the issue (31 May of
the following year; five years; reminders within 30 days), not asked of the service."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from incubator import voiding
from incubator.domain import AnnualReportStatus as S
from incubator.domain import AuthorityList, RatingGrade
from incubator.errors import ValidationError
from incubator.services import compliance, dashboard, lifecycle, registry
from incubator.services.dashboard import ReminderKind as K
from tests import factories

D = dt.date


def registered(db, n: int = 1, on: str = "2025-06-01", **extra):
    """Registered in 2025: its first annual report is that of 2025."""
    return factories.org(db, n, registered_on=on, applied_on="2025-01-01", **extra)


def reminders_of(db, today: dt.date, *kinds: K) -> list[tuple[K, int, dt.date, dict]]:
    return [
        (r.kind, r.organization_id, r.date, dict(r.params))
        for r in dashboard.reminders(db, today)
        if r.kind in kinds
    ]


REPORT_KINDS = (K.ANNUAL_REPORT_DUE, K.ANNUAL_REPORT_OVERDUE)


def test_the_annual_report_is_reminded_from_30_days_before_31_may_until_submitted(db) -> None:
    org = registered(db)
    # Year 2025's report is due on 2026-05-31: nothing on 30 April (31 days before) ...
    assert reminders_of(db, D(2026, 4, 30), *REPORT_KINDS) == []
    # ... due from 1 May (day 30) to 31 May (day 0) ...
    due = [(K.ANNUAL_REPORT_DUE, org.id, D(2026, 5, 31), {"year": 2025})]
    assert reminders_of(db, D(2026, 5, 1), *REPORT_KINDS) == due
    assert reminders_of(db, D(2026, 5, 31), *REPORT_KINDS) == due
    # ... and overdue from 1 June.
    late = [(K.ANNUAL_REPORT_OVERDUE, org.id, D(2026, 5, 31), {"year": 2025})]
    assert reminders_of(db, D(2026, 6, 1), *REPORT_KINDS) == late
    # Submitted: no reminder, the status says it awaits the result.
    compliance.record_report(db, org.id, {"year": 2025, "submitted_on": "2026-05-20"})
    assert reminders_of(db, D(2026, 6, 1), *REPORT_KINDS) == []
    [row] = compliance.year_statuses(db, 2025, D(2026, 6, 1))
    assert (row.status, row.due_on, row.submitted_on) == (
        S.SUBMITTED,
        D(2026, 5, 31),
        D(2026, 5, 20),
    )


def test_an_overdue_report_is_reminded_for_a_year_after_its_due_date(db) -> None:
    org = registered(db, on="2024-02-01")
    late = (K.ANNUAL_REPORT_OVERDUE, org.id, D(2025, 5, 31), {"year": 2024})
    assert late in reminders_of(db, D(2026, 5, 30), *REPORT_KINDS)  # 364 days late
    assert late not in reminders_of(db, D(2026, 5, 31), *REPORT_KINDS)  # 365: the authority's


def test_who_owes_an_annual_report(db) -> None:
    expected = registered(db, 1, on="2025-12-31")  # registered on the year's last day
    registered(db, 2, on="2026-01-01")  # registered after the year: not for 2025
    factories.org(db, 3)  # no registration date
    unregistered = factories.org(db, 4, legal_form="community_unregistered", credit_code="")
    left = registered(db, 5)
    lifecycle.transition(
        db, left.id, "exited", occurred_on="2026-05-30", reason="合并"
    )  # left before it was due
    stayed = registered(db, 6)
    lifecycle.transition(
        db, stayed.id, "exited", occurred_on="2026-05-31", reason="合并"
    )  # on the due date
    # An unregistered one with a record is listed all the same.
    compliance.record_report(db, unregistered.id, {"year": 2025, "submitted_on": "2026-03-01"})
    rows = compliance.year_statuses(db, 2025, D(2026, 6, 1))
    assert {r.organization_id: r.status for r in rows} == {
        expected.id: S.OVERDUE,
        unregistered.id: S.SUBMITTED,
        stayed.id: S.OVERDUE,
    }


def test_results_and_the_status_filter(db) -> None:
    orgs = [registered(db, n) for n in range(1, 6)]
    for org, result in zip(orgs, ("qualified", "基本合格", "不合格", "未参检"), strict=False):
        submitted = None if result == "未参检" else "2026-04-01"
        compliance.record_report(
            db, org.id, {"year": 2025, "submitted_on": submitted, "result": result}
        )
    rows = compliance.year_statuses(db, 2025, D(2026, 5, 10))
    assert [r.status for r in rows] == [
        S.QUALIFIED,
        S.BASICALLY_QUALIFIED,
        S.UNQUALIFIED,
        S.NOT_INSPECTED,
        S.DUE_SOON,  # the fifth: nothing recorded, 21 days before 31 May
    ]
    only = compliance.year_statuses(db, 2025, D(2026, 5, 10), status=S.UNQUALIFIED)
    assert [r.organization_id for r in only] == [orgs[2].id]


def test_the_due_day_is_the_centers_and_a_record_may_say_otherwise(db) -> None:
    a, b = registered(db, 1), registered(db, 2)
    compliance.set_rules(db, report_due="6月30日")
    assert compliance.rules(db).report_due == (6, 30)
    compliance.record_report(db, b.id, {"year": 2025, "due_on": "2026-04-15"})
    report = compliance.list_reports(db, b.id)[0]
    assert report.due_on == D(2026, 4, 15)
    rows = {r.organization_id: r for r in compliance.year_statuses(db, 2025, D(2026, 6, 1))}
    assert (rows[a.id].due_on, rows[a.id].status) == (D(2026, 6, 30), S.DUE_SOON)
    assert (rows[b.id].due_on, rows[b.id].status) == (D(2026, 4, 15), S.OVERDUE)
    # Recorded without a due date, it takes the center's day of that time.
    compliance.record_report(db, a.id, {"year": 2024})
    assert compliance.list_reports(db, a.id)[0].due_on == D(2025, 6, 30)


@pytest.mark.parametrize(
    ("data", "field", "says"),
    [
        ({"year": "2025", "result": "合格"}, "submitted_on", "Required when"),
        ({"year": "2025", "due_on": "2025-12-31"}, "due_on", "due after the year"),
        ({"year": "3000"}, "year", "between 1949"),
        ({"year": ""}, "year", "required"),
        ({"year": "2025", "result": "优秀"}, "result", "Unknown value"),
        ({"year": "2025", "submitted_on": "2999-01-01"}, "submitted_on", "future"),
    ],
)
def test_a_wrong_annual_report_names_its_field(sqlite_db, data, field, says) -> None:
    org = registered(sqlite_db)
    with pytest.raises(ValidationError) as caught:
        compliance.record_report(sqlite_db, org.id, data)
    assert field in caught.value.fields()
    assert says in caught.value.message("en")
    assert compliance.list_reports(sqlite_db, org.id) == []


def test_one_report_a_year(db) -> None:
    org = registered(db)
    compliance.record_report(db, org.id, {"year": 2025})
    with pytest.raises(ValidationError, match="already recorded"):
        compliance.record_report(db, org.id, {"year": "2025"})
    other = compliance.record_report(db, org.id, {"year": 2024})
    with pytest.raises(ValidationError, match="already recorded"):
        compliance.update_report(db, other.id, {"year": 2025}, other.version)


def test_a_rating_is_valid_five_years_less_a_day_and_its_end_is_reminded(db) -> None:
    org = registered(db)
    rating = compliance.record_rating(
        db, org.id, {"grade": "3A", "awarded_on": "2021-12-20", "awarding_body": "市民政局"}
    )
    assert rating.valid_until == D(2026, 12, 19)
    assert compliance.standing(db, org.id, D(2026, 12, 19)).grade is RatingGrade.A3
    assert compliance.standing(db, org.id, D(2026, 12, 20)).grade is None
    kinds = (K.RATING_EXPIRING, K.RATING_EXPIRED)
    # Reminded from 90 days before its last day (2026-09-20) on; ended the day after it.
    assert reminders_of(db, D(2026, 9, 19), *kinds) == []
    ending = [(K.RATING_EXPIRING, org.id, D(2026, 12, 19), {"grade": "3A"})]
    assert reminders_of(db, D(2026, 9, 20), *kinds) == ending
    assert reminders_of(db, D(2026, 12, 19), *kinds) == ending
    ended = [(K.RATING_EXPIRED, org.id, D(2026, 12, 19), {"grade": "3A"})]
    assert reminders_of(db, D(2026, 12, 20), *kinds) == ended
    # For a year: 364 days after its last day still, 365 no more.
    assert reminders_of(db, D(2027, 12, 18), *kinds) == ended
    assert reminders_of(db, D(2027, 12, 19), *kinds) == []
    # Rated again: the new grade counts and nothing is reminded.
    again = compliance.record_rating(db, org.id, {"grade": "4A", "awarded_on": "2026-11-01"})
    assert reminders_of(db, D(2026, 12, 20), *kinds) == []
    assert compliance.standing(db, org.id, D(2026, 12, 20)).grade is RatingGrade.A4
    # That new rating removed (entered by mistake): the old one's end is reminded again.
    voiding.void(db, "ratings", again.id, "录入错误")
    assert reminders_of(db, D(2026, 12, 20), *kinds) == ended


def test_a_leap_day_rating_and_a_wrong_one(sqlite_db) -> None:
    org = registered(sqlite_db)
    leap = compliance.record_rating(sqlite_db, org.id, {"grade": "5A", "awarded_on": "2024-02-29"})
    assert leap.valid_until == D(2029, 2, 28)
    with pytest.raises(ValidationError) as caught:
        compliance.record_rating(
            sqlite_db,
            org.id,
            {"grade": "6A", "awarded_on": "2024-01-01", "valid_until": "2023-12-31"},
        )
    assert caught.value.fields() == {"grade", "valid_until"}


def test_listed_from_its_day_until_the_day_it_is_removed(db) -> None:
    org, other = registered(db, 1), registered(db, 2)
    listing = compliance.record_listing(
        db,
        org.id,
        {"list_kind": "活动异常名录", "listed_on": "2026-03-10", "reason": "未按时参加年检"},
    )
    assert listing.list_kind is AuthorityList.ABNORMAL
    assert compliance.standing(db, org.id, D(2026, 3, 9)).listed == ()
    assert compliance.standing(db, org.id, D(2026, 3, 10)).listed == (AuthorityList.ABNORMAL,)
    assert not compliance.standing(db, other.id, D(2026, 3, 10)).flagged
    assert reminders_of(db, D(2026, 4, 1), K.LISTED) == [
        (K.LISTED, org.id, D(2026, 3, 10), {"list": "Abnormal-activities list"})
    ]
    compliance.update_listing(
        db, listing.id, {"removed_on": "2026-04-02", "removal_reason": "已补报"}, listing.version
    )
    assert compliance.standing(db, org.id, D(2026, 4, 1)).flagged
    assert not compliance.standing(db, org.id, D(2026, 4, 2)).flagged
    assert reminders_of(db, D(2026, 4, 2), K.LISTED) == []
    with pytest.raises(ValidationError, match="before start date"):
        compliance.update_listing(db, listing.id, {"removed_on": "2026-03-01"}, listing.version + 1)


def test_the_supervising_unit_is_part_of_the_profile(db) -> None:
    org = registered(db, supervising_unit="市教育局")
    assert compliance.standing(db, org.id).supervising_unit == "市教育局"
    changed = registry.update(db, org.id, {"supervising_unit": "  市卫健委 "}, org.version)
    assert changed.supervising_unit == "市卫健委"


def test_the_database_keeps_the_compliance_rules(db) -> None:
    org = registered(db)
    compliance.record_rating(db, org.id, {"grade": "2A", "awarded_on": "2022-01-01"})
    with db.engine.connect() as conn:
        for bad in (
            "UPDATE ratings SET grade = '6A'",
            "UPDATE ratings SET valid_until = '2021-12-31'",
        ):
            with pytest.raises(Exception, match=r"(?i)check"):
                conn.execute(text(bad))
            conn.rollback()
