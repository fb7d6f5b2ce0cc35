"""A payment or fund entered wrongly is corrected or cancelled with a reason, audited; its
reminder goes away; a planned fund whose money starts to arrive is no longer "planned"."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from incubator.domain import FundStatus, PaymentStatus
from incubator.models import AuditEntry
from incubator.services import dashboard, funds
from tests.factories import org
from tests.test_funds import fund_data, refused

TODAY = dt.date.today()
ENTITY = "fund_payments"


def refresh_dates() -> None:
    """Run before each test (tests/conftest.py): a run that crosses midnight sees the new day,
    as the code under test does."""
    global TODAY
    TODAY = dt.date.today()


@pytest.fixture
def overdue(db):
    """A planned fund of 50,000 with one instalment of 20,000 due a week ago, unpaid."""
    o = org(db)
    f = funds.add_fund(
        db,
        o.id,
        fund_data(
            status="planned",
            amount_committed="50000",
            committed_on=TODAY - dt.timedelta(days=60),
            start_on=None,
            end_on=None,
            payments=[{"due_on": TODAY - dt.timedelta(days=7), "amount": "20000", "notes": "首期"}],
        ),
    )
    return db, o, f


def overdue_reminders(db, org_id: int) -> list:
    return [
        r
        for r in dashboard.summary(db).reminders
        if r.kind is dashboard.ReminderKind.PAYMENT_OVERDUE and r.organization_id == org_id
    ]


def audit_changes(db, entity: str, row_id: int) -> list[dict]:
    """The recorded changes of the row's updates, read straight from the audit table."""
    with db.reading() as session:
        rows = session.scalars(
            select(AuditEntry.changes).where(
                AuditEntry.entity == entity,
                AuditEntry.entity_id == row_id,
                AuditEntry.action == "update",
            )
        )
        return [json.loads(r) for r in rows]


def test_cancelling_a_payment_needs_a_reason_and_clears_its_reminder(overdue):
    db, o, f = overdue
    (p,) = f.payments
    assert len(overdue_reminders(db, o.id)) == 1
    refused(db, lambda: funds.cancel_payment(db, p.id, "  ", p.version), "cancel_reason")
    refused(
        db,
        lambda: funds.update_payment(db, p.id, {"status": "cancelled"}, p.version),
        "cancel_reason",
    )
    after = funds.cancel_payment(db, p.id, "资助方撤回首期拨付", p.version)
    (cancelled,) = after.payments
    assert cancelled.status is PaymentStatus.CANCELLED
    assert cancelled.cancel_reason == "资助方撤回首期拨付"
    assert cancelled.notes == "首期"  # the planned note stays
    assert overdue_reminders(db, o.id) == []
    (change,) = audit_changes(db, ENTITY, p.id)
    assert change["cancel_reason"] == [None, "资助方撤回首期拨付"]
    assert change["status"] == ["scheduled", "cancelled"]


def test_cancelling_a_fund_needs_a_reason_and_clears_its_reminders(overdue):
    db, o, f = overdue
    refused(db, lambda: funds.cancel_fund(db, f.id, "", f.version), "cancel_reason")
    after = funds.cancel_fund(db, f.id, "项目未获批复", f.version)
    assert (after.status, after.cancel_reason) == (FundStatus.CANCELLED, "项目未获批复")
    assert overdue_reminders(db, o.id) == []
    assert funds.totals(db, o.id).committed == Decimal("0.00")


def test_a_payment_entered_wrongly_is_corrected(overdue):
    db, o, f = overdue
    (p,) = f.payments
    fixed = funds.update_payment(
        db, p.id, {"amount": "15,000", "due_on": TODAY + dt.timedelta(days=10)}, p.version
    )
    (moved,) = fixed.payments
    assert (moved.amount, moved.due_on, moved.notes) == (
        Decimal("15000.00"),
        TODAY + dt.timedelta(days=10),
        "首期",
    )
    assert overdue_reminders(db, o.id) == []


def test_money_arriving_makes_a_planned_fund_active(overdue):
    db, _o, f = overdue
    assert f.status is FundStatus.PLANNED
    (p,) = f.payments
    after = funds.record_payment(db, p.id, TODAY, p.version)
    assert after.status is FundStatus.ACTIVE
    assert after.payments[0].notes == "首期"


def test_a_reinstated_payment_forgets_its_cancel_reason(overdue):
    db, _o, f = overdue
    (p,) = f.payments
    cancelled = funds.cancel_payment(db, p.id, "录入错误", p.version).payments[0]
    back = funds.update_payment(db, p.id, {"status": "scheduled"}, cancelled.version)
    assert back.payments[0].cancel_reason is None
