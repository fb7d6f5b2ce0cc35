"""Search as you type at 100,000 organizations, on SQLite and on PostgreSQL: per keystroke, the
time from the query to its first block of rows, beside a plain scan of the same query measured
in the same run; then the same typing in the desktop window, from keystroke to rows shown.

    .venv/bin/python bench/bench_search.py [--orgs 100000] [--typists 20] [--no-postgres]
    .venv/bin/python bench/bench_search.py --smoke     # a few hundred organizations: a check

What is typed (``typing``), drawn with a fixed seed from the registry's own names, each text
typed one keystroke at a time and each keystroke measured (a picked place in a picked name,
so common characters come up as often as in names):
- one Chinese character; two Chinese characters (an input method commits them at once);
- pinyin initials of a name and full pinyin of one of its words, letter by letter;
- a word of a name in Uyghur script, letter by letter; a credit-code prefix, digit by digit.

Ours: ``registry.list_page(db, OrgQuery(text=typed), limit=100)``, what the list's worker runs
for the first screenful (rows ready to show). Baseline: the same 100 rows by the plain way
without a text index, the driver (sqlite3 / psycopg) running
``SELECT <the list's columns> FROM organizations WHERE NOT archived AND search_key LIKE ?
ORDER BY name_sort, id LIMIT 100``: it reads rows in name order until a hundred match, which
is the fastest plain way for common text and the only one for rare text. Both run in turns,
keystroke by keystroke, on a warmed cache.

PostgreSQL runs in a throwaway server (tests/pgserver.py); its organizations are copied from
the SQLite registry with COPY, then analyzed. The window part types into the organizations
page with real key events, four keys a second, and times each keystroke to the first rows of
its search in the list (this includes the typing pause, ``ui.forms.SEARCH_PAUSE_MS``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_org_list import RESULTS, registry_file  # noqa: E402
from incubator.db import Database  # noqa: E402
from incubator.services import registry  # noqa: E402
from incubator.services.registry import ListRow, OrgQuery  # noqa: E402
from incubator.textkeys import fold_for_search, initials, sort_key  # noqa: E402

BLOCK = 100
COLUMNS = ", ".join(ListRow.__slots__)
PLAIN = (
    f"SELECT {COLUMNS} FROM organizations WHERE NOT archived AND search_key LIKE {{mark}} "
    "ESCAPE '\\' ORDER BY name_sort, id LIMIT 100"
)
KINDS = (
    "one Chinese character",
    "two Chinese characters",
    "pinyin initials",
    "full pinyin",
    "Uyghur word",
    "credit-code prefix",
)


def _han(text: str) -> str:
    return "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")


def typing(path: Path, typists: int, seed: int = 16) -> dict[str, list[list[str]]]:
    """For each kind, ``typists`` texts, each as the list of what the field holds after each
    keystroke."""
    rng = random.Random(seed)
    with sqlite3.connect(path) as raw:
        names = [n for (n,) in raw.execute("SELECT name FROM organizations ORDER BY id")]
        codes = [c for (c,) in raw.execute("SELECT credit_code FROM organizations") if c]
    han = [n for n in names if len(_han(n)) >= 2]
    uyghur = [n for n in names if any("\u0600" <= ch <= "\u06ff" for ch in n)]
    out: dict[str, list[list[str]]] = {kind: [] for kind in KINDS}
    for _ in range(typists):
        name = _han(rng.choice(han))
        at = rng.randrange(len(name) - 1)
        out["one Chinese character"].append([name[at]])
        out["two Chinese characters"].append([name[at : at + 2]])
        letters = initials(rng.choice(han))[: rng.randint(2, 6)]
        out["pinyin initials"].append([letters[:i] for i in range(1, len(letters) + 1)])
        words = sort_key(_han(rng.choice(han))).split()
        at = rng.randrange(max(1, len(words) - 1))
        word = "".join(words[at : at + 2])
        out["full pinyin"].append([word[:i] for i in range(1, len(word) + 1)])
        if uyghur:
            word = rng.choice(rng.choice(uyghur).split())
            out["Uyghur word"].append([word[:i] for i in range(1, len(word) + 1)])
        code = rng.choice(codes)[: rng.randint(4, 10)]
        out["credit-code prefix"].append([code[:i] for i in range(1, len(code) + 1)])
    return out


def _pattern(typed: str) -> str:
    folded = fold_for_search(typed)
    return "%" + folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def measure(db: Database, plain, queries: dict[str, list[list[str]]]) -> dict:
    """Per kind: every keystroke's time, ours and the plain scan's, in turns."""
    warm = [text for texts in queries.values() for text in texts[0]]
    for typed in warm:
        registry.list_page(db, OrgQuery(text=typed), limit=BLOCK), plain(_pattern(typed))
    result = {}
    every_ours, every_base = [], []
    for kind, texts in queries.items():
        ours, base = [], []
        for keystrokes in texts:
            for typed in keystrokes:
                started = time.perf_counter()
                rows = registry.list_page(db, OrgQuery(text=typed), limit=BLOCK)
                ours.append(time.perf_counter() - started)
                started = time.perf_counter()
                plain_rows = plain(_pattern(typed))
                base.append(time.perf_counter() - started)
                if [r.id for r in rows] != [r[0] for r in plain_rows]:
                    raise SystemExit(f"{kind} {typed!r}: not the rows of a plain scan")
        result[kind] = _figures(ours, base)
        every_ours += ours
        every_base += base
    result["every keystroke"] = _figures(every_ours, every_base)
    return result


def _figures(ours: list[float], base: list[float]) -> dict:
    def p95(runs: list[float]) -> float:
        return sorted(runs)[max(0, round(0.95 * len(runs)) - 1)]

    return {
        "keystrokes": len(ours),
        "median_ms": round(statistics.median(ours) * 1000, 1),
        "p95_ms": round(p95(ours) * 1000, 1),
        "plain_median_ms": round(statistics.median(base) * 1000, 1),
        "plain_p95_ms": round(p95(base) * 1000, 1),
    }


def sqlite_plain(path: Path):
    raw = sqlite3.connect(path)
    sql = PLAIN.format(mark="?")
    return lambda pattern: raw.execute(sql, (pattern,)).fetchall()


@contextmanager
def postgres_server() -> Iterator:
    """A throwaway PostgreSQL server (the test suite's), stopped afterwards."""
    from tests.pgserver import PgServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL binaries not found (use --no-postgres)")
    server = PgServer(bindir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def postgres_copy(path: Path, server, name: str = "bench_search") -> tuple[Database, object]:
    """A PostgreSQL registry holding the SQLite registry's organizations (COPY), analyzed."""
    import psycopg
    from sqlalchemy import create_engine, text

    from incubator.schema import upgrade

    engine = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    db = Database(server.url(name), actor="bench")
    upgrade(db)
    dsn = f"host={server.root} user={server.user} dbname={name}"
    with sqlite3.connect(path) as raw, psycopg.connect(dsn, autocommit=True) as pg:
        columns = [c[1] for c in raw.execute("PRAGMA table_info(organizations)")]
        types = {
            name: kind
            for name, kind in pg.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = 'organizations'"
            )
        }
        flags = [i for i, c in enumerate(columns) if types[c] == "boolean"]
        names = ", ".join(columns)
        with pg.cursor().copy(f"COPY organizations ({names}) FROM STDIN") as copy:
            for row in raw.execute(f"SELECT {names} FROM organizations"):
                row = list(row)
                for i in flags:
                    row[i] = None if row[i] is None else bool(row[i])
                copy.write_row(row)
        pg.execute("SELECT setval('organizations_id_seq', (SELECT max(id) FROM organizations))")
        pg.execute("VACUUM ANALYZE organizations")
    plain_conn = psycopg.connect(dsn, autocommit=True)
    sql = PLAIN.format(mark="%s")
    return db, lambda pattern: plain_conn.execute(sql, (pattern,)).fetchall()


KEY_INTERVAL = 0.25  # seconds between keystrokes: a steady typist, about four keys a second


def window_typing(db: Database, queries: dict[str, list[list[str]]]) -> dict:
    """Keystroke to the first rows in the organizations page, typed with real key events at a
    steady pace (``KEY_INTERVAL``), each keystroke's search racing the previous one's reading
    of every id, as when a person types."""
    from PySide6.QtCore import QCoreApplication, QThreadPool
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui import fonts
    from ui.main_window import MainWindow

    QCoreApplication.setOrganizationName("IncubatorRegistryBench")
    app = QApplication.instance() or QApplication([])
    fonts.register(app)
    window = MainWindow(db)
    window.resize(1280, 800)
    window.show()
    page = window.organizations

    def key(field, text: str) -> None:
        """A key for what a keyboard has; other text as an input method commits it."""
        if text.isascii():
            QTest.keyClicks(field, text)
        else:
            event = QInputMethodEvent()
            event.setCommitString(text)
            QApplication.sendEvent(field, event)

    shown: list[tuple[float, str]] = []  # (when, the text whose rows were shown)
    page.model.modelReset.connect(
        lambda: shown.append((time.perf_counter(), page.model.query.text))
    )

    def pump(until: float) -> None:
        while time.perf_counter() < until:
            app.processEvents()
            time.sleep(0.0005)

    def settle() -> None:
        """Until nothing has run for a while (a worker's result may still be queued)."""
        quiet = 0
        while quiet < 20:
            pump(time.perf_counter() + 0.002)
            busy = QThreadPool.globalInstance().activeThreadCount() or page._timer.isActive()
            quiet = 0 if busy else quiet + 1

    settle()
    result = {}
    for kind, texts in queries.items():
        waits, never = [], 0
        for keystrokes in texts[:5]:
            page.search.clear()
            settle()
            typed_at = []
            for before, typed in zip(["", *keystrokes], keystrokes, strict=False):
                key(page.search, typed[len(before) :])
                typed_at.append((time.perf_counter(), typed))
                pump(time.perf_counter() + KEY_INTERVAL)
            settle()
            for i, (at, typed) in enumerate(typed_at):
                until = typed_at[i + 1][0] if i + 1 < len(typed_at) else float("inf")
                when = [t for t, text in shown if text == typed and at <= t < until]
                if when:
                    waits.append(when[0] - at)
                else:
                    never += 1
            shown.clear()
        result[kind] = {
            "keystrokes": len(waits) + never,
            "median_ms": round(statistics.median(waits) * 1000, 1) if waits else None,
            "max_ms": round(max(waits) * 1000, 1) if waits else None,
            "not_shown_before_next_key": never,
        }
    window.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--typists", type=int, default=20, help="texts typed of each kind")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="200 organizations, 2 texts each")
    args = parser.parse_args(argv)
    if args.smoke:
        args.orgs, args.typists = 200, 2
        with tempfile.TemporaryDirectory(prefix="bench-search-") as folder:
            return run(args, Path(folder))
    return run(args, RESULTS)


def run(args: argparse.Namespace, folder: Path) -> int:
    path = registry_file(args.orgs, folder)
    queries = typing(path, args.typists)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    out: dict = {"organizations": args.orgs, "machine": machine, "date": time.strftime("%F")}
    db = Database(str(path), actor="bench")
    out["sqlite"] = measure(db, sqlite_plain(path), queries)
    out["window, sqlite"] = window_typing(db, queries)
    db.dispose()
    if not args.no_postgres:
        with postgres_server() as server:
            pg, plain = postgres_copy(path, server)
            out["postgresql"] = measure(pg, plain, queries)
            pg.dispose()
    for backend in ("sqlite", "postgresql"):
        for kind, f in out.get(backend, {}).items():
            print(
                f"{backend:10} {kind:24} median {f['median_ms']:6.1f} ms  p95 "
                f"{f['p95_ms']:6.1f} ms   plain scan median {f['plain_median_ms']:6.1f} "
                f"ms  p95 {f['plain_p95_ms']:6.1f} ms  ({f['keystrokes']} keystrokes)"
            )
    for kind, f in out["window, sqlite"].items():
        print(
            f"window     {kind:24} keystroke to rows: median {f['median_ms']} ms  max "
            f"{f['max_ms']} ms  ({f['keystrokes']} keystrokes, "
            f"{f['not_shown_before_next_key']} not shown before the next)"
        )
    target = folder / "search.json"
    target.write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"written {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
