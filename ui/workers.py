"""Background work: a QRunnable that runs a function off the GUI thread.

The function receives a ``progress(done, total) -> bool`` callback; it returns False once the
user pressed Cancel, and the function is expected to stop (the core's long operations do).
Results and errors come back as Qt signals, delivered on the GUI thread.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from shiboken6 import Shiboken


class WorkerSignals(QObject):
    progress = Signal(int, int)
    result = Signal(object)
    error = Signal(object)
    finished = Signal()


class Worker(QRunnable):
    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.signals = WorkerSignals()
        self._cancel = threading.Event()
        self.setAutoDelete(False)  # the caller keeps it until `finished`

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int) -> bool:
        _emit(self.signals.progress, done, total)
        return not self._cancel.is_set()

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn(*self.args, progress=self._progress, **self.kwargs)
        except BaseException as exc:  # delivered to the GUI, which shows it
            _emit(self.signals.error, exc)
        else:
            _emit(self.signals.result, result)
        finally:
            _emit(self.signals.finished)


def _emit(signal: Any, *args: Any) -> None:
    # RuntimeError: the program is closing and its objects are gone; nobody listens.
    with contextlib.suppress(RuntimeError):
        signal.emit(*args)


class _Keeper(QObject):
    """Holds every started worker until it has finished, so that no worker is freed while a
    pool thread still runs it (whoever started it may have dropped its reference), then frees
    its C++ side: the pool took ownership of it and, told not to delete it, never does, so
    each worker (and what it was given to work on) stayed in memory for good."""

    def __init__(self) -> None:
        super().__init__()
        self.running: set[Worker] = set()

    def keep(self, worker: Worker) -> None:
        self.running.add(worker)
        worker.signals.finished.connect(self._finished)

    @Slot()
    def _finished(self) -> None:
        signals = self.sender()
        done = {w for w in self.running if w.signals is signals}
        # Released on a later turn of the event loop: run() may still be returning.
        QTimer.singleShot(100, lambda: self._release(done))

    def _release(self, done: set[Worker]) -> None:
        self.running.difference_update(done)
        for worker in done:
            # Its Python side lives on while referenced (cancel() and its signals still work).
            Shiboken.delete(worker)


_keeper: _Keeper | None = None


def kept() -> int:
    """Workers started and not yet released (released a moment after they finish)."""
    return len(_keeper.running) if _keeper is not None else 0


def stop_all(wait_ms: int = 20_000) -> bool:
    """Ask every running worker to stop and wait for them (the program is closing): a report
    or an import cancelled this way removes what it had half written. True when all ended."""
    if _keeper is not None:
        for worker in list(_keeper.running):
            worker.cancel()
    return QThreadPool.globalInstance().waitForDone(wait_ms)


def start(worker: Worker) -> Worker:
    global _keeper
    if _keeper is None:
        _keeper = _Keeper()
    _keeper.keep(worker)
    QThreadPool.globalInstance().start(worker)
    return worker
