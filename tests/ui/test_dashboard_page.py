"""The dashboard page on real widgets: figures, charts, reminders that open their organization."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from incubator.db import Database
from incubator.domain import Stage
from incubator.i18n import set_language
from incubator.services import funds, lifecycle
from incubator.services.dashboard import ReminderKind
from tests.factories import org
from tests.ui import person
from ui.pages.dashboard import DashboardPage

pytestmark = pytest.mark.ui

TODAY = dt.date.today()


def refresh_dates() -> None:
    """Run before each test (tests/conftest.py): a run that crosses midnight sees the new day,
    as the code under test does."""
    global TODAY
    TODAY = dt.date.today()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def incubating(db: Database, n: int, name: str, planned_end: dt.date):
    o = org(db, n, name=name, applied_on=days(-400))
    lifecycle.transition(db, o.id, Stage.ADMITTED, reason="入驻", occurred_on=days(-390))
    return lifecycle.transition(
        db,
        o.id,
        Stage.INCUBATING,
        reason="签订孵化协议",
        occurred_on=days(-100),  # less than six months ago: no mid-term evaluation due
        agreement_planned_end=planned_end,
    )


@pytest.fixture
def registry_data(sqlite_db: Database):
    db = sqlite_db
    ending = incubating(db, 1, "阿依古丽·买买提社工服务站", days(30))
    later = incubating(db, 2, "ئۈمىد ياشلار مۇلازىمەت مەركىزى", days(200))
    org(db, 3, name="天山区幸福社区服务中心")  # applied
    funds.add_fund(
        db,
        later.id,
        {
            "title": "社区服务项目",
            "source": "government",
            "kind": "grant",
            "amount_committed": "1234567.89",
            "committed_on": TODAY,
            "payments": [
                {"due_on": TODAY, "amount": "234567.89", "status": "paid", "paid_on": TODAY},
                {"due_on": days(-1), "amount": "1000"},  # overdue by one day
            ],
        },
    )
    return db, ending, later


@pytest.fixture
def page(qtbot, registry_data):
    set_language("en")
    db, *_ = registry_data
    widget = DashboardPage(db)
    qtbot.addWidget(widget)
    widget.resize(1200, 780)
    widget.show()
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.reload()
        assert widget.is_loading() and widget.busy.isVisible()
    assert not widget.is_loading() and not widget.busy.isVisible()
    return widget


def row_of(page: DashboardPage, kind: ReminderKind, org_id: int) -> int:
    for row in range(page.proxy.rowCount()):
        index = page.proxy.index(row, 0)
        reminder = page.model.reminder(page.proxy.mapToSource(index).row())
        if reminder.kind is kind and reminder.organization_id == org_id:
            return row
    raise AssertionError(f"no {kind} reminder for {org_id}")


def test_figures_are_shown(page, registry_data) -> None:
    assert page.figure("organizations") == "3"
    assert page.figure("incubating") == "2"
    assert page.figure("committed") == "¥1,234,567.89"
    assert page.figure("disbursed") == "¥234,567.89"
    assert page.tiles["committed"].note.text() == "Overdue payments: 1"
    assert page.tiles["incubating"].note.text() == "none overdue"
    assert page.heading.text() == f"Figures for {TODAY.year}, as of {TODAY}"
    assert page.reminder_count.text() == "2 reminders"


def test_charts_are_filled_in_the_app_font(page) -> None:
    [pie] = page.stage_chart.series()
    assert sorted(s.label() for s in pie.slices()) == ["Applied  1", "Incubating  2"]
    [bars] = page.month_chart.series()
    committed, disbursed = bars.barSets()
    month = TODAY.month - 1
    assert committed.at(month) == pytest.approx(123.456789)  # in 10,000 yuan
    assert disbursed.at(month) == pytest.approx(23.456789)
    assert sum(committed.at(m) for m in range(12)) == pytest.approx(123.456789)
    families = QApplication.font().families()
    assert "WenQuanYi Micro Hei" in families
    assert page.stage_chart.titleFont().families()[:1] == families[:1]
    for axis in page.month_chart.axes():
        assert axis.labelsFont().families()[:1] == families[:1]


def test_double_click_on_a_reminder_opens_its_organization(qtbot, page, registry_data) -> None:
    _db, ending, later = registry_data
    row = row_of(page, ReminderKind.INCUBATION_ENDING, ending.id)
    rect = page.table.visualRect(page.proxy.index(row, 3))
    with qtbot.waitSignal(page.organizationActivated, timeout=5_000) as signal:
        # A real double click: press and release, then the double-click event.
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [ending.id]

    row = row_of(page, ReminderKind.PAYMENT_OVERDUE, later.id)
    person.click_row(qtbot, page.table, row)
    with qtbot.waitSignal(page.organizationActivated, timeout=5_000) as signal:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert signal.args == [later.id]


def test_reminders_can_be_filtered_by_kind(qtbot, page) -> None:
    person.choose(qtbot, page.kind_filter, "incubation_ending")
    assert page.proxy.rowCount() == 1
    assert page.proxy.index(0, 3).data() == "阿依古丽·买买提社工服务站"
    assert page.proxy.index(0, 1).data() == "in 30 days"
    assert page.reminder_count.text() == "1 of 2 reminders"
    person.choose(qtbot, page.kind_filter, "")
    assert page.proxy.rowCount() == 2


def test_overdue_payment_row(page, registry_data) -> None:
    _db, _ending, later = registry_data
    row = row_of(page, ReminderKind.PAYMENT_OVERDUE, later.id)
    cells = [page.proxy.index(row, c).data() for c in range(5)]
    assert cells == [
        str(days(-1)),
        "yesterday",
        "Payment overdue",
        "ئۈمىد ياشلار مۇلازىمەت مەركىزى",
        f"Instalment of 1,000.00 yuan for “社区服务项目” was due on {days(-1)}",
    ]
    # The Uyghur name is right-aligned, as right-to-left text is read.
    align = page.proxy.index(row, 3).data(Qt.ItemDataRole.TextAlignmentRole)
    assert align & Qt.AlignmentFlag.AlignRight


def test_in_chinese(qtbot, registry_data) -> None:
    set_language("zh_CN")
    db, *_ = registry_data
    widget = DashboardPage(db)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.reload()
    assert widget.tiles["organizations"].title.text() == "社会组织"
    assert widget.tiles["committed"].title.text() == f"{TODAY.year}年承诺资金"
    assert widget.stage_chart.title() == "各孵化阶段社会组织（共3个）"
    assert widget.reminder_count.text() == "共2条"
    assert widget.model.headerData(2, Qt.Orientation.Horizontal) == "提醒事项"


def test_a_failed_load_is_shown_not_raised(qtbot, page, monkeypatch) -> None:
    from incubator.errors import DatabaseError

    shown = []
    monkeypatch.setattr("ui.pages.dashboard.show_error", lambda parent, exc: shown.append(exc))

    def broken(*args, **kwargs):
        raise DatabaseError(detail="disk I/O error")

    monkeypatch.setattr("incubator.services.dashboard.summary", broken)
    person.press(qtbot, page, "dashboardRefresh")
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=10_000)
    assert [str(e) for e in shown] == ["Database problem: disk I/O error"]
    assert page.refresh.isEnabled() and not page.busy.isVisible()
    assert page.figure("committed") == "¥1,234,567.89"  # the last good figures stay
