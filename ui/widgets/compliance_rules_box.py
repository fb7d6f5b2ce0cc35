"""The center's compliance rules (Settings): the day annual reports are due in the year after
the one they report on, and the largest document the registry takes. The administrator's."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from incubator.db import Database
from incubator.errors import IncubatorError, ValidationError
from incubator.i18n import tr
from incubator.services import compliance
from ui import access
from ui.forms import Field, Form

FIELDS = (
    Field(compliance.REPORT_DUE_KEY, required=True),
    Field(compliance.DOCUMENT_MAX_KEY, "number", required=True),
)


class ComplianceRulesBox(QGroupBox):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(tr("Annual reports and documents"), parent)
        self.db = db
        self.form = Form(FIELDS)
        self.status = QLabel()
        self.status.setObjectName("rulesStatus")
        self.status.setWordWrap(True)
        save = QPushButton(tr("Save"))
        save.setObjectName("saveRules")
        save.clicked.connect(self.save)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(save)
        box = QVBoxLayout(self)
        box.addWidget(self.form)
        box.addLayout(row)
        if not access.rights(db).center:  # kept by the registry's administrator
            self.form.set_read_only()
            save.hide()
            self.status.setText(tr("Only the registry's administrator changes these."))
        self.load()

    def load(self) -> None:
        try:
            rules = compliance.rules(self.db)
        except IncubatorError as exc:
            self.status.setText(exc.message())
            return
        month, day = rules.report_due
        self.form.set_values(
            {
                compliance.REPORT_DUE_KEY: f"{month:02d}-{day:02d}",
                compliance.DOCUMENT_MAX_KEY: rules.document_max_mb,
            }
        )

    def save(self) -> bool:
        self.form.clear_problems()
        values = self.form.values()
        try:
            compliance.set_rules(
                self.db,
                report_due=values[compliance.REPORT_DUE_KEY],
                document_max_mb=values[compliance.DOCUMENT_MAX_KEY],
            )
        except ValidationError as exc:
            self.form.show_problems(exc)
            return False
        except IncubatorError as exc:
            self.status.setText(exc.message())
            return False
        self.load()
        self.status.setText(tr("Saved."))
        return True
