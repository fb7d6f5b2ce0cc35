"""Short mode of the kill trials (``trials.py``): a few SIGKILLs during each kind of long
write; the long mode (50 each) is one command, its figures in docs/reliability.md."""

from __future__ import annotations

from tests.reliability import trials


def test_killed_work_is_whole_or_absent_and_no_save_is_lost():
    outcomes = trials.run(trials=3, seed=7, rows=1500)
    assert len(outcomes) == 12
    assert not [(o.kind, o.killed_after, o.problems) for o in outcomes if o.problems]
