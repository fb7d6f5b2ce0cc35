"""Leaving an organization page with unsaved profile edits asks: save, discard or stay.
Driven by clicks on the sidebar, the Back button and the window's close, answered by clicks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from incubator.services import registry
from tests.factories import org
from tests.ui import person
from tests.ui.dialogs import when_modal
from ui.main_window import PAGES

pytestmark = pytest.mark.ui


def unsaved_box(widget) -> bool:
    return widget.objectName() == "unsavedChanges"


@pytest.fixture
def edited(qtbot, window):
    """An organization's page with its short name changed and not saved."""
    a = org(window.db, 1, short_name="幸福")
    window.open_organization(a.id)
    person.type_into(qtbot, window.organization_page.profile.inputs["short_name"], "幸福家园")
    return window, a


def answer_with(qtbot, which, seen: list[str]):
    def act(box: QMessageBox) -> None:
        seen.append(box.text())
        person.press(qtbot, box, which)

    return act


def test_stay_keeps_the_page_and_the_edit(qtbot, edited) -> None:
    window, a = edited
    seen: list[str] = []
    errors = when_modal(answer_with(qtbot, "Stay on this page", seen), match=unsaved_box)
    person.click_row(qtbot, window.nav, PAGES.index("dashboard"))
    assert not errors, errors
    assert seen == [f"The profile of “{a.name}” has changes that are not saved."]
    assert window.stack.currentWidget() is window.organization_page
    qtbot.wait(50)  # what the sidebar shows once Qt is done with the click
    assert window.nav.currentRow() == PAGES.index("organizations")
    assert [window.nav.row(i) for i in window.nav.selectedItems()] == [PAGES.index("organizations")]
    assert window.organization_page.profile.inputs["short_name"].text() == "幸福家园"
    assert registry.get(window.db, a.id).short_name == "幸福"


def test_back_and_discard_leaves_the_registry_as_it_was(qtbot, edited) -> None:
    window, a = edited
    seen: list[str] = []
    errors = when_modal(answer_with(qtbot, "Discard changes", seen), match=unsaved_box)
    person.press(qtbot, window.organization_page, "backButton")
    assert not errors, errors
    assert seen
    assert window.stack.currentWidget() is window.organizations
    assert registry.get(window.db, a.id).short_name == "幸福"
    window.open_organization(a.id)  # nothing is asked: nothing is unsaved
    assert window.organization_page.profile.inputs["short_name"].text() == "幸福"


def test_closing_the_window_can_save(qtbot, edited) -> None:
    window, a = edited
    seen: list[str] = []
    errors = when_modal(answer_with(qtbot, "Save", seen), match=unsaved_box)
    window.close()  # what the window manager's close button sends
    assert not errors, errors
    assert seen and not window.isVisible()
    assert registry.get(window.db, a.id).short_name == "幸福家园"


def test_closing_the_window_can_be_called_off(qtbot, edited) -> None:
    window, _a = edited
    errors = when_modal(answer_with(qtbot, "Stay on this page", []), match=unsaved_box)
    window.close()
    assert not errors, errors
    assert window.isVisible()


def test_a_save_that_is_refused_stays_with_the_problem_shown(qtbot, edited) -> None:
    window, a = edited
    page = window.organization_page
    person.type_into(qtbot, page.profile.inputs["founded_on"], "2019-02-30")
    errors = when_modal(answer_with(qtbot, "Save", []), match=unsaved_box)
    person.click_row(qtbot, window.nav, PAGES.index("reports"))
    assert not errors, errors
    assert window.stack.currentWidget() is page
    assert "Not a date" in page.profile.problem_text("founded_on")
    assert registry.get(window.db, a.id).short_name == "幸福"


def test_nothing_is_asked_without_edits(qtbot, window) -> None:
    a = org(window.db, 1)
    window.open_organization(a.id)
    person.click_row(qtbot, window.nav, PAGES.index("organizations"))  # the list again
    assert window.stack.currentWidget() is window.organizations
    window.open_organization(a.id)
    person.click_row(qtbot, window.nav, PAGES.index("spaces"))
    assert window.current_page() == "spaces"
    assert QMessageBox not in {type(w) for w in window.findChildren(QMessageBox) if w.isVisible()}


def test_escape_in_a_dialog_asks_before_dropping_what_was_typed(qtbot, window) -> None:
    seen: dict[str, object] = {}

    def type_then_escape(dialog) -> None:
        person.fill(qtbot, dialog, name="幸福社区互助会")
        seen["first"] = when_modal(
            lambda box: person.press(qtbot, box, "Keep editing"),
            match=lambda w: w.objectName() == "discardTyped",
        )
        person.key(qtbot, dialog.form.inputs["name"], Qt.Key.Key_Escape)
        seen["still_open"] = dialog.isVisible()
        seen["kept"] = dialog.form.inputs["name"].text()
        seen["second"] = when_modal(
            lambda box: person.press(qtbot, box, "Discard it"),
            match=lambda w: w.objectName() == "discardTyped",
        )
        person.key(qtbot, dialog.form.inputs["name"], Qt.Key.Key_Escape)

    errors = when_modal(type_then_escape)
    qtbot.keyClick(window, Qt.Key.Key_N, person.CTRL)
    assert not errors, errors
    assert not seen["first"] and not seen["second"]
    assert seen["still_open"] is True and seen["kept"] == "幸福社区互助会"
    assert registry.count(window.db, registry.OrgQuery(include_archived=True)) == 0
