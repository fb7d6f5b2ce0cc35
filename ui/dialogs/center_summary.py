"""The center report's summary for one period: highlights, problems found, corrective actions."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from incubator.db import Database
from incubator.errors import IncubatorError
from incubator.i18n import field_label, tr
from incubator.services import center_summary
from incubator.services.periods import Period


class CenterSummaryDialog(QDialog):
    def __init__(self, db: Database, period: Period, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("centerSummaryDialog")
        self.setWindowTitle(tr("Center report summary"))
        self.setMinimumSize(620, 520)
        self.db, self.period = db, period
        self.current = center_summary.get(db, period)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{tr('Center report')}</b> · {period.describe()}"))
        self.texts: dict[str, QPlainTextEdit] = {}
        for name in center_summary.TEXTS:
            edit = QPlainTextEdit(getattr(self.current, name))
            edit.setObjectName(f"summary_{name}")
            self.texts[name] = edit
            layout.addWidget(QLabel(field_label(name)))
            layout.addWidget(edit, 1)
        self.error = QLabel()
        self.error.setObjectName("summaryError")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> bool:
        try:
            self.current = center_summary.save(
                self.db,
                self.period,
                *(self.texts[name].toPlainText() for name in center_summary.TEXTS),
                self.current.version,
            )
        except IncubatorError as exc:
            self.error.setText(exc.message())
            self.error.show()
            return False
        self.accept()
        return True
