"""A dialog around a Form: Save calls the core; its problems appear inline, nothing is saved
until the core accepts the whole record, and the dialog stays open to correct them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from incubator.errors import IncubatorError, ValidationError
from incubator.i18n import tr
from ui.errors import explain
from ui.forms import Field, Form


class RecordDialog(QDialog):
    def __init__(
        self,
        title: str,
        form_fields: Sequence[Field],
        submit: Callable[[dict[str, Any]], Any],
        values: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("recordDialog")
        self.setMinimumWidth(520)
        self.submit = submit
        self.result_value: Any = None
        self.form = Form(form_fields)
        if values:
            self.form.set_values(values)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)

    def save(self) -> bool:
        self.form.clear_problems()
        try:
            self.result_value = self.submit(self.form.values())
        except ValidationError as exc:
            self.form.show_problems(exc)
            return False
        except IncubatorError as exc:
            self.form.general_error.setText(exc.message())
            self.form.general_error.show()
            return False
        except Exception as exc:  # logged; the user gets the short apology
            self.form.general_error.setText(explain(exc))
            self.form.general_error.show()
            return False
        self.accept()
        return True
