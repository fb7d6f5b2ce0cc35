"""Reports page: choose the report, organizations, period and language; generate in the
background with progress and cancel; preview (QtPdf); save and print."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from incubator.db import Database
from incubator.domain import Stage
from incubator.errors import IncubatorError, ValidationError
from incubator.i18n import LANGUAGES, current_language, tr
from incubator.services import registry
from incubator.services.periods import Period, parse_period, quarter, quarter_of
from incubator.services.registry import OrgQuery
from ui import access, printing
from ui.dialogs.center_summary import CenterSummaryDialog
from ui.dialogs.narrative import NarrativeDialog
from ui.errors import explain
from ui.forms import isolate
from ui.pages.settings import LANGUAGE_NAMES
from ui.workers import Worker, start

KINDS = ("org", "center", "pack")


def current_quarter(today: dt.date | None = None) -> Period:
    today = today or dt.date.today()
    return quarter(today.year, quarter_of(today))


class ReportsPage(QWidget):
    generated = Signal(str)  # path of the new PDF
    failed = Signal(str)  # the message shown
    printed = Signal(str)  # where the print went (a file, or the print system's request)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.worker: Worker | None = None
        self.print_worker: Worker | None = None
        self.pdf_path: Path | None = None
        self.tmp = Path(tempfile.mkdtemp(prefix="incubator-report-"))

        self.kind = QComboBox()
        self.kind.setObjectName("reportKind")
        for key, label in zip(
            KINDS,
            (tr("Organization progress report"), tr("Center report"), tr("Committee pack")),
            strict=True,
        ):
            self.kind.addItem(label, key)
        self.period = QLineEdit(current_quarter().key)
        self.period.setObjectName("reportPeriod")
        self.period.setPlaceholderText(tr("2026, 2026Q3 or 2026-01-01..2026-06-30"))
        self.period_error = QLabel()
        self.period_error.setStyleSheet("color: #b3261e;")
        self.period_error.hide()
        quick = QHBoxLayout()
        today = dt.date.today()
        for text, value in (
            (tr("This quarter"), current_quarter(today).key),
            (tr("This year"), str(today.year)),
            (tr("Last year"), str(today.year - 1)),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, v=value: self.period.setText(v))
            quick.addWidget(button)
        self.language = QComboBox()
        self.language.setObjectName("reportLanguage")
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(self.language.findData(current_language()))

        self.search = QLineEdit()
        self.search.setObjectName("reportOrgSearch")
        self.search.setPlaceholderText(tr("Find an organization (name, code, pinyin initials)"))
        self.stage = QComboBox()
        self.stage.addItem(tr("All stages"), None)
        for stage in Stage:
            self.stage.addItem(stage.display(), stage)
        self.orgs = QListWidget()
        self.orgs.setObjectName("reportOrgs")
        self.orgs.itemSelectionChanged.connect(self._org_chosen)
        self.orgs_hint = QLabel()
        self.orgs_hint.setWordWrap(True)
        self.include_idle = QCheckBox(tr("Also organizations with nothing to report in the period"))
        self.include_idle.setObjectName("includeIdle")
        self.with_documents = QCheckBox(tr("Each organization's PDF documents after its report"))
        self.with_documents.setObjectName("withDocuments")
        self.narrative_button = QPushButton(tr("Narrative and next steps…"))
        self.narrative_button.setObjectName("narrativeButton")
        self.narrative_button.clicked.connect(self.edit_narrative)
        self.summary_button = QPushButton(tr("Summary and corrective actions…"))
        self.summary_button.setObjectName("summaryButton")
        self.summary_button.clicked.connect(self.edit_summary)

        self.generate_button = QPushButton(tr("Generate"))
        self.generate_button.setObjectName("generateButton")
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.generate)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setObjectName("cancelReport")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setObjectName("reportProgress")
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.status = QLabel()
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)

        form = QFormLayout()
        form.addRow(tr("Report"), self.kind)
        form.addRow(tr("Period"), self.period)
        form.addRow("", self.period_error)
        form.addRow("", _row(quick))
        form.addRow(tr("Language"), self.language)
        form.addRow(tr("Stage"), self.stage)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.search)
        left.addWidget(self.orgs, 1)
        left.addWidget(self.orgs_hint)
        left.addWidget(self.include_idle)
        left.addWidget(self.with_documents)
        left.addWidget(self.narrative_button)
        left.addWidget(self.summary_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.generate_button)
        buttons.addWidget(self.cancel_button)
        left.addLayout(buttons)
        left.addWidget(self.progress)
        left.addWidget(self.status)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left_widget.setMinimumWidth(340)

        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setObjectName("reportPreview")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.save_button = QPushButton(tr("Save as…"))
        self.save_button.setObjectName("saveReport")
        self.save_button.clicked.connect(self.save_as)
        self.print_button = QPushButton(tr("Print…"))
        self.print_button.setObjectName("printReport")
        self.print_button.clicked.connect(self.print_report)
        for b in (self.save_button, self.print_button):
            b.setEnabled(False)
        right = QVBoxLayout()
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.save_button)
        actions.addWidget(self.print_button)
        right.addLayout(actions)
        right.addWidget(self.view, 1)
        right_widget = QWidget()
        right_widget.setLayout(right)

        splitter = QSplitter()
        splitter.addWidget(left_widget)
        splitter.addWidget(right_widget)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.refresh_orgs)
        self.search.textChanged.connect(self._search_timer.start)
        self.stage.currentIndexChanged.connect(self.refresh_orgs)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    # --- choosing --------------------------------------------------------------------------
    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        single = kind == "org"
        self.orgs.setSelectionMode(
            QAbstractItemView.SelectionMode.SingleSelection
            if single
            else QAbstractItemView.SelectionMode.MultiSelection
        )
        for w in (self.search, self.orgs, self.orgs_hint):
            w.setVisible(kind != "center")
        self.stage.setEnabled(kind != "center")
        writes = access.may_write(self.db)  # both save texts printed in the report
        self.narrative_button.setVisible(single and writes)
        self.summary_button.setVisible(kind != "org" and writes)  # the center report, pack
        self.include_idle.setVisible(kind == "pack")
        self.with_documents.setVisible(kind == "pack")
        self.orgs_hint.setText(
            tr("Choose the organization.")
            if single
            else tr(
                "Selected organizations get their progress report in the pack; with none "
                "selected, every organization listed that has something to report in the "
                "period."
            )
        )
        self.refresh_orgs()

    def refresh_orgs(self) -> None:
        """Up to 500 organizations matching the search and stage (the list is for choosing).
        Loaded when the page is first shown, not while the window is built at start-up."""
        self._orgs_loaded = self.isVisible()
        if not self._orgs_loaded or self.kind.currentData() == "center":
            return
        query = OrgQuery(text=self.search.text(), stage=self.stage.currentData())
        try:
            rows = registry.list_page(self.db, query, limit=500)
        except IncubatorError as exc:
            self.status.setText(exc.message())
            return
        self.orgs.clear()
        for org in rows:
            item = QListWidgetItem(f"{isolate(org.name)}　{org.credit_code or ''}")
            item.setData(Qt.ItemDataRole.UserRole, org.id)
            self.orgs.addItem(item)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._orgs_loaded:
            self.refresh_orgs()

    def _org_chosen(self) -> None:
        """The hint asking for an organization goes once one is chosen."""
        if self.status.text() == tr("Choose the organization.") and self.selected_org_ids():
            self.status.clear()

    def selected_org_ids(self) -> list[int]:
        return [item.data(Qt.ItemDataRole.UserRole) for item in self.orgs.selectedItems()]

    def listed_org_ids(self) -> list[int]:
        return [self.orgs.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.orgs.count())]

    def _period(self) -> Period | None:
        self.period_error.hide()
        try:
            return parse_period(self.period.text())
        except ValidationError as exc:
            self.period_error.setText(tr(exc.problems[0].key, None, **exc.problems[0].params))
            self.period_error.show()
            return None

    def edit_narrative(self) -> bool:
        period = self._period()
        ids = self.selected_org_ids()
        if period is None:
            return False
        if not ids:
            self.status.setText(tr("Choose the organization."))
            return False
        org = registry.get(self.db, ids[0])
        dialog = NarrativeDialog(self.db, org.id, org.name, period, self)
        self.narrative_dialog = dialog  # reachable from tests while it is open
        return bool(dialog.exec())

    def edit_summary(self) -> bool:
        period = self._period()
        if period is None:
            return False
        dialog = CenterSummaryDialog(self.db, period, self)
        self.summary_dialog = dialog  # reachable from tests while it is open
        return bool(dialog.exec())

    # --- generating ------------------------------------------------------------------------
    def generate(self) -> Worker | None:
        from incubator import reports  # ReportLab and the fonts load at the first report

        period = self._period()
        if period is None or self.worker is not None:
            return None
        kind = self.kind.currentData()
        lang = self.language.currentData()
        out = self.tmp / f"{kind}-{period.key.replace('..', '_')}-{lang}.pdf"
        if kind == "org":
            ids = self.selected_org_ids()
            if not ids:
                self.status.setText(tr("Choose the organization."))
                return None
            # Named after the organization: Save as proposes a name that tells them apart.
            name = re.sub(r'[\\/:*?"<>|\s\u2066-\u2069]+', "_", registry.get(self.db, ids[0]).name)
            out = self.tmp / f"{name[:60]}-{period.key.replace('..', '_')}-{lang}.pdf"
            worker = Worker(reports.org_report, self.db, ids[0], period, out, lang=lang)
        elif kind == "center":
            worker = Worker(reports.center_report, self.db, period, out, lang=lang)
        else:
            chosen = self.selected_org_ids()
            ids = chosen or self.listed_org_ids()
            everyone = bool(chosen) or self.include_idle.isChecked()
            worker = Worker(
                reports.committee_pack,
                self.db,
                period,
                out,
                org_ids=ids,
                everyone=everyone,
                lang=lang,
                with_documents=self.with_documents.isChecked(),
            )
        self.pending = out
        worker.signals.progress.connect(self._progress)
        worker.signals.result.connect(self._done)
        worker.signals.error.connect(self._failed)
        worker.signals.finished.connect(self._finished)
        self.worker = worker
        self.generate_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        self.status.setText(tr("Generating…"))
        return start(worker)

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.status.setText(tr("Cancelling…"))

    def _progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _done(self, result) -> None:
        self.pdf_path = self.pending
        self.document.load(str(self.pdf_path))
        pages = self.document.pageCount()
        self.status.setText(tr("{pages} pages ready. Save or print them.", pages=pages))
        for b in (self.save_button, self.print_button):
            b.setEnabled(True)
        self.generated.emit(str(self.pdf_path))

    def _failed(self, exc: BaseException) -> None:
        from incubator.reports import ReportCancelled  # (loaded by generate already)

        if isinstance(exc, ReportCancelled):
            message = tr("Cancelled; nothing was written.")
        else:
            message = explain(exc)
        self.status.setText(message)
        self.failed.emit(message)

    def _finished(self) -> None:
        self.worker = None
        self.generate_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    # --- saving and printing ---------------------------------------------------------------
    def save_as(self) -> Path | None:
        """Asks where, then saves there (nothing happens when the user cancels)."""
        if self.pdf_path is None:
            return None
        target, _ = QFileDialog.getSaveFileName(
            self, tr("Save report"), str(Path.home() / self.pdf_path.name), "PDF (*.pdf)"
        )
        return self.save_to(target) if target else None

    def save_to(self, target: str) -> Path | None:
        if self.pdf_path is None:
            return None
        try:
            shutil.copyfile(self.pdf_path, target)
        except OSError as exc:
            self.status.setText(
                tr(
                    "Could not save to {path}: {reason}",
                    path=target,
                    reason=exc.strerror or str(exc),
                )
            )
            return None
        self.status.setText(tr("Saved to {path}", path=target))
        return Path(target)

    def print_report(self) -> Worker | None:
        """Asks how (the print dialog), then prints in the background (see ui/printing)."""
        if self.pdf_path is None or self.print_worker is not None:
            return None
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setDocName(self.pdf_path.name)
        count = self.document.pageCount()
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("printDialog")
        dialog.setMinMax(1, count)
        dialog.setFromTo(1, count)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return None
        job = printing.job_for(printer, self.pdf_path, self.pdf_path.stem)
        worker = Worker(printing.run, job)
        worker.signals.progress.connect(self._progress)
        worker.signals.result.connect(self._printed)
        worker.signals.error.connect(self._failed)
        worker.signals.finished.connect(self._print_finished)
        self.print_worker = worker
        self.print_button.setEnabled(False)
        self.status.setText(tr("Printing…"))
        return start(worker)

    def _printed(self, where: str) -> None:
        self.status.setText(tr("Sent to print: {where}", where=where))
        self.printed.emit(where)

    def _print_finished(self) -> None:
        self.print_worker = None
        self.print_button.setEnabled(self.pdf_path is not None)


def _row(layout: QHBoxLayout) -> QWidget:
    holder = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    holder.setLayout(layout)
    return holder
