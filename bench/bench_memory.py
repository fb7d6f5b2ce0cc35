"""Memory: the desktop app's resident size on a large registry, used as staff use it, beside a
bare PySide6 window with a QTableView measured in the same run.

    .venv/bin/python bench/bench_memory.py [--registry FILE] [--orgs 100000]
    .venv/bin/python bench/bench_memory.py --smoke     # 100 organizations: a check

The registry is --registry, else the demo registry of --orgs organizations kept in
bench/results/ (``bench_org_list.registry_file``; ``bench/scale_data.py`` makes the scale data
set of issue 16: 100,000 organizations, over 1,000,000 support records over ten years).

The app runs in a process of its own, as ``main.py`` starts it (``ui.app.start_window``), and
goes through the steps below; after each one it reports its resident size (VmRSS) and its
peak so far (VmHWM), both from /proc/self/status. Issue 16's target: at most 200 MiB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_org_list import RESULTS, registry_file  # noqa: E402
from bench.bench_startup import bare_window  # noqa: E402

MEMORY = """
def memory(step):
    fields = dict(line.split(":", 1) for line in open("/proc/self/status"))
    mib = lambda key: round(int(fields[key].split()[0]) / 1024, 1)
    print("memory", step, mib("VmRSS"), mib("VmHWM"), flush=True)
"""

BARE_WINDOW = MEMORY + bare_window(9) + 'memory("window shown")\n'

APP = (
    MEMORY
    + """
import sys, time
from PySide6.QtCore import QThreadPool
from ui.app import make_app, start_window

app = make_app()
window = start_window(sys.argv[1])
window.resize(1280, 800)
pool = QThreadPool.globalInstance()

def settle(until=lambda: True, at_least=0.3):
    start = time.monotonic()
    while time.monotonic() - start < 120 and (
        time.monotonic() - start < at_least or pool.activeThreadCount() or not until()
    ):
        app.processEvents()
        time.sleep(0.002)

page = window.organizations
window.show_page("organizations")
settle(lambda: page.model.rowCount() > 0 and page.count.text()[:1].isdigit())
window.grab()
memory("window with the list")
bar = page.table.verticalScrollBar()
for k in range(401):  # dragged from the top to the end, one move a frame
    bar.setValue(bar.maximum() * k // 400)
    settle(at_least=0.016)
memory("list scrolled to its end")
for text in ("s", "sq", "sqf", "sqfw", "养", "养老", ""):
    page.search.setText(text)
    settle(at_least=0.15)
memory("searches typed and cleared")
window.show_page("dashboard")
settle(at_least=1.0)
window.grab()
memory("dashboard")
window.open_organization(page.model.org_id(0))
settle(at_least=1.0)
window.grab()
memory("an organization's page")
window.show_page("reports")
settle(at_least=1.0)
window.grab()
memory("reports page")
window.show_page("spaces")
settle(at_least=1.0)
window.grab()
memory("spaces page")
"""
)


def run_script(script: str, *args: str, env: dict[str, str]) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=1800,
    )
    if done.returncode:
        raise SystemExit(f"failed:\n{done.stderr[-3000:]}")
    steps = []
    for line in done.stdout.splitlines():
        if line.startswith("memory "):
            *step, rss, peak = line.split()[1:]
            steps.append({"step": " ".join(step), "rss_mib": float(rss), "peak_mib": float(peak)})
    return steps


def counts(path: Path) -> dict[str, int]:
    tables = ("funds", "fund_payments", "projects", "talent_records", "evaluations")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as raw:
        found = {t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
        found["space_allocations"] = raw.execute(
            "SELECT count(*) FROM space_allocations"
        ).fetchone()[0]
        found["organizations"] = raw.execute("SELECT count(*) FROM organizations").fetchone()[0]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", type=Path)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--smoke", action="store_true", help="100 organizations")
    args = parser.parse_args(argv)
    if args.smoke:
        with tempfile.TemporaryDirectory(prefix="bench-memory-") as folder:
            return run(registry_file(100, Path(folder)), Path(folder))
    return run(args.registry or registry_file(args.orgs), RESULTS)


def run(path: Path, folder: Path) -> int:
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen", "INCUBATOR_HOME": str(folder / "home")}
    registry = counts(path)
    support = sum(n for table, n in registry.items() if table != "organizations")
    print(
        f"registry {path.name}: {registry['organizations']:,} organizations, "
        f"{support:,} support records ({json.dumps(registry)})"
    )
    bare = run_script(BARE_WINDOW, env=env)
    ours = run_script(APP, str(path), env=env)
    for row in bare:
        print(
            f"bare PySide6 window     {row['step']:28} rss {row['rss_mib']:7.1f} MiB  "
            f"peak {row['peak_mib']:7.1f} MiB"
        )
    for row in ours:
        print(
            f"app                     {row['step']:28} rss {row['rss_mib']:7.1f} MiB  "
            f"peak {row['peak_mib']:7.1f} MiB"
        )
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    result = {"date": time.strftime("%F"), "machine": machine, "registry": registry}
    result |= {"bare window": bare, "app": ours}
    out = folder / "memory.json"
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
