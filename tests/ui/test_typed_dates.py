"""Typed dates are what was typed, in every date field, by keyboard; the calendar reaches a
year quickly. Driven by key presses and clicks on the real widgets."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from incubator.services import funds, registry
from tests.factories import org
from tests.ui import person
from tests.ui.dialogs import when_modal
from ui.forms import Field, Form
from ui.widgets.date_field import DateField

pytestmark = pytest.mark.ui

SPELLINGS = ["2027-01-15", "2027/1/15", "2027.1.15", "20270115"]
JAN_15 = dt.date(2027, 1, 15)


@pytest.mark.parametrize("typed", SPELLINGS)
def test_a_typed_date_is_the_date_typed(qtbot, typed: str) -> None:
    form = Form([Field("founded_on", "date"), Field("name")])
    qtbot.addWidget(form)
    form.show()
    field = form.inputs["founded_on"]
    person.type_into(qtbot, field, typed)
    assert form.values()["founded_on"] == JAN_15
    person.leave(qtbot, field)
    assert field.text() == "2027-01-15"  # shown back in one spelling once left


def test_an_empty_optional_date_accepts_typing_and_stays_empty_when_cleared(qtbot) -> None:
    form = Form([Field("founded_on", "date")])
    qtbot.addWidget(form)
    form.show()
    field = form.inputs["founded_on"]
    assert form.values()["founded_on"] is None
    person.type_into(qtbot, field, "2015/6/1")
    assert form.values()["founded_on"] == dt.date(2015, 6, 1)
    person.type_into(qtbot, field, "")
    assert form.values()["founded_on"] is None


def test_calendar_on_an_empty_date_reaches_a_year_by_typing_it(qtbot) -> None:
    field = DateField()
    qtbot.addWidget(field)
    field.show()
    person.click(qtbot, field.button)
    popup = field.popup
    assert popup is not None and popup.isVisible()
    today = dt.date.today()
    calendar = popup.calendar
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year, today.month)
    # The year box has the focus with its text selected: type the year, Enter.
    assert popup.year.hasFocus()
    qtbot.keyClicks(popup.year, "2009")
    qtbot.keyClick(popup.year, Qt.Key.Key_Return)
    assert calendar.yearShown() == 2009
    # Then a day is one click away.
    click_day(qtbot, calendar, 15)
    assert not popup.isVisible()
    assert field.date() == dt.date(2009, today.month, 15)
    assert field.text() == f"2009-{today.month:02d}-15"


def click_day(qtbot, calendar, day: int) -> None:
    """Click the cell of ``day`` of the month shown (the 15th is never a neighbour's)."""
    grid = calendar.findChild(QTableView, "qt_calendar_calendarview")
    model = grid.model()
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            if 2 <= row <= 5 and index.data() == day:
                person.click_row(qtbot, grid, row, column)
                return
    raise AssertionError(f"no cell for day {day}")


def test_new_organization_dialog_reads_the_typed_application_date(qtbot, window) -> None:
    def fill(dialog) -> None:
        form = dialog.form
        person.type_into(qtbot, form.inputs["name"], "幸福社区服务中心")
        person.choose(qtbot, form.inputs["legal_form"], text="Unregistered community organization")
        person.type_into(qtbot, form.inputs["founded_on"], "2019.3.8")
        person.type_into(qtbot, form.inputs["applied_on"], "2026-01-15")  # not in the future
        person.save(qtbot, dialog)

    errors = when_modal(fill)
    qtbot.keyClick(window, Qt.Key.Key_N, person.CTRL)
    assert not errors, errors
    (created,) = registry.search(window.db, registry.OrgQuery(include_archived=True))
    assert created.founded_on == dt.date(2019, 3, 8)
    assert registry.get(window.db, created.id).stage_since == dt.date(2026, 1, 15)


def test_fund_and_payment_dialogs_read_typed_dates(qtbot, window) -> None:
    a = org(window.db, 1)
    window.open_organization(a.id)
    page = window.organization_page
    person.open_tab(qtbot, page.tabs, "Funds")

    def add_fund(dialog) -> None:
        form = dialog.form
        person.type_into(qtbot, form.inputs["title"], "公益创投资助")
        person.choose(qtbot, form.inputs["source"], text="Government department")
        person.choose(qtbot, form.inputs["kind"], text="Grant")
        person.type_into(qtbot, form.inputs["amount_committed"], "50000")
        person.type_into(qtbot, form.inputs["committed_on"], "20270115")
        person.save(qtbot, dialog)

    errors = when_modal(add_fund)
    person.press(qtbot, page, "addFund")
    assert not errors, errors
    (fund,) = funds.funds_of(window.db, a.id)
    assert fund.committed_on == JAN_15

    person.click_row(qtbot, page.funds_table, 0)

    def add_payment(dialog) -> None:
        form = dialog.form
        person.type_into(qtbot, form.inputs["due_on"], "2027/1/15")
        person.type_into(qtbot, form.inputs["amount"], "20000")
        person.save(qtbot, dialog)

    errors = when_modal(add_payment)
    person.press(qtbot, page, "addPayment")
    assert not errors, errors
    (fund,) = funds.funds_of(window.db, a.id)
    assert [p.due_on for p in fund.payments] == [JAN_15]


def test_a_date_that_is_no_date_is_named_and_nothing_is_saved(qtbot, window) -> None:
    a = org(window.db, 1)
    window.open_organization(a.id)
    page = window.organization_page
    person.type_into(qtbot, page.profile.inputs["founded_on"], "2019-02-30")
    person.press(qtbot, page, "saveProfile")
    assert "Not a date" in page.profile.problem_text("founded_on")
    assert registry.get(window.db, a.id).founded_on is None


def test_the_calendar_speaks_the_ui_language(qtbot) -> None:
    from PySide6.QtCore import QLocale

    from incubator.i18n import set_language
    from ui.qt_setup import use_qt_translations

    use_qt_translations(set_language("zh_CN"))
    field = DateField(dt.date(2026, 1, 15))
    qtbot.addWidget(field)
    field.show()
    person.click(qtbot, field.button)
    calendar = field.popup.calendar
    assert calendar.locale().language() == QLocale.Language.Chinese
    assert calendar.locale().monthName(1) == "一月"
    person.key(qtbot, calendar, Qt.Key.Key_Escape)
    use_qt_translations(set_language("en"))


def test_text_that_is_no_date_is_marked_when_the_field_is_left(qtbot) -> None:
    form = Form([Field("founded_on", "date"), Field("name")])
    qtbot.addWidget(form)
    form.show()
    field = form.inputs["founded_on"]
    person.type_into(qtbot, field, "2026-13-40")
    assert field.problem() == ""  # not while typing
    person.leave(qtbot, field)
    assert field.problem() == "Not a date: “2026-13-40” (use YYYY-MM-DD)"
    person.type_into(qtbot, field, "2026-1-15")
    person.leave(qtbot, field)
    assert field.problem() == "" and field.text() == "2026-01-15"
