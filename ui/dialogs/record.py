"""A dialog around a Form: Save calls the core; its problems appear inline, nothing is saved
until the core accepts the whole record, and the dialog stays open to correct them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from incubator.errors import (
    ConcurrentChangeError,
    ConflictError,
    IncubatorError,
    Problem,
    ValidationError,
)
from incubator.i18n import tr
from ui.dialogs.conflict import ConflictDialog
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
        version: int | None = None,
        warn: Callable[[dict[str, Any]], list[Problem]] | None = None,
        save_text: str | None = None,
        cancel_text: str | None = None,
    ) -> None:
        """``version``: editing an existing row; ``submit(values, version)`` is then called
        with the version the edit is based on, and a conflict shows both versions.
        ``warn(values)``: what deserves a second look before saving (a duplicate name, say);
        shown first, and saved on a second Save of the same values.
        ``save_text``, ``cancel_text``: the buttons' words where Save / Cancel would be
        ambiguous (cancelling a payment)."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("recordDialog")
        self.setMinimumWidth(520)
        self.submit = submit
        self.version = version
        self.result_value: Any = None
        self.warn = warn
        self._warned_for: dict[str, Any] | None = None
        self.form = Form(form_fields, choice_columns=3)
        self.warning = QLabel()
        self.warning.setObjectName("formWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #8a5a00;")
        self.warning.hide()
        if values:
            self.form.set_values(values)
        self._typed_from = self.form.values()  # what closing without saving would lose
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(save_text or tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            cancel_text or tr("Cancel")
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)

    def reject(self) -> None:
        """Cancel, Esc or the window's close: what was typed is not dropped without asking."""
        if self.result() == QDialog.DialogCode.Accepted or self.form.values() == self._typed_from:
            super().reject()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.windowTitle(),
            tr("Close without saving what you typed?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("discardTyped")
        box.button(QMessageBox.StandardButton.Discard).setText(tr("Discard it"))
        box.button(QMessageBox.StandardButton.Cancel).setText(tr("Keep editing"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        if box.exec() == QMessageBox.StandardButton.Discard:
            super().reject()

    def save(self) -> bool:
        self.form.clear_problems()
        values = self.form.values()
        if self._should_look_again(values):
            return False
        try:
            if self.version is None:
                self.result_value = self.submit(values)
            else:
                self.result_value = self.submit(values, self.version)
        except ConflictError as exc:
            return self._conflict(exc, values)
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

    def _should_look_again(self, values: dict[str, Any]) -> bool:
        """Shows the warnings of values not yet warned about; True when there are some."""
        if self.warn is None or values == self._warned_for:
            return False
        try:
            warnings = self.warn(values)
        except IncubatorError:  # the save names what is wrong
            return False
        self.warning.setVisible(bool(warnings))
        if not warnings:
            return False
        self._warned_for = values
        lines = [w.message() for w in warnings]
        lines.append(tr("Press Save again to save it anyway."))
        self.warning.setText("\n".join(lines))
        return True

    def _conflict(self, error: ConflictError, mine: dict[str, Any]) -> bool:
        """Another desk saved this row meanwhile: show both versions, let the user choose."""
        if self.version is None or isinstance(error, ConcurrentChangeError):
            self.form.general_error.setText(error.message())
            self.form.general_error.show()
            return False
        dialog = ConflictDialog(error, mine, self)
        self.conflict_dialog = dialog  # reachable from tests while it is open
        dialog.exec()
        self.version = error.params["current"]
        if dialog.choice == ConflictDialog.KEEP_MINE:
            return self.save()
        theirs = {k: v for k, v in error.current_values.items() if k in self.form.fields}
        self.form.set_values(theirs)
        self.form.general_error.setText(
            tr(
                "The form now shows the version saved by the other "
                "desk; change it or save it as it is."
            )
        )
        self.form.general_error.show()
        return False
