"""The center's compliance list: every organization's annual report of a chosen year (due
date, submission, status), with its rating grade and any listing by the authority; filtered
by status, exported, and an organization opened by a double click. Read off the GUI thread."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from incubator.db import Database
from incubator.domain import AnnualReportStatus
from incubator.errors import IncubatorError
from incubator.exporting import tables
from incubator.i18n import field_label, tr
from incubator.services import compliance
from ui.export_runner import ExportRunner
from ui.widgets.list_model import ListTableModel, list_view
from ui.workers import Worker, start

RED = QColor("#b3261e")
LATE = (
    AnnualReportStatus.OVERDUE,
    AnnualReportStatus.UNQUALIFIED,
    AnnualReportStatus.NOT_INSPECTED,
)


def load(
    db: Database, year: int, status: AnnualReportStatus | None, progress: Any = None
) -> list[compliance.YearRow]:
    return compliance.year_list(db, year, status)[1]


class ComplianceModel(ListTableModel[compliance.YearRow]):
    columns = (
        "Name",
        "Unified Social Credit Code",
        "Report due",
        "Submitted on",
        "Status",
        "Rating grade",
        "Listed",
    )

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row = self.items[index.row()]
        r, column = row.report, index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                r.name,
                r.credit_code or "—",
                str(r.due_on),
                str(r.submitted_on or ""),
                r.status.display(),
                row.grade,
                row.listed,
            )[column]
        late = (column == 4 and r.status in LATE) or (column == 6 and bool(row.listed))
        if role == Qt.ItemDataRole.ForegroundRole and late:
            return RED
        return None


class CompliancePage(QWidget):
    organizationActivated = Signal(int)
    loaded = Signal()  # the list is on screen

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.worker: Worker | None = None
        self.year = QSpinBox()
        self.year.setObjectName("complianceYear")
        self.year.setRange(1990, 2100)
        self.year.setValue(dt.date.today().year - 1)
        self.year.valueChanged.connect(self.reload)
        self.status = QComboBox()
        self.status.setObjectName("complianceStatus")
        self.status.addItem(tr("Every status"), None)
        for status in AnnualReportStatus:
            self.status.addItem(status.display(), status)
        self.status.currentIndexChanged.connect(self.reload)
        self.count = QLabel()
        self.count.setObjectName("complianceCount")
        export_status = QLabel()
        self.exporter = ExportRunner(self, export_status)
        export = QPushButton(tr("Export…"))
        export.setObjectName("exportCompliance")
        export.clicked.connect(self.export)
        self.model = ComplianceModel(self)
        self.table = list_view("complianceTable", self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._activated)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Annual reports of the year")))
        top.addWidget(self.year)
        top.addWidget(QLabel(field_label("status")))
        top.addWidget(self.status)
        top.addStretch(1)
        top.addWidget(export_status)
        top.addWidget(export)
        hint = QLabel(
            tr(
                "A year's report is due the following year (31 May unless the center set "
                "another day in Settings). Double-click an organization to open it."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self._year_set = False

    def reload(self) -> None:
        if not self._year_set:  # the year whose report fell due last, the first time
            self._year_set = True
            try:
                year = compliance.year_due_last(self.db)
            except IncubatorError:
                year = self.year.value()
            if year != self.year.value():
                self.year.setValue(year)  # reloads
                return
        if self.worker is not None:
            self.worker.cancel()
        worker = Worker(load, self.db, self.year.value(), self.status.currentData())
        worker.signals.result.connect(self._shown)
        worker.signals.error.connect(self._failed)
        self.worker = worker
        self.count.setText(tr("Loading…"))
        start(worker)

    def _shown(self, rows: list[compliance.YearRow]) -> None:
        self.worker = None
        self.model.set_items(rows)
        self.table.resizeColumnsToContents()
        self.count.setText(
            tr(
                "{count} organizations, annual reports of {year}",
                count=len(rows),
                year=self.year.value(),
            )
        )
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.worker = None
        self.count.setText(exc.message() if isinstance(exc, IncubatorError) else str(exc))
        self.loaded.emit()

    def _activated(self, index: QModelIndex) -> None:
        row = self.model.item(index.row())
        if row is not None:
            self.organizationActivated.emit(row.report.organization_id)

    def export(self) -> None:
        db, year, status = self.db, self.year.value(), self.status.currentData()
        name = tr("Annual reports of {year}", year=year)
        self.exporter.run(name, lambda: tables.table(db, "compliance", year=year, status=status))
