"""The desktop app's main window, driven as a person does: demo offer, organizations list,
shortcuts (also after a language switch), Qt's own texts in Chinese, state and status bar."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from incubator.services import registry
from tests.factories import org
from tests.ui import person
from tests.ui.dialogs import when_modal
from ui.main_window import MainWindow
from ui.qt_setup import use_qt_translations

pytestmark = pytest.mark.ui


def test_empty_registry_offers_demo_data_and_loads_it(qtbot, window) -> None:
    asked: list[str] = []

    def yes(box) -> None:
        asked.append(box.text())
        person.answer(qtbot, box, person.Yes)

    errors = when_modal(yes, match=QMessageBox)
    window.offer_demo_if_empty()  # what the app does once its window is shown
    assert not errors, errors
    assert asked, "an empty registry must offer demo data"
    qtbot.waitUntil(lambda: window._demo_worker is None, timeout=60_000)
    assert registry.count(window.db, registry.OrgQuery(include_archived=True)) == 60
    listed = registry.count(window.db, registry.OrgQuery())  # archived ones are hidden
    qtbot.waitUntil(lambda: window.organizations.model.rowCount() == listed, timeout=10_000)
    assert listed >= 50
    assert window.organizations.count.text() == f"{listed} organizations"


def test_demo_loading_can_be_cancelled_leaving_nothing(qtbot, window) -> None:
    window.load_demo(orgs=3000)
    progress = window.findChild(QProgressDialog, "demoProgress")
    qtbot.waitUntil(progress.isVisible, timeout=10_000)
    person.press(qtbot, progress, "Cancel")
    qtbot.waitUntil(lambda: window._demo_worker is None, timeout=60_000)
    assert registry.count(window.db, registry.OrgQuery(include_archived=True)) == 0


def test_filled_registry_does_not_ask(qtbot, window) -> None:
    org(window.db, 1)
    with qtbot.waitSignal(window.organizations.model.searchFinished, timeout=10_000):
        window.offer_demo_if_empty()
    assert QApplication.activeModalWidget() is None
    assert window.organizations.model.rowCount() == 1


def test_search_as_you_type_by_pinyin_initials(qtbot, window) -> None:
    org(window.db, 1, name="天山区幸福社区服务中心")
    org(window.db, 2, name="喀什市阳光青少年成长协会")
    org(window.db, 3, name="ئۈمىد ياشلار مۇلازىمەت مەركىزى", legal_form="social_group")
    page = window.organizations
    with qtbot.waitSignal(page.model.searchFinished, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_F, person.CTRL)  # Ctrl+F: to the search box
        qtbot.keyClicks(QApplication.focusWidget(), "sqfw")
    assert page.search.text() == "sqfw"
    assert page.model.rowCount() == 1, (page.search.text(), page.model.query, page.model.ids)
    assert page.model.index(0, 1).data() == "天山区幸福社区服务中心"
    with qtbot.waitSignal(page.model.searchFinished, timeout=10_000):
        person.type_into(qtbot, page.search, "")
    assert page.model.rowCount() == 3
    # Uyghur-script names are right-aligned like right-to-left text.
    names = [page.model.index(r, 1) for r in range(3)]
    uyghur = next(i for i in names if i.data().startswith("ئ"))
    assert uyghur.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def switch_language(qtbot, window: MainWindow, code: str) -> None:
    qtbot.waitUntil(window.nav.isVisible)  # a rebuilt window shows on the next event turn
    person.click_row(qtbot, window.nav, window.nav.count() - 1)  # Settings
    person.choose(qtbot, window.settings_page.language, code)
    # The rebuilt window shows, and hands the keyboard to the new language list.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.settings_page.language)


def test_shortcuts_work_after_a_language_switch(qtbot, window) -> None:
    switch_language(qtbot, window, "zh_CN")
    switch_language(qtbot, window, "en")
    qtbot.keyClick(window, Qt.Key.Key_F, person.CTRL)
    assert window.current_page() == "organizations"
    assert QApplication.focusWidget() is window.organizations.search
    titles: list[str] = []

    def cancel(dialog) -> None:
        titles.append(dialog.windowTitle())
        person.answer(qtbot, dialog, person.Cancel)

    errors = when_modal(cancel)
    qtbot.keyClick(window, Qt.Key.Key_N, person.CTRL)
    assert not errors, errors
    assert titles == ["New organization"]


def test_qt_own_texts_follow_the_language(qtbot, window) -> None:
    switch_language(qtbot, window, "zh_CN")
    box = QMessageBox(QMessageBox.Icon.Question, "", "", QMessageBox.StandardButton.Yes)
    qtbot.addWidget(box)
    assert box.button(QMessageBox.StandardButton.Yes).text().startswith("是")
    switch_language(qtbot, window, "en")
    again = QMessageBox(QMessageBox.Icon.Question, "", "", QMessageBox.StandardButton.Yes)
    qtbot.addWidget(again)
    assert again.button(QMessageBox.StandardButton.Yes).text() == "&Yes"


def test_the_chinese_catalog_of_qt_is_found() -> None:
    assert use_qt_translations("zh_CN") == ["qtbase_zh_CN"]
    assert use_qt_translations("en") == []


def test_state_is_kept_in_the_config_folder_and_page_remembered(
    qtbot, sqlite_db, _user_home: Path
) -> None:
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    win.show()
    assert sqlite_db.describe() in win.db_label.text()
    person.click_row(qtbot, win.nav, win.nav.count() - 1)  # Settings
    win.close()
    saved = Path(QSettings().fileName())
    assert saved.is_file() and saved.is_relative_to(_user_home / "config")
    again = MainWindow(sqlite_db)
    qtbot.addWidget(again)
    assert again.current_page() == "settings"


def test_the_report_picker_fills_when_its_page_is_first_opened(qtbot, window):
    """Building the window at start-up does not load the Reports page's organizations: they
    are read when staff first open the page."""
    from ui.main_window import PAGES

    for n in range(1, 4):
        org(window.db, n, name=f"第{n}个社区服务中心")
    rebuilt = MainWindow(window.db)
    qtbot.addWidget(rebuilt)
    rebuilt.show()
    qtbot.waitExposed(rebuilt)
    assert rebuilt.reports.orgs.count() == 0  # not read at start-up
    person.click_row(qtbot, rebuilt.nav, PAGES.index("reports"))
    qtbot.waitUntil(lambda: rebuilt.reports.orgs.count() == 3)
