"""The Qt binding keeps Python's reference counts: PySide6 6.12.0 dropped one reference to
True at every signal emit() and one to None at every processEvents(), so the program aborted
("Fatal Python error: bool_dealloc") after some thousands of searches. pyproject.toml keeps
that version out; this test keeps any other such version out. It runs in a process of its
own: a binding with the fault aborts it."""

from __future__ import annotations

import os
import subprocess
import sys

CHECK = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Emitter(QObject):
    plain = Signal()
    carrying = Signal(object)
    counts = Signal(int, int)

app = QCoreApplication([])
emitter = Emitter()
received = []
emitter.carrying.connect(received.append)
values = (True, False, None)
before = [sys.getrefcount(v) for v in values]
for _ in range(300):
    emitter.plain.emit()
    emitter.carrying.emit([1])
    emitter.counts.emit(1, 2)
    app.processEvents()
after = [sys.getrefcount(v) for v in values]
print(len(received), *(a - b for a, b in zip(after, before)))
"""


def test_emit_and_process_events_keep_reference_counts() -> None:
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    received, *changes = (int(n) for n in done.stdout.split())
    assert received == 300
    # A few references may come and go elsewhere; 300 lost ones may not.
    assert all(change > -50 for change in changes), changes
