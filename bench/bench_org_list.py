"""Organizations list at 100,000 rows: query speed against a raw-SQL baseline, and how long
the GUI event loop ever stalls while the list opens, filters, sorts and scrolls.

    .venv/bin/python bench/bench_org_list.py [--orgs 100000]

The registry is generated once with the demo generator and kept in bench/results/ (gitignored).
Ratios compare the service call (SQLAlchemy, views) with sqlite3 running the same SQL directly,
both measured in this run.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from incubator import demo  # noqa: E402
from incubator.db import Database  # noqa: E402
from incubator.domain import Stage  # noqa: E402
from incubator.schema import upgrade  # noqa: E402
from incubator.services import registry  # noqa: E402
from incubator.services.registry import OrgQuery  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def timed(fn, repeat: int = 5) -> float:
    """Median seconds of ``repeat`` runs."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def registry_file(n: int, folder: Path = RESULTS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"orgs-{n}.sqlite3"
    if not path.exists():
        db = Database(str(path), actor="bench")
        upgrade(db)
        started = time.perf_counter()
        demo.generate(db, orgs=n, seed=7)
        print(f"generated {n} organizations in {time.perf_counter() - started:.1f} s")
        db.dispose()
    return path


QUERIES = {
    "all, by name": (OrgQuery(), "archived = 0", "name_sort, id"),
    "text 'sqfw'": (
        OrgQuery(text="sqfw"),
        "archived = 0 AND search_key LIKE '%sqfw%'",
        "name_sort, id",
    ),
    "stage incubating": (
        OrgQuery(stage=Stage.INCUBATING),
        "archived = 0 AND stage = 'incubating'",
        "name_sort, id",
    ),
    "by credit code desc": (
        OrgQuery(order_by="credit_code", descending=True),
        "archived = 0",
        "credit_code DESC, id DESC",
    ),
}


def bench_queries(path: Path) -> list[dict]:
    db = Database(str(path))
    raw = sqlite3.connect(path)
    rows = []
    for label, (query, where, order) in QUERIES.items():
        service = timed(lambda q=query: registry.search_ids(db, q))
        baseline = timed(
            lambda w=where, o=order: raw.execute(
                f"SELECT id FROM organizations WHERE {w} ORDER BY {o}"
            ).fetchall()
        )
        rows.append(
            {
                "query": label,
                "service_s": service,
                "raw_sql_s": baseline,
                "ratio": service / baseline,
            }
        )
    ids = registry.search_ids(db, OrgQuery())[:100]
    service = timed(lambda: registry.list_rows(db, ids))  # what the list fetches a block at a time
    marks = ",".join("?" * len(ids))
    columns = ", ".join(registry.ListRow.__slots__)
    baseline = timed(
        lambda: raw.execute(
            f"SELECT {columns} FROM organizations WHERE id IN ({marks})", ids
        ).fetchall()
    )
    rows.append(
        {
            "query": "one block of 100 rows",
            "service_s": service,
            "raw_sql_s": baseline,
            "ratio": service / baseline,
        }
    )
    return rows


def bench_gui(path: Path) -> dict:
    """Largest gap between 5 ms timer ticks while the list works: the longest freeze."""
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication

    from ui import fonts
    from ui.main_window import MainWindow

    QCoreApplication.setOrganizationName("IncubatorRegistryBench")
    app = QApplication.instance() or QApplication([])
    fonts.register(app)
    window = MainWindow(Database(str(path)))
    window.resize(1400, 820)
    window.show()
    clock = QElapsedTimer()
    clock.start()
    gaps: list[int] = []
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer(interval=5)
    timer.timeout.connect(tick)
    timer.start()
    page = window.organizations

    def run_until_idle(ms: int = 400) -> None:
        end = clock.elapsed() + ms
        while clock.elapsed() < end or QThreadPool.globalInstance().activeThreadCount():
            app.processEvents()
            time.sleep(0.001)

    steps = {}
    for label, action in (
        ("open list", page.reload),
        ("type 'sqfw'", lambda: page.search.setText("sqfw")),
        ("clear search", lambda: page.search.setText("")),
        ("filter stage", lambda: page.stage.setCurrentIndex(page.stage.findData(Stage.INCUBATING))),
        (
            "sort by code",
            lambda: page.table.sortByColumn(3, page.table.horizontalHeader().sortIndicatorOrder()),
        ),
        ("scroll to end", page.table.scrollToBottom),
    ):
        gaps.clear()
        last[0] = clock.elapsed()
        action()
        run_until_idle()
        steps[label] = max(gaps or [0])
    timer.stop()
    window.close()
    return {"rows_listed": page.model.rowCount(), "largest_stall_ms": steps}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    args = parser.parse_args()
    path = registry_file(args.orgs)
    result = {"organizations": args.orgs, "queries": bench_queries(path), "gui": bench_gui(path)}
    for row in result["queries"]:
        print(
            f"{row['query']:<24} service {row['service_s'] * 1000:8.1f} ms   raw SQL "
            f"{row['raw_sql_s'] * 1000:8.1f} ms   ratio {row['ratio']:.2f}"
        )
    print("largest GUI stall per step (ms):", json.dumps(result["gui"]["largest_stall_ms"]))
    out = RESULTS / "org_list.json"
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
