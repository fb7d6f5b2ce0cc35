"""A document shown inside the app: a PDF page by page (QtPdf), an image fitted to the
window; other kinds say to open them with their own program."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from incubator.i18n import tr
from incubator.services.documents import DocumentView


class DocumentPreview(QDialog):
    def __init__(self, doc: DocumentView, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentPreview")
        self.setWindowTitle(f"{doc.title} — {doc.filename}")
        self.resize(820, 900)
        self.pages = 0  # of a PDF shown
        self.image_size = None  # of an image shown
        layout = QVBoxLayout(self)
        if doc.is_pdf:
            layout.addWidget(self._pdf(data), 1)
        elif doc.previewable and self._image(data) is not None:
            layout.addWidget(self.image_area, 1)
        else:
            note = QLabel(
                tr("{name} cannot be shown here; use Open or Save as….", name=doc.filename)
            )
            note.setObjectName("noPreview")
            layout.addWidget(note, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(tr("Close"))
        close.rejected.connect(self.reject)
        layout.addWidget(close)

    def _pdf(self, data: bytes) -> QWidget:
        # The bytes stay with the dialog: QPdfDocument reads from the buffer as it renders.
        self._bytes = QByteArray(data)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.pages = self.document.pageCount()
        view = QPdfView(self)
        view.setObjectName("pdfPreview")
        view.setDocument(self.document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        if self.document.status() == QPdfDocument.Status.Error or not self.pages:
            note = QLabel(tr("This PDF cannot be shown; use Open or Save as…."))
            note.setObjectName("noPreview")
            return note
        return view

    def _image(self, data: bytes) -> QPixmap | None:
        pixmap = QPixmap()
        if not pixmap.loadFromData(data):
            return None
        self.image_size = (pixmap.width(), pixmap.height())
        label = QLabel()
        label.setObjectName("imagePreview")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setPixmap(pixmap)
        self.image_area = QScrollArea()
        self.image_area.setWidget(label)
        self.image_area.setWidgetResizable(True)
        return pixmap
