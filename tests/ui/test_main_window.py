"""The desktop app's main window: demo offer, organizations list, state, status bar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from incubator.db import Database
from incubator.i18n import set_language
from incubator.services import registry
from tests.factories import org
from ui.main_window import MainWindow

pytestmark = pytest.mark.ui


@pytest.fixture
def window(qtbot, sqlite_db: Database):
    set_language("en")
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    win.show()
    return win


def wait_for_search(qtbot, win: MainWindow) -> None:
    with qtbot.waitSignal(win.organizations.model.searchFinished, timeout=10_000):
        win.organizations.apply_filters()


def test_empty_registry_offers_demo_data_and_loads_it(qtbot, window, monkeypatch) -> None:
    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes,
    )
    window.offer_demo_if_empty()
    assert asked, "an empty registry must offer demo data"
    qtbot.waitUntil(lambda: window._demo_worker is None, timeout=60_000)
    assert registry.count(window.db, registry.OrgQuery(include_archived=True)) == 60
    listed = registry.count(window.db, registry.OrgQuery())  # archived ones are hidden
    qtbot.waitUntil(lambda: window.organizations.model.rowCount() == listed, timeout=10_000)
    assert listed >= 50
    assert window.organizations.count.text() == f"{listed} organizations"


def test_demo_loading_can_be_cancelled_leaving_nothing(qtbot, window) -> None:
    worker = window.load_demo(orgs=3000)
    worker.cancel()
    qtbot.waitUntil(lambda: window._demo_worker is None, timeout=60_000)
    assert registry.count(window.db, registry.OrgQuery(include_archived=True)) == 0


def test_filled_registry_does_not_ask(qtbot, window, monkeypatch) -> None:
    org(window.db, 1)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("asked"))
    with qtbot.waitSignal(window.organizations.model.searchFinished, timeout=10_000):
        window.offer_demo_if_empty()
    assert window.organizations.model.rowCount() == 1


def test_search_as_you_type_by_pinyin_initials(qtbot, window) -> None:
    org(window.db, 1, name="天山区幸福社区服务中心")
    org(window.db, 2, name="喀什市阳光青少年成长协会")
    org(window.db, 3, name="ئۈمىد ياشلار مۇلازىمەت مەركىزى", legal_form="social_group")
    page = window.organizations
    with qtbot.waitSignal(page.model.searchFinished, timeout=10_000):
        qtbot.keyClicks(page.search, "sqfw")
    assert page.model.rowCount() == 1, (page.search.text(), page.model.query, page.model.ids)
    assert page.model.index(0, 1).data() == "天山区幸福社区服务中心"
    page.search.clear()
    wait_for_search(qtbot, window)
    assert page.model.rowCount() == 3
    # Uyghur-script names are right-aligned like right-to-left text.
    names = [page.model.index(r, 1) for r in range(3)]
    uyghur = next(i for i in names if i.data().startswith("ئ"))
    assert uyghur.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_status_bar_names_the_database_and_page_is_remembered(qtbot, sqlite_db) -> None:
    set_language("en")
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    assert sqlite_db.describe() in win.db_label.text()
    win.show_page("settings")
    win.close()
    again = MainWindow(sqlite_db)
    qtbot.addWidget(again)
    assert again.current_page() == "settings"
