"""Spaces page: the center's rooms, desks and shared facilities with whoever holds them today;
for the selected space, its occupancy timeline and allocations, and the actions on them
(allocate, end early, cancel). Loading and saving run in workers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from incubator.db import Database
from incubator.domain import AllocationStatus, SpaceKind
from incubator.errors import ConflictError
from incubator.exporting import tables
from incubator.i18n import T, tr
from incubator.services import dashboard, spaces
from incubator.services.dashboard import SpaceRow
from incubator.services.spaces import AllocationView, SpaceView
from ui import access
from ui.dialogs.allocation import AllocationDialog, EndAllocationDialog
from ui.dialogs.record import RecordDialog
from ui.errors import show_error
from ui.export_runner import ExportRunner
from ui.forms import Field, isolate, reads_rtl
from ui.widgets.charts import app_font
from ui.widgets.list_model import ListTableModel, list_view
from ui.widgets.simple_table import SimpleTable
from ui.widgets.timeline import AllocationTimeline
from ui.workers import Worker, start

SPACE_COLUMNS = (T("Code"), T("Name"), T("Kind"), T("Area (m²)"), T("Held by"), T("Until"))
GREY = QColor("#8a9099")

SPACE_FORM = (
    Field("code", required=True),
    Field("name", required=True),
    Field("kind", "choice", required=True, enum=SpaceKind),
    Field("area_m2", "number", required=True),
    Field("capacity", "number"),
    Field("notes", "multiline"),
)


def _allocations_on(db: Database, space_id: int, progress=None) -> list[AllocationView]:
    return spaces.allocations_on(db, space_id)


def _change(db: Database, allocation_id: int, changes: dict, version: int, progress=None):
    return spaces.change_allocation(db, allocation_id, changes, version)


class SpaceTableModel(ListTableModel[SpaceRow]):
    columns = SPACE_COLUMNS

    @property
    def rows(self) -> list[SpaceRow]:
        return self.items

    def set_rows(self, rows: list[SpaceRow]) -> None:
        self.set_items(rows)

    def row_of(self, space_id: int | None) -> int:
        return next((i for i, r in enumerate(self.items) if r.space.id == space_id), -1)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        s = row.space
        column = SPACE_COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "Code":
                return s.code
            if column == "Name":
                return s.name if s.active else tr("{name} (no longer in use)", name=s.name)
            if column == "Kind":
                return s.kind.display()
            if column == "Area (m²)":
                return f"{s.area_m2:,.2f}"
            if column == "Held by":
                return row.holder_name or ""
            return row.held_until.isoformat() if row.held_until else ""
        if role == Qt.ItemDataRole.ToolTipRole and column == "Held by" and row.holder_name:
            return row.holder_name
        if role == Qt.ItemDataRole.ToolTipRole and column == "Name" and s.notes:
            return s.notes
        if role == Qt.ItemDataRole.ForegroundRole and not s.active:
            return GREY
        right = column == "Area (m²)" or (column == "Held by" and reads_rtl(row.holder_name or ""))
        if role == Qt.ItemDataRole.TextAlignmentRole and right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return s.id
        return None


class SpacesPage(QWidget):
    organizationActivated = Signal(int)
    loaded = Signal()  # the list of spaces is fresh
    allocationsLoaded = Signal(int)  # the timeline of this space is fresh
    changed = Signal()  # a space or an allocation was saved

    def __init__(
        self, db: Database, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.today = today  # None: the real date at each load
        self.rows: list[SpaceRow] = []
        self.allocations: list[AllocationView] = []
        self.allocation_dialog: AllocationDialog | None = None
        self.last_dialog: RecordDialog | None = None
        self._space_id: int | None = None
        self._generation = 0
        self._alloc_generation = 0
        self._loading = 0  # loading workers under way
        self._build()

    def _today(self) -> dt.date:
        return self.today or dt.date.today()

    # --- construction ----------------------------------------------------------------------
    def export(self) -> None:
        db = self.db
        self.exporter.run(tr("Space allocations"), lambda: tables.table(db, "spaces"))

    def _build(self) -> None:
        # Left: the spaces.
        title = QLabel(tr("Spaces of the center"))
        title.setFont(app_font(3, bold=True))
        self.count = QLabel()
        self.count.setObjectName("spaceCount")
        self.busy = QProgressBar()
        self.busy.setObjectName("spacesBusy")
        self.busy.setRange(0, 0)
        self.busy.setMaximumSize(120, 14)
        self.busy.setTextVisible(False)
        self.busy.hide()
        head = QHBoxLayout()
        head.addWidget(title)
        head.addWidget(self.count)
        head.addStretch(1)
        head.addWidget(self.busy)

        self.model = SpaceTableModel(self)
        self.table = list_view("spaceTable", self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)  # the holder's name
        self.table.selectionModel().currentRowChanged.connect(self._space_chosen)
        self.table.doubleClicked.connect(self._holder_activated)

        self.add_button = _button(tr("Add space…"), "addSpace", self.add_space)
        self.edit_button = _button(tr("Edit space…"), "editSpace", self.edit_space)
        self.show_inactive = QCheckBox(tr("Show spaces no longer in use"))
        self.show_inactive.setObjectName("showInactiveSpaces")
        self.show_inactive.toggled.connect(self.reload)
        self.export_button = _button(tr("Export…"), "exportAllocations", self.export)
        self.export_button.setToolTip(tr("Every allocation of every space, as .xlsx or .csv"))
        self.export_status = QLabel()
        self.export_status.setObjectName("spacesExportStatus")
        self.exporter = ExportRunner(self, self.export_status)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.export_status)
        buttons.addStretch(1)
        buttons.addWidget(self.show_inactive)

        left = QWidget()
        box = QVBoxLayout(left)
        box.setContentsMargins(0, 0, 4, 0)
        box.addLayout(head)
        box.addWidget(self.table, 1)
        box.addLayout(buttons)

        # Right: the selected space's timeline and allocations.
        self.space_title = QLabel()
        self.space_title.setObjectName("spaceTitle")
        self.space_title.setFont(app_font(3, bold=True))
        self.space_details = QLabel()
        self.space_details.setObjectName("spaceDetails")
        self.space_details.setWordWrap(True)
        self.space_details.setStyleSheet("color: #5f6b7a;")

        self.timeline = AllocationTimeline()
        self.timeline.allocationSelected.connect(self._bar_chosen)
        self.timeline.allocationActivated.connect(self._allocation_activated)
        self.timeline.allocationMenuRequested.connect(self._allocation_menu)
        self.timeline_area = QScrollArea()
        self.timeline_area.setObjectName("timelineArea")
        self.timeline_area.setWidget(self.timeline)
        self.timeline_area.setWidgetResizable(True)
        self.timeline_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.timeline_area.setFrameShape(QFrame.Shape.StyledPanel)
        legend = QLabel(
            tr("Bars: allocations, named by organization; grey: cancelled; red line: today.")
        )
        legend.setStyleSheet("color: #5f6b7a;")
        legend.setWordWrap(True)

        self.allocation_table = SimpleTable(
            [T("Organization"), T("Start date"), T("End date"), T("Days"), T("Status"), T("Notes")],
            "allocationTable",
        )
        self.allocation_table.itemSelectionChanged.connect(self._row_chosen)
        self.allocation_table.doubleClicked.connect(self._row_activated)

        self.allocate_button = _button(tr("Allocate…"), "allocateSpace", self.allocate)
        self.end_button = _button(tr("End early…"), "endAllocation", self.end_allocation)
        self.cancel_button = _button(
            tr("Cancel allocation"), "cancelAllocation", self.cancel_allocation
        )
        self.open_button = _button(
            tr("Open organization"), "openAllocationOrg", self.open_organization
        )
        access.for_writers(
            self.db,
            self.add_button,
            self.edit_button,
            self.allocate_button,
            self.end_button,
            self.cancel_button,
        )
        actions = QHBoxLayout()
        for b in (self.allocate_button, self.end_button, self.cancel_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.open_button)

        right = QWidget()
        rbox = QVBoxLayout(right)
        rbox.setContentsMargins(4, 0, 0, 0)
        rbox.addWidget(self.space_title)
        rbox.addWidget(self.space_details)
        rbox.addWidget(self.timeline_area)
        rbox.addWidget(legend)
        rbox.addWidget(self.allocation_table, 1)
        rbox.addLayout(actions)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("spacesSplitter")
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([620, 580])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._show_space()

    # --- loading ---------------------------------------------------------------------------
    def _load(self, worker: Worker) -> None:
        """Start a loading worker; the busy indicator shows until every load has finished."""
        self._loading += 1
        self.busy.show()
        worker.signals.finished.connect(self._load_done)
        start(worker)

    def _load_done(self) -> None:
        self._loading -= 1
        self.busy.setVisible(self._loading > 0)

    def reload(self) -> None:
        """Reload the list of spaces (keeping the selection), then the selected timeline."""
        self._generation += 1
        worker = Worker(
            dashboard.space_board,
            self.db,
            self._today(),
            self.show_inactive.isChecked(),
        )
        worker.signals.generation = self._generation
        worker.signals.result.connect(self._on_spaces)
        worker.signals.error.connect(self._on_load_error)
        self._load(worker)

    def _on_spaces(self, rows: list[SpaceRow]) -> None:
        if getattr(self.sender(), "generation", None) != self._generation:
            return
        keep = self._space_id
        self.rows = rows
        self.model.set_rows(rows)
        active = sum(1 for r in rows if r.space.active)
        held = sum(1 for r in rows if r.holder_id is not None and r.space.active)
        self.count.setText(tr("{n} spaces, {held} in use today", n=active, held=held))
        row = self.model.row_of(keep)
        if row < 0 and rows:
            row = 0
        if row >= 0:
            self.table.selectRow(row)  # after the reset: a new current row, timeline loads
        else:
            self._space_id = None
            self._show_space()
        self.loaded.emit()

    def _on_load_error(self, exc: BaseException) -> None:
        show_error(self, exc)

    def _space_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.rows[current.row()] if current.isValid() else None
        space_id = row.space.id if row else None
        if space_id != self._space_id:
            self.allocations = []  # another space: nothing shown until its timeline is read
        self._space_id = space_id
        self._show_space()
        self._load_allocations()

    def _load_allocations(self) -> None:
        if self._space_id is None:
            return
        self._alloc_generation += 1
        worker = Worker(_allocations_on, self.db, self._space_id)
        worker.signals.generation = self._alloc_generation
        worker.signals.space_id = self._space_id
        worker.signals.result.connect(self._on_allocations)
        worker.signals.error.connect(self._on_load_error)
        self._load(worker)

    def _on_allocations(self, allocations: list[AllocationView]) -> None:
        sender = self.sender()
        if getattr(sender, "generation", None) != self._alloc_generation:
            return
        selected = self.current_allocation()
        self.allocations = allocations
        self._show_space()
        today = self._today()
        keep = selected.id if selected else None
        if keep is None:  # the allocation holding the space today, if any
            keep = next(
                (
                    a.id
                    for a in allocations
                    if a.status is AllocationStatus.ACTIVE and a.start_on <= today <= a.end_on
                ),
                None,
            )
        self.select_allocation(keep)
        self._scroll_to(today)
        self.allocationsLoaded.emit(getattr(sender, "space_id", -1))

    # --- showing ---------------------------------------------------------------------------
    def current_space(self) -> SpaceView | None:
        return next((r.space for r in self.rows if r.space.id == self._space_id), None)

    def current_allocation(self) -> AllocationView | None:
        key = self.allocation_table.current_key()
        return next((a for a in self.allocations if a.id == key), None)

    def _show_space(self) -> None:
        space = self.current_space()
        if space is None:
            self.space_title.setText(tr("No space selected"))
            self.space_details.setText(tr("Add the center's rooms and desks with “Add space…”."))
            self.timeline.set_allocations([], self._today())
            self.allocation_table.fill([])
        else:
            self.space_title.setText(f"{space.code}  {space.name}")
            details = [
                space.kind.display(),
                tr("{area} m²", area=f"{space.area_m2:,.2f}"),
                tr("capacity {n}", n=space.capacity),
            ]
            if not space.active:
                details.append(tr("no longer in use"))
            if space.notes:
                details.append(space.notes)
            self.space_details.setText(" · ".join(details))
            self.timeline.set_allocations(self.allocations, self._today())
            self.allocation_table.fill(
                [
                    (a.organization_name, a.start_on, a.end_on, a.days(), a.status, a.notes)
                    for a in self.allocations
                ],
                [a.id for a in self.allocations],
            )
        self.timeline.set_empty_text(tr("Not allocated yet") if space else "")
        self.timeline_area.setVisible(space is not None)
        self.timeline_area.setFixedHeight(
            self.timeline.height()
            + self.timeline_area.horizontalScrollBar().sizeHint().height()
            + 2 * self.timeline_area.frameWidth()
        )
        self._update_buttons()

    def _scroll_to(self, day: dt.date) -> None:
        bar = self.timeline_area.horizontalScrollBar()
        x = self.timeline.x_of(day)
        bar.setValue(int(x - self.timeline_area.viewport().width() * 0.7))

    def _update_buttons(self) -> None:
        space = self.current_space()
        alloc = self.current_allocation()
        live = alloc is not None and alloc.status is AllocationStatus.ACTIVE
        self.edit_button.setEnabled(space is not None)
        self.allocate_button.setEnabled(space is not None and space.active)
        self.end_button.setEnabled(live)
        self.cancel_button.setEnabled(live)
        self.open_button.setEnabled(alloc is not None)

    def select_space(self, space_id: int) -> bool:
        row = self.model.row_of(space_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def select_allocation(self, allocation_id: int | None) -> None:
        keys = self.allocation_table.keys
        if allocation_id in keys:
            self.allocation_table.selectRow(keys.index(allocation_id))
        else:
            self.allocation_table.clearSelection()
            self.allocation_table.setCurrentCell(-1, -1)
        self.timeline.select(allocation_id)
        self._update_buttons()

    def _bar_chosen(self, allocation_id: int) -> None:
        self.select_allocation(allocation_id if allocation_id >= 0 else None)

    def _row_chosen(self) -> None:
        alloc = self.current_allocation()
        self.timeline.select(alloc.id if alloc else None)
        self._update_buttons()

    def _allocation_activated(self, allocation_id: int) -> None:
        alloc = next((a for a in self.allocations if a.id == allocation_id), None)
        if alloc is not None:
            self.organizationActivated.emit(alloc.organization_id)

    def _row_activated(self, _index: QModelIndex) -> None:
        self.open_organization()

    def _holder_activated(self, index: QModelIndex) -> None:
        row = self.model.rows[index.row()] if index.isValid() else None
        if row is not None and row.holder_id is not None:
            self.organizationActivated.emit(row.holder_id)

    def _allocation_menu(self, allocation_id: int, pos: QPoint) -> None:
        self.select_allocation(allocation_id)
        menu = QMenu(self)
        for button in (self.end_button, self.cancel_button, self.open_button):
            if button.isHidden():  # not for this user (``access``)
                continue
            action = menu.addAction(button.text())
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
        menu.popup(pos)

    def open_organization(self) -> None:
        alloc = self.current_allocation()
        if alloc is not None:
            self.organizationActivated.emit(alloc.organization_id)

    # --- spaces ----------------------------------------------------------------------------
    def add_space(self) -> bool:
        return self._space_dialog(None)

    def edit_space(self) -> bool:
        space = self.current_space()
        return space is not None and self._space_dialog(space)

    def _space_dialog(self, space: SpaceView | None) -> bool:
        in_use = QCheckBox(tr("In use (can be allocated)"))
        in_use.setObjectName("field_active")
        in_use.setChecked(space.active if space else True)

        def submit(values: dict[str, Any]) -> SpaceView:
            data = {**values, "active": in_use.isChecked()}
            if space is None:
                return spaces.create_space(self.db, data)
            return spaces.update_space(self.db, space.id, data, space.version)

        values = None
        if space is not None:
            values = {f.name: getattr(space, f.name) for f in SPACE_FORM}
        else:
            values = {"kind": SpaceKind.ROOM, "capacity": 1}
        title = tr("Add space") if space is None else tr("Edit space {code}", code=space.code)
        dialog = RecordDialog(title, SPACE_FORM, submit, values, self)
        dialog.layout().insertWidget(1, in_use)
        self.last_dialog = dialog  # reachable from tests while it is open
        if not dialog.exec():
            return False
        saved = dialog.result_value
        if isinstance(saved, SpaceView):
            self._space_id = saved.id
        self.changed.emit()
        self.reload()
        return True

    # --- allocations -----------------------------------------------------------------------
    def allocate(self) -> AllocationDialog | None:
        """Open the allocation dialog for the selected space (window-modal, not blocking)."""
        space = self.current_space()
        if space is None:
            return None
        start_on = self._first_free_day()
        end_on = dt.date(start_on.year + 1, start_on.month, 1) - dt.timedelta(days=1)
        dialog = AllocationDialog(self.db, space, start_on, end_on, self)
        dialog.allocated.connect(self._allocated)
        dialog.finished.connect(self._allocation_dialog_closed)
        self.allocation_dialog = dialog  # reachable from tests while it is open
        dialog.open()
        return dialog

    def _first_free_day(self) -> dt.date:
        """Today, or the day after the allocations that hold the space from today on."""
        day = self._today()
        for a in sorted(self.allocations, key=lambda a: a.start_on):
            if a.status is AllocationStatus.ACTIVE and a.start_on <= day <= a.end_on:
                day = a.end_on + dt.timedelta(days=1)
        return day

    def _allocation_dialog_closed(self) -> None:
        dialog = self.sender()
        if dialog is self.allocation_dialog:
            self.allocation_dialog = None
        dialog.deleteLater()

    def _allocated(self, allocation: AllocationView) -> None:
        self.changed.emit()
        self.reload()

    def end_allocation(self, last_day: dt.date | None = None) -> None:
        """End the selected allocation on ``last_day`` (asked for when not given)."""
        alloc = self.current_allocation()
        if alloc is None:
            return
        if last_day is None:
            dialog = EndAllocationDialog(alloc, self._today(), self)
            if not dialog.exec():
                return
            last_day = dialog.value()
        self._change(alloc, {"end_on": last_day})

    def cancel_allocation(self, confirm: bool = True) -> None:
        alloc = self.current_allocation()
        if alloc is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                tr("Cancel allocation"),
                tr(
                    "Cancel the allocation of {space} to “{org}” ({start} to {end})? "
                    "It stays on the timeline, greyed.",
                    space=f"{alloc.space_code} {alloc.space_name}",
                    org=isolate(alloc.organization_name),
                    start=alloc.start_on,
                    end=alloc.end_on,
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._change(alloc, {"status": AllocationStatus.CANCELLED})

    def _change(self, alloc: AllocationView, changes: dict[str, Any]) -> None:
        # The version read with the timeline: a change made meanwhile at another desk is
        # refused by the core (ConflictError) instead of being overwritten.
        worker = Worker(_change, self.db, alloc.id, changes, alloc.version)
        worker.signals.result.connect(self._changed)
        worker.signals.error.connect(self._change_failed)
        for b in (self.end_button, self.cancel_button):
            b.setEnabled(False)
        start(worker)

    def _changed(self, _allocation: AllocationView) -> None:
        self.changed.emit()
        self.reload()

    def _change_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ConflictError):
            show_error(self, exc, tr("Changed by someone else"))
        else:
            show_error(self, exc)
        self.reload()  # show what is saved now


def _button(text: str, name: str, slot) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    # Not ``connect(slot)``: ``clicked`` would pass its ``checked`` flag as the first argument.
    button.clicked.connect(lambda _checked=False: slot())
    return button
