"""Exporting a list from the page that shows it: a save dialog (.xlsx or .csv), the writing in
the background with a progress dialog and its Cancel button, the result said in a label."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QProgressDialog, QWidget

from incubator.exporting import tables, writers
from incubator.i18n import tr
from ui.errors import explain
from ui.workers import Worker, start


def write_table(make: Callable[[], tables.Table], path: Path, progress) -> int:
    found = make()
    total = max(found.count, 1)
    return writers.write(path, found.columns, found.rows, found.sheet, lambda n: progress(n, total))


class ExportRunner:
    def __init__(self, parent: QWidget, status: QLabel) -> None:
        self.parent, self.status = parent, status
        self.worker: Worker | None = None
        self.dialog: QProgressDialog | None = None

    def run(self, name: str, make: Callable[[], tables.Table]) -> Worker | None:
        """Ask where to write ``name``.xlsx (or .csv), then write it in the background."""
        if self.worker is not None:
            return None
        path, _ = QFileDialog.getSaveFileName(
            self.parent,
            tr("Export…"),
            f"{name}.xlsx",
            tr("Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)"),
        )
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() not in (".xlsx", ".csv"):
            target = target.with_suffix(".xlsx")
        dialog = QProgressDialog(tr("Exporting…"), tr("Cancel"), 0, 1000, self.parent)
        dialog.setObjectName("exportProgress")
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.setMinimumDuration(300)
        self.dialog = dialog
        worker = Worker(write_table, make, target)
        worker.signals.progress.connect(
            lambda done, total: dialog.setValue(int(1000 * done / total) if total else 0)
        )
        dialog.canceled.connect(worker.cancel)
        worker.signals.result.connect(
            lambda n: self._say(tr("{count} rows written to {path}", count=n, path=target))
        )
        worker.signals.error.connect(lambda exc: self._say(explain(exc), error=True))
        worker.signals.finished.connect(self._finished)
        self.worker = worker
        start(worker)
        return worker

    def _finished(self) -> None:
        self.worker = None
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog = None

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b3261e;" if error else "color: #5f6b7a;")
        self.status.setText(text)
