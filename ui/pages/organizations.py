"""Organizations page: search-as-you-type, filters, a paged table, counts."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incubator.db import Database
from incubator.domain import LegalForm, ServiceField, Stage
from incubator.exporting import tables
from incubator.i18n import tr
from incubator.services.registry import OrgQuery
from ui import access
from ui.errors import show_error
from ui.export_runner import ExportRunner
from ui.forms import SEARCH_PAUSE_MS
from ui.org_table import COLUMNS, OrganizationTableModel, follow, widest_texts
from ui.widgets.list_model import list_view


def _enum_combo(all_label: str, enum) -> QComboBox:
    combo = QComboBox()
    combo.addItem(tr(all_label), None)
    for member in enum:
        combo.addItem(member.display(), member)
    return combo


class OrganizationsPage(QWidget):
    organizationActivated = Signal(int)
    newRequested = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.model = OrganizationTableModel(db, self)

        self.search = QLineEdit()
        self.search.setObjectName("orgSearch")
        self.search.setPlaceholderText(
            tr("Search name, short name, credit code or pinyin initials (e.g. sqfw)")
        )
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)  # the wider English filters must not squeeze it
        self.stage = _enum_combo("All stages", Stage)
        self.legal_form = _enum_combo("All legal forms", LegalForm)
        self.field = _enum_combo("All service fields", ServiceField)
        self.area = QLineEdit()
        self.area.setPlaceholderText(tr("Area"))
        self.area.setMaximumWidth(160)
        self.archived = QCheckBox(tr("Include archived"))
        self.archived.setObjectName("includeArchived")
        self.overdue = QCheckBox(tr("Overdue only"))
        self.overdue.setObjectName("overdueOnly")
        self.count = QLabel()
        self.count.setObjectName("orgCount")
        self.legend = QLabel(
            tr("⚠ incubation overdue: still incubating after the agreement's planned end")
        )
        self.legend.setObjectName("overdueLegend")
        self.legend.setStyleSheet("color: #5f6b7a;")

        self.new_button = QPushButton(tr("New organization…"))
        self.new_button.setObjectName("newOrgButton")
        self.new_button.setToolTip(tr("New organization (Ctrl+N)"))
        self.new_button.clicked.connect(self.newRequested.emit)
        access.for_writers(self.db, self.new_button)
        self.export_button = QPushButton(tr("Export…"))
        self.export_button.setObjectName("exportOrgs")
        self.export_button.setToolTip(tr("The organizations listed, as .xlsx or .csv"))
        self.export_status = QLabel()
        self.export_status.setObjectName("exportStatus")
        self.exporter = ExportRunner(self, self.export_status)
        self.export_button.clicked.connect(self.export)
        filters = QHBoxLayout()
        filters.addWidget(self.new_button)
        filters.addWidget(self.search, 3)
        for w in (self.stage, self.legal_form, self.field, self.area, self.overdue, self.archived):
            filters.addWidget(w)

        self.table = list_view("orgTable", self.model)
        follow(self.table, self.model)  # rows are read as they come into view
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.fit_columns()
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.activated.connect(self._activated)  # double-click or Enter

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count)
        bottom.addWidget(self.export_status)
        bottom.addStretch(1)
        bottom.addWidget(self.legend)
        bottom.addWidget(self.export_button)
        layout.addLayout(bottom)

        self._timer = QTimer(self, singleShot=True, interval=SEARCH_PAUSE_MS)
        self._timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._timer.start)
        self.area.textChanged.connect(self._timer.start)
        for combo in (self.stage, self.legal_form, self.field):
            combo.currentIndexChanged.connect(self.apply_filters)
        for box in (self.archived, self.overdue):
            box.toggled.connect(self.apply_filters)
        self.model.searchStarted.connect(lambda: self.count.setText(tr("Searching…")))
        self.model.searchFinished.connect(self._show_count)
        self.model.searchFailed.connect(lambda exc: show_error(self, exc))

    def fit_columns(self) -> None:
        """Each column as wide as its header and its longest possible text in the current
        language (the rows are fetched lazily, so Qt cannot measure them); the name gets the
        rest."""
        cell = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        heading = header.fontMetrics()
        padding, sort_arrow = 24, 20
        for col, (key, _title, _sort) in enumerate(COLUMNS):
            title = str(self.model.headerData(col, Qt.Orientation.Horizontal))
            widths = [heading.horizontalAdvance(title) + sort_arrow]
            widths += [cell.horizontalAdvance(text) for text in widest_texts(key)]
            self.table.setColumnWidth(col, 320 if key == "name" else max(widths) + padding)

    def current_query(self) -> OrgQuery:
        return OrgQuery(
            text=self.search.text(),
            stage=self.stage.currentData(),
            legal_form=self.legal_form.currentData(),
            service_field=self.field.currentData(),
            area=self.area.text() or None,
            include_archived=self.archived.isChecked(),
            overdue=self.overdue.isChecked(),
            order_by=self.model.query.order_by,
            descending=self.model.query.descending,
        )

    def export(self) -> None:
        """The organizations listed (the filters as set), phone numbers masked."""
        query, db = self.current_query(), self.db
        self.exporter.run(tr("Organizations"), lambda: tables.table(db, "organizations", query))

    def apply_filters(self) -> None:
        self._timer.stop()
        self.model.set_query(self.current_query())

    def reload(self) -> None:
        self.model.set_query(self.current_query())

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _show_count(self, n: int) -> None:
        self.count.setText(tr("{n} organizations", n=n))

    def _activated(self, index) -> None:
        org_id = self.model.org_id(index.row())
        if org_id is not None:
            self.organizationActivated.emit(org_id)
