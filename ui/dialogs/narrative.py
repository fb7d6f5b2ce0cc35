"""Staff narrative and next steps of one organization for one report period."""

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
from incubator.i18n import tr
from incubator.services import narratives
from incubator.services.periods import Period


class NarrativeDialog(QDialog):
    def __init__(
        self,
        db: Database,
        org_id: int,
        org_name: str,
        period: Period,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("narrativeDialog")
        self.setWindowTitle(tr("Narrative and next steps"))
        self.setMinimumSize(620, 480)
        self.db, self.org_id, self.period = db, org_id, period
        self.current = narratives.get(db, org_id, period)
        self.narrative = QPlainTextEdit(self.current.narrative)
        self.narrative.setObjectName("narrativeText")
        self.next_steps = QPlainTextEdit(self.current.next_steps)
        self.next_steps.setObjectName("nextStepsText")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{org_name}</b> · {period.describe()}"))
        layout.addWidget(QLabel(tr("Progress in the period (printed in the report)")))
        layout.addWidget(self.narrative, 2)
        layout.addWidget(QLabel(tr("Next steps")))
        layout.addWidget(self.next_steps, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> bool:
        try:
            self.current = narratives.save(
                self.db,
                self.org_id,
                self.period,
                self.narrative.toPlainText(),
                self.next_steps.toPlainText(),
                self.current.version,
            )
        except IncubatorError as exc:
            self.error.setText(exc.message())
            self.error.show()
            return False
        self.accept()
        return True
