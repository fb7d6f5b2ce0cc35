"""Asked when a shared registry's server wants a password (``LoginRefused``): typed, never
shown, and kept in the operating system's keyring only when the user ticks it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from incubator import credentials
from incubator.i18n import tr


class PasswordDialog(QDialog):
    def __init__(self, why: str, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passwordDialog")
        self.setWindowTitle(tr("Password"))
        self.setMinimumWidth(460)
        said = QLabel(why)
        said.setObjectName("passwordReason")
        said.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(tr("Remember it in this computer's keyring"))
        self.remember.setObjectName("rememberPassword")
        if not credentials.has_keyring():
            self.remember.setEnabled(False)
            self.remember.setToolTip(tr("This computer has no keyring: asked at each start"))
        form = QFormLayout()
        form.addRow(tr("Password of {user}", user=user), self.password)
        form.addRow("", self.remember)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(said)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.password.setFocus()
