"""Typing in the organizations search: the first screenful shows first, the rest of the
matches join below it, and the list holds exactly what a plain scan of the keys finds."""

from __future__ import annotations

import pytest

from incubator.textkeys import fold_for_search
from tests.test_search_index import plain_scan
from tests.ui import person
from ui.org_table import BLOCK

pytestmark = pytest.mark.ui


@pytest.fixture
def page(listed_demo):
    return listed_demo


def names_listed(qtbot, page) -> list[str]:
    return person.read_column(qtbot, page.table, 1)


def names_of(db, ids: list[int]) -> list[str]:
    from incubator.services import registry

    return [row.name for row in registry.list_rows(db, ids)]


def test_the_first_screenful_then_the_rest(qtbot, page) -> None:
    expected = plain_scan(page.model.db, fold_for_search("区"))
    assert len(expected) > BLOCK  # more than a screenful, so the rest comes second
    inserted = []
    page.model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    with qtbot.waitSignal(page.model.searchFinished, timeout=10_000) as finished:
        person.type_into(qtbot, page.search, "区")
    assert inserted == [(0, BLOCK - 1), (BLOCK, len(expected) - 1)]
    assert finished.args == [len(expected)]
    assert page.count.text() == f"{len(expected)} organizations"
    assert names_listed(qtbot, page) == names_of(page.model.db, expected)


def test_typing_on_narrows_the_list(qtbot, page) -> None:
    for typed in ("sh", "shequ", "shequfu"):
        with qtbot.waitSignal(page.model.searchFinished, timeout=10_000):
            person.type_into(qtbot, page.search, typed)
        expected = plain_scan(page.model.db, typed)
        assert names_listed(qtbot, page) == names_of(page.model.db, expected), typed
    with qtbot.waitSignal(page.model.searchFinished, timeout=10_000):
        person.type_into(qtbot, page.search, "zzzqqq")
    assert page.model.rowCount() == 0
    assert page.count.text() == "0 organizations"
