"""Each bench's quick mode runs in the suite, so that none can rot. Timings are printed by
the bench, never asserted here: speed is read in bench/RESULTS.md."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.pgserver import find_bindir

ROOT = Path(__file__).resolve().parent.parent


def run_bench(script: str, *args: str) -> str:
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, f"bench/{script}", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_search_bench() -> None:
    postgres = [] if find_bindir() else ["--no-postgres"]
    out = run_bench("bench_search.py", "--smoke", *postgres)
    assert "sqlite     every keystroke" in out
    assert "window     credit-code prefix" in out
    if not postgres:
        assert "postgresql every keystroke" in out


def test_org_list_bench() -> None:
    postgres = [] if find_bindir() else ["--no-postgres"]
    out = run_bench("bench_org_list.py", "--smoke", *postgres)
    assert "one block of 100 rows" in out
    assert "largest GUI stall per step, sqlite" in out and '"scroll through"' in out
    assert "largest GUI stall per step, bare QTableView" in out
    if not postgres:
        assert "largest GUI stall per step, postgresql" in out


def test_reports_bench() -> None:
    out = run_bench("bench_reports.py", "--smoke")
    for case in ("organization report", "center report, 60 orgs", "committee pack, 3 orgs"):
        assert case in out


def test_import_export_bench() -> None:
    out = run_bench("bench_import_export.py", "--smoke")
    assert '"rows": 200' in out and '"created": 200' in out
    assert '"export"' in out


def test_startup_bench() -> None:
    out = run_bench("bench_startup.py", "--smoke")
    for step in ("main.py --help", "orgs list --limit 20", "desktop window with its list"):
        assert step in out


def test_memory_bench() -> None:
    out = run_bench("bench_memory.py", "--smoke")
    assert "bare PySide6 window" in out
    for step in ("window with the list", "list scrolled to its end", "dashboard", "reports page"):
        assert step in out


def test_writes_bench() -> None:
    out = run_bench("bench_writes.py", "--smoke")
    assert "demo --orgs 100" in out and "import of 200 rows" in out
    assert "raw executemany" in out
