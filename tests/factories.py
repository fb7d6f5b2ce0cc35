"""Small builders for test data (valid credit codes, minimal organizations)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from stdnum.cn import uscc

from incubator.db import Database
from incubator.services import registry


def credit_code(n: int, prefix: str = "51", area: str = "650102") -> str:
    """A valid code: authority 5 (civil affairs), type, area, a 9-char org code, check char."""
    body = f"{prefix}{area}MJ{n:07d}"
    return body + uscc.calc_check_digit(body)


def org(db: Database, n: int = 1, **overrides) -> registry.OrganizationView:
    data = {
        "name": f"测试社区服务中心{n}",
        "credit_code": credit_code(n),
        "legal_form": "social_service_org",
    }
    data.update(overrides)
    return registry.register(db, data)


def damage_a_page(path: Path, table: str = "organizations") -> None:
    """Scribble over the cell pointers of ``table``'s first page in a SQLite file (its
    journal folded in first), as a failing disk would: the header stays sound."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,))
        start = (root.fetchone()[0] - 1) * size + 8
    with open(path, "r+b") as f:
        f.seek(start)
        f.write(b"\xff" * 64)


def audited_as(db: Database, claimed: str) -> str:
    """Who the audit names for a change the program made as ``claimed``: that name on a
    SQLite file; on PostgreSQL the login of the database URL, which the server writes
    whatever the program claims."""
    return claimed if db.is_sqlite else str(db.url.username)


def fund_data(**overrides) -> dict:
    """A government grant's form, committed on 5 January 2026; ``overrides`` change it."""
    return {
        "title": "公益创投",
        "source": "government",
        "kind": "grant",
        "amount_committed": "100",
        "committed_on": "2026-01-05",
        "status": "active",
        **overrides,
    }
