"""The center's targets for a year (Settings): the center report sets its key performance
indicators against them. Rates are typed as percentages; a blank field is no target."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from incubator.db import Database
from incubator.errors import IncubatorError
from incubator.i18n import T, field_label, tr
from incubator.services import targets
from ui import access

RATES = ("graduation_rate", "occupancy_rate")
HINTS = {
    "incubated": T("e.g. 30"),
    "graduation_rate": T("percent, e.g. 80"),
    "disbursed": T("yuan, e.g. 3000000 or 300万"),
    "training_hours": T("hours, e.g. 500"),
    "occupancy_rate": T("percent, e.g. 85"),
    "overdue_payments": T("at most, e.g. 0"),
}


def shown(field: str, value: object) -> str:
    """A stored target as staff type it (a rate of 0.8 as "80")."""
    if value is None:
        return ""
    if field in RATES:
        return f"{(Decimal(value) * 100).normalize():f}"
    return f"{Decimal(value).normalize():f}" if isinstance(value, Decimal) else str(value)


class TargetsBox(QGroupBox):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(tr("Annual targets (for the center report)"), parent)
        self.db = db
        self.current: targets.TargetsView | None = None
        self.year = QSpinBox()
        self.year.setObjectName("targetsYear")
        self.year.setRange(1990, 2100)
        self.year.setValue(dt.date.today().year)
        self.year.valueChanged.connect(self.load)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        form.addRow(field_label("year"), self.year)
        for name in targets.FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"target_{name}")
            edit.setPlaceholderText(tr(HINTS[name]))
            self.fields[name] = edit
            label = field_label(name)
            if name in RATES:
                label = tr("{label} (%)", label=label)
            elif name == "training_hours":
                label = tr("{label} (h)", label=label)
            form.addRow(label, edit)
        self.status = QLabel()
        self.status.setObjectName("targetsStatus")
        self.status.setWordWrap(True)
        save = QPushButton(tr("Save targets"))
        save.setObjectName("saveTargets")
        save.clicked.connect(self.save)
        access.for_writers(self.db, save)
        form.addRow(self.status, save)
        self.load()

    def load(self) -> None:
        try:
            self.current = targets.get(self.db, self.year.value())
        except IncubatorError as exc:
            self._say(exc.message(), error=True)
            return
        for name, edit in self.fields.items():
            edit.setText(shown(name, getattr(self.current, name)))
        self._say("")

    def save(self) -> bool:
        data = {name: edit.text() for name, edit in self.fields.items()}
        version = self.current.version if self.current else 0
        try:
            self.current = targets.save(self.db, self.year.value(), data, version)
        except IncubatorError as exc:
            self._say(exc.message(), error=True)
            return False
        self.load()
        self._say(tr("Targets for {year} saved.", year=self.year.value()))
        return True

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b3261e;" if error else "")
        self.status.setText(text)
