"""Lists that help, driven by keyboard and mouse: the overdue filter and its legend, columns
wide enough for their texts in both languages, Ctrl+C copying rows, Uyghur names isolated in
left-to-right lines, a history in words that names the space of an allocation."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from incubator.domain import Stage
from incubator.i18n import set_language
from incubator.services import lifecycle, registry, spaces
from tests.factories import credit_code, org
from tests.ui import person
from ui.main_window import MainWindow

pytestmark = pytest.mark.ui

TODAY = dt.date.today()
UYGHUR = "ئۈمىد ياشلار مۇلازىمەت مەركىزى"


def refresh_dates() -> None:
    """Run before each test (tests/conftest.py): a run that crosses midnight sees the new day,
    as the code under test does."""
    global TODAY
    TODAY = dt.date.today()


def incubating(db, n: int, name: str, planned_end: dt.date):
    start = TODAY - dt.timedelta(days=400)
    o = org(db, n, name=name, applied_on=start)
    lifecycle.transition(db, o.id, Stage.ADMITTED, reason="评审通过", occurred_on=start)
    lifecycle.transition(
        db,
        o.id,
        Stage.INCUBATING,
        reason="签订协议",
        occurred_on=start,
        agreement_planned_end=planned_end,
    )
    return o


def search_done(qtbot, page, action) -> None:
    with qtbot.waitSignal(page.model.searchFinished, timeout=10_000):
        action()


def test_overdue_filter_and_its_legend(qtbot, window) -> None:
    incubating(window.db, 1, "逾期社区服务中心", TODAY - dt.timedelta(days=3))
    incubating(window.db, 2, "按期社区服务中心", TODAY + dt.timedelta(days=30))
    org(window.db, 3, name="刚申请的协会")
    page = window.organizations
    search_done(qtbot, page, page.reload)
    assert page.model.rowCount() == 3
    search_done(qtbot, page, lambda: person.click(qtbot, page.overdue))
    assert [page.model.index(r, 1).data() for r in range(page.model.rowCount())] == [
        "逾期社区服务中心"
    ]
    assert page.model.index(0, 5).data() == "Incubating ⚠"
    assert page.legend.isVisible()
    assert page.legend.text().startswith("⚠ incubation overdue")


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_columns_fit_their_longest_texts(qtbot, sqlite_db, lang: str) -> None:
    set_language(lang)
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    win.show()
    table = win.organizations.table
    header = table.horizontalHeader()
    model = table.model()
    cell, heading = table.fontMetrics(), header.fontMetrics()
    for col in range(model.columnCount()):
        title = model.headerData(col, Qt.Orientation.Horizontal)
        assert header.sectionSize(col) > heading.horizontalAdvance(title), (lang, title)
    longest_stage = max((s.display() + " ⚠" for s in Stage), key=cell.horizontalAdvance)
    assert table.columnWidth(5) > cell.horizontalAdvance(longest_stage) + 8, longest_stage


def test_ctrl_c_copies_the_selected_rows(qtbot, window) -> None:
    a = org(window.db, 1, name="天山区幸福社区服务中心", credit_code=credit_code(1, prefix="52"))
    b = org(window.db, 2, name=UYGHUR, credit_code=None, legal_form="community_unregistered")
    org(window.db, 3, name="喀什市阳光青少年成长协会")
    page = window.organizations
    search_done(qtbot, page, page.reload)
    names = [page.model.index(r, 1).data() for r in range(3)]
    person.click_row(qtbot, page.table, names.index(a.name), 1)
    index = page.model.index(names.index(b.name), 1)
    pos = page.table.visualRect(index).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, person.CTRL, pos)
    qtbot.keyClick(page.table, Qt.Key.Key_C, person.CTRL)
    lines = QApplication.clipboard().text().splitlines()
    assert lines[0].split("\t")[:4] == ["No.", "Name", "Short name", "Unified Social Credit Code"]
    rows = sorted(line.split("\t")[:6] for line in lines[1:])
    assert rows == sorted(
        [
            [str(a.id), a.name, "", a.credit_code, "Social service organization", "Applied"],
            [str(b.id), UYGHUR, "", "", "Unregistered community organization", "Applied"],
        ]
    )


def test_an_uyghur_name_is_isolated_from_the_code_beside_it(qtbot, sqlite_db) -> None:
    from ui.pages.reports import ReportsPage

    o = org(sqlite_db, 1, name=UYGHUR, legal_form="social_group")
    page = ReportsPage(sqlite_db)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.orgs.count() == 1, timeout=10_000)
    assert page.orgs.item(0).text() == f"\u2068{UYGHUR}\u2069　{o.credit_code}"


def test_history_in_words_names_the_space(qtbot, window) -> None:
    a = org(window.db, 1)
    room = spaces.create_space(
        window.db, {"code": "R1", "name": "第一孵化室", "kind": "room", "area_m2": "24"}
    )
    spaces.allocate(window.db, room.id, a.id, TODAY, TODAY + dt.timedelta(days=90))
    registry.set_archived(window.db, a.id, True, registry.get(window.db, a.id).version)
    window.open_organization(a.id)
    page = window.organization_page
    person.open_tab(qtbot, page.tabs, "History")
    rows = [
        (page.history.cell_text(r, 2), page.history.cell_text(r, 4))
        for r in range(page.history.rowCount())
    ]
    archived = next(text for what, text in rows if what == "Organization" and "Archived" in text)
    assert archived == "Archived: No → Yes"
    allocation = next(text for what, text in rows if what == "Space allocation")
    assert allocation.startswith("Space: R1 第一孵化室; ")
    for _what, text in rows:
        assert "✓" not in text and "✗" not in text
        assert "_" not in text, text  # no column names


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_reminder_columns_fit_their_longest_texts(qtbot, sqlite_db, lang: str) -> None:
    from incubator.services.dashboard import ReminderKind
    from ui.pages.dashboard import DashboardPage

    set_language(lang)
    page = DashboardPage(sqlite_db)
    qtbot.addWidget(page)
    page.show()
    cell = page.table.fontMetrics()
    longest = max((k.display() for k in ReminderKind), key=cell.horizontalAdvance)
    assert page.table.columnWidth(2) > cell.horizontalAdvance(longest) + 8, longest
    late = "已逾期480天" if lang == "zh_CN" else "480 days overdue"  # as a reminder says it
    assert page.table.columnWidth(1) > cell.horizontalAdvance(late) + 8
