"""Kill trials: a long write (an import, demo, a batch of saves, a backup) is killed with
SIGKILL at a random moment, then the registry is checked: SQLite's integrity check passes,
the work is entirely there or entirely absent, no save that was reported committed is
missing, a backup is whole under its name or not there.

Short mode runs in the normal suite (``test_trials.py``); the long mode writes the figures
of ``docs/reliability.md``::

    .venv/bin/python -m tests.reliability.trials --trials 50
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from stdnum.cn import uscc

ROOT = Path(__file__).resolve().parents[2]
PY = [sys.executable, str(ROOT / "main.py")]
KINDS = ("import", "demo", "edits", "backup")


@dataclass
class Outcome:
    kind: str
    killed_after: float
    result: str  # "absent" | "present" | "partial edits n/m" ...
    problems: list[str] = field(default_factory=list)


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "INCUBATOR_HOME": str(home), "INCUBATOR_LANG": "en"}


def _run(args: list[str], home: Path) -> None:
    subprocess.run(args, check=True, capture_output=True, env=_env(home), timeout=600)


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def _integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def _list(path: Path, rows: int) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("名录")
    sheet.append(["社会组织名称", "统一社会信用代码", "法定代表人", "成立日期"])
    for i in range(rows):
        body = f"52650102MJ{i + 1:07d}"
        code = body + uscc.calc_check_digit(body)
        sheet.append([f"试验社区服务中心{i + 1}", code, "负责人", "2020-01-06"])
    book.save(path)
    return path


def whole_or_absent(db: Path, before: int, audit_before: int, whole: int, problems: list) -> str:
    """ "absent", "present" or "partial" (a problem, added to ``problems``): how much of
    ``whole`` new organizations one write left in the registry."""
    added = _count(db, "organizations") - before
    result = "absent" if added == 0 else "present" if added == whole else "partial"
    if result == "partial":
        problems.append(f"{added} of {whole} organizations written")
    if added == 0 and _count(db, "audit_log") != audit_before:
        problems.append("audit rows without their changes")
    return result


def renamed_orgs(db: Path) -> set[int]:
    """The organizations ``edit_worker`` renamed."""
    with sqlite3.connect(db) as conn:
        query = "SELECT id FROM organizations WHERE name LIKE '改名后的组织%'"
        return {r[0] for r in conn.execute(query)}


class Bench:
    """A registry with 30 organizations, copied fresh for each trial."""

    def __init__(self, work: Path, rows: int = 3000) -> None:
        self.work = work
        self.home = work / "home"
        self.template = work / "template.sqlite3"
        _run([*PY, "demo", "--orgs", "30", "--db", str(self.template)], self.home)
        self.rows = rows
        self.list = _list(work / "list.xlsx", rows)

    def fresh(self) -> Path:
        db = self.work / "trial.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.copy(self.template, db)
        return db

    def command(self, kind: str, db: Path) -> list[str]:
        if kind == "import":
            return [*PY, "import", str(self.list), "--db", str(db)]
        if kind == "demo":
            return [*PY, "demo", "--orgs", "400", "--force", "--seed", "9", "--db", str(db)]
        if kind == "edits":
            return [sys.executable, "-m", "tests.reliability.edit_worker", str(db), "30"]
        return [*PY, "db", "backup", str(self.work / "copy.sqlite3"), "--db", str(db)]

    def duration(self, kind: str) -> float:
        """How long the work takes when not killed (the kill falls within it)."""
        db = self.fresh()
        (self.work / "copy.sqlite3").unlink(missing_ok=True)
        started = time.monotonic()
        subprocess.run(
            self.command(kind, db),
            check=True,
            capture_output=True,
            env=_env(self.home),
            cwd=ROOT,
            timeout=600,
        )
        return time.monotonic() - started

    def trial(self, kind: str, within: float, rng: random.Random) -> Outcome:
        db = self.fresh()
        copy = self.work / "copy.sqlite3"
        copy.unlink(missing_ok=True)
        before = _count(db, "organizations")
        audit_before = _count(db, "audit_log")
        # Half the kills anywhere, half in the last 40% of the work, where the writing is.
        delay = rng.uniform(0.05, within) if rng.random() < 0.5 else rng.uniform(0.6, 1) * within
        proc = subprocess.Popen(
            self.command(kind, db),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_env(self.home),
            cwd=ROOT,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        outcome = Outcome(kind, round(delay, 2), "")
        verdict = _integrity(db)
        if verdict != "ok":
            outcome.problems.append(f"integrity check: {verdict}")
        if kind in ("import", "demo"):
            whole = self.rows if kind == "import" else 400
            outcome.result = whole_or_absent(db, before, audit_before, whole, outcome.problems)
        elif kind == "edits":
            reported = [int(x) for x in out.split()]
            renamed = renamed_orgs(db)
            missing = [i for i in reported if i not in renamed]
            if missing:
                outcome.problems.append(f"committed edits missing: {missing}")
            outcome.result = "a reported save missing" if missing else "every reported save present"
        else:
            if copy.exists():
                good = _integrity(copy) == "ok" and _count(copy, "organizations") == before
                outcome.result = "present"
                if not good:
                    outcome.problems.append("a backup under its name is not whole")
            else:
                outcome.result = "absent"
        return outcome


def run(trials: int, seed: int = 1, rows: int = 3000) -> list[Outcome]:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="kill-trials-") as tmp:
        bench = Bench(Path(tmp), rows)
        outcomes = []
        for kind in KINDS:
            within = bench.duration(kind)
            outcomes += [bench.trial(kind, within, rng) for _ in range(trials)]
        return outcomes


def table(during: str, kinds: tuple[str, ...], outcomes: list[Outcome]) -> str:
    """The figures of one kind of trials: per kind of work, how many, what came of them."""
    lines = [f"| {during} | Trials | Outcomes | Problems |", "|---|---|---|---|"]
    for kind in kinds:
        mine = [o for o in outcomes if o.kind == kind]
        if mine:
            counted = sorted(Counter(o.result for o in mine).items())
            results = ", ".join(f"{n} {what}" for what, n in counted)
            problems = sum(len(o.problems) for o in mine)
            lines.append(f"| {kind} | {len(mine)} | {results} | {problems} |")
    return "\n".join(lines)


def summary(outcomes: list[Outcome]) -> str:
    return table("Killed during", KINDS, outcomes)


def main() -> int:
    parser = argparse.ArgumentParser(description="SIGKILL trials against a SQLite registry")
    parser.add_argument("--trials", type=int, default=50, help="trials per kind of work")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.monotonic()
    outcomes = run(args.trials, args.seed)
    print(f"# Kill trials, {dt.date.today()}, {time.monotonic() - started:.0f} s\n")
    print(summary(outcomes))
    for o in outcomes:
        if o.problems:
            print(f"- {o.kind} killed after {o.killed_after} s: {'; '.join(o.problems)}")
    return 1 if any(o.problems for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
