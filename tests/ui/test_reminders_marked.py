"""Reminders marked done or snoozed on the dashboard, by clicks."""

from __future__ import annotations

import pytest

from incubator.services import dashboard
from tests.test_reminder_marks import overdue, with_two_overdue
from tests.ui import person
from ui.pages.dashboard import DashboardPage

pytestmark = pytest.mark.ui


@pytest.fixture
def page(qtbot, sqlite_db):
    widget = DashboardPage(with_two_overdue(sqlite_db))
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.reload()
    return widget


def rows(page) -> list[str]:
    return [page.proxy.index(r, 4).data() for r in range(page.proxy.rowCount())]


def test_mark_done_and_snooze_by_clicking(qtbot, page) -> None:
    db = page.db
    assert len(rows(page)) == 2
    assert not page.done_button.isEnabled()  # nothing selected yet
    first, second = overdue(db)
    person.click_row(qtbot, page.table, rows(page).index(first.text()), 4)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        person.click(qtbot, page.done_button)
    assert rows(page) == [second.text()]
    assert page.reminder_count.text() == "1 reminders (1 done or snoozed)"
    person.click_row(qtbot, page.table, 0, 4)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        person.click(qtbot, page.snooze_button)
    assert rows(page) == []
    assert len(dashboard.summary(db).set_aside) == 2
    # Another desk sees the same: the marks are in the registry.
    other = DashboardPage(db)
    qtbot.addWidget(other)
    with qtbot.waitSignal(other.loaded, timeout=10_000):
        other.reload()
    assert other.proxy.rowCount() == 0


def test_set_aside_reminders_are_shown_on_request_and_remind_again(qtbot, page) -> None:
    first, second = overdue(page.db)
    person.click_row(qtbot, page.table, rows(page).index(first.text()), 4)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        person.click(qtbot, page.done_button)
    assert rows(page) == [second.text()]
    person.click(qtbot, page.show_set_aside)
    assert rows(page) == [second.text(), first.text()]  # set aside: listed last, greyed
    assert page.reminder_count.text() == "1 reminders (1 done or snoozed)"
    person.click_row(qtbot, page.table, 1, 4)
    assert page.again_button.isEnabled() and not page.done_button.isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        person.click(qtbot, page.again_button)
    assert sorted(rows(page)) == sorted([first.text(), second.text()])
    assert page.reminder_count.text() == "2 reminders"
