"""Start-up: the desktop window with its first organizations, `main.py --help` and
`orgs list --limit 20`, each beside its raw baseline measured in the same run.

    .venv/bin/python bench/bench_startup.py [--orgs 100000] [--runs 7]
    .venv/bin/python bench/bench_startup.py --smoke     # 100 organizations, one run: a check

Every figure is the wall time of a fresh process, from its start to its end, run after the
others in turns (A B A B ...), median of ``--runs``. Baselines: a bare Python (``-c pass``)
for the commands; for the window, a bare PySide6 window with a QTableView of 20 rows, shown
and painted. The app's figure is the same path as ``main.py``'s (``ui.app.start_window``:
open the registry, daily backup, main window, its list shown and painted); a window's time
ends when it is painted (the check of the whole file that follows runs behind it).
Bytecode is written and warmed first, as an installed program has it (this machine sets
PYTHONDONTWRITEBYTECODE).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_org_list import RESULTS, registry_file  # noqa: E402


def bare_window(columns: int) -> str:
    """A script: a bare PySide6 window with a QTableView of 20 rows, shown and painted."""
    return f"""
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableView
app = QApplication([])
model = QStandardItemModel(20, {columns})
for r in range(20):
    for c in range({columns}):
        model.setItem(r, c, QStandardItem(f"第{{r}}行 {{c}}"))
view = QTableView()
view.setModel(model)
view.resize(1280, 800)
view.show()
view.grab()  # painted
"""


BARE_WINDOW = bare_window(7) + 'import time\nprint("shown", time.time())\n'

APP_WINDOW = """
import sys
import time
from ui.app import make_app, start_window
app = make_app()
window = start_window(sys.argv[1])
window.resize(1280, 800)
window.show_page("organizations")
deadline = time.monotonic() + 60
while window.organizations.model.rowCount() == 0 and time.monotonic() < deadline:
    app.processEvents()  # the first block of rows comes from a worker thread
    time.sleep(0.001)
assert window.organizations.model.rowCount() > 0
window.grab()  # painted
print("shown", time.time())
"""


def wall(command: list[str], env: dict[str, str]) -> float:
    """Seconds from the process's start to its end, or to the moment it printed "shown"
    (a window: what follows, such as the check of the file behind it, is not waited for)."""
    started, launched = time.perf_counter(), time.time()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    took = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{command[:3]} failed:\n{done.stderr}")
    shown = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("shown ")]
    return float(shown[0]) - launched if shown else took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--smoke", action="store_true", help="100 organizations, one run")
    args = parser.parse_args(argv)
    if args.smoke:
        args.orgs, args.runs = 100, 1
        with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
            return run(args, Path(folder))
    return run(args, RESULTS)


def run(args: argparse.Namespace, folder: Path) -> int:
    registry = str(registry_file(args.orgs, folder))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"QT_QPA_PLATFORM": "offscreen", "INCUBATOR_HOME": str(folder / "home")}
    py = [sys.executable]
    pairs = {
        "main.py --help": ([*py, "-c", "pass"], [*py, "main.py", "--help"]),
        "orgs list --limit 20": (
            [*py, "-c", "pass"],
            [*py, "main.py", "orgs", "list", "--limit", "20", "--db", registry],
        ),
        "desktop window with its list": (
            [*py, "-c", BARE_WINDOW],
            [*py, "-c", APP_WINDOW, registry],
        ),
    }
    results = {}
    for name, (baseline, ours) in pairs.items():
        wall(baseline, env), wall(ours, env)  # bytecode written, files in the cache
        base_runs, our_runs = [], []
        for _ in range(args.runs):
            base_runs.append(wall(baseline, env))
            our_runs.append(wall(ours, env))
        base, mine = statistics.median(base_runs), statistics.median(our_runs)
        results[name] = {"baseline_s": round(base, 3), "ours_s": round(mine, 3)}
        results[name]["ratio"] = round(mine / base, 2)
        print(f"{name:32} {mine:6.3f} s  baseline {base:6.3f} s  ratio {mine / base:5.2f}")
    out = folder / "startup.json"
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    out.write_text(json.dumps({"orgs": args.orgs, "machine": machine, **results}, indent=2))
    print(f"({args.orgs} organizations; {machine}; written to {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
