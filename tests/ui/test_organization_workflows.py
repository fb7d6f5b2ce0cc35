"""Staff workflows on real widgets: create, search, lifecycle, funds, conflicts, language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QLineEdit, QPlainTextEdit, QPushButton

from incubator.db import Database
from incubator.domain import LegalForm, Stage
from incubator.i18n import set_language
from incubator.services import funds, lifecycle, registry
from tests.factories import credit_code, org
from tests.ui.dialogs import when_modal
from ui.main_window import MainWindow

pytestmark = pytest.mark.ui


@pytest.fixture
def window(qtbot, sqlite_db: Database):
    set_language("en")
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    win.show()
    return win


def fill(dialog, **values) -> None:
    for name, value in values.items():
        widget = dialog.form.inputs[name]
        if isinstance(widget, QLineEdit):
            widget.setText(value)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findData(value))
        elif isinstance(widget, QDateEdit):
            widget.setDate(QDate(value.year, value.month, value.day))


def test_create_organization_rejects_bad_credit_code_then_saves(qtbot, window) -> None:
    good = credit_code(7)
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    seen: dict[str, str] = {}

    def interact(dialog) -> None:
        fill(
            dialog,
            name="阿依努尔·卡德尔巾帼手工艺合作社",
            legal_form=LegalForm.SOCIAL_SERVICE_ORG,
            credit_code=bad,
        )
        assert dialog.save() is False  # refused: dialog stays open, nothing saved
        seen["error"] = dialog.form.problem_text("credit_code")
        seen["count"] = str(registry.count(window.db, registry.OrgQuery(include_archived=True)))
        fill(dialog, credit_code=good.lower())
        assert dialog.save() is True

    errors = when_modal(interact)
    created = window.new_organization()
    assert not errors, errors
    assert "Check character is wrong" in seen["error"]
    assert seen["count"] == "0"
    assert created is not None and created.credit_code == good
    assert window.stack.currentWidget() is window.organization_page
    assert "阿依努尔·卡德尔巾帼手工艺合作社" in window.organization_page.title.text()


def test_filters_narrow_the_list(qtbot, window) -> None:
    a = org(window.db, 1, name="天山区幸福社区服务中心")
    org(window.db, 2, name="喀什市阳光青少年成长协会", legal_form="social_group")
    lifecycle.transition(window.db, a.id, Stage.ADMITTED, reason="评审通过")
    page = window.organizations
    with qtbot.waitSignal(page.model.searchFinished, timeout=10_000):
        page.stage.setCurrentIndex(page.stage.findData(Stage.ADMITTED))
    assert page.model.rowCount() == 1
    with qtbot.waitSignal(page.model.searchFinished, timeout=10_000):
        page.stage.setCurrentIndex(0)
    with qtbot.waitSignal(page.model.searchFinished, timeout=10_000):
        page.legal_form.setCurrentIndex(page.legal_form.findData(LegalForm.SOCIAL_GROUP))
    assert page.model.rowCount() == 1
    assert page.model.index(0, 1).data() == "喀什市阳光青少年成长协会"


def test_lifecycle_transition_offers_only_legal_moves_and_asks_a_reason(qtbot, window) -> None:
    a = org(window.db, 1)
    window.open_organization(a.id)
    page = window.organization_page
    assert set(page.move_buttons) == {Stage.ADMITTED, Stage.EXITED}

    def without_reason(dialog) -> None:
        assert dialog.save() is False
        assert dialog.form.problem_text("reason") == "This field is required"
        fill(dialog, reason="评审委员会审议通过")
        assert dialog.save() is True

    errors = when_modal(without_reason)
    assert page.transition(Stage.ADMITTED)
    assert not errors, errors
    assert registry.get(window.db, a.id).stage is Stage.ADMITTED
    assert page.timeline.rowCount() == 2
    assert set(page.move_buttons) == {Stage.INCUBATING, Stage.EXITED}


def test_add_fund_with_a_payment(qtbot, window) -> None:
    a = org(window.db, 1)
    window.open_organization(a.id)
    page = window.organization_page
    errors = when_modal(
        lambda d: (
            fill(d, title="2026年公益创投项目资助", source="government", amount_committed="-5"),
            _expect_refused(d, "amount_committed", "negative"),
            fill(d, amount_committed="100,000"),
            d.save(),
        )
    )
    assert page.add_fund()
    assert not errors, errors
    assert page.funds_table.rowCount() == 1
    page.funds_table.selectRow(0)
    errors = when_modal(lambda d: (fill(d, amount="30000", due_on=dt.date(2026, 3, 1)), d.save()))
    assert page.add_payment()
    assert not errors, errors
    assert page.payments_table.rowCount() == 1
    page.payments_table.selectRow(0)
    errors = when_modal(lambda d: (fill(d, paid_on=dt.date(2026, 3, 2)), d.save()))
    assert page.record_payment()
    assert not errors, errors
    (fund,) = funds.funds_of(window.db, a.id)
    assert fund.disbursed == Decimal("30000.00") and fund.remaining == Decimal("70000.00")
    assert "disbursed 30,000.00" in page.funds_totals.text()


def _expect_refused(dialog, field: str, words: str) -> None:
    assert dialog.save() is False
    assert words in dialog.form.problem_text(field).lower()


def test_save_conflict_shows_both_versions_and_never_overwrites_silently(qtbot, window) -> None:
    a = org(window.db, 1, short_name="幸福")
    window.open_organization(a.id)
    page = window.organization_page
    # Another desk changes the short name behind this form.
    registry.update(window.db, a.id, {"short_name": "另一个桌面"}, a.version)
    page.profile.inputs["short_name"].setText("我的修改")
    shown: dict[str, object] = {}

    def take_theirs(dialog) -> None:
        shown["rows"] = [
            (dialog.table.cell_text(r, 1), dialog.table.cell_text(r, 2))
            for r in range(dialog.table.rowCount())
        ]
        dialog.findChild(QPushButton, "takeTheirs").click()

    errors = when_modal(take_theirs)
    assert page.save_profile() is False
    assert not errors, errors
    assert ("我的修改", "另一个桌面") in shown["rows"]
    assert registry.get(window.db, a.id).short_name == "另一个桌面"
    assert page.profile.inputs["short_name"].text() == "另一个桌面"

    # Keeping mine is an explicit choice, and then it is saved.
    registry.update(window.db, a.id, {"short_name": "第三次"}, page.org.version)
    page.profile.inputs["short_name"].setText("还是我的")
    errors = when_modal(lambda d: d.findChild(QPushButton, "keepMine").click())
    assert page.save_profile() is True
    assert not errors, errors
    assert registry.get(window.db, a.id).short_name == "还是我的"


def test_switching_language_rebuilds_the_window_in_chinese(qtbot, window) -> None:
    org(window.db, 1)
    window.show_page("settings")
    combo = window.settings_page.language
    combo.setCurrentIndex(combo.findData("zh_CN"))
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
    page.projects.selectRow(0)
    # Another desk renames the project after this page loaded it.
    projects.update(window.db, p.id, {"name": "长者食堂"}, p.version)
    seen: dict[str, object] = {}

    def keep_mine(conflict) -> None:
        seen["rows"] = [
            (conflict.table.cell_text(r, 1), conflict.table.cell_text(r, 2))
            for r in range(conflict.table.rowCount())
        ]
        conflict.findChild(QPushButton, "keepMine").click()

    def edit(dialog) -> None:
        fill(dialog, name="社区助老餐桌")
        when_modal(keep_mine)
        assert dialog.save() is True

    errors = when_modal(edit)
    assert page.edit_project()
    assert not errors, errors
    assert ("社区助老餐桌", "长者食堂") in seen["rows"]
    (saved,) = projects.list_for(window.db, a.id)
    assert saved.name == "社区助老餐桌" and saved.version == 3


def test_empty_optional_date_opens_its_calendar_on_today(qtbot) -> None:
    from PySide6.QtCore import QDate
    from PySide6.QtGui import QShowEvent
    from PySide6.QtWidgets import QApplication

    from ui.forms import Field, Form

    form = Form([Field("founded_on", "date")])
    qtbot.addWidget(form)
    edit = form.inputs["founded_on"]
    assert form.values()["founded_on"] is None  # shown empty, saved as no date
    calendar = edit.calendarWidget()
    QApplication.sendEvent(calendar, QShowEvent())
    today = QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())
