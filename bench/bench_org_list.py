"""Organizations list at 100,000 rows: query speed against a raw-SQL baseline, and how long
the GUI event loop ever stalls while the list opens, filters, sorts and scrolls.

    .venv/bin/python bench/bench_org_list.py [--orgs 100000] [--no-postgres]
    .venv/bin/python bench/bench_org_list.py --smoke     # 300 organizations: a check

The registry is generated once with the demo generator and kept in bench/results/ (gitignored).
Ratios compare the service call (SQLAlchemy, views) with sqlite3 running the same SQL directly,
both measured in this run.

The longest stall is the largest gap between the ticks of a 5 ms timer on the GUI thread
(issue 16's target: 16 ms, one frame, while scrolling). Scrolling is done as a person does it,
on SQLite and on a PostgreSQL copy of the organizations (local socket):
- "scroll through" drags the scroll bar from the top to the end in 400 moves, one every 16 ms
  (a frame): each move lands on rows not read yet;
- "page down" presses Page Down 150 times, one every 30 ms, from the top.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
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


def demo_file(path: Path, **generate) -> Path:
    """A demo registry (``demo.generate(db, **generate)``) at ``path``, made once and kept.
    It is made under another name and renamed when whole: an interrupted run leaves no
    half-made registry to be measured next time."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        part.unlink(missing_ok=True)
        db = Database(str(part), actor="bench")
        upgrade(db)
        started = time.perf_counter()
        demo.generate(db, **generate)
        db.dispose()
        part.rename(path)
        print(f"generated {path.name} in {time.perf_counter() - started:.1f} s")
    return path


def registry_file(n: int, folder: Path = RESULTS) -> Path:
    return demo_file(folder / f"orgs-{n}.sqlite3", orgs=n, seed=7)


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


class _Stalls:
    """The largest gap between the ticks of a 5 ms timer on the GUI thread while an action
    and what it sets off run: the longest the window froze."""

    def __init__(self, app) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.app = app
        self.clock = QElapsedTimer()
        self.clock.start()
        self.gaps: list[int] = []
        self.last = self.clock.elapsed()
        self.timer = QTimer(interval=5)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.gaps.append(now - self.last)
        self.last = now

    def pump(self, ms: int) -> None:
        end = self.clock.elapsed() + ms
        while self.clock.elapsed() < end:
            self.app.processEvents()
            time.sleep(0.001)

    def measure(self, action) -> int:
        from PySide6.QtCore import QThreadPool

        self.gaps.clear()
        self.last = self.clock.elapsed()
        action()
        self.pump(400)
        while QThreadPool.globalInstance().activeThreadCount():  # until the workers are done
            self.pump(1)
        return max(self.gaps or [0])

    def scroll_through(self, table, moves: int) -> None:
        """Drag the scroll bar from the top to the end, one move a frame (16 ms)."""
        bar = table.verticalScrollBar()
        for k in range(moves + 1):
            bar.setValue(bar.maximum() * k // moves)
            self.pump(16)

    def page_down(self, table, pages: int) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        table.scrollToTop()
        table.setFocus()
        for _ in range(pages):
            QTest.keyClick(table, Qt.Key.Key_PageDown)
            self.pump(30)


def _app():
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from ui import fonts
    from ui.gc_guard import GarbageCollector

    QCoreApplication.setOrganizationName("IncubatorRegistryBench")
    app = QApplication.instance() or QApplication([])
    fonts.register(app)
    if not hasattr(app, "garbage_collector"):  # as the app does (ui.app)
        app.garbage_collector = GarbageCollector(app)
    return app


def bench_gui(db: Database, moves: int = 400, pages: int = 150) -> dict:
    """The longest freeze of each step, in the app's window."""
    from PySide6.QtCore import Qt

    from ui.gc_guard import GarbageCollector
    from ui.main_window import MainWindow

    app = _app()
    window = MainWindow(db)
    window.resize(1400, 820)
    window.show()
    GarbageCollector.freeze_startup()
    stalls = _Stalls(app)
    page = window.organizations
    table = page.table
    steps = {}
    for label, action in (
        ("open list", page.reload),
        ("type 'sqfw'", lambda: page.search.setText("sqfw")),
        ("clear search", lambda: page.search.setText("")),
        ("filter stage", lambda: page.stage.setCurrentIndex(page.stage.findData(Stage.INCUBATING))),
        ("sort by code", lambda: table.sortByColumn(3, Qt.SortOrder.AscendingOrder)),
        ("scroll to end", table.scrollToBottom),
        ("clear filters", lambda: page.stage.setCurrentIndex(0)),
        ("sort by name", lambda: table.sortByColumn(1, Qt.SortOrder.AscendingOrder)),
        ("scroll through", lambda: stalls.scroll_through(table, moves)),
        ("page down", lambda: stalls.page_down(table, pages)),
    ):
        steps[label] = stalls.measure(action)
    shape = {
        "size": (table.width(), table.height()),
        "widths": [table.columnWidth(c) for c in range(page.model.columnCount())],
    }
    rows = page.model.rowCount()
    stalls.timer.stop()
    window.close()
    window.deleteLater()
    stalls.pump(50)
    return {"rows_listed": rows, "largest_stall_ms": steps, "table": shape}


def bench_bare_gui(path: Path, shape: dict, moves: int, pages: int) -> dict:
    """The baseline: a bare QTableView of the same size and columns over a QStandardItemModel
    holding every row already (read with sqlite3 before it is shown: no database while
    scrolling, no Python per cell), scrolled the same ways. What painting costs here."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel

    from ui.gc_guard import GarbageCollector
    from ui.widgets.list_model import list_view

    app = _app()
    columns = ", ".join(registry.ListRow.__slots__)
    with sqlite3.connect(path) as raw:
        rows = raw.execute(
            f"SELECT {columns} FROM organizations WHERE archived = 0 ORDER BY name_sort, id"
        ).fetchall()
    model = QStandardItemModel(len(rows), len(registry.ListRow.__slots__))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            model.setItem(r, c, QStandardItem("" if value is None else str(value)))
    table = list_view("bareTable", model)
    table.resize(*shape["size"])
    for c, width in enumerate(shape["widths"]):
        table.setColumnWidth(c, width)
    table.show()
    GarbageCollector.freeze_startup()
    stalls = _Stalls(app)
    steps = {
        "scroll through": stalls.measure(lambda: stalls.scroll_through(table, moves)),
        "page down": stalls.measure(lambda: stalls.page_down(table, pages)),
    }
    stalls.timer.stop()
    table.close()
    table.deleteLater()
    stalls.pump(50)
    return {"rows_listed": len(rows), "largest_stall_ms": steps}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="300 organizations, short scrolls")
    args = parser.parse_args(argv)
    if args.smoke:
        with tempfile.TemporaryDirectory(prefix="bench-org-list-") as folder:
            return run(300, not args.no_postgres, Path(folder), moves=20, pages=5)
    return run(args.orgs, not args.no_postgres, RESULTS)


def run(orgs: int, postgres: bool, folder: Path, moves: int = 400, pages: int = 150) -> int:
    path = registry_file(orgs, folder)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    result: dict = {"organizations": orgs, "machine": machine, "date": time.strftime("%F")}
    result["queries"] = bench_queries(path)
    db = Database(str(path))
    result["gui, sqlite"] = bench_gui(db, moves, pages)
    db.dispose()
    shape = result["gui, sqlite"]["table"]
    result["gui, bare QTableView"] = bench_bare_gui(path, shape, moves, pages)
    if postgres:
        from bench.bench_search import postgres_copy, postgres_server

        with postgres_server() as server:
            pg, _plain = postgres_copy(path, server, "bench_org_list")
            result["gui, postgresql"] = bench_gui(pg, moves, pages)
            pg.dispose()
    for row in result["queries"]:
        print(
            f"{row['query']:<24} service {row['service_s'] * 1000:8.1f} ms   raw SQL "
            f"{row['raw_sql_s'] * 1000:8.1f} ms   ratio {row['ratio']:.2f}"
        )
    for backend in ("sqlite", "postgresql", "bare QTableView"):
        if f"gui, {backend}" in result:
            gui = result[f"gui, {backend}"]
            print(
                f"largest GUI stall per step, {backend} (ms):", json.dumps(gui["largest_stall_ms"])
            )
    out = folder / "org_list.json"
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
