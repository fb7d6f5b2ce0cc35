"""Forms built from a field list, with inline validation messages from the core.

A form never validates by itself: it collects what the user typed as plain values, the core's
service validates them, and the ValidationError's problems are shown under the fields they name.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incubator.errors import ValidationError
from incubator.i18n import field_label, tr
from ui.widgets.date_field import DateField

# How long typing must pause before a search as you type runs: short, since the first
# screenful of a search comes back in tens of milliseconds (bench/bench_search.py).
SEARCH_PAUSE_MS = 100


def reads_rtl(text: str) -> bool:
    """True when the text's first strong character is right-to-left (an Uyghur name), so it
    reads from the right; a Chinese sentence that merely quotes such a name does not."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def isolate(text: str) -> str:
    """A name with right-to-left letters, set apart (Unicode first-strong isolate) inside a
    left-to-right line, so the text beside it (a credit code, a date) stays where it belongs
    instead of being pulled into the name's direction."""
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
        return f"\u2068{text}\u2069"
    return text


@dataclass(frozen=True)
class Field:
    """One input: ``kind`` is text, multiline, money, number, date, choice, choices, bool or
    file (a path, with a Browse… button; ``options["filter"]``: the file dialog's filter). A
    choice lists ``enum``'s members, or ``options["items"]``: (text, value) pairs."""

    name: str
    kind: str = "text"
    required: bool = False
    enum: type[Enum] | None = None
    options: dict[str, Any] = field(default_factory=dict)


class _RtlAwareLineEdit(QLineEdit):
    """Right-aligns Uyghur (right-to-left) text, as users of that script expect; numbers stay
    right-aligned whatever is typed."""

    def __init__(self, numeric: bool = False) -> None:
        super().__init__()
        self.numeric = numeric
        self.textChanged.connect(self._align)
        self._align("")

    def _align(self, text: str) -> None:
        if reads_rtl(text):
            # Absolute: for right-to-left text Qt would otherwise mirror "right" to the left.
            self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
        elif self.numeric:
            self.setAlignment(Qt.AlignmentFlag.AlignRight)
        else:
            self.setAlignment(Qt.AlignmentFlag.AlignLeft)


class _FileField(QWidget):
    """A file's path, typed or chosen with Browse…"""

    def __init__(self, title: str, name_filter: str) -> None:
        super().__init__()
        self.title, self.name_filter = title, name_filter
        self.edit = QLineEdit()
        self.edit.setObjectName("path")
        browse = QPushButton(tr("Browse…"))
        browse.setObjectName("browse")
        browse.clicked.connect(self.browse)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(browse)

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.title, self.edit.text(), self.name_filter)
        if path:
            self.edit.setText(path)

    def text(self) -> str:
        return self.edit.text().strip()

    def setText(self, text: str) -> None:
        self.edit.setText(text)


class _ChoiceGrid(QWidget):
    """Several enum members to tick, all visible at once (service fields)."""

    def __init__(self, members: list[Enum], columns: int) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[tuple[Enum, QCheckBox]] = []
        for i, member in enumerate(members):
            box = QCheckBox(member.display())  # type: ignore[attr-defined]
            box.setObjectName(f"choice_{member.value}")
            grid.addWidget(box, i // columns, i % columns)
            self.boxes.append((member, box))

    def chosen(self) -> list[Enum]:
        return [member for member, box in self.boxes if box.isChecked()]

    def choose(self, members) -> None:
        wanted = set(members)
        for member, box in self.boxes:
            box.setChecked(member in wanted)


class Form(QWidget):
    def __init__(
        self, fields: Sequence[Field], parent: QWidget | None = None, choice_columns: int = 5
    ) -> None:
        super().__init__(parent)
        self.choice_columns = choice_columns  # ticks per row: fewer in narrow dialogs
        self.fields = {f.name: f for f in fields}
        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.general_error = QLabel()
        self.general_error.setObjectName("formError")
        self.general_error.setWordWrap(True)
        self.general_error.setStyleSheet("color: #b3261e;")
        self.general_error.hide()
        layout = QFormLayout()
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for f in fields:
            widget = self._make_input(f)
            widget.setObjectName(f"field_{f.name}")
            self.inputs[f.name] = widget
            error = QLabel()
            error.setObjectName(f"error_{f.name}")
            error.setWordWrap(True)
            error.setStyleSheet("color: #b3261e;")
            error.hide()
            self.errors[f.name] = error
            box = QVBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            box.addWidget(widget)
            box.addWidget(error)
            holder = QWidget()
            holder.setLayout(box)
            label = field_label(f.name) + (" *" if f.required else "")
            layout.addRow(label, holder)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.general_error)
        outer.addLayout(layout)

    # --- widgets ---------------------------------------------------------------------------
    def _make_input(self, f: Field) -> QWidget:
        if f.kind == "multiline":
            edit = QPlainTextEdit()
            edit.setMinimumHeight(60)
            edit.setTabChangesFocus(True)
            return edit
        if f.kind == "date":  # a required date starts at today, the usual answer
            return DateField(dt.date.today() if f.required else None)
        if f.kind == "choice":
            combo = QComboBox()
            if not f.required:
                combo.addItem("—", None)
            for member in f.enum or ():
                combo.addItem(member.display(), member)  # type: ignore[attr-defined]
            for text, value in f.options.get("items", ()):
                combo.addItem(text, value)
            return combo
        if f.kind == "file":
            return _FileField(field_label(f.name), f.options.get("filter", ""))
        if f.kind == "choices":
            return _ChoiceGrid(list(f.enum or ()), self.choice_columns)
        if f.kind == "bool":
            return QCheckBox()
        edit = _RtlAwareLineEdit(numeric=f.kind in ("money", "number"))
        if f.kind == "money":
            edit.setPlaceholderText(tr("yuan, e.g. 12,000.00"))
        return edit

    def set_read_only(self) -> None:
        """Shown, not edited (a user who may not change the registry): texts stay selectable."""
        for widget in self.inputs.values():
            if isinstance(widget, QPlainTextEdit | QLineEdit):
                widget.setReadOnly(True)
            else:
                widget.setEnabled(False)

    # --- values ----------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        return {name: self._value(name) for name in self.fields}

    def _value(self, name: str) -> Any:
        widget = self.inputs[name]
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, DateField):
            return widget.value()
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, _ChoiceGrid):
            return widget.chosen()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        return widget.text()  # type: ignore[attr-defined]

    def set_values(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            if name in self.inputs:
                self._set(name, value)

    def _set(self, name: str, value: Any) -> None:
        widget = self.inputs[name]
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value or "")
        elif isinstance(widget, DateField):
            widget.setDate(value)
        elif isinstance(widget, QComboBox):
            index = widget.findData(value)
            widget.setCurrentIndex(max(index, 0))
        elif isinstance(widget, _ChoiceGrid):
            widget.choose(value or ())
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(value, Decimal) and self.fields[name].kind == "money":
            widget.setText(f"{value:,.2f}")  # type: ignore[attr-defined]
        else:
            widget.setText("" if value is None else str(value))  # type: ignore[attr-defined]

    # --- problems --------------------------------------------------------------------------
    def clear_problems(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()
        self.general_error.clear()
        self.general_error.hide()

    def show_problems(self, error: ValidationError) -> None:
        """Each problem under its field; problems of fields not on this form on top."""
        self.clear_problems()
        general = []
        first: QWidget | None = None
        for problem in error.problems:
            label = self.errors.get(problem.field or "")
            if label is None:
                general.append(problem.message())
                continue
            reason = tr(problem.key, None, **problem.params)
            label.setText(f"{label.text()}\n{reason}".strip())
            label.show()
            first = first or self.inputs[problem.field or ""]
        if general:
            self.general_error.setText("\n".join(general))
            self.general_error.show()
        if first is not None:
            first.setFocus()

    def problem_text(self, name: str) -> str:
        return self.errors[name].text()
