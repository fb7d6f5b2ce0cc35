"""Concurrent-edit trials on PostgreSQL: two desks (processes, ``concurrent_worker.py``) edit
the same few rows (organizations, contacts, funds, instalments) at the same moment, each save
passing the version its form was read with. Then the registry is checked with plain SQL,
independently of the services:

- per row, the saved edits' base versions are all different and are exactly the chain
  v0, v0+1, ..., final-1 (two saves from the same base version: a lost update);
- replaying the saved edits in version order gives the row's final values;
- each saved edit has its audit row, by its desk, whose old value is the value the previous
  save left (an edit in between that was overwritten would show here), and no audit row is
  left that no saved edit explains (a refused save leaves no trace);
- every instalment a desk added is there with its audit row, no refused one is, and each
  fund's schedule still fits its committed amount;
- no attempt failed other than as a conflict.

Short mode runs in the normal suite (``test_concurrent_edits.py``); the long mode prints the
figures for ``docs/reliability.md``::

    .venv/bin/python -m tests.reliability.concurrent_edits --edits 1000 [--pg-url URL]

Without ``--pg-url`` it starts a throwaway server (``tests.pgserver``) and stops it after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL

from incubator import roles
from incubator.db import Database
from incubator.schema import upgrade
from incubator.services import contacts, funds, registry
from tests.reliability.concurrent_worker import FIELDS

ROOT = Path(__file__).resolve().parents[2]
DESKS = ("A", "B")  # distinct last letters: the workers' amounts differ in the fen
Row = dict[str, Any]
Attempt = dict[str, Any]


@dataclass(frozen=True)
class Shape:
    """The shared rows: few, so that both desks hit the same ones constantly."""

    orgs: int = 6
    contacts: int = 3
    funds: int = 2  # each with one instalment


@dataclass
class Report:
    attempts: list[Attempt]
    rows: list[Row]
    # The rows as they were before the race, and the audit trail's last id then: what the
    # checks compare with (kept so a test can check a doctored log against the same data).
    before: dict[tuple[str, int], dict[str, Any]]
    audit_from: int
    duration: float = 0.0
    lost_updates: int = 0
    missing_audit: int = 0
    problems: list[str] = field(default_factory=list)

    def count(self, **match: Any) -> int:
        return sum(all(a.get(k) == v for k, v in match.items()) for a in self.attempts)

    @property
    def errors(self) -> int:
        return self.count(outcome="error")

    @property
    def conflicts(self) -> int:
        return self.count(outcome="conflict")


# --- setting up -------------------------------------------------------------------------------


def set_up(url: str, shape: Shape) -> list[Row]:
    """Create the shared rows through the services; returns what the workers edit."""
    db = Database(url, actor="setup")
    rows: list[Row] = []
    org_ids = []
    for i in range(shape.orgs):
        org = registry.register(
            db, {"name": f"并发试验组织{i + 1}", "legal_form": "community_unregistered"}
        )
        org_ids.append(org.id)
        rows.append({"table": "organizations", "id": org.id, "parent": org.id})
    for i in range(shape.contacts):
        owner = org_ids[i % len(org_ids)]
        person = contacts.add(db, owner, {"name": f"联系人{i + 1}", "role": "干事"})
        rows.append({"table": "organization_contacts", "id": person.id, "parent": owner})
    for i in range(shape.funds):
        owner = org_ids[i % len(org_ids)]
        fund = funds.add_fund(db, owner, fund_data(i))
        rows.append({"table": "funds", "id": fund.id, "parent": owner})
        for payment in fund.payments:
            rows.append(
                {"table": "fund_payments", "id": payment.id, "parent": owner, "fund": fund.id}
            )
    db.dispose()
    return rows


def fund_data(i: int) -> dict[str, Any]:
    return {
        "title": f"并发试验资金{i + 1}",
        "source": "foundation",
        "kind": "grant",
        "amount_committed": "80000",
        "committed_on": dt.date(2024, 1, 1),
        "status": "active",
        "payments": [{"due_on": dt.date(2024, 6, 1), "amount": "1000"}],
    }


# --- reading the registry with plain SQL --------------------------------------------------------


def _plain(value: Any) -> str | None:
    """Values as the log and the audit trail write them (Decimal and text as strings)."""
    return None if value is None else str(value)


def snapshot(engine: Engine, rows: list[Row]) -> dict[tuple[str, int], dict[str, Any]]:
    """Each shared row's version and edited fields, straight from the tables."""
    out = {}
    with engine.connect() as conn:
        for row in rows:
            table, columns = row["table"], FIELDS[row["table"]]
            sql = text(f"SELECT version, {', '.join(columns)} FROM {table} WHERE id = :id")
            got = conn.execute(sql, {"id": row["id"]}).mappings().one()
            out[(table, row["id"])] = {k: _plain(v) for k, v in got.items()} | {
                "version": got["version"]
            }
    return out


def last_audit_id(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM audit_log")).scalar_one()


def audit_rows(engine: Engine, after: int, table: str, ident: int, action: str) -> list[dict]:
    sql = text(
        "SELECT id, actor, changes FROM audit_log WHERE id > :after AND entity = :table"
        " AND entity_id = :id AND action = :action ORDER BY id"
    )
    params = {"after": after, "table": table, "id": ident, "action": action}
    with engine.connect() as conn:
        return [
            {"id": r.id, "actor": r.actor, "changes": json.loads(r.changes)}
            for r in conn.execute(sql, params)
        ]


# --- checking -------------------------------------------------------------------------------


def _who(a: Attempt) -> str:
    return f"desk {a['desk']} #{a['attempt']}"


def check_row(
    engine: Engine,
    row: Row,
    before: dict[str, Any],
    after: dict[str, Any],
    audit_from: int,
    attempts: list[Attempt],
    report: Report,
) -> None:
    """Lost updates, version chain, final values and audit rows of one shared row."""
    name = f"{row['table']} {row['id']}"
    saved = sorted(
        (a for a in attempts if a["outcome"] == "saved"), key=lambda a: a["base_version"]
    )
    by_base = Counter(a["base_version"] for a in saved)
    for base, n in sorted(by_base.items()):
        if n > 1:
            report.lost_updates += n - 1
            who = ", ".join(_who(a) for a in saved if a["base_version"] == base)
            report.problems.append(f"{name}: {n} saves from version {base} ({who})")
    chain = list(range(before["version"], after["version"]))
    if sorted(by_base) != chain:
        report.problems.append(
            f"{name}: saves from versions {sorted(by_base)}, but the row went from version "
            f"{before['version']} to {after['version']}"
        )
    for a in saved:
        if a.get("new_version") != a["base_version"] + 1:
            report.problems.append(
                f"{name}: {_who(a)} saved on {a['base_version']} as {a.get('new_version')}"
            )
    _replay(engine, name, row, before, after, audit_from, saved, report)


def _replay(
    engine: Engine,
    name: str,
    row: Row,
    before: dict[str, Any],
    after: dict[str, Any],
    audit_from: int,
    saved: list[Attempt],
    report: Report,
) -> None:
    """Apply the saved edits in version order to the starting values, each matched with its
    audit row: the result must be the row as it is now, and every audit row accounted for."""
    state = {k: before[k] for k in FIELDS[row["table"]]}
    audit = audit_rows(engine, audit_from, row["table"], row["id"], "update")
    for a in saved:
        (column, value), *_ = a["values"].items()
        found = next(
            (
                e
                for e in audit
                if e["actor"] == login(a["desk"], engine.url)
                and e["changes"].get(column, [0, 0])[1] == value
            ),
            None,
        )
        if found is None:
            report.missing_audit += 1
            report.problems.append(f"{name}: no audit row for {_who(a)} ({column} = {value})")
        else:
            audit.remove(found)
            old = found["changes"][column][0]
            if old != state[column]:
                report.problems.append(
                    f"{name}: {_who(a)} replaced {column} {old!r}, but the last save had left "
                    f"{state[column]!r}"
                )
        state[column] = value
    for e in audit:
        report.problems.append(f"{name}: audit row {e['id']} explained by no saved edit")
    for column, value in state.items():
        if after[column] != value:
            report.problems.append(
                f"{name}: {column} is {after[column]!r}, the last saved edit wrote {value!r}"
            )


def check_payments(
    engine: Engine, rows: list[Row], audit_from: int, attempts: list[Attempt], report: Report
) -> None:
    """Added instalments: all there with their audit rows, no refused one; schedules fit."""
    initial = {r["id"] for r in rows if r["table"] == "fund_payments"}
    added = {a["new_id"]: a for a in attempts if a["op"] == "add" and a["outcome"] == "saved"}
    fund_ids = [r["id"] for r in rows if r["table"] == "funds"]
    with engine.connect() as conn:
        present = {
            p.id: p
            for p in conn.execute(
                text("SELECT id, amount, notes FROM fund_payments WHERE fund_id = ANY(:ids)"),
                {"ids": fund_ids},
            )
        }
        over = conn.execute(
            text(
                "SELECT f.id, f.amount_committed, SUM(p.amount) AS planned FROM funds f"
                " JOIN fund_payments p ON p.fund_id = f.id AND p.status <> 'cancelled'"
                " WHERE f.id = ANY(:ids) GROUP BY f.id HAVING SUM(p.amount) > f.amount_committed"
            ),
            {"ids": fund_ids},
        ).all()
    for ident, a in added.items():
        p = present.get(ident)
        if p is None or {"amount": _plain(p.amount), "notes": p.notes} != a["values"]:
            report.problems.append(f"instalment {ident} added by {_who(a)} is not as saved")
        if len(audit_rows(engine, audit_from, "fund_payments", ident, "create")) != 1:
            report.missing_audit += 1
            report.problems.append(f"instalment {ident} added by {_who(a)}: no audit row")
    for ident in sorted(set(present) - initial - set(added)):
        report.problems.append(f"instalment {ident} is there, but no desk reported adding it")
    for f in over:
        report.problems.append(
            f"fund {f.id}: schedule {f.planned} exceeds the committed {f.amount_committed}"
        )


def check(
    engine: Engine,
    rows: list[Row],
    before: dict[tuple[str, int], dict[str, Any]],
    audit_from: int,
    attempts: list[Attempt],
) -> Report:
    """Everything the module docstring promises, from the log and plain SQL."""
    report = Report(attempts, rows, before, audit_from)
    after = snapshot(engine, rows)
    by_row: dict[tuple[str, int], list[Attempt]] = defaultdict(list)
    for a in attempts:
        if a["op"] == "update":
            by_row[(a["table"], a["row_id"])].append(a)
    for row in rows:
        key = (row["table"], row["id"])
        check_row(engine, row, before[key], after[key], audit_from, by_row[key], report)
    check_payments(engine, rows, audit_from, attempts, report)
    for a in attempts:
        if a["outcome"] == "error":
            report.problems.append(f"{_who(a)}: {a['error_type']}: {a['error']}")
    return report


# --- running --------------------------------------------------------------------------------


def _start(
    url: str, seed: int, n: int, desk: str, work: Path, extra: list[str]
) -> subprocess.Popen:
    cmd = [
        sys.executable,
        "-m",
        "tests.reliability.concurrent_worker",
        url,
        str(seed),
        str(n),
        str(work / f"desk-{desk}.jsonl"),
        desk,
        "--rows",
        str(work / "rows.json"),
        "--go",
        str(work / "go"),
        *extra,
    ]
    env = {**os.environ, "INCUBATOR_HOME": str(work / "home"), "INCUBATOR_LANG": "en"}
    stderr = (work / f"desk-{desk}.err").open("w")
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True
    )


def login(desk: str, url: URL) -> str:
    """The database login of ``desk``: PostgreSQL writes it into the audit, whatever the
    program claims."""
    return f"{url.database}-desk-{desk}"


def desk_logins(url: str) -> dict[str, str]:
    """Each desk's URL, logged in as a staff user of its own (the registry's roles made
    first, where they are not yet)."""
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            made = roles.has_roles(conn, db.url.database or "")
        if not made:
            roles.init(db)
        urls = {}
        for desk in DESKS:
            name = login(desk, db.url)
            if name not in {user.name for user in roles.users(db)}:
                roles.add_user(db, name, "staff", None)
            urls[desk] = db.url.set(username=name).render_as_string(hide_password=False)
        return urls
    finally:
        db.dispose()


def race(url: str, rows: list[Row], edits: int, seed: int, work: Path, extra: list[str]) -> float:
    """Both desks connect, each as its own staff user, say ready, then start on one signal;
    returns the seconds taken."""
    (work / "rows.json").write_text(json.dumps(rows))
    urls = desk_logins(url)
    procs = [_start(urls[desk], seed, edits // len(DESKS), desk, work, extra) for desk in DESKS]
    try:
        for proc, desk in zip(procs, DESKS, strict=True):
            if proc.stdout is None or proc.stdout.readline().strip() != "ready":
                raise RuntimeError(f"desk {desk} did not start: {_stderr(work, desk)}")
        started = time.monotonic()
        (work / "go").touch()
        for proc, desk in zip(procs, DESKS, strict=True):
            if proc.wait(timeout=600) != 0:
                raise RuntimeError(f"desk {desk} failed: {_stderr(work, desk)}")
        return time.monotonic() - started
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _stderr(work: Path, desk: str) -> str:
    return (work / f"desk-{desk}.err").read_text()[-2000:]


def read_log(work: Path) -> list[Attempt]:
    attempts = []
    for desk in DESKS:
        path = work / f"desk-{desk}.jsonl"
        attempts += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return attempts


def run(
    url: str,
    edits: int,
    seed: int = 1,
    shape: Shape = Shape(),
    max_wait_ms: float = 20.0,
    unsafe: bool = False,
) -> Report:
    """Set up the shared rows on the (migrated) database at ``url``, race, check."""
    rows = set_up(url, shape)
    engine = create_engine(url)
    try:
        before = snapshot(engine, rows)
        audit_from = last_audit_id(engine)
        extra = ["--max-wait-ms", str(max_wait_ms)] + (["--unsafe"] if unsafe else [])
        with tempfile.TemporaryDirectory(prefix="concurrent-edits-") as tmp:
            duration = race(url, rows, edits, seed, Path(tmp), extra)
            attempts = read_log(Path(tmp))
        report = check(engine, rows, before, audit_from, attempts)
        report.duration = duration
        if len(attempts) != edits // len(DESKS) * len(DESKS):
            report.problems.append(f"{len(attempts)} attempts logged of {edits}")
        return report
    finally:
        engine.dispose()


# --- figures --------------------------------------------------------------------------------


def figures(report: Report) -> str:
    """The markdown tables of a run: totals, then per table."""
    saved = report.count(outcome="saved")
    n = len(report.attempts)
    lines = [
        "| Figure | Value |",
        "|---|---|",
        f"| Attempts (desks {' and '.join(DESKS)} at once) | {n} |",
        f"| Saved | {saved} (of which {report.count(op='add', outcome='saved')} new instalments) |",
        f"| Conflicts (refused as a conflict) | {report.conflicts}: "
        f"{report.count(refused_by='stale')} by the service's version check, "
        f"{report.count(refused_by='concurrent')} by the database's versioned UPDATE |",
        f"| Errors (refused otherwise) | {report.errors} |",
        f"| Lost updates | {report.lost_updates} |",
        f"| Saved edits without their audit row | {report.missing_audit} |",
        f"| Problems in all | {len(report.problems)} |",
        f"| Duration | {report.duration:.1f} s ({n / max(report.duration, 1e-9):.0f} attempts/s) |",
        "",
        "| Table | Rows | Attempts | Saved | Conflicts (service / database) | Errors |",
        "|---|---|---|---|---|---|",
    ]
    for table in FIELDS:
        rows = sum(r["table"] == table for r in report.rows)
        mine = {"table": table}
        lines.append(
            f"| {table} | {rows} | {report.count(**mine)} | "
            f"{report.count(**mine, outcome='saved')} | "
            f"{report.count(**mine, refused_by='stale')} / "
            f"{report.count(**mine, refused_by='concurrent')} | "
            f"{report.count(**mine, outcome='error')} |"
        )
    return "\n".join(lines)


def _own_server() -> tuple[Any, str]:
    from tests.pgserver import PgServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL server binaries not found (Debian package 'postgresql')")
    server = PgServer(bindir)
    server.start()
    engine = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("CREATE DATABASE concurrent_edits"))
    engine.dispose()
    return server, server.url("concurrent_edits")


def main() -> int:
    parser = argparse.ArgumentParser(description="Concurrent edits from two desks on PostgreSQL")
    parser.add_argument("--edits", type=int, default=1000, help="attempts of both desks together")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-wait-ms", type=float, default=20.0)
    parser.add_argument("--pg-url", help="a PostgreSQL database to use (default: a throwaway one)")
    args = parser.parse_args()
    # Nothing of this trial belongs in the user's own folders (logs, settings).
    home = tempfile.TemporaryDirectory(prefix="concurrent-home-")
    os.environ.setdefault("INCUBATOR_HOME", home.name)
    server, url = (None, args.pg_url) if args.pg_url else _own_server()
    started = time.monotonic()
    try:
        db = Database(url)
        upgrade(db)
        db.dispose()
        report = run(url, args.edits, args.seed, max_wait_ms=args.max_wait_ms)
    finally:
        if server is not None:
            server.stop()
        home.cleanup()
    if report.conflicts == 0:
        report.problems.append("no conflict at all: the race was not exercised")
    print(
        f"# Concurrent edits on PostgreSQL, {dt.date.today()}, "
        f"{time.monotonic() - started:.0f} s in all\n"
    )
    print(figures(report))
    for problem in report.problems:
        print(f"- {problem}")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
