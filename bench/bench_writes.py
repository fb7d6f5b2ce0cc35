"""Bulk writes (issue 16, point 5): the demo generator and the import of a bureau's list, each
beside a raw executemany of the very rows it wrote, measured in the same run.

    .venv/bin/python bench/bench_writes.py [--orgs 10000] [--rows 100000] [--repeat 3]
    .venv/bin/python bench/bench_writes.py --smoke     # 100 organizations, 200 rows: a check

- Demo: ``demo.generate`` of --orgs organizations into a fresh registry, timed whole (one
  transaction, audit included).
- Import: the .xlsx of --rows organizations made by ``bench_import_export``, read, checked and
  written (``importing.organizations``: plan, then commit), timed whole.
- Ours and the baseline run in turns, --repeat times each; the figures are medians (the
  machine's speed drifts: one raw demo copy took 3.2 s, another 5.2 s).
- Beside them, the same run with nothing written (``BulkWriter.flush`` replaced here by one
  that drops the rows): what reading, checking and building the rows cost on their own.
- The baseline of each: every row it wrote, read back from its registry beforehand (not
  timed), inserted with sqlite3's executemany, table by table in one transaction, into a fresh
  registry of the same schema (its indexes and the search index's triggers included). The
  audit trail is not in the baseline: issue 16 asks for at most 2x with the audit.
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_import_export import make_file  # noqa: E402
from bench.bench_org_list import RESULTS  # noqa: E402

NOT_COPIED = {"audit_log", "alembic_version"}


def fresh(path: Path) -> Path:
    from incubator.db import Database
    from incubator.schema import upgrade

    db = Database(str(path), actor="bench")
    upgrade(db, make_backup=False)
    db.dispose()
    return path


def raw_copy_seconds(source: Path, target: Path) -> tuple[float, int]:
    """Seconds to insert every row of ``source`` (but its audit) into ``target`` with plain
    executemany, parents first; and how many rows that was."""
    from incubator.models import Base

    order = [t.name for t in Base.metadata.sorted_tables if t.name not in NOT_COPIED]
    with sqlite3.connect(source) as src:
        tables = []
        for name in order:
            columns = [c[1] for c in src.execute(f"PRAGMA table_info({name})")]
            rows = src.execute(f"SELECT {', '.join(columns)} FROM {name}").fetchall()
            if rows:
                tables.append((name, columns, rows))
    empty = {name: n for name, n in _counts(target, order).items() if n}
    sql = {
        name: f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        for name, cols, _rows in tables
    }
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA foreign_keys=ON")
    started = time.perf_counter()
    with conn:
        for name, _columns, rows in tables:
            if name in empty:  # rows a fresh registry already has (none today): keep them
                continue
            conn.executemany(sql[name], rows)
    took = time.perf_counter() - started
    conn.close()
    return took, sum(len(rows) for _name, _cols, rows in tables)


def _counts(path: Path, tables: list[str]) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def bench_demo(orgs: int, work: Path, repeat: int) -> dict:
    from incubator import demo
    from incubator.db import Database

    def ours(path: Path) -> None:
        db = Database(str(path), actor="bench")
        demo.generate(db, orgs=orgs, seed=11)
        db.dispose()

    return _in_turns(f"demo --orgs {orgs}", ours, work / "demo", repeat)


def bench_import(rows: int, work: Path, folder: Path, repeat: int) -> dict:
    from incubator.db import Database
    from incubator.importing import organizations as importer
    from incubator.importing import sheets

    sheet_file = make_file(rows, folder)

    def ours(path: Path) -> None:
        db = Database(str(path), actor="bench")
        importer.commit(db, importer.plan(db, sheets.read(sheet_file)))
        db.dispose()

    return _in_turns(f"import of {rows} rows", ours, work / "import", repeat)


def _in_turns(case: str, ours: Callable[[Path], None], work: Path, repeat: int) -> dict:
    """``ours`` into a fresh registry, the same with nothing written, then the raw copy of
    what the first wrote; ``repeat`` times in turns."""
    work.mkdir()
    times, unwritten, raws = [], [], []
    for turn in range(repeat):
        path = fresh(work / f"ours-{turn}.sqlite3")
        times.append(_seconds(ours, path))
        with _nothing_written():
            unwritten.append(_seconds(ours, fresh(work / f"unwritten-{turn}.sqlite3")))
        raw, rows = raw_copy_seconds(path, fresh(work / f"raw-{turn}.sqlite3"))
        raws.append(raw)
    ours_s, raw_s = statistics.median(times), statistics.median(raws)
    with sqlite3.connect(path) as conn:
        audit = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    return {
        "case": case,
        "ours_s": round(ours_s, 2),
        "nothing_written_s": round(statistics.median(unwritten), 2),
        "raw_executemany_s": round(raw_s, 2),
        "ratio": round(ours_s / raw_s, 1),
        "rows": rows,
        "audit_rows": audit,
    }


def _seconds(run: Callable[[Path], None], path: Path) -> float:
    from incubator import textkeys, validation

    # Each run starts with what an earlier one read forgotten, as in a new process (the
    # pinyin of each word, the credit codes checked); loaded modules stay.
    textkeys._word.cache_clear()
    validation._checked_code.cache_clear()
    started = time.perf_counter()
    run(path)
    return time.perf_counter() - started


@contextmanager
def _nothing_written() -> Iterator[None]:
    from incubator.bulk import BulkWriter

    def drop(writer: BulkWriter) -> None:
        writer._rows.clear()
        writer._queued = 0
        writer._orgs = set()

    real = BulkWriter.flush
    BulkWriter.flush = drop  # type: ignore[method-assign]
    try:
        yield
    finally:
        BulkWriter.flush = real  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, in turns")
    parser.add_argument("--smoke", action="store_true", help="100 organizations, 200 rows")
    args = parser.parse_args(argv)
    os.environ.setdefault("INCUBATOR_HOME", tempfile.mkdtemp(prefix="bench-home-"))
    if args.smoke:
        with tempfile.TemporaryDirectory(prefix="bench-writes-") as folder:
            return run(100, 200, 1, Path(folder))
    return run(args.orgs, args.rows, args.repeat, RESULTS)


def run(orgs: int, rows: int, repeat: int, folder: Path) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-writes-", dir=folder) as work:
        cases = [
            bench_demo(orgs, Path(work), repeat),
            bench_import(rows, Path(work), folder, repeat),
        ]
    for c in cases:
        print(
            f"{c['case']:24} ours {c['ours_s']:8.2f} s   nothing written "
            f"{c['nothing_written_s']:7.2f} s   raw executemany {c['raw_executemany_s']:7.2f} s"
            f"   ratio {c['ratio']:5.1f}   ({c['rows']:,} rows, {c['audit_rows']:,} audit rows)"
        )
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    out = folder / "writes.json"
    summary = {"date": time.strftime("%F"), "machine": machine, "repeat": repeat, "cases": cases}
    out.write_text(json.dumps(summary))
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
