"""Dashboard page: the year's key figures as tiles, two charts, and the reminders of the day.

Everything is loaded by ``incubator.services.dashboard.summary`` in a worker thread; a double
click (or Enter) on a reminder opens its organization (``organizationActivated``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QHorizontalBarSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QCursor, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from incubator import numbers
from incubator.db import Database
from incubator.domain import FundSource
from incubator.errors import IncubatorError
from incubator.exporting import tables
from incubator.i18n import T, current_language, tr
from incubator.services import dashboard, reminder_marks
from incubator.services.dashboard import Dashboard, Reminder, ReminderKind
from incubator.services.headcount import INCUBATED_MEANS, ORGANIZATIONS_MEANS
from ui import access
from ui.errors import show_error
from ui.export_runner import ExportRunner
from ui.forms import reads_rtl
from ui.widgets.charts import (
    COMMITTED_COLOR,
    DISBURSED_COLOR,
    STAGE_COLORS,
    app_font,
    chart_view,
    in_ten_thousands,
    style_axis,
    styled_chart,
)
from ui.widgets.list_model import ListTableModel, list_view
from ui.workers import Worker, start

RED = QColor("#b3261e")
AMBER = QColor("#8a5a00")
GREY = QColor("#8a9099")
SNOOZE_DAYS = 7


def money(amount: Decimal) -> str:
    return "¥" + numbers.money(amount)


percent = numbers.percent  # the reports' rounding (half up), for the same figures


def relative_day(days: int, ongoing: bool = False) -> str:
    """When a reminder's date is, from today; an ongoing state (``Reminder.ongoing``) says
    how long it has lasted."""
    if ongoing and days < 0:
        return tr("for {n} days", n=-days)
    if days == 0:
        return tr("today")
    if days == 1:
        return tr("tomorrow")
    if days == -1:
        return tr("yesterday")
    if days > 0:
        return tr("in {n} days", n=days)
    return tr("{n} days overdue", n=-days)


# --- reminders model ----------------------------------------------------------------------

REMINDER_COLUMNS = (T("Date"), T("When"), T("Reminder"), T("Organization"), T("Details"))


class ReminderModel(ListTableModel[Reminder]):
    """The day's reminders (a few thousand at most), read-only."""

    columns = REMINDER_COLUMNS

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.set_aside: set[Reminder] = set()

    @property
    def reminders(self) -> list[Reminder]:
        return self.items

    def set_reminders(
        self,
        reminders: list[Reminder] | tuple[Reminder, ...],
        set_aside: list[Reminder] | tuple[Reminder, ...] = (),
    ) -> None:
        """``set_aside``: reminders marked done or snoozed, listed after the others, greyed."""
        self.set_aside = set(set_aside)
        self.set_items([*reminders, *set_aside])

    def reminder(self, row: int) -> Reminder | None:
        return self.item(row)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        r = self.reminders[index.row()]
        column = REMINDER_COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == "Date":
                return r.date.isoformat()
            if column == "When":
                return relative_day(r.days, r.ongoing)
            if column == "Reminder":
                return r.kind.display()
            if column == "Organization":
                return r.organization_name
            return r.text()
        if role == Qt.ItemDataRole.ForegroundRole and r in self.set_aside:
            return GREY
        if role == Qt.ItemDataRole.ForegroundRole and column in ("When", "Reminder"):
            if r.days < 0:
                return RED
            if r.days <= 7:
                return AMBER
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and column == "Organization"
            and reads_rtl(r.organization_name)
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return r.organization_id
        if role == Qt.ItemDataRole.UserRole + 1:
            return r.kind.value
        return None


# --- tiles --------------------------------------------------------------------------------


class KeyFigure(QFrame):
    """A tile: what is counted, the figure, and a line of context."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            f"QFrame#{name} {{ background: #ffffff; border: 1px solid #dde1e6;"
            " border-radius: 6px; }"
        )
        self.title = QLabel()
        self.title.setStyleSheet("color: #5f6b7a;")
        self.title.setWordWrap(True)
        self.value = QLabel("—")
        self.value.setObjectName(f"{name}Value")
        self.value.setFont(app_font(6, bold=True))
        self.value.setStyleSheet("color: #1f2933;")
        self.note = QLabel()
        self.note.setStyleSheet("color: #5f6b7a;")
        self.note.setWordWrap(True)
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 8, 12, 8)
        box.setSpacing(2)
        box.addWidget(self.title)
        box.addWidget(self.value)
        box.addWidget(self.note)
        box.addStretch(1)

    def show_figure(
        self, title: str, value: str, note: str = "", warn: bool = False, means: str = ""
    ) -> None:
        """``means``: what the figure counts, shown when the pointer rests on it."""
        self.title.setText(title)
        self.value.setText(value)
        self.note.setText(note)
        self.setToolTip(means)
        self.note.setStyleSheet(f"color: {'#b3261e' if warn else '#5f6b7a'};")


# --- the page -----------------------------------------------------------------------------


class DashboardPage(QWidget):
    organizationActivated = Signal(int)
    loaded = Signal()  # the figures on screen are fresh

    def __init__(
        self, db: Database, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.today = today  # None: the real date at each reload
        self.data: Dashboard | None = None
        self._generation = 0
        self._worker: Worker | None = None
        self._month_rows: list[tuple[str, Decimal, Decimal]] = []
        self._source_rows: list[tuple[str, Decimal, Decimal]] = []
        self._build()

    # --- construction ----------------------------------------------------------------------
    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("dashboardHeading")
        self.heading.setFont(app_font(4, bold=True))
        self.busy = QProgressBar()
        self.busy.setObjectName("dashboardBusy")
        self.busy.setRange(0, 0)  # indeterminate
        self.busy.setMaximumWidth(160)
        self.busy.setMaximumHeight(14)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.busy_label = QLabel(tr("Loading…"))
        self.busy_label.hide()
        self.refresh = QPushButton(tr("Refresh"))
        self.refresh.setObjectName("dashboardRefresh")
        self.refresh.clicked.connect(self.reload)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.busy_label)
        top.addWidget(self.busy)
        top.addWidget(self.refresh)

        self.tiles = {
            name: KeyFigure(f"tile_{name}")
            for name in (
                "organizations",
                "incubating",
                "committed",
                "disbursed",
                "occupancy",
                "trainees",
            )
        }
        tiles = QGridLayout()
        tiles.setSpacing(8)
        for i, tile in enumerate(self.tiles.values()):
            tiles.addWidget(tile, 0, i)
            tiles.setColumnStretch(i, 1)

        # Charts: organizations by stage; funds of the year by month and by source.
        self.stage_chart = styled_chart(tr("Organizations by stage"))
        self.stage_view = chart_view(self.stage_chart, "stageChart")
        self.month_chart = styled_chart()
        self.month_view = chart_view(self.month_chart, "fundsByMonthChart")
        self.source_chart = styled_chart()
        self.source_view = chart_view(self.source_chart, "fundsBySourceChart")
        self.fund_tabs = QTabWidget()
        self.fund_tabs.setObjectName("fundTabs")
        self.fund_tabs.addTab(self.month_view, tr("Funds by month"))
        self.fund_tabs.addTab(self.source_view, tr("Funds by source"))
        self.stage_view.setMinimumWidth(360)
        charts = QWidget()
        row = QHBoxLayout(charts)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.stage_view, 2)
        row.addWidget(self.fund_tabs, 3)

        # Reminders.
        self.model = ReminderModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(Qt.ItemDataRole.UserRole + 1)
        self.proxy.setFilterKeyColumn(0)
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("reminderFilter")
        self.kind_filter.addItem(tr("All reminders"), "")
        for kind in ReminderKind:
            self.kind_filter.addItem(kind.display(), kind.value)
        self.kind_filter.currentIndexChanged.connect(self._filter_reminders)
        self.reminder_count = QLabel()
        self.reminder_count.setObjectName("reminderCount")
        reminders_title = QLabel(tr("Reminders"))
        reminders_title.setFont(app_font(1, bold=True))
        head = QHBoxLayout()
        head.addWidget(reminders_title)
        head.addWidget(self.reminder_count)
        head.addSpacing(16)
        head.addStretch(1)
        head.addWidget(self.kind_filter)

        self.table = list_view("reminderTable", self.proxy)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Sized to their longest texts in the current language (never "Graduation evalua…").
        cell, heading = self.table.fontMetrics(), header.fontMetrics()
        when = [tr("in {n} days", n=365), tr("{n} days overdue", n=9999)]
        widest = (["2026-12-31"], when, [k.display() for k in ReminderKind])
        for col, texts in enumerate(widest):
            title = str(self.model.headerData(col, Qt.Orientation.Horizontal))
            width = max([heading.horizontalAdvance(title), *map(cell.horizontalAdvance, texts)])
            self.table.setColumnWidth(col, width + 24)
        self.table.setColumnWidth(3, 300)
        self.table.activated.connect(self._activated)  # double click, Enter
        hint = QLabel(tr("Double-click or press Enter to open the organization"))
        hint.setStyleSheet("color: #5f6b7a;")
        head.insertWidget(2, hint)
        self.done_button = QPushButton(tr("Mark done"))
        self.done_button.setObjectName("markDone")
        self.done_button.setToolTip(tr("The selected reminders are done: they no longer show"))
        self.done_button.clicked.connect(lambda _checked=False: self.mark_selected(None))
        self.snooze_button = QPushButton(tr("Snooze a week"))
        self.snooze_button.setObjectName("snoozeReminder")
        self.snooze_button.setToolTip(tr("The selected reminders show again in seven days"))
        self.snooze_button.clicked.connect(lambda _checked=False: self.mark_selected(SNOOZE_DAYS))
        self.again_button = QPushButton(tr("Remind again"))
        self.again_button.setObjectName("remindAgain")
        self.again_button.setToolTip(tr("The selected reminders, done or snoozed, show again"))
        self.again_button.clicked.connect(lambda _checked=False: self.remind_again())
        access.for_writers(self.db, self.done_button, self.snooze_button, self.again_button)
        self.export_button = QPushButton(tr("Export…"))
        self.export_button.setObjectName("exportReminders")
        self.export_button.setToolTip(tr("Today's reminders, as .xlsx or .csv"))
        self.export_button.clicked.connect(self.export_reminders)
        self.export_status = QLabel()
        self.export_status.setObjectName("remindersExportStatus")
        self.exporter = ExportRunner(self, self.export_status)
        self.show_set_aside = QCheckBox(tr("Show done and snoozed"))
        self.show_set_aside.setObjectName("showSetAside")
        self.show_set_aside.toggled.connect(self._show_reminders)
        for button in (self.done_button, self.snooze_button, self.again_button):
            button.setEnabled(False)
            head.addWidget(button)
        head.addWidget(self.show_set_aside)
        head.addWidget(self.export_button)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        reminders = QWidget()
        box = QVBoxLayout(reminders)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(head)
        box.addWidget(self.table, 1)
        box.addWidget(self.export_status)

        body = QSplitter(Qt.Orientation.Vertical)
        body.setObjectName("dashboardSplitter")
        body.addWidget(charts)
        body.addWidget(reminders)
        body.setStretchFactor(0, 1)
        body.setStretchFactor(1, 1)
        body.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(tiles)
        layout.addWidget(body, 1)
        self._show_heading(self.today or dt.date.today())

    # --- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Load the figures off the GUI thread; results of an older load are dropped."""
        self._generation += 1
        if self._worker is not None:
            self._worker.cancel()
        worker = Worker(dashboard.summary, self.db, self.today or dt.date.today())
        worker.signals.generation = self._generation
        # Bound slots (not lambdas): Qt drops the connection if this page is destroyed first.
        worker.signals.result.connect(self._on_result)
        worker.signals.error.connect(self._on_error)
        self._worker = worker
        self._set_busy(True)
        start(worker)  # kept alive by ui.workers until it has finished

    def is_loading(self) -> bool:
        return self._worker is not None

    def _is_current(self) -> bool:
        return getattr(self.sender(), "generation", None) == self._generation

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.busy_label.setVisible(busy)
        self.refresh.setEnabled(not busy)

    def _on_error(self, exc: BaseException) -> None:
        if not self._is_current():
            return
        self._worker = None
        self._set_busy(False)
        show_error(self, exc)

    def _on_result(self, data: Dashboard) -> None:
        if not self._is_current():
            return
        self._worker = None
        self.data = data
        self._show_heading(data.today)
        self._show_tiles(data)
        self._show_stage_chart(data)
        self._show_month_chart(data)
        self._show_source_chart(data)
        self._show_reminders()
        self._set_busy(False)
        self.loaded.emit()

    # --- showing ---------------------------------------------------------------------------
    def _show_heading(self, today: dt.date) -> None:
        self.heading.setText(tr("Figures for {year}, as of {date}", year=today.year, date=today))

    def _show_tiles(self, d: Dashboard) -> None:
        year = d.year
        t = self.tiles
        t["organizations"].show_figure(
            tr("Organizations"),
            f"{d.organizations:,}",
            tr("{n} applied or admitted", n=f"{d.headcount.not_yet_incubated:,}"),
            means=tr(ORGANIZATIONS_MEANS, date=d.today),
        )
        overdue = d.count(ReminderKind.INCUBATION_OVERDUE)
        t["incubating"].show_figure(
            tr("Being incubated"),
            f"{d.being_incubated:,}",
            tr("{n} overdue", n=f"{overdue:,}") if overdue else tr("none overdue"),
            warn=bool(overdue),
            means=tr(INCUBATED_MEANS, date=d.today),
        )
        t["committed"].show_figure(
            tr("Funds committed in {year}", year=year),
            money(d.committed),
            tr("Overdue payments: {n}", n=f"{d.count(ReminderKind.PAYMENT_OVERDUE):,}"),
            warn=bool(d.count(ReminderKind.PAYMENT_OVERDUE)),
        )
        t["disbursed"].show_figure(
            tr("Disbursed in {year}", year=year),
            money(d.disbursed),
            tr("{share} of this year's commitments", share=percent(d.disbursed_share)),
        )
        t["occupancy"].show_figure(
            tr("Space occupancy in {year}", year=year),
            percent(d.occupancy.rate),
            tr(
                "{n} of {total} spaces in use today",
                n=f"{d.spaces_in_use:,}",
                total=f"{d.spaces_total:,}",
            ),
        )
        t["trainees"].show_figure(
            tr("Trainees in {year}", year=year),
            f"{d.trainees:,}",
            tr("{hours} training hours", hours=f"{d.training_hours:,}"),
        )

    def _show_stage_chart(self, d: Dashboard) -> None:
        chart = self.stage_chart
        chart.removeAllSeries()
        series = QPieSeries()
        series.setHoleSize(0.42)
        series.setPieSize(0.82)
        for stage, n in d.by_stage.items():
            if not n:
                continue
            part = series.append(f"{stage.display()}  {n:,}", n)
            part.setBrush(QColor(STAGE_COLORS[stage.value]))
            part.setPen(QPen(QColor("#ffffff"), 1.5))
            part.setLabelFont(app_font(-1))
        chart.addSeries(series)
        legend = chart.legend()
        legend.setAlignment(Qt.AlignmentFlag.AlignRight)
        legend.setFont(app_font())
        legend.setVisible(bool(d.organizations))
        chart.setTitle(
            tr("Organizations by stage ({n})", n=f"{d.organizations:,}")
            if d.organizations
            else tr("No organizations yet")
        )

    def _month_names(self) -> list[str]:
        locale = QLocale(current_language())
        return [locale.standaloneMonthName(m, QLocale.FormatType.ShortFormat) for m in range(1, 13)]

    def _amount_sets(self) -> tuple[QBarSet, QBarSet]:
        committed = QBarSet(tr("Committed"))
        disbursed = QBarSet(tr("Disbursed"))
        committed.setColor(QColor(COMMITTED_COLOR))
        disbursed.setColor(QColor(DISBURSED_COLOR))
        for bar_set in (committed, disbursed):
            bar_set.setBorderColor(QColor(0, 0, 0, 0))
            bar_set.hovered.connect(self._bar_hovered)
        return committed, disbursed

    def _show_month_chart(self, d: Dashboard) -> None:
        chart = self.month_chart
        _reset(chart)
        committed, disbursed = self._amount_sets()
        names = self._month_names()
        self._month_rows = [(names[m.month - 1], m.committed, m.disbursed) for m in d.by_month]
        for m in d.by_month:
            committed.append(in_ten_thousands(m.committed))
            disbursed.append(in_ten_thousands(m.disbursed))
        series = QBarSeries()
        series.setObjectName("months")
        series.append(committed)
        series.append(disbursed)
        chart.addSeries(series)
        months = QBarCategoryAxis()
        months.append(names)
        values = QValueAxis()
        values.setTitleText(tr("10,000 yuan"))
        top = max((in_ten_thousands(max(m.committed, m.disbursed)) for m in d.by_month), default=0)
        _amount_range(values, top)
        _attach(chart, series, months, Qt.AlignmentFlag.AlignBottom)
        _attach(chart, series, values, Qt.AlignmentFlag.AlignLeft)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        chart.setTitle(
            tr(
                "{year}: committed {committed}, disbursed {disbursed}",
                year=d.year,
                committed=money(d.committed),
                disbursed=money(d.disbursed),
            )
        )

    def _show_source_chart(self, d: Dashboard) -> None:
        chart = self.source_chart
        _reset(chart)
        committed, disbursed = self._amount_sets()
        # A horizontal bar chart draws its first category at the bottom: list them reversed
        # so the sources read from the top, and the sets too, so "committed" comes first.
        self._source_rows = [
            (s.source.display(), s.committed, s.disbursed) for s in reversed(d.by_source)
        ]
        for s in reversed(d.by_source):
            committed.append(in_ten_thousands(s.committed))
            disbursed.append(in_ten_thousands(s.disbursed))
        series = QHorizontalBarSeries()
        series.setObjectName("sources")
        series.append(disbursed)
        series.append(committed)
        chart.addSeries(series)
        sources = QBarCategoryAxis()
        sources.append([s.display() for s in reversed(FundSource)])
        values = QValueAxis()
        values.setTitleText(tr("10,000 yuan"))
        top = max((in_ten_thousands(max(s.committed, s.disbursed)) for s in d.by_source), default=0)
        _amount_range(values, top)
        _attach(chart, series, sources, Qt.AlignmentFlag.AlignLeft)
        _attach(chart, series, values, Qt.AlignmentFlag.AlignBottom)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        chart.legend().setReverseMarkers(True)
        chart.setTitle(tr("Funds of {year} by source", year=d.year))

    def _bar_hovered(self, status: bool, index: int) -> None:
        """Exact amounts (the bars are drawn in 10,000 yuan)."""
        if not status:
            QToolTip.hideText()
            return
        bar_set = self.sender()
        by_source = self.fund_tabs.currentIndex() == 1
        rows = self._source_rows if by_source else self._month_rows
        if not 0 <= index < len(rows):
            return
        label, committed, disbursed = rows[index]
        which = committed if bar_set.label() == tr("Committed") else disbursed
        QToolTip.showText(QCursor.pos(), f"{label} · {bar_set.label()}: {money(which)}")

    def selected_reminders(self) -> list[Reminder]:
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        return [self.model.reminders[r] for r in sorted(rows)]

    def _selection_changed(self) -> None:
        chosen = self.selected_reminders()
        live = [r for r in chosen if r not in self.model.set_aside]
        for button in (self.done_button, self.snooze_button):
            button.setEnabled(bool(live))
        self.again_button.setEnabled(len(live) < len(chosen))

    def remind_again(self) -> None:
        try:
            for r in self.selected_reminders():
                if r in self.model.set_aside:
                    reminder_marks.unmark(self.db, r)
        except IncubatorError as exc:
            show_error(self, exc)
        self.reload()

    def _show_reminders(self) -> None:
        data = self.data
        if data is None:
            return
        hidden = data.set_aside if self.show_set_aside.isChecked() else ()
        self.model.set_reminders(data.reminders, hidden)
        self._filter_reminders()
        self._selection_changed()  # a fresh list has nothing selected

    def export_reminders(self) -> None:
        db = self.db
        self.exporter.run(tr("Reminders"), lambda: tables.table(db, "reminders"))

    def mark_selected(self, snooze_days: int | None) -> None:
        """Done (``None``) or snoozed for some days: kept in the registry, for every desk."""
        today = self.today or dt.date.today()
        try:
            for r in self.selected_reminders():
                if r in self.model.set_aside:
                    continue  # already set aside
                if snooze_days is None:
                    reminder_marks.mark_done(self.db, r)
                else:
                    reminder_marks.snooze(self.db, r, today + dt.timedelta(days=snooze_days))
        except IncubatorError as exc:
            show_error(self, exc)
        self.reload()

    def _filter_reminders(self) -> None:
        kind = self.kind_filter.currentData() or ""
        pattern = f"^{QRegularExpression.escape(kind)}$" if kind else ""
        self.proxy.setFilterRegularExpression(QRegularExpression(pattern))
        shown_rows = self.proxy.rowCount()
        rows = (self.proxy.mapToSource(self.proxy.index(i, 0)).row() for i in range(shown_rows))
        live = [r for r in self.model.reminders if r not in self.model.set_aside]
        shown = sum(1 for row in rows if self.model.reminders[row] not in self.model.set_aside)
        total = len(live)
        text = (
            tr("{n} reminders", n=f"{total:,}")
            if shown == total
            else tr("{shown} of {total} reminders", shown=f"{shown:,}", total=f"{total:,}")
        )
        set_aside = len(self.data.set_aside) if self.data is not None else 0
        if set_aside:
            text += tr(" ({n} done or snoozed)", n=f"{set_aside:,}")
        self.reminder_count.setText(text)

    def _activated(self, index: QModelIndex) -> None:
        org_id = self.proxy.data(index, Qt.ItemDataRole.UserRole)
        if org_id is not None:
            self.organizationActivated.emit(int(org_id))

    # --- for tests and the main window ----------------------------------------------------
    def figure(self, name: str) -> str:
        return self.tiles[name].value.text()


def _amount_range(axis: QValueAxis, top: float) -> None:
    """0 to a round number above ``top`` (in 10,000 yuan); a decimal shown for small sums."""
    axis.setRange(0, max(top, 1.0))
    axis.applyNiceNumbers()
    axis.setLabelFormat("%.1f" if axis.max() < 5 else "%.0f")


def _reset(chart) -> None:
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)


def _attach(chart, series, axis, alignment: Qt.AlignmentFlag) -> None:
    style_axis(axis)
    chart.addAxis(axis, alignment)
    series.attachAxis(axis)
