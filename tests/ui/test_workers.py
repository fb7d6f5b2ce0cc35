"""Background workers (ui.workers): each one is freed once it has finished, with what it was
given to work on; the list starts one for every block of rows scrolled to, thousands a day."""

from __future__ import annotations

import gc

from PySide6.QtCore import QThreadPool

from ui.workers import Worker, start


def _double(n: int, progress=None) -> int:
    return 2 * n


def workers_alive() -> int:
    """This test's workers still in memory (not those of a page an earlier test left behind,
    which the collector may free meanwhile)."""
    gc.collect()
    return sum(isinstance(o, Worker) and o.fn is _double for o in gc.get_objects())


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


QUIT_WHILE_WORKING = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from ui.app import make_app
from ui.workers import Worker, start

marker = Path(sys.argv[1])

def long_work(progress=None):
    marker.write_text("started")
    for step in range(3000):  # a minute, unless cancelled
        if not progress(step, 3000):
            marker.write_text("stopped cleanly")
            return
        time.sleep(0.02)
    marker.write_text("ran to the end")

app = make_app()
worker = Worker(long_work)
start(worker)
QTimer.singleShot(300, app.quit)  # staff close the program while the work runs
app.exec()
"""


def test_closing_the_program_stops_the_work_in_progress(tmp_path) -> None:
    """At exit, running work is cancelled and waited for (a report removes its half-written
    file, an import rolls back), and nothing is printed to the terminal."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    marker = tmp_path / "marker"
    root = Path(__file__).resolve().parents[2]
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen", "INCUBATOR_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", QUIT_WHILE_WORKING, str(marker)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert marker.read_text() == "stopped cleanly"
    assert "Traceback" not in done.stderr, done.stderr
