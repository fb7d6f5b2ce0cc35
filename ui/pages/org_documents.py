"""An organization's documents: its own papers and those attached to its records. Added
from a file, opened with the system's viewer, previewed here (PDFs and images), saved
elsewhere, edited, removed (voided: audited, restorable by an administrator)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incubator.db import Database
from incubator.errors import IncubatorError
from incubator.i18n import tr
from incubator.services import documents
from ui import access
from ui import record_fields as rf
from ui.background import wait_for
from ui.dialogs.document_preview import DocumentPreview
from ui.dialogs.record import RecordDialog
from ui.errors import show_error
from ui.forms import Field
from ui.widgets.simple_table import SimpleTable

FILE_FILTER = "{documents} ({patterns});;{all} (*)"


def _filter() -> str:
    patterns = " ".join(f"*{suffix}" for suffix in documents.SUFFIXES)
    return FILE_FILTER.format(documents=tr("Documents"), patterns=patterns, all=tr("All files"))


class DocumentsTab(QWidget):
    changed = Signal()  # a document was added, edited or removed

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.org_id: int | None = None
        self.shown: list[documents.DocumentView] = []
        self.labels: dict[tuple[str, int], str] = {}
        self.last_dialog: Any = None
        self.opened: list[Path] = []  # files handed to the system's viewer
        self._folder: tempfile.TemporaryDirectory | None = None
        self.table = SimpleTable(
            ["Date", "Kind", "Title", "Attached to", "File name", "Size", "Added by"],
            "documentsTable",
        )
        self.table.doubleClicked.connect(self.preview)
        self.count = QLabel()
        self.count.setObjectName("documentsCount")
        buttons = QHBoxLayout()
        for text, name, slot, writes in (
            (tr("Add…"), "addDocument", self.add, True),
            (tr("Preview"), "previewDocument", self.preview, False),
            (tr("Open"), "openDocument", self.open_external, False),
            (tr("Save as…"), "saveDocument", self.save_as, False),
            (tr("Edit"), "editDocument", self.edit, True),
            (tr("Remove…"), "removeDocument", self.remove, True),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(lambda _checked=False, do=slot: do())
            if writes:
                access.for_writers(db, button)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        box = QVBoxLayout(self)
        box.addWidget(self.table, 1)
        box.addLayout(buttons)

    # --- showing ---------------------------------------------------------------------------
    def show_for(self, org_id: int) -> None:
        self.org_id = org_id
        self.labels = documents.record_labels(self.db, [org_id])
        self.shown = documents.list_for(self.db, org_id)
        self.table.fill(
            [
                (
                    d.dated_on,
                    d.kind,
                    d.title,
                    self._attached_to(d),
                    d.filename,
                    d.size_text(),
                    d.added_by,
                )
                for d in self.shown
            ],
            [(d.id, d.version) for d in self.shown],
        )
        self.count.setText(tr("{count} documents", count=len(self.shown)))

    def _attached_to(self, doc: documents.DocumentView) -> str:
        if doc.record_kind is None or doc.record_id is None:
            return tr("The organization")
        return self.labels.get((doc.record_kind, doc.record_id), "")

    def selected(self) -> documents.DocumentView | None:
        key = self.table.current_key()
        if key is None:
            QMessageBox.information(self, tr("Documents"), tr("Select a document first."))
            return None
        return next((d for d in self.shown if d.id == key[0]), None)

    # --- changing --------------------------------------------------------------------------
    def _form(self, with_file: bool) -> list[Field]:
        items = [(tr("The organization"), None)]
        items += [(text, key) for key, text in self.labels.items()]
        fields = [Field("record", "choice", required=True, options={"items": items})]
        if with_file:
            fields.insert(0, Field("file", "file", required=True, options={"filter": _filter()}))
        return [*fields, *rf.DOCUMENT]

    def _dialog(self, title: str, form_fields, submit, values=None, version=None, **kw) -> bool:
        dialog = RecordDialog(title, form_fields, submit, values, self, version=version, **kw)
        self.last_dialog = dialog  # reachable from tests while it is open
        if dialog.exec() and self.org_id is not None:
            self.show_for(self.org_id)
            self.changed.emit()
            return True
        return False

    def add(self) -> bool:
        org_id = self.org_id
        if org_id is None:
            return False

        def submit(values: dict[str, Any]) -> Any:
            data = {k: values[k] for k in ("title", "kind", "dated_on")}
            if not (data["title"] or "").strip():  # the file's name, as the CLI does
                data.pop("title")
            # Up to the center's limit (50 MB) read, hashed and sent to the registry, which
            # may be a server at the end of a slow line: off the GUI thread, with Cancel.
            return wait_for(
                self,
                tr("Adding {file}…", file=Path(values["file"]).name),
                documents.attach,
                self.db,
                org_id,
                values["file"],
                data,
                values["record"],
            )

        fields = [f if f.name != "title" else Field("title") for f in self._form(with_file=True)]
        return self._dialog(tr("Add document"), fields, submit)

    def edit(self) -> bool:
        doc = self.selected()
        if doc is None:
            return False
        return self._dialog(
            tr("Edit document"),
            rf.DOCUMENT,
            lambda values, base: documents.update(self.db, doc.id, values, base),
            {"title": doc.title, "kind": doc.kind, "dated_on": doc.dated_on},
            doc.version,
        )

    def remove(self) -> bool:
        doc = self.selected()
        if doc is None:
            return False
        return self._dialog(
            tr("Remove this document"),
            rf.VOID,
            lambda values: documents.remove(self.db, doc.id, values["void_reason"]),
            save_text=tr("Remove it"),
            cancel_text=tr("Keep it"),
        )

    # --- reading ---------------------------------------------------------------------------
    def _content(self) -> tuple[documents.DocumentView, bytes] | None:
        doc = self.selected()
        if doc is None:
            return None
        try:
            return documents.content(self.db, doc.id)  # checked against its SHA-256
        except IncubatorError as exc:
            show_error(self, exc, tr("Documents"))
            return None

    def preview(self) -> bool:
        found = self._content()
        if found is None:
            return False
        doc, data = found
        dialog = DocumentPreview(doc, data, self)
        self.last_dialog = dialog
        dialog.exec()
        return True

    def open_external(self) -> bool:
        """A copy in a folder of this session's, opened by the system's viewer for its kind."""
        found = self._content()
        if found is None:
            return False
        doc, data = found
        if self._folder is None:
            # (A viewer on Windows may still hold a copy open when the program ends.)
            self._folder = tempfile.TemporaryDirectory(
                prefix="incubator-documents-", ignore_cleanup_errors=True
            )
        folder = Path(self._folder.name) / str(doc.id)
        folder.mkdir(exist_ok=True)
        path = folder / Path(doc.filename).name
        path.write_bytes(data)
        self.opened.append(path)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            QMessageBox.warning(
                self,
                tr("Documents"),
                tr(
                    "No program on this computer opens {name}; use Save as… instead.",
                    name=path.name,
                ),
            )
            return False
        return True

    def save_as(self) -> bool:
        doc = self.selected()
        if doc is None:
            return False
        target, _ = QFileDialog.getSaveFileName(self, tr("Save as…"), doc.filename)
        if not target:
            return False
        try:
            documents.save_as(self.db, doc.id, target)
        except IncubatorError as exc:
            show_error(self, exc, tr("Documents"))
            return False
        return True
