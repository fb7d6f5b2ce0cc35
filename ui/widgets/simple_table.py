"""A read-only table for an organization's own records (tens of rows, not thousands)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from incubator.i18n import tr
from ui.forms import reads_rtl


def shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if value.as_tuple().exponent == -2 else str(value)
    if hasattr(value, "display"):
        return value.display()
    if isinstance(value, bool):
        return tr("yes") if value else tr("no")
    return str(value)


RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _right_aligned(value: Any) -> bool:
    """Numbers, and Uyghur (right-to-left) text."""
    if isinstance(value, bool):
        return False
    return isinstance(value, Decimal | int) or (isinstance(value, str) and reads_rtl(value))


class SimpleTable(QTableWidget):
    # Columns that take the spare width, by header: the long texts.
    STRETCH = ("Title", "Name", "Reason", "Changes", "Notes", "Conclusion", "Evaluator", "Space")

    def __init__(self, headers: Sequence[str], name: str) -> None:
        super().__init__(0, len(headers))
        self.setObjectName(name)
        self.setHorizontalHeaderLabels([tr(h) for h in headers])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        stretch = next((i for i, h in enumerate(headers) if h in self.STRETCH), None)
        if stretch is None:
            self.horizontalHeader().setStretchLastSection(True)
        else:
            self.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self.keys: list[Any] = []

    def fill(self, rows: Sequence[Sequence[Any]], keys: Sequence[Any] | None = None) -> None:
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(shown(value))
                if _right_aligned(value):
                    item.setTextAlignment(RIGHT)
                self.setItem(r, c, item)
        self.keys = list(keys) if keys is not None else list(range(len(rows)))

    def current_key(self) -> Any:
        row = self.currentRow()
        return self.keys[row] if 0 <= row < len(self.keys) else None

    def cell_text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item else ""
