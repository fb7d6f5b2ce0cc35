"""Settings' connection to a shared registry: server, port, database, user and TLS, tried
before it is kept (the password asked for then, and kept only in the keyring if ticked); the
URL kept holds no password."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL

from incubator import config
from incubator.errors import IncubatorError, ValidationError
from incubator.i18n import T, field_label, tr
from ui.recovery import open_or_recover

TLS_LABELS = {
    "prefer": T("When the server offers it"),
    "require": T("Always (the server's certificate is not checked)"),
    "verify-full": T("Always, with the server's certificate checked against a CA file"),
}


class ConnectionDialog(QDialog):
    """Accepted once the registry was reached: ``url`` is what was kept."""

    def __init__(self, current: URL, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionDialog")
        self.setWindowTitle(tr("Shared registry"))
        self.setMinimumWidth(560)
        self.url: URL | None = None
        shared = current.get_backend_name() == "postgresql"
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for name, value in (
            ("server", current.host if shared else ""),
            ("port", str(current.port or 5432) if shared else "5432"),
            ("database", current.database if shared else "registry"),
            ("user", current.username if shared else ""),
        ):
            edit = QLineEdit(value or "")
            edit.setObjectName(f"connection_{name}")
            self.fields[name] = edit
            form.addRow(field_label(name), edit)
        self.tls = QComboBox()
        self.tls.setObjectName("connection_tls")
        for mode in config.TLS_MODES:
            self.tls.addItem(tr(TLS_LABELS[mode]), mode)
        if shared:
            self.tls.setCurrentIndex(max(0, self.tls.findData(current.query.get("sslmode"))))
        form.addRow(field_label("tls"), self.tls)
        self.ca_file = QLineEdit(str(current.query.get("sslrootcert", "")) if shared else "")
        self.ca_file.setObjectName("connection_ca_file")
        browse = QPushButton(tr("Browse…"))
        browse.setObjectName("browseCaFile")
        browse.clicked.connect(lambda _checked=False: self._browse())
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(browse)
        form.addRow(field_label("ca_file"), ca_row)
        self.problem = QLabel()
        self.problem.setObjectName("connectionProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        note = QLabel(
            tr(
                "The password is asked for when the registry is opened; it is never written "
                "to a file."
            )
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Connect"))
        buttons.accepted.connect(self.connect_and_keep)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, field_label("ca_file"), self.ca_file.text(), tr("Certificates (*.pem *.crt)")
        )
        if path:
            self.ca_file.setText(path)

    def connect_and_keep(self) -> None:
        """Reach the registry (asking for the password if the server wants one); kept from the
        next start once it answered."""
        try:
            url = config.connection_url(
                **{name: edit.text() for name, edit in self.fields.items()},
                tls=self.tls.currentData(),
                ca_file=self.ca_file.text(),
            )
        except ValidationError as exc:
            self.problem.setText(exc.message())
            return
        try:
            db = open_or_recover(url, self, way_out=False)
        except IncubatorError as exc:
            self.problem.setText(exc.message())
            return
        if db is None:  # the password was not given
            return
        db.dispose()
        config.save_connection(url)
        self.url = url
        self.accept()
