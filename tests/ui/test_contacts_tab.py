"""Contacts on an organization's page, by clicks: add, make another one main, remove; phones
masked in the list, whole in the edit dialog; a new organization's contact is its main one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from incubator.services import contacts, registry
from tests.factories import org
from tests.ui import person
from tests.ui.dialogs import when_modal

pytestmark = pytest.mark.ui


def listed(page) -> list[list[str]]:
    table = page.contacts
    return [[table.cell_text(r, c) for c in range(5)] for r in range(table.rowCount())]


def test_contacts_added_made_main_and_removed(qtbot, window) -> None:
    a = org(window.db, 1)
    window.open_organization(a.id)
    page = window.organization_page
    person.open_tab(qtbot, page.tabs, "Contacts")

    def add(name: str, role: str, phone: str, mail: str = ""):
        return lambda d: (
            person.fill(qtbot, d, name=name, role=role, phone=phone, email=mail),
            person.save(qtbot, d),
        )

    errors = when_modal(add("阿依古丽·买买提", "秘书长", "13912345678"))
    person.press(qtbot, page, "add_contactsTable")
    errors += when_modal(add("王建国", "财务", "0991-2345678", "wjg@example.cn"))
    person.press(qtbot, page, "add_contactsTable")
    assert not errors, errors
    assert listed(page) == [
        ["阿依古丽·买买提", "秘书长", "139****5678", "", "Main"],
        ["王建国", "财务", "099*-***5678", "wjg@example.cn", ""],
    ]
    seen: dict[str, str] = {}

    def make_main(dialog) -> None:
        seen["phone"] = dialog.form.inputs["phone"].text()  # the whole number, to call it
        person.fill(qtbot, dialog, is_main=True)
        person.save(qtbot, dialog)

    person.click_row(qtbot, page.contacts, 1)
    errors = when_modal(make_main)
    person.press(qtbot, page, "edit_contactsTable")
    assert not errors, errors
    assert seen["phone"] == "0991-2345678"
    assert [row[0] for row in listed(page) if row[4] == "Main"] == ["王建国"]
    assert registry.get(window.db, a.id).contact_person == "王建国"

    person.click_row(qtbot, page.contacts, 0)  # 王建国, the main one, listed first
    errors = when_modal(lambda box: person.answer(qtbot, box, person.Yes))
    person.press(qtbot, page, "remove_contactsTable")
    assert not errors, errors
    assert listed(page) == [["阿依古丽·买买提", "秘书长", "139****5678", "", "Main"]]


def test_a_new_organization_brings_its_main_contact(qtbot, window) -> None:
    def register(dialog) -> None:
        person.fill(
            qtbot,
            dialog,
            name="幸福社区互助会",
            legal_form="community_unregistered",
            address="天山区幸福路12号",
            contact_person="李梅",
            contact_phone="13912345678",
        )
        person.save(qtbot, dialog)

    errors = when_modal(register)
    qtbot.keyClick(window, Qt.Key.Key_N, person.CTRL)
    assert not errors, errors
    (created,) = registry.search(window.db, registry.OrgQuery(include_archived=True))
    assert created.address == "天山区幸福路12号"
    (main,) = contacts.contacts_of(window.db, created.id)
    assert (main.name, main.phone, main.is_main) == ("李梅", "13912345678", True)
