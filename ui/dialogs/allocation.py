"""Allocating a space to an organization, and ending an allocation early.

The organization is picked with search-as-you-type (``registry.search``: name, short name,
credit code or pinyin initials), run in a worker. Saving also runs in a worker, since the core
locks the space while it checks the period (another desk may hold the lock for a moment).
When the period is taken, the core's message naming the holder appears inside the dialog,
which stays open with nothing saved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from incubator.db import Database
from incubator.errors import IncubatorError
from incubator.i18n import tr
from incubator.services import registry, spaces
from incubator.services.registry import ListRow, OrgQuery
from incubator.services.spaces import AllocationView, SpaceView
from ui.errors import explain
from ui.forms import SEARCH_PAUSE_MS, isolate, reads_rtl
from ui.widgets.date_field import DateField
from ui.workers import Worker, start

RESULTS = 50


def date_edit(day: dt.date, name: str) -> DateField:
    edit = DateField(day)
    edit.setObjectName(name)
    return edit


def error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet("color: #b3261e;")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def _search(db: Database, text: str, progress=None) -> list[ListRow]:
    return registry.list_page(db, OrgQuery(text=text), limit=RESULTS)


def _allocate(db: Database, space_id: int, org_id: int, start, end, notes, progress=None):
    return spaces.allocate(db, space_id, org_id, start, end, notes)


class AllocationDialog(QDialog):
    """Result: ``allocation`` (an AllocationView) once saved; ``allocated`` is emitted too."""

    allocated = Signal(object)
    searchFinished = Signal(int)  # number of organizations listed
    saveFailed = Signal(str)  # the message shown in the dialog

    def __init__(
        self,
        db: Database,
        space: SpaceView,
        start_on: dt.date,
        end_on: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.space = space
        self.allocation: AllocationView | None = None
        self.org_id: int | None = None
        self._generation = 0
        self._search_worker: Worker | None = None
        self._save_worker: Worker | None = None
        self.setObjectName("allocationDialog")
        self.setWindowTitle(tr("Allocate {space}", space=f"{space.code} {space.name}"))
        self.setMinimumWidth(560)

        self.search = QLineEdit()
        self.search.setObjectName("allocationSearch")
        self.search.setPlaceholderText(
            tr("Search name, short name, credit code or pinyin initials (e.g. sqfw)")
        )
        self.search.setClearButtonEnabled(True)
        self.results = QTreeWidget()
        self.results.setObjectName("allocationResults")
        self.results.setMinimumHeight(180)
        self.results.setRootIsDecorated(False)
        self.results.setUniformRowHeights(True)
        self.results.setHeaderLabels([tr("Name"), tr("Lifecycle stage")])
        self.results.header().setStretchLastSection(False)
        self.results.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.results.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.chosen = QLabel(tr("No organization chosen yet"))
        self.chosen.setObjectName("allocationChosen")
        self.chosen.setWordWrap(True)
        self.start_on = date_edit(start_on, "allocationStart")
        self.end_on = date_edit(end_on, "allocationEnd")
        self.notes = QLineEdit()
        self.notes.setObjectName("allocationNotes")
        self.error = error_label("allocationError")

        form = QFormLayout()
        form.addRow(tr("Organization"), self.search)
        form.addRow("", self.results)
        form.addRow("", self.chosen)
        form.addRow(tr("Start date"), self.start_on)
        form.addRow(tr("End date (included)"), self.end_on)
        form.addRow(tr("Notes"), self.notes)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(tr("Save"))
        self.save_button.setObjectName("allocationSave")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self._timer = QTimer(self, singleShot=True, interval=SEARCH_PAUSE_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._timer.start)
        self.results.currentItemChanged.connect(self._picked)
        self.results.itemActivated.connect(self._picked_and_save)  # double click, Enter
        for edit in (self.start_on, self.end_on):
            edit.dateChanged.connect(self._clear_error)
        self._start = start_on
        self.start_on.dateChanged.connect(self._start_moved)
        self.run_search()

    def _start_moved(self, start: dt.date | None) -> None:
        """Moving the start moves the end with it: the length of the allocation is kept."""
        end = self.end_on.date()
        if start is None:  # half typed: the end waits for a whole date
            return
        if self._start is not None and end is not None:
            self.end_on.setDate(end + (start - self._start))
        self._start = start

    # --- searching -------------------------------------------------------------------------
    def run_search(self) -> None:
        self._timer.stop()
        self._generation += 1
        if self._search_worker is not None:
            self._search_worker.cancel()
        worker = Worker(_search, self.db, self.search.text())
        worker.signals.generation = self._generation
        worker.signals.result.connect(self._on_results)
        worker.signals.error.connect(self._on_search_error)
        self._search_worker = worker
        start(worker)

    def _is_current(self) -> bool:
        return getattr(self.sender(), "generation", None) == self._generation

    def _on_results(self, found: list[ListRow]) -> None:
        if not self._is_current():
            return
        self._search_worker = None
        self.results.blockSignals(True)
        self.results.clear()
        for org in found:
            item = QTreeWidgetItem([org.name, org.stage.display()])
            item.setData(0, Qt.ItemDataRole.UserRole, org.id)
            item.setToolTip(0, org.credit_code or org.name)
            if reads_rtl(org.name):  # Uyghur script: right-aligned, as it is read
                item.setTextAlignment(
                    0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
            self.results.addTopLevelItem(item)
            if org.id == self.org_id:
                self.results.setCurrentItem(item)
        self.results.blockSignals(False)
        if len(found) == 1 and self.org_id is None:
            self.results.setCurrentItem(self.results.topLevelItem(0))
        self.searchFinished.emit(len(found))

    def _on_search_error(self, exc: BaseException) -> None:
        if self._is_current():
            self._search_worker = None
            self._show_error(explain(exc))

    def _picked(self, item: QTreeWidgetItem | None, _previous: Any = None) -> None:
        if item is None:
            return
        self.choose(int(item.data(0, Qt.ItemDataRole.UserRole)), item.text(0))

    def _picked_and_save(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self._picked(item)
        self.save()

    def result_names(self) -> list[str]:
        return [
            self.results.topLevelItem(i).text(0) for i in range(self.results.topLevelItemCount())
        ]

    def pick(self, row: int) -> None:
        self.results.setCurrentItem(self.results.topLevelItem(row))

    def choose(self, org_id: int, name: str) -> None:
        """Pick an organization directly (e.g. the one a page is showing)."""
        self.org_id = org_id
        self.chosen.setText(tr("Chosen: {name}", name=isolate(name)))
        self._clear_error()

    # --- saving ----------------------------------------------------------------------------
    def save(self) -> None:
        self._clear_error()
        if self._save_worker is not None:
            return
        if self.org_id is None:
            self._show_error(tr("Choose an organization first."))
            return
        worker = Worker(
            _allocate,
            self.db,
            self.space.id,
            self.org_id,
            self.start_on.value(),
            self.end_on.value(),
            self.notes.text(),
        )
        worker.signals.result.connect(self._on_saved)
        worker.signals.error.connect(self._on_save_error)
        self._save_worker = worker
        self._set_saving(True)
        start(worker)

    def _set_saving(self, saving: bool) -> None:
        self.buttons.setEnabled(not saving)
        self.save_button.setText(tr("Saving…") if saving else tr("Save"))

    def reject(self) -> None:
        if self._save_worker is None:  # a save under way finishes first (and is shown)
            super().reject()

    def _on_saved(self, allocation: AllocationView) -> None:
        self._save_worker = None
        self._set_saving(False)
        self.allocation = allocation
        self.allocated.emit(allocation)
        self.accept()

    def _on_save_error(self, exc: BaseException) -> None:
        self._save_worker = None
        self._set_saving(False)
        # The core's errors (a taken period names its holder) in the user's language; anything
        # else as the short apology with the log path. Either way the dialog stays open.
        self._show_error(exc.message() if isinstance(exc, IncubatorError) else explain(exc))

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.saveFailed.emit(text)

    def _clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    def error_text(self) -> str:
        return self.error.text() if not self.error.isHidden() else ""


class EndAllocationDialog(QDialog):
    """Asks for the last day of an allocation that ends early (or is extended)."""

    def __init__(self, allocation: AllocationView, today: dt.date, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("endAllocationDialog")
        self.setWindowTitle(tr("End allocation"))
        intro = QLabel(
            tr(
                "{org} holds {space} from {start} to {end}. Last day of the allocation:",
                org=isolate(allocation.organization_name),
                space=f"{allocation.space_code} {allocation.space_name}",
                start=allocation.start_on,
                end=allocation.end_on,
            )
        )
        intro.setWordWrap(True)
        default = min(max(today, allocation.start_on), allocation.end_on)
        self.last_day = date_edit(default, "allocationLastDay")
        self.start_on = allocation.start_on
        self.error = error_label("endAllocationError")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("End allocation"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.last_day)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """Only a whole date on or after the allocation's start closes the dialog."""
        day = self.last_day.date()
        if day is None:
            self.error.setText(
                tr("Not a date: “{value}” (use YYYY-MM-DD)", value=self.last_day.text())
            )
        elif day < self.start_on:
            self.error.setText(
                tr("The last day cannot be before the start ({start})", start=self.start_on)
            )
        else:
            super().accept()
            return
        self.error.show()

    def value(self) -> dt.date:
        day = self.last_day.date()
        assert day is not None  # accept() let only a date through
        return day
