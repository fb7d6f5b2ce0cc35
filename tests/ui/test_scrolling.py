"""Scrolling the organizations list: the rows scrolled to are read by a worker, never on the GUI
thread, and shown when they arrive; a row saved elsewhere is read again and keeps showing its
old text until then."""

from __future__ import annotations

import threading

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from incubator.services import registry
from tests.test_search_index import plain_scan
from tests.ui import person
from ui import org_table
from ui.org_table import BLOCK

pytestmark = pytest.mark.ui


@pytest.fixture
def page(listed_demo):
    return listed_demo


@pytest.fixture
def gui_thread_reads(monkeypatch) -> list[bool]:
    """For every read of list rows: whether it ran on the GUI thread (the real read runs)."""
    seen: list[bool] = []
    real = registry.list_rows

    def list_rows(db, ids):
        seen.append(threading.current_thread() is threading.main_thread())
        return real(db, ids)

    monkeypatch.setattr(registry, "list_rows", list_rows)
    return seen


def names_in_list_order(db) -> list[str]:
    ids = plain_scan(db, "")  # every organization not archived, in name order
    with db.engine.connect() as conn:
        names = dict(conn.execute(text("SELECT id, name FROM organizations")).all())
    return [names[i] for i in ids]


def test_rows_scrolled_to_arrive_from_a_worker(qtbot, page, gui_thread_reads) -> None:
    model, table = page.model, page.table
    expected = names_in_list_order(model.db)
    assert model.rowCount() == len(expected) > 2 * BLOCK
    last = len(expected) - 1

    person.click_row(qtbot, table, 0, 1)
    person.key(qtbot, table, Qt.Key.Key_End, person.CTRL)
    assert table.currentIndex().row() == last
    # Nothing was read while the key was handled: the row is blank until its worker reports.
    assert model.index(last, 1).data() is None and not model.is_loaded(last)
    qtbot.waitUntil(lambda: model.is_loaded(last), timeout=10_000)
    assert model.index(last, 1).data() == expected[-1]

    person.key(qtbot, table, Qt.Key.Key_Home, person.CTRL)
    assert person.read_column(qtbot, table, 1) == expected
    assert gui_thread_reads and not any(gui_thread_reads)


def test_a_row_saved_elsewhere_is_read_again(qtbot, window, page, gui_thread_reads) -> None:
    model = page.model
    row = 0
    org = registry.get(window.db, model.org_id(row))
    old = model.index(row, 2).data()

    person.click_row(qtbot, page.table, row, 1, double=True)  # opens its page
    assert window.organization_page.org.id == org.id
    person.type_into(qtbot, window.organization_page.profile.inputs["short_name"], "新简称")
    person.press(qtbot, window.organization_page, "saveProfile")
    assert registry.get(window.db, org.id).short_name == "新简称"

    # The old text stays on screen (never a blank row) until the fresh one arrives.
    shown = []

    def fresh() -> bool:
        shown.append(model.index(row, 2).data())
        return model.is_loaded(row) and shown[-1] == "新简称"

    qtbot.waitUntil(fresh, timeout=10_000)
    assert set(shown) <= {old, "新简称"}, shown
    assert not any(gui_thread_reads)


def test_copying_every_row_copies_rows_never_shown(qtbot, page, monkeypatch) -> None:
    """Ctrl+A, Ctrl+C at the top of the list: the rows below were never scrolled to, and are
    copied whole all the same, more of them than the list keeps read (its cache made small
    here, as 100,000 rows would make it)."""
    monkeypatch.setattr(org_table, "CACHE_ROWS", 50)
    expected = names_in_list_order(page.model.db)
    person.click_row(qtbot, page.table, 0, 1)
    assert not page.model.is_loaded(len(expected) - 1)
    qtbot.keyClick(page.table, Qt.Key.Key_A, person.CTRL)
    qtbot.keyClick(page.table, Qt.Key.Key_C, person.CTRL)
    lines = QApplication.clipboard().text().splitlines()
    assert lines[0].split("\t")[1] == "Name"
    assert [line.split("\t")[1] for line in lines[1:]] == expected


def test_rows_scrolled_past_free_their_items(qtbot, page, monkeypatch) -> None:
    """Scrolled through, the list keeps the items of its last CACHE_ROWS rows only (made small
    here) and frees the others: kept alive, 100,000 rows' items held 30 MiB more (issue 16)."""
    monkeypatch.setattr(org_table, "CACHE_ROWS", BLOCK)
    model, table = page.model, page.table
    person.click_row(qtbot, table, 0, 1)
    first = model.item(0, 1)
    assert first is not None and shiboken6.isValid(first)
    person.key(qtbot, table, Qt.Key.Key_End, person.CTRL)
    last = model.rowCount() - 1
    qtbot.waitUntil(lambda: model.is_loaded(last), timeout=10_000)
    assert not model.is_loaded(0) and model.item(0, 1) is None
    assert not shiboken6.isValid(first)  # deleted, not only taken out of the model
    held = [r for r in range(model.rowCount()) if model.item(r, 1) is not None]
    assert 0 < len(held) <= BLOCK
