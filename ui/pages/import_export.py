"""Import / Export page: bring a spreadsheet of organizations in after a dry run that shows
every row's fate, and hand any list out as .xlsx or .csv. Both run in the background with a
progress bar and a Cancel button."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incubator.db import Database
from incubator.errors import IncubatorError
from incubator.exporting import KINDS, tables
from incubator.i18n import T, field_label, tr
from incubator.importing import error_report, kinds, mappings, sheets
from incubator.importing import organizations as importer
from ui import access
from ui.dialogs.column_mapping import ColumnMappingDialog
from ui.errors import explain
from ui.export_runner import write_table
from ui.widgets.list_model import ListTableModel, list_view
from ui.workers import Worker, start

ACTIONS = {
    "create": T("New"),
    "update": T("Update"),
    "unchanged": T("Unchanged"),
    "reject": T("Rejected"),
}
FILTERS = (
    ("all", T("All rows")),
    ("reject", T("Rejected")),
    ("warnings", T("With warnings")),
    ("update", T("Updates")),
    ("create", T("New")),
)
COLORS = {"reject": "#fde7e9", "update": "#eaf2fb", "create": "#eef7ee"}


IMPORT_KINDS = (
    ("organizations", T("Organizations")),
    ("funds", T("Funds and payments")),
    ("projects", T("Projects")),
    ("talent", T("Talent records")),
    ("evaluations", T("Evaluations")),
    ("spaces", T("Space allocations")),
)


def plan_file(
    db: Database, kind: str, path: Path, sheet: str | None, progress
) -> importer.ImportPlan:
    return kinds.plan(db, kind, sheets.read(path, sheet), progress=progress)


def commit_plan(db: Database, kind: str, plan: importer.ImportPlan, accept_partial: bool, progress):
    return kinds.commit(db, kind, plan, accept_partial=accept_partial, progress=progress)


class PreviewModel(ListTableModel[importer.RowPlan]):
    """The dry run's rows; for support records, the organization each belongs to (as the file
    names it) and the record itself."""

    organizations = (T("Row"), T("Result"), T("Name"), T("Unified Social Credit Code"))
    records = (T("Row"), T("Result"), T("Organization"), T("Unified Social Credit Code"))
    kind = "organizations"

    @property
    def columns(self) -> tuple[str, ...]:  # type: ignore[override]
        if self.kind == "organizations":
            return (*self.organizations, T("Details"))
        return (*self.records, T("Record"), T("Details"))

    def data(self, index, role=Qt.ItemDataRole.DisplayRole) -> Any:
        r = self.item(index.row())
        if r is None:
            return None
        if role == Qt.ItemDataRole.BackgroundRole and r.action in COLORS:
            return QColor(COLORS[r.action])
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if self.kind == "organizations":
            values = (r.row, tr(ACTIONS[r.action]), *_name_and_code(r), details(r))
        else:
            owner = (str(r.read.get("org_name") or ""), str(r.read.get("org_code") or ""))
            values = (r.row, tr(ACTIONS[r.action]), *owner, _record(r), details(r))
        return values[index.column()]


def _name_and_code(r: importer.RowPlan) -> tuple[str, str]:
    if r.new is not None:
        return r.new.clean["name"], r.new.clean["credit_code"] or ""
    source = r.clean if r.clean is not None else r.read  # a rejected row: as the file has it
    return str(source.get("name") or ""), str(source.get("credit_code") or "")


def _record(r: importer.RowPlan) -> str:
    """The support record a row holds, as its file names it: title, name or space, else its
    kind and date (an evaluation)."""
    for name in ("title", "name", "space"):
        if r.read.get(name):
            return str(r.read[name])
    return " ".join(str(r.read[n]) for n in ("kind", "evaluated_on") if r.read.get(n))


def details(r: importer.RowPlan) -> str:
    """What happens to the row, in words: reasons, changes old -> new, warnings."""
    parts = []
    if r.problems:
        parts.append(error_report.reason(r.problems))
    for name, (old, new) in r.changes.items():
        parts.append(
            tr("{field}: {old} → {new}", field=field_label(name), old=_v(old), new=_v(new))
        )
    parts += [w.message for w in r.warnings]
    return "；".join(parts)


def _v(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, (list, tuple)):
        return "、".join(getattr(x, "display", lambda x=x: str(x))() for x in value) or "—"
    return value.display() if hasattr(value, "display") else str(value)


class ImportExportPage(QWidget):
    imported = Signal()  # organizations were created or changed

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.plan: importer.ImportPlan | None = None
        self.plan_kind = "organizations"
        self.worker: Worker | None = None
        self._build()

    def _build(self) -> None:
        self.path = QLineEdit()
        self.path.setObjectName("importPath")
        self.path.setPlaceholderText(tr("A spreadsheet: .xlsx, .xls, .ods or .csv"))
        choose = QPushButton(tr("Choose file…"))
        choose.setObjectName("chooseImportFile")
        choose.clicked.connect(self.choose_file)
        self.sheet = QComboBox()
        self.sheet.setObjectName("importSheet")
        self.import_kind = QComboBox()
        self.import_kind.setObjectName("importKind")
        for key, label in IMPORT_KINDS:
            self.import_kind.addItem(tr(label), key)
        self.check_button = QPushButton(tr("Check"))
        self.check_button.setObjectName("checkImport")
        self.check_button.clicked.connect(self.check)
        file_row = QHBoxLayout()
        file_row.addWidget(self.import_kind)
        file_row.addWidget(self.path, 1)
        file_row.addWidget(choose)
        file_row.addWidget(QLabel(tr("Sheet")))
        file_row.addWidget(self.sheet)
        file_row.addWidget(self.check_button)

        self.summary = QLabel(
            tr("Choose a file and press Check: nothing is imported before you see every row.")
        )
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.filter = QComboBox()
        self.filter.setObjectName("importFilter")
        for key, label in FILTERS:
            self.filter.addItem(tr(label), key)
        self.filter.currentIndexChanged.connect(self._show_rows)
        self.model = PreviewModel(self)
        self.table = list_view("importPreview", self.model)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.import_button = QPushButton(tr("Import"))
        self.import_button.setObjectName("commitImport")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.commit)
        self.columns_button = QPushButton(tr("Columns…"))
        self.columns_button.setObjectName("mapColumns")
        self.columns_button.setToolTip(tr("Say what the columns the importer does not know hold"))
        self.columns_button.setEnabled(False)
        self.columns_button.clicked.connect(self.map_columns)
        access.for_writers(self.db, self.import_button, self.columns_button)
        self.errors_button = QPushButton(tr("Save rejected rows…"))
        self.errors_button.setObjectName("saveRejected")
        self.errors_button.setEnabled(False)
        self.errors_button.clicked.connect(self.save_rejected)
        actions = QHBoxLayout()
        actions.addWidget(QLabel(tr("Show")))
        actions.addWidget(self.filter)
        actions.addStretch(1)
        actions.addWidget(self.columns_button)
        actions.addWidget(self.errors_button)
        actions.addWidget(self.import_button)

        importing = QGroupBox(tr("Import"))
        box = QVBoxLayout(importing)
        box.addLayout(file_row)
        box.addWidget(self.summary)
        box.addLayout(actions)
        box.addWidget(self.table, 1)

        self.kind = QComboBox()
        self.kind.setObjectName("exportKind")
        for kind in KINDS:
            self.kind.addItem(tr(tables.SHEETS[kind]), kind)
        self.phones = QCheckBox(tr("Include phone numbers in full"))
        self.phones.setObjectName("exportPhones")
        self.export_button = QPushButton(tr("Export…"))
        self.export_button.setObjectName("exportButton")
        self.export_button.clicked.connect(self.export)
        exporting = QGroupBox(tr("Export a list"))
        row = QHBoxLayout(exporting)
        row.addWidget(self.kind)
        row.addWidget(self.phones)
        row.addStretch(1)
        row.addWidget(self.export_button)

        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.progress.setRange(0, 1000)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setObjectName("cancelImport")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.status = QLabel()
        self.status.setObjectName("importStatus")
        self.status.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addWidget(importing, 1)
        layout.addWidget(exporting)
        layout.addLayout(bottom)
        layout.addWidget(self.status)

    # --- choosing and checking -------------------------------------------------------------

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            tr("Choose file…"),
            self.path.text(),
            tr("Spreadsheets (*.xlsx *.xls *.ods *.csv)"),
        )
        if path:
            self.path.setText(path)
            self.load_sheets()

    def load_sheets(self) -> None:
        self.sheet.clear()
        try:
            names = sheets.sheet_names(Path(self.path.text()))
        except IncubatorError as exc:
            self._say(exc.message(), error=True)
            return
        self.sheet.addItems(names)
        self._say("")

    def check(self) -> Worker | None:
        if self.worker is not None or not self.path.text().strip():
            return None
        path = Path(self.path.text().strip())
        if self.sheet.count() == 0:
            self.load_sheets()
        sheet = self.sheet.currentText() or None
        self.plan = None
        self.model.set_items([])
        self.import_button.setEnabled(False)
        self.errors_button.setEnabled(False)
        self.columns_button.setEnabled(False)
        kind = self.import_kind.currentData()
        self.plan_kind = self.model.kind = kind
        worker = Worker(plan_file, self.db, kind, path, sheet)
        return self._run(worker, self._checked, tr("Checking…"))

    def _checked(self, plan: importer.ImportPlan) -> None:
        self.plan = plan
        self._say(plan.blocking, error=bool(plan.blocking))
        self.columns_button.setEnabled(True)
        self.summary.setText(
            tr(
                "{sheet}, header on row {header}: {create} new, {update} to update, "
                "{same} unchanged, {rejected} rejected, {warnings} warnings.",
                sheet=plan.sheet,
                header=plan.layout.header_row + 1,
                create=plan.count("create"),
                update=plan.count("update"),
                same=plan.count("unchanged"),
                rejected=len(plan.rejected),
                warnings=plan.warning_count,
            )
            + (
                " " + tr("Columns ignored: {names}", names="、".join(plan.layout.ignored))
                if plan.layout.ignored
                else ""
            )
        )
        self._show_rows()
        self.import_button.setEnabled(plan.count("create") + plan.count("update") > 0)
        self.errors_button.setEnabled(bool(plan.rejected))

    def _show_rows(self) -> None:
        if self.plan is None:
            return
        key = self.filter.currentData()
        rows = self.plan.rows
        if key == "warnings":
            rows = [r for r in rows if r.warnings]
        elif key != "all":
            rows = [r for r in rows if r.action == key]
        self.model.set_items(rows)
        self.table.resizeColumnsToContents()

    def map_columns(self) -> bool:
        """Staff say what each column holds; remembered, then the file is checked again."""
        if self.plan is None:
            return False
        dialog = ColumnMappingDialog(self.plan.layout, kinds.fields(self.plan_kind), self)
        self.mapping_dialog = dialog  # reachable from tests while it is open
        if not dialog.exec():
            return False
        try:
            key = mappings.signature_for(self.plan_kind, self.plan.layout)
            mappings.remember(self.db, key, dialog.mapping())
        except IncubatorError as exc:
            self._say(exc.message(), error=True)
            return False
        self.check()
        return True

    # --- importing ---------------------------------------------------------------------------

    def commit(self) -> Worker | None:
        plan = self.plan
        if plan is None or self.worker is not None:
            return None
        accept_partial = False
        if plan.rejected:
            asked = QMessageBox.question(
                self,
                tr("Import"),
                tr(
                    "{rejected} rows are rejected and will be left out. Import the other "
                    "{accepted} rows?",
                    rejected=len(plan.rejected),
                    accepted=plan.count("create") + plan.count("update"),
                ),
            )
            if asked != QMessageBox.StandardButton.Yes:
                return None
            accept_partial = True
        worker = Worker(commit_plan, self.db, self.plan_kind, plan, accept_partial)
        return self._run(worker, self._committed, tr("Importing…"))

    def _committed(self, result: importer.ImportResult) -> None:
        self.plan = None
        self.import_button.setEnabled(False)
        self.errors_button.setEnabled(False)
        self._say(
            tr(
                "Imported: {created} new, {updated} updated.",
                created=result.created,
                updated=result.updated,
            )
        )
        self.imported.emit()

    def save_rejected(self) -> None:
        if self.plan is None or not self.plan.rejected:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            tr("Save rejected rows…"),
            str(Path(self.path.text()).with_name(Path(self.path.text()).stem + "-rejected.xlsx")),
            "Excel (*.xlsx)",
        )
        if not path:
            return
        try:
            n = error_report.write(self.plan, Path(path))
        except OSError as exc:
            self._say(str(exc), error=True)
            return
        self._say(tr("{count} rejected rows saved to {path}", count=n, path=path))

    # --- exporting ---------------------------------------------------------------------------

    def export(self) -> Worker | None:
        if self.worker is not None:
            return None
        kind = self.kind.currentData()
        path, _ = QFileDialog.getSaveFileName(
            self,
            tr("Export…"),
            f"{tr(tables.SHEETS[kind])}.xlsx",
            tr("Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)"),
        )
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() not in (".xlsx", ".csv"):
            target = target.with_suffix(".xlsx")
        db, phones = self.db, self.phones.isChecked()
        worker = Worker(write_table, lambda: tables.table(db, kind, include_phones=phones), target)
        return self._run(
            worker,
            lambda n, p=target: self._say(tr("{count} rows written to {path}", count=n, path=p)),
            tr("Exporting…"),
        )

    # --- background work ---------------------------------------------------------------------

    def _run(self, worker: Worker, done, text: str) -> Worker:
        self.worker = worker
        worker.signals.progress.connect(self._progress)
        worker.signals.result.connect(done)
        worker.signals.error.connect(lambda exc: self._say(explain(exc), error=True))
        worker.signals.finished.connect(self._finished)
        for button in (self.check_button, self.import_button, self.export_button):
            button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        self._say(text)
        start(worker)
        return worker

    def _progress(self, done: int, total: int) -> None:
        self.progress.setValue(int(1000 * done / total) if total else 0)

    def _finished(self) -> None:
        self.worker = None
        self.cancel_button.setEnabled(False)
        self.check_button.setEnabled(True)
        self.export_button.setEnabled(True)
        plan = self.plan
        self.import_button.setEnabled(
            plan is not None and plan.count("create") + plan.count("update") > 0
        )
        self.progress.setValue(1000)

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b3261e;" if error else "")
        self.status.setText(text)
