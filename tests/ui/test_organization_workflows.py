"""Staff workflows on real widgets: create, search, lifecycle, funds, conflicts, language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from incubator.domain import LegalForm, Stage
from incubator.services import funds, lifecycle, registry
from tests.factories import credit_code, org
from tests.ui import person
from tests.ui.dialogs import when_modal

pytestmark = pytest.mark.ui


def test_create_organization_rejects_bad_credit_code_then_saves(qtbot, window) -> None:
    good = credit_code(7, prefix="52")  # 52: a social service organization's code
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    seen: dict[str, str] = {}

    def interact(dialog) -> None:
        person.fill(
            qtbot,
            dialog,
            name="阿依努尔·卡德尔巾帼手工艺合作社",
            legal_form=LegalForm.SOCIAL_SERVICE_ORG,
            credit_code=bad,
        )
        seen["error"] = person.save_refused(qtbot, dialog, "credit_code")
        seen["count"] = str(registry.count(window.db, registry.OrgQuery(include_archived=True)))
        person.fill(qtbot, dialog, credit_code=good.lower())
        person.save(qtbot, dialog)

    errors = when_modal(interact)
    person.press(qtbot, window.organizations, "newOrgButton")
    assert not errors, errors
    assert "Check character is wrong" in seen["error"]
    assert seen["count"] == "0"
    (created,) = registry.search(window.db, registry.OrgQuery(include_archived=True))
    assert created.credit_code == good
    assert window.stack.currentWidget() is window.organization_page
    assert "阿依努尔·卡德尔巾帼手工艺合作社" in window.organization_page.title.text()


def test_filters_narrow_the_list(qtbot, window) -> None:
    a = org(window.db, 1, name="天山区幸福社区服务中心")
    org(window.db, 2, name="喀什市阳光青少年成长协会", legal_form="social_group")
    lifecycle.transition(window.db, a.id, Stage.ADMITTED, reason="评审通过")
    window.show_page("organizations")
    page = window.organizations
    with qtbot.waitSignal(page.model.searchFinished, timeout=10_000):
        person.choose(qtbot, page.stage, Stage.ADMITTED)
    assert page.model.rowCount() == 1
    with qtbot.waitSignal(page.model.searchFinished, timeout=10_000):
        person.choose(qtbot, page.stage, None)
    with qtbot.waitSignal(page.model.searchFinished, timeout=10_000):
        person.choose(qtbot, page.legal_form, LegalForm.SOCIAL_GROUP)
    assert page.model.rowCount() == 1
    assert page.model.index(0, 1).data() == "喀什市阳光青少年成长协会"


def test_lifecycle_transition_offers_only_legal_moves_and_asks_a_reason(qtbot, window) -> None:
    a = org(window.db, 1)
    window.open_organization(a.id)
    page = window.organization_page
    person.open_tab(qtbot, page.tabs, "Lifecycle")
    assert set(page.move_buttons) == {Stage.ADMITTED, Stage.EXITED}
    seen: dict[str, str] = {}

    def without_reason(dialog) -> None:
        seen["problem"] = person.save_refused(qtbot, dialog, "reason")
        person.fill(qtbot, dialog, reason="评审委员会审议通过")
        person.save(qtbot, dialog)

    errors = when_modal(without_reason)
    person.click(qtbot, page.move_buttons[Stage.ADMITTED])
    assert not errors, errors
    assert seen["problem"] == "This field is required"
    assert registry.get(window.db, a.id).stage is Stage.ADMITTED
    assert page.timeline.rowCount() == 2
    assert set(page.move_buttons) == {Stage.INCUBATING, Stage.EXITED}


def test_add_fund_with_a_payment(qtbot, window) -> None:
    a = org(window.db, 1)
    window.open_organization(a.id)
    page = window.organization_page
    person.open_tab(qtbot, page.tabs, "Funds")
    seen: dict[str, str] = {}

    def add_fund(dialog) -> None:
        person.fill(qtbot, dialog, title="2026年公益创投资助", source="government")
        person.fill(qtbot, dialog, amount_committed="-5")
        seen["negative"] = person.save_refused(qtbot, dialog, "amount_committed")
        person.fill(qtbot, dialog, amount_committed="100,000")
        person.save(qtbot, dialog)

    errors = when_modal(add_fund)
    person.press(qtbot, page, "addFund")
    assert not errors, errors
    assert "negative" in seen["negative"].lower()
    assert page.funds_table.rowCount() == 1
    person.click_row(qtbot, page.funds_table, 0)
    errors = when_modal(
        lambda d: (
            person.fill(qtbot, d, amount="30000", due_on="2026-03-01"),
            person.save(qtbot, d),
        )
    )
    person.press(qtbot, page, "addPayment")
    assert not errors, errors
    assert page.payments_table.rowCount() == 1
    person.click_row(qtbot, page.payments_table, 0)
    errors = when_modal(
        lambda d: (person.fill(qtbot, d, paid_on="2026/3/2"), person.save(qtbot, d))
    )
    person.press(qtbot, page, "recordPayment")
    assert not errors, errors
    (fund,) = funds.funds_of(window.db, a.id)
    assert fund.disbursed == Decimal("30000.00") and fund.remaining == Decimal("70000.00")
    assert fund.payments[0].paid_on == dt.date(2026, 3, 2)
    assert "disbursed 30,000.00" in page.funds_totals.text()


def test_save_conflict_shows_both_versions_and_never_overwrites_silently(qtbot, window) -> None:
    a = org(window.db, 1, short_name="幸福")
    window.open_organization(a.id)
    page = window.organization_page
    # Another desk changes the short name behind this form.
    registry.update(window.db, a.id, {"short_name": "另一个桌面"}, a.version)
    person.type_into(qtbot, page.profile.inputs["short_name"], "我的修改")
    shown: dict[str, object] = {}

    def take_theirs(dialog) -> None:
        shown["rows"] = [
            (dialog.table.cell_text(r, 1), dialog.table.cell_text(r, 2))
            for r in range(dialog.table.rowCount())
        ]
        person.press(qtbot, dialog, "takeTheirs")

    errors = when_modal(take_theirs)
    person.press(qtbot, page, "saveProfile")
    assert not errors, errors
    assert ("我的修改", "另一个桌面") in shown["rows"]
    assert registry.get(window.db, a.id).short_name == "另一个桌面"
    assert page.profile.inputs["short_name"].text() == "另一个桌面"

    # Keeping mine is an explicit choice, and then it is saved (Ctrl+S this time).
    registry.update(window.db, a.id, {"short_name": "第三次"}, page.org.version)
    person.type_into(qtbot, page.profile.inputs["short_name"], "还是我的")
    errors = when_modal(lambda d: person.press(qtbot, d, "keepMine"))
    qtbot.keyClick(page.profile.inputs["short_name"], Qt.Key.Key_S, person.CTRL)
    assert not errors, errors
    assert registry.get(window.db, a.id).short_name == "还是我的"


def test_switching_language_rebuilds_the_window_in_chinese(qtbot, window) -> None:
    org(window.db, 1)
    person.click_row(qtbot, window.nav, window.nav.count() - 1)  # Settings, the last entry
    assert window.current_page() == "settings"
    person.choose(qtbot, window.settings_page.language, "zh_CN")
    qtbot.waitUntil(window.nav.isVisible)  # the rebuilt window shows on the next event turn
    assert window.windowTitle() != "Incubator Registry"
    assert window.current_page() == "settings"
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert "社会组织" in labels or any("组织" in t for t in labels)
    assert window.organizations.new_button.text() != "New organization…"


def test_record_edit_conflict_shows_both_versions(qtbot, window) -> None:
    from incubator.services import projects

    a = org(window.db, 1)
    p = projects.add(
        window.db, a.id, {"name": "助老餐桌", "budget": "20000", "start_on": dt.date(2026, 3, 1)}
    )
    window.open_organization(a.id)
    page = window.organization_page
    person.open_tab(qtbot, page.tabs, "Projects")
    person.click_row(qtbot, page.projects, 0)
    # Another desk renames the project after this page loaded it.
    projects.update(window.db, p.id, {"name": "长者食堂"}, p.version)
    seen: dict[str, object] = {}

    def keep_mine(conflict) -> None:
        seen["rows"] = [
            (conflict.table.cell_text(r, 1), conflict.table.cell_text(r, 2))
            for r in range(conflict.table.rowCount())
        ]
        person.press(qtbot, conflict, "keepMine")

    def edit(dialog) -> None:
        person.fill(qtbot, dialog, name="社区助老餐桌")
        seen["inner"] = when_modal(keep_mine, match=lambda w: w is not dialog)
        person.save(qtbot, dialog)

    errors = when_modal(edit)
    person.press(qtbot, page, "edit_projectsTable")
    assert not errors, errors
    assert not seen["inner"], seen["inner"]
    assert ("社区助老餐桌", "长者食堂") in seen["rows"]
    (saved,) = projects.list_for(window.db, a.id)
    assert saved.name == "社区助老餐桌" and saved.version == 3
