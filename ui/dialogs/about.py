"""About Incubator Registry: the program's version, the schema it writes and the one of the
registry open, and what the program is made of with its licences (the bundled fonts' in
full)."""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from incubator import about
from incubator.db import Database
from incubator.i18n import tr
from incubator.schema import current_revision


class AboutDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(tr("About {name}", name=tr(about.NAME)))
        self.resize(720, 560)
        try:
            opened = current_revision(db.engine) or "—"
        except SQLAlchemyError:  # the server gone meanwhile: the rest is still worth showing
            opened = "—"
        self.heading = QLabel(
            f"<h2>{html.escape(about.version_line())}</h2>"
            + html.escape(
                tr(
                    "The registry open ({db}) is at schema {revision}.",
                    db=db.describe(),
                    revision=opened,
                )
            )
        )
        self.heading.setObjectName("aboutHeading")
        self.heading.setWordWrap(True)
        self.parts = about.parts()
        rows = "".join(
            f"<tr><td>{html.escape(p.name)}</td><td>{html.escape(p.version or '—')}</td>"
            f"<td>{html.escape(p.licence)}</td></tr>"
            for p in self.parts
        )
        self.table = QTextBrowser()
        self.table.setObjectName("aboutParts")
        self.table.setHtml(
            f"<table cellpadding='3'><tr><th align='left'>{tr('Part')}</th>"
            f"<th align='left'>{tr('Version')}</th><th align='left'>{tr('Licence')}</th></tr>"
            f"{rows}</table>"
        )
        tabs = QTabWidget()
        tabs.addTab(self.table, tr("Made with"))
        for part in self.parts:
            if part.licence_file:
                text = QPlainTextEdit(about.licence_text(part))
                text.setReadOnly(True)
                text.setObjectName(f"licence_{part.name.split()[0]}")
                tabs.addTab(text, part.name.split(" 0.")[0])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)
