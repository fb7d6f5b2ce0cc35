"""Reminders marked done or snoozed: stored in the registry (every desk sees it), one reminder
at a time, back when it is due again or when its date moves."""

from __future__ import annotations

import datetime as dt

import pytest

from incubator.errors import ValidationError
from incubator.services import dashboard, funds, reminder_marks
from tests.factories import org

TODAY = dt.date.today()


def refresh_dates() -> None:
    """Run before each test (tests/conftest.py): a run that crosses midnight sees the new day,
    as the code under test does."""
    global TODAY
    TODAY = dt.date.today()


@pytest.fixture
def two_overdue(db):
    return with_two_overdue(db)


def with_two_overdue(db):
    """Two unpaid instalments of one fund, due 10 and 5 days ago."""
    o = org(db)
    funds.add_fund(
        db,
        o.id,
        {
            "title": "社区服务项目",
            "source": "government",
            "kind": "grant",
            "amount_committed": "30000",
            "committed_on": TODAY - dt.timedelta(days=60),
            "payments": [
                {"due_on": TODAY - dt.timedelta(days=10), "amount": "10000"},
                {"due_on": TODAY - dt.timedelta(days=5), "amount": "10000"},
            ],
        },
    )
    return db


def overdue(db, today: dt.date | None = None) -> list[dashboard.Reminder]:
    return [
        r
        for r in dashboard.reminders(db, today)
        if r.kind is dashboard.ReminderKind.PAYMENT_OVERDUE
    ]


def test_done_hides_that_reminder_only(two_overdue):
    db = two_overdue
    first, second = overdue(db)
    reminder_marks.mark_done(db, first)
    assert overdue(db) == [second]
    summary = dashboard.summary(db)
    assert summary.set_aside == (first,)
    assert first not in summary.reminders
    reminder_marks.unmark(db, first)  # remind again
    assert overdue(db) == [first, second]


def test_snoozed_comes_back_on_its_day(two_overdue):
    db = two_overdue
    first, second = overdue(db)
    reminder_marks.snooze(db, second, TODAY + dt.timedelta(days=7))
    assert overdue(db) == [first]
    assert len(overdue(db, TODAY + dt.timedelta(days=6))) == 1
    back = overdue(db, TODAY + dt.timedelta(days=7))
    assert [r.record_id for r in back] == [first.record_id, second.record_id]


def test_a_moved_date_reminds_again(two_overdue):
    db = two_overdue
    first, _second = overdue(db)
    reminder_marks.mark_done(db, first)
    (fund,) = funds.funds_of(db, first.organization_id)
    payment = next(p for p in fund.payments if p.id == first.record_id)
    funds.update_payment(db, payment.id, {"due_on": TODAY - dt.timedelta(days=2)}, payment.version)
    assert first.record_id in [r.record_id for r in overdue(db)]


def test_snoozing_into_the_past_is_refused(two_overdue):
    db = two_overdue
    first, _ = overdue(db)
    with pytest.raises(ValidationError):
        reminder_marks.snooze(db, first, TODAY)
    assert len(overdue(db)) == 2
