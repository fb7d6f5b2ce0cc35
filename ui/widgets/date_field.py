"""A date typed as text, or picked from a calendar.

A QDateEdit edits a date section by section, so typing "2027-01-15" into it gives 2027-11-01 and
an empty optional date cannot be typed into at all. Here the text is the date: whatever common
spelling the user types (2027-01-15, 2027/1/15, 2027.1.15, 20270115, 2027年1月15日) is read by
the core's one date parser, and shown back as YYYY-MM-DD once the field is left. Text that is
not a date is kept as typed, so the core names the field and the problem when the form is saved.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from incubator import validation
from incubator.errors import ValidationError
from incubator.i18n import tr

FIRST_YEAR, LAST_YEAR = 1900, 2200


def parse(text: str) -> dt.date | None:
    """The date the text spells, or None (empty, or not a date)."""
    try:
        return validation.date(text, "date")
    except ValidationError:
        return None


class CalendarPopup(QFrame):
    """A calendar with a year box on top: typing "2015" and Enter jumps there, which the
    calendar's own month-by-month arrows would take a hundred clicks to do."""

    picked = Signal(object)  # dt.date

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("calendarPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.year = QSpinBox()
        self.year.setObjectName("calendarYear")
        self.year.setRange(FIRST_YEAR, LAST_YEAR)
        self.year.setGroupSeparatorShown(False)
        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("calendar")
        self.calendar.setGridVisible(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Year")))
        top.addWidget(self.year)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.calendar)
        self.year.valueChanged.connect(self._year_changed)
        self.year.editingFinished.connect(self.calendar.setFocus)
        self.calendar.currentPageChanged.connect(self._page_changed)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)

    def open_at(self, anchor: QWidget, day: dt.date | None) -> None:
        shown = day or dt.date.today()
        if day is not None:
            self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self.calendar.setCurrentPage(shown.year, shown.month)
        self.year.setValue(shown.year)
        self.adjustSize()
        self.move(anchor.mapToGlobal(QPoint(0, anchor.height())))
        self.show()
        # With no date yet, the year is what the user needs first (a founding date, say).
        target = self.calendar if day is not None else self.year
        target.setFocus()
        self.year.selectAll()

    def _year_changed(self, year: int) -> None:
        if year != self.calendar.yearShown():
            self.calendar.setCurrentPage(year, self.calendar.monthShown())

    def _page_changed(self, year: int, _month: int) -> None:
        self.year.blockSignals(True)
        self.year.setValue(year)
        self.year.blockSignals(False)

    def _picked(self, day: QDate) -> None:
        self.hide()
        self.picked.emit(dt.date(day.year(), day.month(), day.day()))


class DateField(QWidget):
    """``value()`` gives what a form submits: a date, None when empty, or the text as typed when
    it is no date (the core then refuses it with a message naming the field)."""

    dateChanged = Signal(object)  # dt.date | None: each time the field's date changes

    def __init__(self, value: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setObjectName("dateText")
        self.edit.setPlaceholderText(tr("YYYY-MM-DD"))
        self.edit.setClearButtonEnabled(True)
        self.button = QToolButton()
        self.button.setObjectName("calendarButton")
        self.button.setText("▾")
        self.button.setToolTip(tr("Choose from a calendar"))
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.popup: CalendarPopup | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self._last = value
        self.setDate(value)
        self.edit.textChanged.connect(self._text_changed)
        self.edit.editingFinished.connect(self._tidy)
        self.button.clicked.connect(lambda: self.open_calendar())

    # --- values ----------------------------------------------------------------------------
    def date(self) -> dt.date | None:
        return parse(self.edit.text())

    def value(self) -> dt.date | str | None:
        text = self.edit.text().strip()
        if not text:
            return None
        return parse(text) or text

    def text(self) -> str:
        return self.edit.text()

    def setDate(self, day: dt.date | None) -> None:
        self.edit.setText(day.isoformat() if day else "")

    def _text_changed(self, _text: str) -> None:
        self._flag("")
        day = self.date()
        if day != self._last:
            self._last = day
            self.dateChanged.emit(day)

    def _tidy(self) -> None:
        """Once the field is left, a date typed in any spelling reads as YYYY-MM-DD, and text
        that is no date is marked at once (Save names it too)."""
        day = self.date()
        if day is not None and self.edit.text() != day.isoformat():
            self.setDate(day)
        elif day is None and self.edit.text().strip():
            self._flag(tr("Not a date: “{value}” (use YYYY-MM-DD)", value=self.edit.text()))

    def _flag(self, problem: str) -> None:
        self.edit.setToolTip(problem)
        self.edit.setStyleSheet("color: #b3261e;" if problem else "")

    def problem(self) -> str:
        return self.edit.toolTip()

    # --- calendar --------------------------------------------------------------------------
    def open_calendar(self) -> CalendarPopup:
        if self.popup is None:
            self.popup = CalendarPopup(self)
            self.popup.picked.connect(self._picked)
        self.popup.open_at(self.edit, self.date())
        return self.popup

    def _picked(self, day: dt.date) -> None:
        self.setDate(day)
        self.edit.setFocus()
