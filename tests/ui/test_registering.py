"""Registering and finding, by keyboard and mouse: a second organization of the same name is
warned about before it is saved; blank head counts stay blank; "8万" is 80,000 yuan; names are
found without their dot and by word-context initials."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from incubator.services import funds, registry
from tests.factories import credit_code, org
from tests.ui import person
from tests.ui.dialogs import when_modal

pytestmark = pytest.mark.ui

FIRST = "阿依古丽·买买提社工服务站"


def all_orgs(db) -> list[registry.OrganizationView]:
    return registry.search(db, registry.OrgQuery(include_archived=True))


def test_the_same_name_is_warned_about_before_it_is_saved(qtbot, window) -> None:
    first = org(window.db, 1, name=FIRST, credit_code=None, legal_form="community_unregistered")
    seen: dict[str, object] = {}

    def register(dialog) -> None:
        person.fill(
            qtbot, dialog, name="阿依古丽•买买提 社工服务站", legal_form="community_unregistered"
        )
        person.answer(qtbot, dialog, person.Save)
        seen["open"] = dialog.isVisible()
        seen["warning"] = dialog.warning.text()
        seen["count"] = len(all_orgs(window.db))
        person.save(qtbot, dialog)  # Save again: registered anyway

    errors = when_modal(register)
    qtbot.keyClick(window, Qt.Key.Key_N, person.CTRL)
    assert not errors, errors
    assert seen["open"] is True and seen["count"] == 1
    assert seen["warning"] == (
        f"Name: “{FIRST}” is already registered (no. {first.id})\n"
        "Press Save again to save it anyway."
    )
    assert len(all_orgs(window.db)) == 2


def test_a_code_of_another_type_is_warned_about_before_saving(qtbot, window) -> None:
    seen: dict[str, str] = {}

    def register(dialog) -> None:
        person.fill(
            qtbot,
            dialog,
            name="天山区社会工作服务中心",
            legal_form="social_service_org",
            credit_code=credit_code(9, prefix="51"),  # 51: a social group's code
        )
        person.answer(qtbot, dialog, person.Save)
        seen["warning"] = dialog.warning.text()
        person.fill(qtbot, dialog, credit_code=credit_code(9, prefix="52"))
        person.save(qtbot, dialog)  # the corrected code has nothing to warn about

    errors = when_modal(register)
    qtbot.keyClick(window, Qt.Key.Key_N, person.CTRL)
    assert not errors, errors
    assert "does not match the legal form" in seen["warning"]
    (created,) = all_orgs(window.db)
    assert created.credit_code == credit_code(9, prefix="52")


def test_blank_head_counts_stay_blank(qtbot, window) -> None:
    def register(dialog) -> None:
        person.fill(
            qtbot,
            dialog,
            name="幸福社区互助会",
            legal_form="community_unregistered",
            staff_count="3",
        )
        person.fill(qtbot, dialog, staff_count="")
        person.save(qtbot, dialog)

    errors = when_modal(register)
    qtbot.keyClick(window, Qt.Key.Key_N, person.CTRL)
    assert not errors, errors
    (created,) = all_orgs(window.db)
    assert (created.staff_count, created.volunteer_count) == (None, None)
    page = window.organization_page
    assert page.profile.inputs["staff_count"].text() == ""
    person.type_into(qtbot, page.profile.inputs["volunteer_count"], "0")
    person.press(qtbot, page, "saveProfile")
    saved = registry.get(window.db, created.id)
    assert (saved.staff_count, saved.volunteer_count) == (None, 0)


def test_an_amount_in_ten_thousands(qtbot, window) -> None:
    a = org(window.db, 1)
    window.open_organization(a.id)
    page = window.organization_page
    person.open_tab(qtbot, page.tabs, "Funds")
    errors = when_modal(
        lambda d: (
            person.fill(
                qtbot,
                d,
                title="公益创投",
                source="government",
                amount_committed="8万元",
                committed_on=str(dt.date.today()),
            ),
            person.save(qtbot, d),
        )
    )
    person.press(qtbot, page, "addFund")
    assert not errors, errors
    (fund,) = funds.funds_of(window.db, a.id)
    assert fund.amount_committed == Decimal("80000.00")


@pytest.mark.parametrize(
    "typed, expected",
    [("阿依古丽买买提", FIRST), ("ayiguli maimaiti", FIRST), ("cqsh", "重庆商会驻疆联络站")],
)
def test_found_as_typed_in_the_list(qtbot, window, typed: str, expected: str) -> None:
    org(window.db, 1, name=FIRST)
    org(window.db, 2, name="重庆商会驻疆联络站")
    org(window.db, 3, name="中山社区服务中心")
    page = window.organizations
    window.show_page("organizations")
    with qtbot.waitSignal(page.model.searchFinished, timeout=10_000):
        person.type_into(qtbot, page.search, typed)
    assert page.model.rowCount() == 1
    assert page.model.index(0, 1).data() == expected


def test_a_busy_registry_keeps_the_edit_in_the_dialog_until_it_saves(qtbot, window) -> None:
    """Another desk holds a long write (an import, demo): Save waits, then says the registry
    is busy and keeps everything typed; once the other write ends, Save saves it."""
    from incubator.db import Database

    other = Database(window.db.url, actor="import")
    seen: dict[str, object] = {}

    def register(dialog) -> None:
        person.fill(qtbot, dialog, name="青年志愿者协会", legal_form="community_unregistered")
        with other.transaction():  # the long write elsewhere
            person.answer(qtbot, dialog, person.Save)
            seen["open"] = dialog.isVisible()
            seen["said"] = dialog.form.general_error.text()
        seen["kept"] = dialog.form.values()["name"]
        person.save(qtbot, dialog)

    errors = when_modal(register)
    qtbot.keyClick(window, Qt.Key.Key_N, person.CTRL)
    other.dispose()
    assert not errors, errors
    assert seen["open"] is True and "busy" in str(seen["said"])
    assert "nothing was saved" in str(seen["said"]) and seen["kept"] == "青年志愿者协会"
    assert [o.name for o in all_orgs(window.db)] == ["青年志愿者协会"]
