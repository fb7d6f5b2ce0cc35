"""A desk editing shared rows against another desk, for the concurrent-edit trials
(``concurrent_edits.py``)::

    python -m tests.reliability.concurrent_worker URL SEED N OUT.jsonl DESK --rows ROWS.json
        [--go FILE] [--max-wait-ms 20] [--unsafe]

Each of the N edits reads one of the shared rows through the services (as a form opens with
the row's version), waits 0..max-wait ms (a person typing; it widens the race window), then
saves one field with a value no other attempt writes, passing the version it read. One JSON
line per attempt goes to OUT.jsonl: what was written on which version, and whether it was
saved (with the new version), refused as a conflict, or failed otherwise ("error").

Now and then (``ADD_SHARE``) the desk adds a tiny instalment to a fund instead: that takes the
fund's row lock while the other desk edits the fund, and must neither bump the fund's version
nor get lost.

The desk prints ``ready`` once connected, then waits for the file ``--go`` so that both desks
start at the same moment. ``--unsafe`` saves by a bare SQL UPDATE without the version check:
what the checker must catch as lost updates.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import text

from incubator.db import Database
from incubator.errors import ConcurrentChangeError, ConflictError
from incubator.services import contacts, funds, registry

# The fields each desk writes, per table: text fields get a unique marker, money fields a
# unique amount that keeps the fund's schedule valid whatever the other desk does.
FIELDS: dict[str, tuple[str, ...]] = {
    "organizations": ("name", "short_name", "notes", "address", "legal_representative"),
    "funds": ("title", "notes", "amount_committed"),
    "fund_payments": ("notes", "amount"),
    "organization_contacts": ("name", "role"),
}
MONEY = {"amount_committed", "amount"}
ADD_SHARE = 0.05  # of attempts that add an instalment instead of editing a row
GO_TIMEOUT = 120.0  # seconds a ready desk waits for the start signal


def marker(desk: str, attempt: int) -> str:
    return f"{desk}{attempt:04d}"


def value_for(table: str, field: str, desk: str, attempt: int) -> str:
    """A value no other attempt of either desk writes, so every saved one is traceable."""
    mark = marker(desk, attempt)
    if field in MONEY:
        # Whole yuan from the attempt, fen from the desk: unique across both desks. Committed
        # amounts stay above 60,000, instalments at most ~1,100: the schedule always fits.
        base = 60000 if field == "amount_committed" else 100
        return f"{base + attempt}.{ord(desk[-1]) % 100:02d}"
    prefix = {
        ("organizations", "name"): "共享组织 ",
        ("organizations", "short_name"): "简称",
        ("organizations", "legal_representative"): "代表",
        ("organizations", "address"): "地址 ",
        ("funds", "title"): "资金 ",
        ("organization_contacts", "name"): "联系人",
        ("organization_contacts", "role"): "职务",
    }.get((table, field), "备注 ")
    return prefix + mark


def read_version(db: Database, row: dict[str, Any]) -> int:
    """The row's version as its form would show it, read through the services."""
    table, ident, parent = row["table"], row["id"], row.get("parent")
    if table == "organizations":
        return registry.get(db, ident).version
    if table == "organization_contacts":
        return next(c.version for c in contacts.contacts_of(db, parent) if c.id == ident)
    fund_id = ident if table == "funds" else row["fund"]
    fund = next(f for f in funds.funds_of(db, parent) if f.id == fund_id)
    if table == "funds":
        return fund.version
    return next(p.version for p in fund.payments if p.id == ident)


def save(db: Database, row: dict[str, Any], values: dict[str, str], version: int) -> int:
    """Save through the service the UI uses; returns the row's new version."""
    table, ident = row["table"], row["id"]
    changes: dict[str, Any] = {k: Decimal(v) if k in MONEY else v for k, v in values.items()}
    if table == "organizations":
        return registry.update(db, ident, changes, version).version
    if table == "organization_contacts":
        return contacts.update(db, ident, changes, version).version
    if table == "funds":
        return funds.update_fund(db, ident, changes, version).version
    fund = funds.update_payment(db, ident, changes, version)
    return next(p.version for p in fund.payments if p.id == ident)


def unsafe_read(db: Database, row: dict[str, Any]) -> int:
    with db.engine.connect() as conn:
        sql = text(f"SELECT version FROM {row['table']} WHERE id = :id")
        return conn.execute(sql, {"id": row["id"]}).scalar_one()


def unsafe_save(db: Database, row: dict[str, Any], values: dict[str, str], _version: int) -> int:
    """Last writer wins: no version in the WHERE clause, no audit. Only for proving that the
    checker catches lost updates."""
    sets = ", ".join(f"{k} = :{k}" for k in values)
    sql = text(
        f"UPDATE {row['table']} SET {sets}, version = version + 1 WHERE id = :id RETURNING version"
    )
    params = {k: Decimal(v) if k in MONEY else v for k, v in values.items()}
    with db.engine.begin() as conn:
        return conn.execute(sql, {**params, "id": row["id"]}).scalar_one()


def add_payment(db: Database, fund: dict[str, Any], desk: str, attempt: int) -> dict[str, Any]:
    """Add an instalment of under one yuan, its notes the attempt's marker."""
    mark = marker(desk, attempt)
    amount = f"0.{attempt % 99 + 1:02d}"
    data = {"due_on": dt.date(2024, 1 + attempt % 12, 1), "amount": amount, "notes": mark}
    view = funds.add_payment(db, fund["id"], data)
    new = next(p for p in view.payments if p.notes == mark)
    return {"new_id": new.id, "values": {"amount": amount, "notes": mark}}


def outcome_of(exc: BaseException) -> dict[str, Any]:
    """A conflict says which check refused it: the service's version comparison ("stale")
    or the database's versioned UPDATE ("concurrent")."""
    if isinstance(exc, ConcurrentChangeError):
        return {"outcome": "conflict", "refused_by": "concurrent"}
    if isinstance(exc, ConflictError):
        return {"outcome": "conflict", "refused_by": "stale"}
    return {"outcome": "error", "error_type": type(exc).__name__, "error": str(exc)[:500]}


def edit(
    db: Database,
    rng: random.Random,
    rows: list[dict[str, Any]],
    desk: str,
    attempt: int,
    max_wait: float,
    unsafe: bool,
) -> dict[str, Any]:
    """One attempt: read, think, save. Returns its log record."""
    record: dict[str, Any] = {"desk": desk, "attempt": attempt, "t": time.time()}
    fund_rows = [r for r in rows if r["table"] == "funds"]
    if not unsafe and fund_rows and rng.random() < ADD_SHARE:
        fund = rng.choice(fund_rows)
        record.update(op="add", table="fund_payments", fund_id=fund["id"], base_version=None)
        try:
            record.update(outcome="saved", **add_payment(db, fund, desk, attempt))
        except Exception as exc:  # every failure is logged, the desk goes on
            record.update(outcome_of(exc))
        return record
    row = rng.choice(rows)
    field = rng.choice(FIELDS[row["table"]])
    values = {field: value_for(row["table"], field, desk, attempt)}
    record.update(op="update", table=row["table"], row_id=row["id"], values=values)
    read: Callable = unsafe_read if unsafe else read_version
    write: Callable = unsafe_save if unsafe else save
    try:
        version = read(db, row)
        record["base_version"] = version
        time.sleep(rng.uniform(0, max_wait))
        record.update(outcome="saved", new_version=write(db, row, values, version))
    except Exception as exc:
        record.update(outcome_of(exc))
    return record


def wait_for(go: Path) -> None:
    deadline = time.monotonic() + GO_TIMEOUT
    while not go.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"no start signal {go} within {GO_TIMEOUT:.0f} s")
        time.sleep(0.001)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("seed", type=int)
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("desk")
    parser.add_argument("--rows", type=Path, required=True, help="JSON list of shared rows")
    parser.add_argument("--go", type=Path, help="start when this file exists")
    parser.add_argument("--max-wait-ms", type=float, default=20.0)
    parser.add_argument("--unsafe", action="store_true", help="save without the version check")
    args = parser.parse_args(argv)
    rows = json.loads(args.rows.read_text())
    rng = random.Random(f"{args.seed}-{args.desk}")
    db = Database(args.url, actor=f"desk-{args.desk}")
    with db.engine.connect():  # the first connection costs; not inside the race
        pass
    print("ready", flush=True)
    if args.go:
        wait_for(args.go)
    with args.out.open("a", encoding="utf-8") as out:
        for attempt in range(1, args.n + 1):
            record = edit(db, rng, rows, args.desk, attempt, args.max_wait_ms / 1000, args.unsafe)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
