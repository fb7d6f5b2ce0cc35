"""Background workers (ui.workers): each one is freed once it has finished, with what it was
given to work on; the list starts one for every block of rows scrolled to, thousands a day."""

from __future__ import annotations

import gc

from PySide6.QtCore import QThreadPool

from ui.workers import Worker, start


def _double(n: int, progress=None) -> int:
    return 2 * n


def workers_alive() -> int:
    gc.collect()
    return sum(isinstance(o, Worker) for o in gc.get_objects())


def test_finished_workers_are_freed(qtbot) -> None:
    before = workers_alive()
    results: list[int] = []
    held = Worker(_double, -1)
    held.signals.result.connect(results.append)
    start(held)
    for n in range(50):
        worker = Worker(_double, n)
        worker.signals.result.connect(results.append)
        start(worker)
    del worker
    QThreadPool.globalInstance().waitForDone(10_000)
    qtbot.waitUntil(lambda: len(results) == 51, timeout=5_000)
    qtbot.waitUntil(lambda: workers_alive() == before + 1, timeout=5_000)  # the one still held
    assert sorted(results) == [-2, *range(0, 100, 2)]
    held.cancel()  # a worker still referenced keeps working as a Python object
    assert held.cancelled
