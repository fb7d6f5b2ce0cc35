"""Driving modal dialogs from tests: schedule what to do once the dialog is up."""

from __future__ import annotations

import traceback
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget


def when_modal(
    action: Callable[[QWidget], None],
    attempts: int = 500,
    match: type | Callable[[QWidget], bool] | None = None,
) -> list[Exception]:
    """Run ``action(dialog)`` on the next modal dialog (the next one that ``match``es: a
    class, or a test of the widget); errors are collected, not lost."""
    errors: list[Exception] = []
    if isinstance(match, type):
        kind = match
        match = lambda w: isinstance(w, kind)  # noqa: E731

    def poll(left: int = attempts) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or (match is not None and not match(dialog)):
            if left:
                QTimer.singleShot(10, lambda: poll(left - 1))
            else:
                errors.append(AssertionError("the expected dialog never came up"))
            return
        try:
            action(dialog)
        except Exception as exc:  # reported by the test after exec() returns
            traceback.print_exc()  # where it failed, in the test's captured output
            errors.append(exc)
            if isinstance(dialog, QDialog) and dialog.isVisible():
                dialog.done(QDialog.DialogCode.Rejected)  # not reject(): it may ask

    QTimer.singleShot(0, poll)
    return errors
