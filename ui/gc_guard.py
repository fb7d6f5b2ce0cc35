"""Run Python's cyclic garbage collector on the GUI thread only.

A Qt object caught in a reference cycle may otherwise be collected by whichever thread happens
to trigger a collection, a worker thread included, and Qt objects must die in their own thread:
that crashes. So automatic collection is switched off and the GUI thread collects on a timer.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 2000


class GarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect)
        self.timer.start()

    def collect(self) -> None:
        gc.collect()
