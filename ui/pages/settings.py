"""Settings page: language (applies at once), the center's name, logo and cover details
printed on reports, the year's targets, and where the data lives."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from incubator import config, preferences
from incubator.db import Database
from incubator.errors import IncubatorError
from incubator.i18n import current_language, field_label, tr
from incubator.paths import backup_dir, data_dir, log_dir
from incubator.services import narratives
from ui import access
from ui.dialogs.connection import ConnectionDialog
from ui.widgets.compliance_rules_box import ComplianceRulesBox
from ui.widgets.targets_box import TargetsBox

LANGUAGE_NAMES = {"zh_CN": "简体中文", "en": "English"}


def _kb(data: bytes | None) -> str:
    return f"{len(data or b'') / 1024:,.0f}"


def _selectable(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class SettingsPage(QWidget):
    languageChanged = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.language = QComboBox()
        self.language.setObjectName("languageCombo")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(current_language()))
        self.language.currentIndexChanged.connect(self._language_chosen)
        display = QGroupBox(tr("Display"))
        display_form = QFormLayout(display)
        display_form.addRow(tr("Language"), self.language)

        center = QGroupBox(tr("Incubation center (printed on reports)"))
        self.center_name = QLineEdit()
        self.center_name.setObjectName("centerName")
        self.center_logo = QLineEdit()
        self.center_logo.setObjectName("centerLogo")
        self.center_logo.setPlaceholderText(tr("a new PNG, JPEG or GIF file (optional)"))
        browse = QPushButton(tr("Browse…"))
        browse.setObjectName("browseLogo")
        browse.clicked.connect(self._browse_logo)
        self.remove_logo = QPushButton(tr("Remove"))
        self.remove_logo.setObjectName("removeLogo")
        self.remove_logo.clicked.connect(lambda _checked=False: self._logo_removed())
        self._removing_logo = False
        self.logo_status = QLabel()
        self.logo_status.setObjectName("logoStatus")
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.center_logo, 1)
        logo_row.addWidget(browse)
        logo_row.addWidget(self.remove_logo)
        self.cover: dict[str, QLineEdit] = {}
        for name in ("purchaser", "operator", "contract_no"):
            self.cover[name] = QLineEdit()
            self.cover[name].setObjectName(f"center_{name}")
        self.center_status = QLabel()
        self.center_status.setObjectName("centerStatus")
        self.center_status.setWordWrap(True)
        save = QPushButton(tr("Save"))
        save.setObjectName("saveCenter")
        save.clicked.connect(self.save_center)
        center_form = QFormLayout(center)
        center_form.addRow(tr("Center name"), self.center_name)
        center_form.addRow(tr("Logo"), logo_row)
        center_form.addRow("", self.logo_status)
        for name, edit in self.cover.items():
            center_form.addRow(field_label(name), edit)
        center_form.addRow(self.center_status, save)
        if not access.rights(db).center:  # the registry's administrator keeps these
            for edit in (self.center_name, self.center_logo, *self.cover.values()):
                edit.setReadOnly(True)
            browse.hide()
            self.remove_logo.hide()
            save.hide()
            self.center_status.setText(tr("Only the registry's administrator changes these."))
        self.targets = TargetsBox(db)
        self.rules = ComplianceRulesBox(db)

        data = QGroupBox(tr("Data"))
        data_form = QFormLayout(data)
        self.connection_status = QLabel()
        self.connection_status.setObjectName("connectionStatus")
        self.connection_status.setWordWrap(True)
        shared = QPushButton(tr("Shared registry…"))
        shared.setObjectName("sharedRegistry")
        shared.setToolTip(tr("Open a registry on a PostgreSQL server from the next start"))
        shared.clicked.connect(lambda _checked=False: self.choose_shared_registry())
        self.own_file = QPushButton(tr("This computer's registry file"))
        self.own_file.setObjectName("ownRegistryFile")
        self.own_file.clicked.connect(lambda _checked=False: self.use_own_file())
        self.own_file.setVisible(bool(preferences.get(config.CONNECTION)))
        connection_row = QHBoxLayout()
        connection_row.addWidget(shared)
        connection_row.addWidget(self.own_file)
        connection_row.addStretch(1)
        data_form.addRow(tr("Database"), _selectable(db.describe()))
        data_form.addRow("", connection_row)
        data_form.addRow("", self.connection_status)
        data_form.addRow(tr("Data folder"), _selectable(str(data_dir())))
        data_form.addRow(tr("Backups"), _selectable(str(backup_dir())))
        data_form.addRow(tr("Log files"), _selectable(str(log_dir())))
        about_button = QPushButton(tr("About {name}…", name=tr("Incubator Registry")))
        about_button.setObjectName("aboutButton")
        about_button.clicked.connect(lambda _checked=False: self.show_about())
        data_form.addRow("", about_button)

        column = QVBoxLayout()
        for group in (display, center, self.targets, self.rules, data):
            column.addWidget(group)
        column.addStretch(1)
        holder = QWidget()
        holder.setLayout(column)
        holder.setMaximumWidth(760)
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.addWidget(holder)
        row_layout.addStretch(1)
        scroll = QScrollArea()  # the page is taller than a laptop screen
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.load_center()

    def show_about(self) -> None:
        from ui.dialogs.about import AboutDialog

        dialog = AboutDialog(self.db, self)
        self.about_dialog = dialog  # reachable from tests while it is open
        dialog.exec()

    def choose_shared_registry(self) -> None:
        dialog = ConnectionDialog(config.resolve_database_url(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.url is not None:
            self.connection_status.setText(
                tr(
                    "Saved: the program opens {db} from its next start.",
                    db=config.describe_url(dialog.url),
                )
            )
            self.own_file.show()

    def use_own_file(self) -> None:
        config.save_connection(None)
        self.own_file.hide()
        self.connection_status.setText(
            tr("Saved: the program opens this computer's registry file from its next start.")
        )

    def _language_chosen(self) -> None:
        code = self.language.currentData()
        preferences.put("language", code)
        self.languageChanged.emit(code)

    def load_center(self) -> None:
        try:
            info = narratives.center_info(self.db)
        except IncubatorError as exc:
            self.center_status.setText(exc.message())
            return
        self.center_name.setText(info.name)
        self._show_logo(info)
        for name, edit in self.cover.items():
            edit.setText(getattr(info, name))

    def _show_logo(self, info: narratives.CenterInfo) -> None:
        """What the registry holds (every desk prints it); the file field is for a new one."""
        self.center_logo.clear()
        self._removing_logo = False
        self.remove_logo.setEnabled(info.logo is not None)
        self.logo_status.setText(
            tr("Stored in the registry ({size} KB), printed by every desk", size=_kb(info.logo))
            if info.logo
            else tr("No logo")
        )

    def _logo_removed(self) -> None:
        self.center_logo.clear()
        self._removing_logo = True
        self.logo_status.setText(tr("Removed when saved"))

    def _browse_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Logo"), self.center_logo.text(), "Images (*.png *.jpg *.jpeg *.gif)"
        )
        if path:
            self.center_logo.setText(path)

    def save_center(self) -> bool:
        try:
            info = narratives.set_center_info(
                self.db,
                self.center_name.text(),
                # A new file; or none (removed); or, the field left empty, the one stored.
                self.center_logo.text() or (None if self._removing_logo else narratives.KEEP),
                **{name: edit.text() for name, edit in self.cover.items()},
            )
        except IncubatorError as exc:
            self.center_status.setStyleSheet("color: #b3261e;")
            self.center_status.setText(exc.message())
            return False
        self.center_status.setStyleSheet("")
        self._show_logo(info)
        self.center_status.setText(tr("Saved."))
        return True
