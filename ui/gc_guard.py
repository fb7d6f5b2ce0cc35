"""Run Python's cyclic garbage collector on the GUI thread only, and briefly.

A Qt object caught in a reference cycle may otherwise be collected by whichever thread happens
to trigger a collection, a worker thread included, and Qt objects must die in their own thread:
that crashes. So automatic collection is switched off and the GUI thread collects on a timer.

It collects as the automatic collector would, generation by generation when each one's
threshold is passed, not the whole heap each time: a whole collection walks every object the
program holds (over 100,000 once the window is built) and froze the window for 60 to 100 ms
every two seconds. The objects made while starting, which live as long as the program, are
frozen out of collection once the window is shown (``freeze_startup``).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect)
        self.timer.start()

    def collect(self) -> None:
        """Collect the youngest generations whose count passed their threshold."""
        counts = gc.get_count()
        generation = -1
        for g, (count, threshold) in enumerate(zip(counts, self.thresholds, strict=True)):
            if count <= threshold:
                break
            generation = g
        if generation >= 0:
            gc.collect(generation)

    @staticmethod
    def freeze_startup() -> None:
        """Leave what exists now out of every later collection (Python's gc.freeze)."""
        gc.freeze()
