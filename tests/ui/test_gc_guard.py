"""The GUI thread's garbage collector (ui.gc_guard) collects the young generations as they
fill, never the whole heap on every tick: a whole collection froze the window for 60 to
100 ms every two seconds."""

from __future__ import annotations

import gc

import pytest

from ui.gc_guard import GarbageCollector


@pytest.fixture
def collections():
    seen: list[int] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(note)
    yield seen
    gc.callbacks.remove(note)


def test_young_generations_only_as_they_fill(qapp, collections) -> None:
    collector = GarbageCollector()
    collector.timer.stop()  # ticks are driven here
    first, second, _third = gc.get_threshold()
    gc.collect()
    collections.clear()

    collector.collect()
    assert collections == []  # nothing allocated: nothing to do

    kept = []
    for _ in range((second + 1) * 3):
        kept.append([[] for _ in range(first + 50)])  # fills the youngest generation
        collector.collect()
    assert collections.count(0) > second  # one for each time the youngest filled
    assert 1 in collections  # the middle one after `second` of those
    assert 2 not in collections  # never the whole heap
    collector.deleteLater()
