"""Voiding a record entered by mistake and restoring it, clicked as staff do (issue 17,
point 8): the reason asked for, the record gone from its list and its totals, listed on the
History page's voided records, and back after Restore."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from incubator.services import projects
from tests.factories import org
from tests.ui import person
from tests.ui.dialogs import when_modal
from ui.main_window import PAGES

pytestmark = pytest.mark.ui


def test_a_project_voided_then_restored(qtbot, window) -> None:
    a = org(window.db, 1, name="天山区幸福社区服务中心")
    for name, budget in (("助老送餐", "800"), ("重复录入的助老送餐", "800")):
        projects.add(
            window.db, a.id, {"name": name, "budget": budget, "start_on": dt.date(2026, 1, 1)}
        )
    window.open_organization(a.id)
    page = window.organization_page
    person.open_tab(qtbot, page.tabs, "Projects")
    names = [page.projects.cell_text(r, 2) for r in range(page.projects.rowCount())]
    person.click_row(qtbot, page.projects, names.index("重复录入的助老送餐"))
    seen: dict[str, str] = {}

    def void(dialog) -> None:
        seen["empty"] = person.save_refused(qtbot, dialog, "void_reason")
        person.fill(qtbot, dialog, void_reason="与第一条重复")
        person.save(qtbot, dialog)

    errors = when_modal(void)
    person.press(qtbot, page, "void_projectsTable")
    assert not errors, errors
    assert seen["empty"] == "Say why the record is voided"
    assert [page.projects.cell_text(r, 2) for r in range(page.projects.rowCount())] == ["助老送餐"]
    assert projects.totals(window.db, a.id).budget == Decimal("800.00")  # by hand: one left
    # On the History page, among the voided records; restored from there.
    page.back.emit()
    with qtbot.waitSignal(window.history.voidedLoaded, timeout=10_000):
        person.click_row(qtbot, window.nav, PAGES.index("history"))
    history = window.history
    person.open_tab(qtbot, history.tabs, "Voided records")
    table = history.voided_table
    assert table.rowCount() == 1
    assert [table.cell_text(0, c) for c in range(2, 6)] == [
        "天山区幸福社区服务中心",
        "Project",
        "重复录入的助老送餐",
        "与第一条重复",
    ]
    person.click_row(qtbot, table, 0)
    with qtbot.waitSignal(history.voidedLoaded, timeout=10_000):
        person.press(qtbot, history, "restoreVoided")
    assert table.rowCount() == 0
    assert projects.totals(window.db, a.id).budget == Decimal("1600.00")
