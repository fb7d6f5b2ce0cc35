"""Work that a dialog waits for, run off the GUI thread: the window keeps painting, a progress
dialog with Cancel comes up when it lasts, and the caller gets the result or the error as if
the function had been called in place (a form's Save that stores a large file, say)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from incubator.i18n import tr
from ui.workers import Worker, start

STEPS = 1000  # the bar's range: fine enough for any size


def wait_for(
    parent: QWidget | None, label: str, fn: Callable[..., Any], *args: Any, **kwargs: Any
) -> Any:
    """``fn(*args, progress=..., **kwargs)`` in a worker; returns what it returns, or raises
    what it raised. Once ``fn`` has reported its whole (done == total) the bar turns busy: what
    is left (storing, say) has no measure."""
    dialog = QProgressDialog(label, tr("Cancel"), 0, STEPS, parent)
    dialog.setObjectName("waitProgress")
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)  # the form waits, untouched
    dialog.setMinimumDuration(400)  # a quick save shows nothing
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    dialog.setValue(0)  # starts the clock of minimumDuration
    worker = Worker(fn, *args, **kwargs)
    outcome: dict[str, Any] = {}
    loop = QEventLoop()

    def moved(done: int, total: int) -> None:
        if total and done >= total:
            dialog.setRange(0, 0)  # busy
        elif total:
            dialog.setValue(int(STEPS * done / total))

    worker.signals.progress.connect(moved)
    dialog.canceled.connect(worker.cancel)
    worker.signals.result.connect(lambda value: outcome.update(result=value))
    worker.signals.error.connect(lambda exc: outcome.update(error=exc))
    worker.signals.finished.connect(loop.quit)
    start(worker)
    loop.exec()  # signals from the worker are queued: none can arrive before this runs
    dialog.reset()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")
