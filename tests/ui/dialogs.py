"""Driving modal dialogs from tests: schedule what to do once the dialog is up."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget


def when_modal(action: Callable[[QWidget], None], attempts: int = 200) -> list[Exception]:
    """Run ``action(dialog)`` on the next modal dialog; errors are collected, not lost."""
    errors: list[Exception] = []

    def poll(left: int = attempts) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if left:
                QTimer.singleShot(10, lambda: poll(left - 1))
            return
        try:
            action(dialog)
        except Exception as exc:  # reported by the test after exec() returns
            errors.append(exc)
            if isinstance(dialog, QDialog) and dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, poll)
    return errors
