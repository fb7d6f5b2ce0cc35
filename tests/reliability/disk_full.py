"""Disk-full trials: the registry lives in a size-limited folder (a tmpfs of a random size,
mounted for the trial) while an import or a batch of saves writes to it, or a backup is
written into such a folder. Afterwards: the command said "the disk is full" in words (never
"unexpected", never a traceback) or finished; SQLite's integrity check passes; the work is
entirely there or entirely absent; every save reported committed is there; a backup is whole
under its name or not there, with no temporary file left; once space is freed, a save works.

Mounting needs root, or a user namespace (``unshare -rm``; ``main()`` re-runs itself in one
when not root). Short mode in the normal suite (``test_disk_full.py``); the long mode writes
the figures of ``docs/reliability.md``::

    .venv/bin/python -m tests.reliability.disk_full --trials 50
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.reliability.trials import (
    PY,
    ROOT,
    Bench,
    Outcome,
    _count,
    _env,
    _integrity,
    renamed_orgs,
    table,
    whole_or_absent,
)

KINDS = ("import", "edits", "backup")
FULL = "disk is full"


def _mount(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", *args], capture_output=True, text=True)


@contextmanager
def limited_folder(path: Path, size: int) -> Iterator[Path]:
    """``path`` as a folder that holds ``size`` bytes at most (a tmpfs), removed after."""
    path.mkdir(exist_ok=True)
    mounted = _mount("-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path))
    if mounted.returncode:
        raise RuntimeError(f"cannot mount a size-limited folder: {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def grow(path: Path, size: int) -> None:
    """Free space: the folder may now hold ``size`` bytes."""
    done = _mount("-o", f"remount,size={size}", str(path))
    if done.returncode:
        raise RuntimeError(done.stderr.strip())


def why_not_available() -> str | None:
    """None when size-limited folders can be mounted here, else why not."""
    with tempfile.TemporaryDirectory(prefix="disk-full-probe-") as tmp:
        try:
            with limited_folder(Path(tmp) / "probe", 65536):
                return None
        except (RuntimeError, OSError) as exc:
            return str(exc)


def _said_in_words(stderr: str, outcome: Outcome) -> None:
    if "Traceback" in stderr or "unexpected" in stderr:
        outcome.problems.append(f"not said in words: {stderr.strip()[-300:]}")
    elif FULL not in stderr:
        outcome.problems.append(f"a refusal that does not say the disk is full: {stderr.strip()}")


class DiskFullTrials:
    def __init__(self, work: Path, rows: int) -> None:
        self.bench = Bench(work, rows)
        self.work = work
        self.size = self.bench.template.stat().st_size

    def run(self, command: list[str]) -> subprocess.CompletedProcess:
        env = _env(self.bench.home)
        return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)

    def trial(self, kind: str, rng: random.Random) -> Outcome:
        if kind == "backup":
            return self._backup(rng)
        # Room for the registry, its -shm and -wal, and a random share of the work.
        headroom = rng.randint(0, 10_000_000 if kind == "import" else 1_500_000)
        outcome = Outcome(kind, headroom, "")
        with limited_folder(self.work / "limited", self.size + 40_000 + headroom) as folder:
            db = folder / "registry.sqlite3"
            shutil.copy(self.bench.template, db)
            before = _count(db, "organizations")
            audit_before = _count(db, "audit_log")
            command = self.bench.command(kind, db)
            done = self.run(command)
            if done.returncode:
                _said_in_words(done.stderr, outcome)
            verdict = _integrity(db)
            if verdict != "ok":
                outcome.problems.append(f"integrity check: {verdict}")
            if kind == "import":
                whole = self.bench.rows
                outcome.result = whole_or_absent(db, before, audit_before, whole, outcome.problems)
                if (done.returncode == 0) != (outcome.result == "present"):
                    outcome.problems.append(f"exit {done.returncode}, import {outcome.result}")
            else:
                self._edits_checked(db, done, outcome)
            grow(folder, 256 * 2**20)
            after = self.run([sys.executable, "-m", "tests.reliability.edit_worker", str(db), "1"])
            if after.returncode:
                outcome.problems.append(f"no save once space was freed: {after.stderr.strip()}")
        return outcome

    def _edits_checked(self, db: Path, done: subprocess.CompletedProcess, outcome: Outcome) -> None:
        reported = {int(x) for x in done.stdout.split()}
        renamed = renamed_orgs(db)
        if reported - renamed:
            outcome.problems.append(f"reported saves missing: {sorted(reported - renamed)}")
        if renamed - reported:
            outcome.problems.append(f"saves present but refused: {sorted(renamed - reported)}")
        outcome.result = "all saved" if done.returncode == 0 else "stopped at a full disk"

    def _backup(self, rng: random.Random) -> Outcome:
        db = self.bench.fresh()
        room = int(self.size * rng.uniform(0.2, 1.4))
        outcome = Outcome("backup", room, "")
        with limited_folder(self.work / "limited", room) as folder:
            target = folder / "copy.sqlite3"
            done = self.run([*PY, "db", "backup", str(target), "--db", str(db)])
            left = [p.name for p in folder.iterdir() if p != target]
            if left:
                outcome.problems.append(f"left behind: {left}")
            if done.returncode:
                _said_in_words(done.stderr, outcome)
                outcome.result = "absent"
                if target.exists():
                    outcome.problems.append("a refused backup left a file under its name")
            else:
                outcome.result = "present"
                if _integrity(target) != "ok" or _count(target, "organizations") != _count(
                    db, "organizations"
                ):
                    outcome.problems.append("a backup under its name is not whole")
        return outcome


def run(
    trials: int, seed: int = 1, rows: int = 3000, kinds: tuple[str, ...] = KINDS
) -> list[Outcome]:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="disk-full-trials-") as tmp:
        bench = DiskFullTrials(Path(tmp), rows)
        return [bench.trial(kind, rng) for kind in kinds for _ in range(trials)]


def summary(outcomes: list[Outcome]) -> str:
    return table("Disk full during", KINDS, outcomes)


def main() -> int:
    parser = argparse.ArgumentParser(description="disk-full trials against a SQLite registry")
    parser.add_argument("--trials", type=int, default=50, help="trials per kind of work")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rows", type=int, default=3000, help="organizations in the import")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    args = parser.parse_args()
    if os.geteuid() != 0:  # mounting needs root: a user namespace gives it, for this run only
        again = ["unshare", "-rm", sys.executable, "-m", "tests.reliability.disk_full"]
        return subprocess.run([*again, *sys.argv[1:]], cwd=ROOT).returncode
    started = time.monotonic()
    outcomes = run(args.trials, args.seed, args.rows, tuple(args.kinds))
    print(f"# Disk-full trials, {dt.date.today()}, {time.monotonic() - started:.0f} s\n")
    print(summary(outcomes))
    for o in outcomes:
        if o.problems:
            print(f"- {o.kind} (room {o.killed_after}): {'; '.join(o.problems)}")
    return 1 if any(o.problems for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
