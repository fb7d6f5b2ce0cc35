"""The window follows the connected user's role on a shared PostgreSQL registry (issue 17,
point 4): a viewer sees no button that changes anything, staff do not edit the center's own
settings, and a write the server refuses anyway is said as a missing right."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from incubator import roles
from incubator.db import Database
from tests.factories import org
from tests.ui import person
from tests.ui.conftest import close_window, shown_window
from tests.ui.dialogs import when_modal
from ui.main_window import PAGES, MainWindow

pytestmark = [pytest.mark.ui, pytest.mark.postgres]


@pytest.fixture
def users(pg_db: Database) -> dict[str, str]:
    """A registry with roles and one organization; a user name per role."""
    org(pg_db, 1, name="天山区幸福社区服务中心")
    roles.init(pg_db)
    names = {role: f"{pg_db.url.database}_{role}_desk" for role in roles.ROLES}
    for role, name in names.items():
        roles.add_user(pg_db, name, role, None)
    return names


@pytest.fixture
def open_as(qtbot, pg_db: Database, users: dict[str, str]) -> Iterator:
    made: list[tuple[MainWindow, Database]] = []

    def opened(role: str) -> MainWindow:
        desk = Database(pg_db.url.set(username=users[role]), actor="desk")
        window = shown_window(qtbot, desk)
        window.offer_demo_if_empty()  # what the app does once its window shows: lists load
        made.append((window, desk))
        return window

    yield opened
    for window, desk in made:
        close_window(window)
        desk.dispose()


def shown_buttons(widget) -> set[str]:
    return {
        b.objectName()
        for b in widget.findChildren(QPushButton)
        if b.objectName() and not b.isHidden()
    }


def open_first_organization(qtbot, window: MainWindow) -> None:
    page = window.organizations
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: page.model.index(0, 1).data() is not None, timeout=10_000)
    person.click_row(qtbot, page.table, 0, 1, double=True)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.organization_page)


def test_a_viewer_sees_no_button_that_changes_anything(qtbot, open_as) -> None:
    window = open_as("viewer")
    assert window.organizations.new_button.isHidden()
    assert "exportOrgs" in shown_buttons(window.organizations)  # reading stays
    qtbot.keyClick(window, Qt.Key.Key_N, person.CTRL)  # Ctrl+N opens no new organization
    assert QApplication.activeModalWidget() is None
    open_first_organization(qtbot, window)
    page = window.organization_page
    assert "天山区幸福社区服务中心" in page.title.text()
    writers = {"saveProfile", "archiveButton", "add_contactsTable", "editFund", "addPayment"}
    writers |= {"voidFund", "void_projectsTable", "void_allocationsTable"}
    writers |= {"add_annualReportsTable", "edit_ratingsTable", "void_listingsTable"}
    writers |= {"addDocument", "editDocument", "removeDocument"}
    assert not writers & shown_buttons(page)
    assert {"previewDocument", "openDocument", "saveDocument"} <= shown_buttons(page)
    assert not any(name.startswith("move_") for name in shown_buttons(page))
    assert {"backButton", "exportTab"} <= shown_buttons(page)
    # The profile is shown, not edited: typing changes nothing, so leaving asks nothing.
    name = page.profile.inputs["name"]
    person.click(qtbot, name)
    person.type_text(qtbot, name, "改x")
    assert name.text() == "天山区幸福社区服务中心"
    assert not page.has_unsaved_edits()
    for key, hidden in (
        ("dashboard", {"markDone", "snoozeReminder", "remindAgain"}),
        ("reports", {"narrativeButton", "summaryButton"}),
        ("import_export", {"commitImport", "mapColumns"}),
        ("settings", {"saveCenter", "saveTargets", "browseLogo", "saveRules"}),
        ("history", {"restoreVoided"}),
    ):
        person.click_row(qtbot, window.nav, PAGES.index(key))
        assert not hidden & shown_buttons(window.stack.currentWidget()), key


def test_staff_edit_the_registry_but_not_the_center_s_settings(qtbot, open_as) -> None:
    window = open_as("staff")
    assert not window.organizations.new_button.isHidden()
    open_first_organization(qtbot, window)
    assert {"saveProfile", "add_contactsTable", "editFund", "void_projectsTable"} <= shown_buttons(
        window.organization_page
    )
    assert window.history.restore_button.isHidden()  # administrators restore voided records
    person.click_row(qtbot, window.nav, PAGES.index("settings"))
    settings = window.settings_page
    assert "saveCenter" not in shown_buttons(settings)
    assert "saveRules" not in shown_buttons(settings)  # the center's rules: the admin's
    assert "saveTargets" in shown_buttons(settings)
    assert settings.center_name.isReadOnly()
    assert "administrator" in settings.center_status.text()
    admin = open_as("admin")
    assert not admin.settings_page.center_name.isReadOnly()
    assert "saveCenter" in shown_buttons(admin.settings_page)
    assert "saveRules" in shown_buttons(admin.settings_page)
    assert not admin.history.restore_button.isHidden()


def test_a_save_the_server_refuses_is_said_as_a_missing_right(qtbot, open_as, pg_db, users) -> None:
    window = open_as("staff")
    open_first_organization(qtbot, window)
    roles.set_role(pg_db, users["staff"], "viewer")  # while the window is open
    page = window.organization_page
    person.type_into(qtbot, page.profile.inputs["notes"], "换了角色以后")
    said: list[str] = []

    def read(box) -> None:
        said.append(box.text())
        person.answer(qtbot, box, person.Ok)

    errors = when_modal(read, match=lambda w: w.objectName() == "errorBox")
    person.click(qtbot, person.button(page, "saveProfile"))
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    assert not errors, errors
    assert said[0].startswith("You do not have the right to change")
    assert "Traceback" not in said[0]
    assert page.has_unsaved_edits()  # what was typed is still there, not lost


def test_a_desk_on_an_older_schema_reads_and_says_why(qtbot, pg_server) -> None:
    from tests.test_roles import OLDER_READABLE, readable_but_older
    from ui.recovery import open_or_recover

    made = readable_but_older(pg_server)
    org(made, 1, name="喀什市阳光青少年成长协会")
    desk = open_or_recover(made.url.render_as_string(hide_password=False))
    window = shown_window(qtbot, desk)
    try:
        window.offer_demo_if_empty()
        qtbot.waitUntil(lambda: window.organizations.model.rowCount() == 1, timeout=10_000)
        assert window.organizations.new_button.isHidden()
        said = window.db_label.text()
        assert f"older schema ({OLDER_READABLE})" in said and "ask the administrator" in said
    finally:
        close_window(window)
        desk.dispose()
        made.dispose()
