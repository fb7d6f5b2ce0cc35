"""Short mode of the corruption trials (``corruption.py``): a few damaged files of each kind;
the long mode (50 each) is one command, its figures in docs/reliability.md."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from tests.reliability import corruption


def test_damaged_files_are_found_or_harmless_and_never_crash_nor_get_written():
    # The seed picks where the damage falls: a scribble on an empty page harms nothing, and
    # the file's layout changes with the schema (seed 12 met no found scribble after 0017).
    outcomes = corruption.run(trials=5, seed=13)
    assert len(outcomes) == 20
    assert not [o.problems for o in outcomes if o.problems]
    found = {o.kind for o in outcomes if o.result == "found"}
    assert found == set(corruption.KINDS)  # every kind of damage was met at least once


def test_the_damage_is_real(tmp_path: Path, sqlite_template: Path):
    """The trials' damage changes the file as it says (else 'no problem' would be cheap)."""
    for kind in corruption.KINDS:
        copy = tmp_path / f"{kind}.sqlite3"
        shutil.copy(sqlite_template, copy)
        where = corruption.damage(copy, kind, random.Random(5))
        assert copy.read_bytes() != sqlite_template.read_bytes(), where
