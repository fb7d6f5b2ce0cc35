"""Settings page: language (applies at once) and where the data lives."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from incubator import preferences
from incubator.db import Database
from incubator.i18n import current_language, tr
from incubator.paths import backup_dir, data_dir, log_dir

LANGUAGE_NAMES = {"zh_CN": "简体中文", "en": "English"}


class SettingsPage(QWidget):
    languageChanged = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = QComboBox()
        self.language.setObjectName("languageCombo")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(current_language()))
        self.language.currentIndexChanged.connect(self._language_chosen)

        form = QFormLayout(self)
        form.addRow(tr("Language"), self.language)
        form.addRow(tr("Database"), QLabel(db.describe()))
        form.addRow(tr("Data folder"), QLabel(str(data_dir())))
        form.addRow(tr("Backups"), QLabel(str(backup_dir())))
        form.addRow(tr("Log files"), QLabel(str(log_dir())))

    def _language_chosen(self) -> None:
        code = self.language.currentData()
        preferences.put("language", code)
        self.languageChanged.emit(code)
