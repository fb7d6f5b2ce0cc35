"""Shown when a save is refused because another desk changed the row meanwhile: both versions
side by side; the user decides, nothing is overwritten silently."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from incubator.errors import ConflictError
from incubator.i18n import field_label, tr
from ui.widgets.simple_table import SimpleTable, shown


def _comparable(value: Any) -> str:
    if isinstance(value, list | tuple | set):
        return "、".join(sorted(shown(v) for v in value))
    return shown(value)


def _shown(value: Any) -> str:
    return _comparable(value) or tr("(empty)")


class ConflictDialog(QDialog):
    """Result: ``KEEP_MINE`` (save mine over theirs, knowingly) or ``TAKE_THEIRS``."""

    KEEP_MINE = 1
    TAKE_THEIRS = 2

    def __init__(
        self, error: ConflictError, mine: dict[str, Any], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(tr("Changed by someone else"))
        self.setMinimumWidth(640)
        self.choice = 0
        theirs = error.current_values
        differing = [
            (name, mine[name], theirs.get(name))
            for name in mine
            if name in theirs and _comparable(mine[name]) != _comparable(theirs.get(name))
        ]
        self.table = SimpleTable(
            ["Field", "Your version", "Saved by the other desk"], "conflictTable"
        )
        self.table.fill([(field_label(n), _shown(a), _shown(b)) for n, a, b in differing])
        self.differing = [n for n, _, _ in differing]
        intro = QLabel(error.message() + "\n" + tr("These fields differ. Which version to keep?"))
        intro.setWordWrap(True)
        buttons = QDialogButtonBox()
        keep = buttons.addButton(
            tr("Keep mine (overwrite theirs)"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        take = buttons.addButton(
            tr("Take theirs (discard mine)"), QDialogButtonBox.ButtonRole.RejectRole
        )
        keep.setObjectName("keepMine")
        keep.setAutoDefault(False)  # Enter must never overwrite a colleague's work
        take.setDefault(True)
        take.setObjectName("takeTheirs")
        keep.clicked.connect(lambda: self._choose(self.KEEP_MINE))
        take.clicked.connect(lambda: self._choose(self.TAKE_THEIRS))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def _choose(self, choice: int) -> None:
        self.choice = choice
        self.accept()
