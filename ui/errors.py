"""Showing errors to users: the core's typed errors in their language, anything else as a
short apology with the log file's path (never a traceback)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QMessageBox, QWidget

from incubator.errors import IncubatorError
from incubator.i18n import tr
from incubator.logs import log_unexpected


def explain(exc: BaseException) -> str:
    if isinstance(exc, IncubatorError):
        return exc.message()
    path = log_unexpected(exc)
    return tr(
        "Sorry, something unexpected went wrong ({kind}). Details are in {path}",
        kind=type(exc).__name__,
        path=path,
    )


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        title or tr("Incubator Registry"),
        explain(exc),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("errorBox")
    box.exec()


def install_excepthook() -> None:
    """Unexpected errors in slots end up here instead of on a console nobody reads."""

    def hook(kind, exc, tb):
        show_error(None, exc)

    sys.excepthook = hook
