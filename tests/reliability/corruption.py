"""Corruption trials: a registry file is damaged at random as a failing disk or a bad copy
would (bytes scribbled anywhere, a whole page overwritten, the file cut off, its header
broken), then ``db check`` and ``orgs list`` are run on it. Neither may crash (a traceback,
"unexpected"): ``db check`` exits 0 or 3, a refusal is said in words, and the damaged file is
never written to. Each trial says whether the damage was found (exit 3) or not, and whether
what was not found changed no data (damage in unused space) or changed a value unseen
(SQLite keeps no checksum of its pages' content, so no check can find that).

Short mode in the normal suite (``test_corruption.py``); the long mode writes the figures
of ``docs/reliability.md``::

    .venv/bin/python -m tests.reliability.corruption --trials 50
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sqlite3
import sys
import tempfile
import time
from contextlib import closing, redirect_stderr, redirect_stdout
from pathlib import Path

from incubator import cli
from tests.reliability.trials import Bench, Outcome, table

KINDS = ("bytes", "page", "truncated", "header")


def damage(path: Path, kind: str, rng: random.Random) -> str:
    """Damage the file at ``path``; returns where, for the record."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    if kind == "bytes":
        at, n = rng.randrange(100, len(data)), rng.randint(1, 64)
        data[at : at + n] = rng.randbytes(n)[: len(data) - at]
        where = f"{n} bytes at {at}"
    elif kind == "page":
        number = rng.randrange(1, len(data) // page)
        data[number * page : (number + 1) * page] = rng.randbytes(page)
        where = f"page {number + 1}"
    elif kind == "truncated":
        at = rng.randrange(0, len(data))
        del data[at:]
        where = f"cut at {at} of {len(path.read_bytes())}"
    else:
        at, n = rng.randrange(0, 100), rng.randint(1, 8)
        data[at : at + n] = rng.randbytes(n)
        where = f"{n} header bytes at {at}"
    path.write_bytes(bytes(data))
    return where


def _cli(*args: str) -> tuple[int, str]:
    """The command's exit code and everything it said (run in this process: a trial is
    a few milliseconds, not a program start)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue() + err.getvalue()


def _dump(path: Path) -> list[str] | None:
    """Every row of the file as SQL, or None when it cannot all be read (a damaged page, text
    that is no longer UTF-8)."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            return list(conn.iterdump())
    except (sqlite3.DatabaseError, UnicodeDecodeError):
        return None


class CorruptionTrials:
    def __init__(self, work: Path) -> None:
        self.bench = Bench(work, rows=10)
        self.clean = _dump(self.bench.template)

    def trial(self, kind: str, rng: random.Random) -> Outcome:
        db = self.bench.fresh()
        where = damage(db, kind, rng)
        outcome = Outcome(kind, 0, "")
        damaged = db.read_bytes()
        checked = _cli("db", "check", "--db", str(db))
        listed = _cli("orgs", "list", "--limit", "1000", "--db", str(db))
        for name, (code, said) in (("db check", checked), ("orgs list", listed)):
            if "Traceback" in said or "unexpected" in said or code not in (0, 1, 3):
                outcome.problems.append(f"{name} crashed ({where}): {said.strip()[-300:]}")
        if checked[0] not in (0, 3):
            outcome.problems.append(f"db check exit {checked[0]} ({where})")
        if db.read_bytes() != damaged:
            outcome.problems.append(f"the damaged file was written to ({where})")
        if checked[0] == 3:
            outcome.result = "found"
        elif _dump(db) == self.clean:
            outcome.result = "no data changed"
        else:
            outcome.result = "a value changed unseen"
        return outcome


def run(trials: int, seed: int = 1) -> list[Outcome]:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="corruption-trials-") as tmp:
        bench = CorruptionTrials(Path(tmp))
        return [bench.trial(kind, rng) for kind in KINDS for _ in range(trials)]


def summary(outcomes: list[Outcome]) -> str:
    return table("Damage", KINDS, outcomes)


def main() -> int:
    parser = argparse.ArgumentParser(description="corruption trials against a SQLite registry")
    parser.add_argument("--trials", type=int, default=50, help="trials per kind of damage")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="corruption-home-") as home:
        os.environ["INCUBATOR_HOME"] = home  # logs and backups of the trials, not the user's
        os.environ["INCUBATOR_LANG"] = "en"
        outcomes = run(args.trials, args.seed)
    print(f"# Corruption trials, {dt.date.today()}, {time.monotonic() - started:.0f} s\n")
    print(summary(outcomes))
    for o in outcomes:
        for problem in o.problems:
            print(f"- {o.kind}: {problem}")
    return 1 if any(o.problems for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
