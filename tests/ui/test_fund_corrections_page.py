"""Funds on an organization's page, by clicks: recording a payment keeps its planned note and
makes a planned fund active; a wrong instalment is corrected or cancelled with a reason, and its
overdue reminder goes; a fund is cancelled with a reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from incubator.domain import FundStatus, PaymentStatus
from incubator.services import dashboard, funds
from tests.factories import org
from tests.ui import person
from tests.ui.dialogs import when_modal

pytestmark = pytest.mark.ui

TODAY = dt.date.today()
DUE = TODAY - dt.timedelta(days=7)


def refresh_dates() -> None:
    """Run before each test (tests/conftest.py): a run that crosses midnight sees the new day,
    as the code under test does."""
    global TODAY, DUE
    TODAY = dt.date.today()
    DUE = TODAY - dt.timedelta(days=7)


@pytest.fixture
def page(qtbot, window):
    a = org(window.db, 1)
    funds.add_fund(
        window.db,
        a.id,
        {
            "title": "社区营造微创投",
            "source": "government",
            "kind": "grant",
            "amount_committed": "50000",
            "committed_on": TODAY - dt.timedelta(days=60),
            "status": "planned",
            "payments": [{"due_on": DUE, "amount": "20000", "notes": "首期"}],
        },
    )
    window.open_organization(a.id)
    page = window.organization_page
    person.open_tab(qtbot, page.tabs, "Funds")
    person.click_row(qtbot, page.funds_table, 0)
    person.click_row(qtbot, page.payments_table, 0)
    return page


def the_fund(page) -> funds.FundView:
    (fund,) = funds.funds_of(page.db, page.org.id)
    return fund


def overdue_reminders(page) -> list:
    return [
        r
        for r in dashboard.summary(page.db).reminders
        if r.kind is dashboard.ReminderKind.PAYMENT_OVERDUE
    ]


def test_recording_a_payment_keeps_its_note_and_the_fund_is_no_longer_planned(qtbot, page) -> None:
    seen: dict[str, str] = {}

    def record(dialog) -> None:
        seen["notes"] = dialog.form.inputs["notes"].text()
        person.fill(qtbot, dialog, paid_on=TODAY.strftime("%Y%m%d"))
        person.save(qtbot, dialog)

    errors = when_modal(record)
    person.press(qtbot, page, "recordPayment")
    assert not errors, errors
    assert seen["notes"] == "首期"
    fund = the_fund(page)
    assert fund.payments[0].status is PaymentStatus.PAID
    assert fund.payments[0].notes == "首期"
    assert fund.status is FundStatus.ACTIVE
    assert page.funds_table.cell_text(0, 8) == "Active"


def test_a_wrong_instalment_is_corrected(qtbot, page) -> None:
    errors = when_modal(
        lambda d: (
            person.fill(qtbot, d, amount="15,000", due_on=str(TODAY + dt.timedelta(days=20))),
            person.save(qtbot, d),
        )
    )
    person.press(qtbot, page, "editPayment")
    assert not errors, errors
    (payment,) = the_fund(page).payments
    assert (payment.amount, payment.due_on, payment.notes) == (
        Decimal("15000.00"),
        TODAY + dt.timedelta(days=20),
        "首期",
    )
    assert overdue_reminders(page) == []


def test_an_instalment_is_cancelled_with_a_reason_and_its_reminder_goes(qtbot, page) -> None:
    assert len(overdue_reminders(page)) == 1
    seen: dict[str, str] = {}

    def cancel(dialog) -> None:
        seen["problem"] = person.save_refused(qtbot, dialog, "cancel_reason")
        person.fill(qtbot, dialog, cancel_reason="资助方通知首期不再拨付")
        person.save(qtbot, dialog)

    errors = when_modal(cancel)
    person.press(qtbot, page, "cancelPayment")
    assert not errors, errors
    assert seen["problem"] == "Give the reason for cancelling"
    (payment,) = the_fund(page).payments
    assert payment.status is PaymentStatus.CANCELLED
    assert payment.cancel_reason == "资助方通知首期不再拨付"
    assert overdue_reminders(page) == []
    assert page.payments_table.cell_text(0, 4) == "首期 · Cancelled: 资助方通知首期不再拨付"


def test_a_fund_is_cancelled_with_a_reason(qtbot, page) -> None:
    errors = when_modal(
        lambda d: (person.fill(qtbot, d, cancel_reason="项目未获批复"), person.save(qtbot, d))
    )
    person.press(qtbot, page, "cancelFund")
    assert not errors, errors
    fund = the_fund(page)
    assert (fund.status, fund.cancel_reason) == (FundStatus.CANCELLED, "项目未获批复")
    assert overdue_reminders(page) == []
    assert page.funds_table.cell_text(0, 8) == "Cancelled: 项目未获批复"


def test_cancelling_through_edit_asks_for_the_reason(qtbot, page) -> None:
    seen: dict[str, str] = {}

    def edit(dialog) -> None:
        person.fill(qtbot, dialog, status=FundStatus.CANCELLED)
        seen["problem"] = person.save_refused(qtbot, dialog, "cancel_reason")
        person.fill(qtbot, dialog, cancel_reason="重复录入")
        person.save(qtbot, dialog)

    errors = when_modal(edit)
    person.press(qtbot, page, "editFund")
    assert not errors, errors
    assert seen["problem"] == "Give the reason for cancelling"
    assert the_fund(page).cancel_reason == "重复录入"
