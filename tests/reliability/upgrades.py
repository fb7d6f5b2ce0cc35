"""Upgrade trials: a registry made at each earlier schema revision and filled, then upgraded
the way the program does it (``schema.upgrade``: a SQLite file is backed up, then Alembic runs
to head), keeps every row and every value.

For each revision before head, on SQLite and on PostgreSQL: an empty database is migrated to
exactly that revision, then filled generically from its schema as reflected (rows in
foreign-key order; values fitting each column's type, length, NOT NULL, uniqueness and the
enum values its migrations declare; Chinese and Uyghur text, amounts with cents, dates; a few
rows at the columns' limits). It is read back (counts per table, every column's value per
primary key, numeric totals), upgraded, read again and compared. A migration that changes an
old column on purpose is listed in ``DELIBERATE`` with why, and what it did is checked
instead (0004 recomputes the sort key and replaces the initials with the search key; 0006
moves the contact person and phone to the main contact). After the upgrade the schema equals
the models and every row loads through them; on SQLite the integrity and foreign-key checks
pass and the backup made before the upgrade holds the old revision and the old counts.

Short mode runs in the normal suite (``test_upgrades.py``); the long mode covers both backends
(a throwaway PostgreSQL server is started unless --pg-url names one)::

    .venv/bin/python -m tests.reliability.upgrades --rows 500 --seeds 5
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import hashlib
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    UniqueConstraint,
    create_engine,
    make_url,
    select,
    text,
)
from sqlalchemy.engine import URL, Connection
from stdnum.cn import uscc

from incubator import schema, search_index
from incubator.db import Database
from incubator.models import Base
from incubator.schema import (
    UpgradeReport,
    alembic_config,
    current_revision,
    head_revision,
    schema_differences,
    upgrade,
)
from incubator.textkeys import name_keys

Key = tuple[Any, ...]  # a row's primary key
Meddle = Callable[[Database], None]

NULL_SHARE = 0.15  # nullable columns left empty
EDGE_SHARE = 0.03  # rows whose values sit at their columns' limits (full length, top amount)


def revisions() -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def earlier_revisions() -> list[str]:
    return revisions()[:-1]


def _after(revision: str, since: str) -> bool:
    order = revisions()
    return order.index(revision) > order.index(since)


# ---------------------------------------------------------------- migrate, reflect


def migrate_to(db: Database, revision: str) -> None:
    """Alembic to exactly ``revision``, as ``schema.upgrade`` runs it."""
    schema.migrate(db, revision)


def reflect(engine: Engine) -> MetaData:
    """The registry's own tables: not Alembic's, nor the search index's (SQLite keeps those
    in step with organizations by triggers)."""
    meta = MetaData()
    meta.reflect(bind=engine)
    for name in {"alembic_version"} | search_index.names():
        if name in meta.tables:
            meta.remove(meta.tables[name])
    return meta


def migration_enums(revision: str) -> dict[tuple[str, str], list[str]]:
    """The enum values each column had up to ``revision``, as its migrations declare them.

    The database knows none (VARCHAR, native_enum=False, no CHECK); what the program of that
    revision could write is in the migration files (the models today may hold more: the
    legal form ``unknown`` came without a migration)."""
    enums: dict[tuple[str, str], list[str]] = {}
    for rev in revisions()[: revisions().index(revision) + 1]:
        script = ScriptDirectory.from_config(alembic_config()).get_revision(rev)
        tree = ast.parse(Path(script.path).read_text(encoding="utf-8"))
        for call in ast.walk(tree):
            if _called(call, "create_table") and isinstance(call.args[0], ast.Constant):
                for column in call.args[1:]:
                    enums.update(_column_enum(call.args[0].value, column))
    return enums


def _called(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "attr", None) == name


def _column_enum(table: str, column: ast.AST) -> dict[tuple[str, str], list[str]]:
    # sa.Column("stage", sa.Enum("applied", ..., name=...), ...)
    if not _called(column, "Column") or len(column.args) < 2 or not _called(column.args[1], "Enum"):
        return {}
    values = [a.value for a in column.args[1].args if isinstance(a, ast.Constant)]
    return {(table, column.args[0].value): values}


# ---------------------------------------------------------------- snapshot


@dataclass
class Snapshot:
    revision: str | None
    counts: dict[str, int]
    values: dict[tuple[str, str], dict[Key, Any]]  # (table, column) -> {pk: value}
    totals: dict[tuple[str, str], Decimal]  # numeric columns

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def _is_number(col: Column) -> bool:
    return isinstance(col.type, Integer | Numeric) and not isinstance(col.type, Boolean)


def snapshot(engine: Engine) -> Snapshot:
    """Every row of every table, read through the reflected types (values, not storage)."""
    meta = reflect(engine)
    counts: dict[str, int] = {}
    values: dict[tuple[str, str], dict[Key, Any]] = {}
    totals: dict[tuple[str, str], Decimal] = {}
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            pk = [c.name for c in table.primary_key.columns]
            ordered = select(table).order_by(*table.primary_key.columns)
            rows = conn.execute(ordered).mappings().all()
            counts[table.name] = len(rows)
            for col in table.columns:
                column = {tuple(r[k] for k in pk): r[col.name] for r in rows}
                values[(table.name, col.name)] = column
                if _is_number(col):
                    totals[(table.name, col.name)] = _total(column.values())
    return Snapshot(current_revision(engine), counts, values, totals)


def _total(numbers: Any) -> Decimal:
    return sum((Decimal(n) for n in numbers if n is not None), Decimal(0))


# ---------------------------------------------------------------- fill

_PLACES = ["乌鲁木齐市", "喀什市", "和田县", "伊宁市", "天山区", "沙依巴克区", "库车市", "吐鲁番市"]
_NAMES = ["阳光", "同心", "石榴籽", "春雨", "红柳", "雪莲", "爱心", "邻里", "ئۈمىد", "يېڭى ھايات"]
_KINDS = ["社区服务中心", "志愿者协会", "社会工作服务中心", "助老服务站", "青少年发展中心"]
_UG_KINDS = ["ياشلار مەركىزى", "مەھەللە مۇلازىمەت مەركىزى", "ئاياللار بىرلەشمىسى"]
_PEOPLE = [
    "阿依古丽·买买提",
    "张伟",
    "李娜",
    "艾力·吐尔逊",
    "古丽娜尔",
    "王芳",
    "ئابدۇرېھىم",
    "مەمەتجان",
]
_SENTENCES = [
    "本季度开展入户走访32次，服务老人156人次。",
    "资金按合同分两期拨付，第二期待中期评估后拨付。",
    "ياشانغانلارنى يوقلاش پائالىيىتى ئېلىپ بېرىلدى.",
    "培训内容：财务制度、项目书写作；讲师 O'Brien（“外聘”）。",
    "مەھەللە ئاھالىلىرى ئۈچۈن ھەقسىز قانۇن مەسلىھەتى.",
    "第一行\n第二行：换行也要保留。",
]
_ROOMS = ["一楼活动室", "二楼办公位", "共享会议室", "ئۈچىنچى قەۋەت ئىشخانا"]
_REMINDERS = ["payment_due", "agreement_end", "evaluation_due"]
_ENTITIES = ["organization", "fund", "fund_payment", "project", "space_allocation"]
# Realistic tops of numbers that their precision would let grow much larger.
_TOPS = {"hours": 400, "governance": 100, "finance": 100, "services": 100, "team": 100}


def _org_name(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return f"{rng.choice(_NAMES)} {rng.choice(_UG_KINDS)}"
    return rng.choice(_PLACES) + rng.choice(_NAMES) + rng.choice(_KINDS)


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
    return f"0991-{rng.randrange(10**7):07d}"


def _credit_code(seed: int, i: int) -> str:
    body = f"5{1 + seed % 3}650102MJ{i + 1:07d}"  # a social group, service org, foundation
    return body + uscc.calc_check_digit(body)


def _audit_changes(rng: random.Random) -> str:
    old, new = rng.sample(_NAMES, 2)
    return json.dumps({"name": [old, new], "amount": ["1000.00", "1200.50"]}, ensure_ascii=False)


_TEXT_HINTS: dict[str, Callable[[random.Random], str]] = {
    "name": _org_name,
    "short_name": lambda rng: rng.choice(_NAMES),
    "phone": _phone,
    "contact_phone": _phone,
    "email": lambda rng: f"staff{rng.randrange(1000)}@example.cn",
    "period": lambda rng: f"{rng.randint(2019, 2026)}年第{rng.randint(1, 4)}季度",
    "code": lambda rng: f"{rng.choice('ABC')}-{rng.randint(101, 499)}",
    "key": lambda rng: rng.choice(["center_name", "center_logo", "report_footer"]),
    "changes": _audit_changes,
    "entity": lambda rng: rng.choice(_ENTITIES),
    "kind": lambda rng: rng.choice(_REMINDERS),  # reminder_marks.kind is free text
    "area_county": lambda rng: rng.choice(_PLACES),
    "area_township": lambda rng: rng.choice(["团结路街道", "ئۆستەڭبويى يېزىسى", "二道桥片区"]),
    "area_community": lambda rng: rng.choice(["幸福社区", "ئاق ساراي مەھەللىسى", "南门社区"]),
    "address": lambda rng: rng.choice(_PLACES) + f"人民路{rng.randint(1, 999)}号",
}
_PERSON = {"legal_representative", "contact_person", "person_name", "actor", "marked_by"}
_PERSON |= {"evaluator", "funder", "provider", "source_name"}


@dataclass
class Filler:
    """Rows for one database at one revision; ``given`` holds the totals of what went in."""

    rng: random.Random
    rows: int
    seed: int
    enums: dict[tuple[str, str], list[str]]
    given: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    parents: dict[tuple[str, str], list[Any]] = field(default_factory=dict)

    def fill(self, engine: Engine) -> None:
        meta = reflect(engine)
        with engine.begin() as conn:
            for table in meta.sorted_tables:
                made = self._table_rows(conn, table)
                if made:
                    conn.execute(table.insert(), made)
                for col in table.columns:
                    if _is_number(col) and not _db_assigned(table, col):
                        self.given[(table.name, col.name)] = _total(r[col.name] for r in made)

    def _table_rows(self, conn: Connection, table: Table) -> list[dict[str, Any]]:
        keys = _unique_sets(table)
        seen: set[Key] = set()
        made = []
        for i in range(self.rows):
            for _attempt in range(30):  # composite keys of a parent and an enum can collide
                row = self._row(conn, table, i)
                tuples = [tuple(row[c] for c in cols) for cols in keys]
                tuples = [(n, *t) for n, t in enumerate(tuples) if None not in t]
                if not seen.intersection(tuples):
                    seen.update(tuples)
                    made.append(row)
                    break
        return made

    def _row(self, conn: Connection, table: Table, i: int) -> dict[str, Any]:
        edge = self.rng.random() < EDGE_SHARE
        unique = {c for cols in _unique_sets(table) for c in cols}
        row = {
            col.name: self._value(conn, table, col, i, edge, col.name in unique)
            for col in table.columns
            if not _db_assigned(table, col) and col.computed is None  # search_pairs (PostgreSQL)
        }
        self._in_order(row)
        if table.name == "space_allocations":
            # Days of their own, as a form gives them: no space over its capacity (0015 on).
            row["start_on"] = dt.date(2016, 1, 1) + dt.timedelta(days=40 * i)
            row["end_on"] = row["start_on"] + dt.timedelta(days=self.rng.randint(0, 30))
        if table.name == "stored_files":  # named by the hash of what they hold
            row["sha256"] = hashlib.sha256(row["data"]).hexdigest()
            row["size"] = len(row["data"])
        if table.name == "organizations" and "search_key" in row:
            # From 0004 on, the program keeps both keys in step with the names.
            keys = name_keys(row["name"], row["short_name"], row["credit_code"])
            row["name_sort"], row["search_key"] = keys
        return row

    def _value(
        self, conn: Connection, table: Table, col: Column, i: int, edge: bool, unique: bool
    ) -> Any:
        rng = self.rng
        if col.foreign_keys:
            return self._parent(conn, col)
        if col.nullable and rng.random() < NULL_SHARE:
            return None
        if (table.name, col.name) in self.enums:
            return rng.choice(self.enums[(table.name, col.name)])
        kind = col.type
        if isinstance(kind, Boolean):
            return rng.random() < 0.5
        if isinstance(kind, DateTime):
            return _timestamp(rng, edge)
        if isinstance(kind, Date):
            return _date(rng, edge)
        if isinstance(kind, Numeric):
            return _number(col, rng, edge)
        if isinstance(kind, Integer):
            return self._integer(col, i, edge, unique)
        if isinstance(kind, LargeBinary):
            return rng.randbytes(2048 if edge else rng.randint(1, 200))
        if isinstance(kind, String):
            return self._text(table, col, i, edge, unique)
        raise TypeError(f"no values for {table.name}.{col.name} of type {kind!r}")

    def _parent(self, conn: Connection, col: Column) -> Any:
        (fk,) = col.foreign_keys
        target = (fk.column.table.name, fk.column.name)
        if target not in self.parents:  # parents are filled first (foreign-key order)
            self.parents[target] = list(conn.execute(select(fk.column)).scalars())
        return self.rng.choice(self.parents[target])

    def _integer(self, col: Column, i: int, edge: bool, unique: bool) -> int:
        if unique:  # annual_targets.year: one row per year
            return 1990 + i if col.name == "year" else i + 1
        if col.name == "version":
            return self.rng.randint(1, 9)
        if col.name == "year":
            return self.rng.randint(2019, 2027)
        if col.name == "capacity":  # a space takes one organization at least
            return 2**31 - 1 if edge else self.rng.randint(1, 5)
        return 2**31 - 1 if edge else self.rng.randint(0, 300)

    def _text(self, table: Table, col: Column, i: int, edge: bool, unique: bool) -> str:
        rng = self.rng
        limit = col.type.length
        if col.name == "credit_code":
            return _credit_code(self.seed, i)
        if col.name in _PERSON:
            value = rng.choice(_PEOPLE)
        elif table.name == "spaces" and col.name == "name":
            value = rng.choice(_ROOMS)
        elif table.name == "organization_contacts" and col.name == "name":
            value = rng.choice(_PEOPLE)
        elif col.name in _TEXT_HINTS:
            value = _TEXT_HINTS[col.name](rng)
        else:
            value = " ".join(rng.choices(_SENTENCES, k=rng.randint(1, 4)))
        if edge:  # as long as the column takes (a Text column: a long narrative)
            value = "".join(rng.choices(_SENTENCES, k=400))[: limit or 6000]
        tag = f"-{i + 1}" if unique else ""
        return (value[: limit - len(tag)] if limit else value) + tag

    def _in_order(self, row: dict[str, Any]) -> None:
        # Ends after starts and updates after creation, as the program writes them.
        pairs = [("start_on", "end_on"), ("agreement_start", "agreement_planned_end")]
        pairs += [("created_at", "updated_at"), ("due_on", "paid_on")]
        for start, end in pairs:
            if row.get(start) is not None and row.get(end) is not None and row[end] < row[start]:
                row[start], row[end] = row[end], row[start]


def _db_assigned(table: Table, col: Column) -> bool:
    """An ``id`` the database numbers itself (SERIAL / INTEGER PRIMARY KEY)."""
    return col.primary_key and col.name == "id" and len(table.primary_key.columns) == 1


def _unique_sets(table: Table) -> list[tuple[str, ...]]:
    sets = [tuple(c.name for c in table.primary_key.columns)]
    sets += [tuple(c.name for c in u.columns) for u in table.constraints if _is_unique(u)]
    sets += [tuple(c.name for c in ix.columns) for ix in table.indexes if ix.unique]
    return [s for s in dict.fromkeys(sets) if s and not any(_db_col(table, c) for c in s)]


def _is_unique(constraint: Any) -> bool:
    return isinstance(constraint, UniqueConstraint)


def _db_col(table: Table, name: str) -> bool:
    return _db_assigned(table, table.columns[name])


def _date(rng: random.Random, edge: bool) -> dt.date:
    if edge:
        return rng.choice([dt.date(1949, 10, 1), dt.date(2099, 12, 31)])
    return dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(11 * 365))


def _timestamp(rng: random.Random, edge: bool) -> dt.datetime:
    if edge:
        return dt.datetime(2099, 12, 31, 23, 59, 59, 999999)
    start = dt.datetime(2016, 1, 1)
    return start + dt.timedelta(
        seconds=rng.randrange(11 * 365 * 86400), microseconds=rng.randrange(10**6)
    )


def _number(col: Column, rng: random.Random, edge: bool) -> Decimal:
    """A value with exactly the column's scale (cents for money) within its precision."""
    precision, scale = col.type.precision or 14, col.type.scale or 0
    unit = 10**scale
    if col.name.endswith("rate"):  # a share: 0 to 1
        units = unit if edge else rng.randint(0, unit)
    elif edge and col.name in _TOPS:  # the largest a form takes (a score of 100)
        units = _TOPS[col.name] * unit
    elif edge:  # the largest the column holds: 999999999999.99 for money
        units = 10**precision - 1
    else:
        top = min(_TOPS.get(col.name, 2_000_000), 10 ** (precision - scale) - 1)
        units = rng.randint(0, top * unit)
    return Decimal(units).scaleb(-scale)


def fill(engine: Engine, rows: int, seed: int, revision: str) -> dict[tuple[str, str], Decimal]:
    """Fill every table; the totals of the numbers given."""
    rng = random.Random(f"{seed}/{revision}")
    filler = Filler(rng, rows, seed, migration_enums(revision))
    filler.fill(engine)
    return filler.given


# ---------------------------------------------------------------- deliberate changes


def _org_keys(before: Snapshot) -> dict[Key, tuple[str, str]]:
    col = before.values
    return {
        pk: name_keys(
            name,
            col[("organizations", "short_name")][pk],
            col[("organizations", "credit_code")][pk],
        )
        for pk, name in col[("organizations", "name")].items()
    }


def _keys_now(before: Snapshot, after: Snapshot, column: str, part: int) -> list[str]:
    got = after.values.get(("organizations", column), {})
    wrong = [pk for pk, keys in _org_keys(before).items() if got.get(pk) != keys[part]]
    return (
        [_few(f"organizations.{column} is not the key of textkeys.name_keys", wrong)]
        if wrong
        else []
    )


def _sort_key_recomputed(before: Snapshot, after: Snapshot) -> list[str]:
    return _keys_now(before, after, "name_sort", 0)


def _search_key_made(before: Snapshot, after: Snapshot) -> list[str]:
    return _keys_now(before, after, "search_key", 1)


def _contacts_moved(before: Snapshot, after: Snapshot) -> list[str]:
    """Each organization with a contact person or phone has one main contact holding them
    ('—' for a name when there was only a phone); the others have none."""
    person = before.values[("organizations", "contact_person")]
    phone = before.values[("organizations", "contact_phone")]
    expected = {
        pk[0]: [("—" if person[pk] is None else person[pk], phone[pk], True)]
        for pk in person
        if person[pk] is not None or phone[pk] is not None
    }
    contacts = after.values.get(("organization_contacts", "organization_id"), {})
    got: dict[int, list[tuple[Any, ...]]] = {}
    for pk, oid in contacts.items():
        fields = ("name", "phone", "is_main")
        got.setdefault(oid, []).append(
            tuple(after.values[("organization_contacts", f)][pk] for f in fields)
        )
    wrong = [oid for oid in expected.keys() | got.keys() if got.get(oid) != expected.get(oid)]
    return (
        [_few("contact person/phone not the organization's main contact", wrong)] if wrong else []
    )


@dataclass(frozen=True)
class Deliberate:
    revision: str  # the migration that changes the column
    table: str
    column: str
    why: str
    check: Callable[[Snapshot, Snapshot], list[str]]  # what it should have done instead


DELIBERATE = (
    Deliberate(
        "0004", "organizations", "name_sort",
        "recomputed by today's textkeys.name_keys (word-context pinyin)", _sort_key_recomputed,
    ),
    Deliberate(
        "0004", "organizations", "name_initials",
        "dropped: search_key (names, pinyin, initials, credit code, folded) replaces it",
        _search_key_made,
    ),
    Deliberate(
        "0006", "organizations", "contact_person",
        "dropped: becomes the name of the organization's main contact", _contacts_moved,
    ),
    Deliberate(
        "0006", "organizations", "contact_phone",
        "dropped: becomes the phone of the organization's main contact", _contacts_moved,
    ),
)  # fmt: skip


# ---------------------------------------------------------------- compare


def _few(what: str, keys: Sequence[Any], shown: int = 3) -> str:
    listed = ", ".join(str(k) for k in sorted(keys, key=str)[:shown])
    more = f" (+{len(keys) - shown} more)" if len(keys) > shown else ""
    return f"{what}: {len(keys)} rows, e.g. {listed}{more}"


def compare(
    before: Snapshot, after: Snapshot, since: str, deliberate: Sequence[Deliberate] = DELIBERATE
) -> tuple[list[str], int, int]:
    """Problems, values compared, deliberate changes checked."""
    problems = []
    if after.revision != head_revision():
        problems.append(f"revision {after.revision} after the upgrade, not {head_revision()}")
    for table, n in before.counts.items():
        if after.counts.get(table) != n:
            problems.append(f"{table}: {n} rows before, {after.counts.get(table)} after")
    planned = {(d.table, d.column): d for d in deliberate if _after(d.revision, since)}
    compared = 0
    for (table, column), old in before.values.items():
        if (table, column) in planned:
            continue
        new = after.values.get((table, column))
        if new is None:
            problems.append(f"{table}.{column}: the column is gone")
            continue
        changed = [pk for pk, value in old.items() if pk not in new or new[pk] != value]
        compared += len(old)
        if changed:
            problems.append(_few(f"{table}.{column} changed", changed))
    for key, total in before.totals.items():
        if key not in planned and key in after.totals and after.totals[key] != total:
            problems.append(f"{'.'.join(key)} total {total} before, {after.totals[key]} after")
    for check in dict.fromkeys(d.check for d in planned.values()):
        problems += check(before, after)
    return problems, compared, len(planned)


def _fill_problems(before: Snapshot, given: dict[tuple[str, str], Decimal]) -> list[str]:
    # What was read back must be what was written (SQLite keeps NUMERIC as REAL).
    return [
        f"{'.'.join(key)}: {total} written, {before.totals.get(key)} read back"
        for key, total in given.items()
        if before.totals.get(key) != total
    ]


def _unreadable(db: Database) -> list[str]:
    """Every row loads through today's models (enum values known, timestamps readable)."""
    problems = []
    with db.reading() as session:
        for mapper in Base.registry.mappers:
            try:
                session.scalars(select(mapper.class_)).all()
            except Exception as error:  # which table, and why, is the finding
                problems.append(f"{mapper.class_.__name__} rows unreadable: {error}")
            session.expunge_all()
    return problems


def _sqlite_problems(db: Database, report: UpgradeReport, before: Snapshot) -> list[str]:
    problems = []
    with db.engine.connect() as conn:
        verdict = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if verdict != "ok":
        problems.append(f"integrity check: {verdict}")
    if broken:
        problems.append(_few("foreign keys broken", broken))
    if report.backup is None or not report.backup.exists():
        return [*problems, "no backup was made before the upgrade"]
    with closing(sqlite3.connect(report.backup)) as copy:
        rev = copy.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        counts = {
            t: copy.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in before.counts
        }
    if rev != before.revision:
        problems.append(f"the backup is at revision {rev}, not {before.revision}")
    if counts != before.counts:
        problems.append(f"the backup's counts differ: {counts} != {before.counts}")
    return problems


# ---------------------------------------------------------------- trials


@dataclass
class Outcome:
    backend: str
    revision: str
    seed: int
    tables: int = 0
    rows: int = 0
    values: int = 0
    deliberate: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def _explain(phase: str, error: Exception) -> str:
    said = error.message("en") if hasattr(error, "message") else str(error)
    return f"{phase} failed: {type(error).__name__}: {said.splitlines()[0] if said else ''}"


def trial(
    url: str | URL,
    backend: str,
    revision: str,
    seed: int,
    rows: int,
    meddle: Meddle | None = None,
    deliberate: Sequence[Deliberate] = DELIBERATE,
) -> Outcome:
    """One empty database at ``url``: migrate to ``revision``, fill, upgrade, compare.
    ``meddle`` changes the upgraded database before it is read (proves the checks can fail)."""
    started = time.monotonic()
    outcome = Outcome(backend, revision, seed)
    phase = "migrate"
    db = Database(url, actor="upgrade-trial")
    try:
        migrate_to(db, revision)
        phase = "fill"
        given = fill(db.engine, rows, seed, revision)
        before = snapshot(db.engine)
        outcome.tables, outcome.rows = len(before.counts), before.rows
        outcome.problems += _fill_problems(before, given)
        db.dispose()  # the program opens the registry afresh to upgrade it
        phase = "upgrade"
        db = Database(url, actor="upgrade-trial")
        report = upgrade(db)
        if meddle is not None:
            meddle(db)
        phase = "check"
        after = snapshot(db.engine)
        problems, outcome.values, outcome.deliberate = compare(before, after, revision, deliberate)
        outcome.problems += problems
        if schema_differences(db.engine):
            outcome.problems.append("after the upgrade the schema differs from the models")
        outcome.problems += _unreadable(db)
        if db.is_sqlite:
            outcome.problems += _sqlite_problems(db, report, before)
    except Exception as error:  # a failed step is this trial's finding
        outcome.problems.append(_explain(phase, error))
    finally:
        db.dispose()
    outcome.seconds = time.monotonic() - started
    return outcome


@contextmanager
def _home(folder: Path) -> Iterator[None]:
    """Backups made by the upgrades go to a throwaway user folder, never the real one."""
    old = os.environ.get("INCUBATOR_HOME")
    os.environ["INCUBATOR_HOME"] = str(folder)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("INCUBATOR_HOME", None)
        else:
            os.environ["INCUBATOR_HOME"] = old


class PgDatabases:
    """Fresh empty databases (CREATE DATABASE from template1) on a server; dropped after."""

    def __init__(self, url: str) -> None:
        self.admin = make_url(url)

    def _run(self, sql: str) -> None:
        engine = create_engine(self.admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(sql))
        engine.dispose()

    def create(self, name: str) -> URL:
        self._run(f'DROP DATABASE IF EXISTS "{name}"')
        self._run(f'CREATE DATABASE "{name}"')
        return self.admin.set(database=name)

    def drop(self, name: str) -> None:
        self._run(f'DROP DATABASE IF EXISTS "{name}"')


def run(
    rows: int = 20,
    seeds: Sequence[int] = (1,),
    pg_url: str | None = None,
    sqlite: bool = True,
    only: Sequence[str] | None = None,
) -> list[Outcome]:
    """Every earlier revision (or ``only``) x every seed, on SQLite and/or PostgreSQL."""
    outcomes = []
    pg = PgDatabases(pg_url) if pg_url else None
    with tempfile.TemporaryDirectory(prefix="upgrade-trials-") as tmp, _home(Path(tmp) / "home"):
        for revision in only or earlier_revisions():
            for seed in seeds:
                if sqlite:
                    path = Path(tmp) / f"r{revision}-s{seed}.sqlite3"
                    outcomes.append(trial(str(path), "sqlite", revision, seed, rows))
                if pg is not None:
                    name = f"upgrade_r{revision}_s{seed}_{os.getpid()}"
                    url = pg.create(name)
                    outcomes.append(trial(url, "postgresql", revision, seed, rows))
                    pg.drop(name)
    return outcomes


def summary(outcomes: list[Outcome]) -> str:
    lines = [
        "| Backend | From | Seeds | Tables | Rows | Values compared | Deliberate | Problems | s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    groups = sorted(
        {(o.backend, o.revision) for o in outcomes}, key=lambda g: (g[0] != "sqlite", g)
    )
    for backend, revision in groups:
        mine = [o for o in outcomes if (o.backend, o.revision) == (backend, revision)]
        tables = "/".join(sorted({str(o.tables) for o in mine}))
        lines.append(
            f"| {backend} | {revision} | {len(mine)} | {tables} | {sum(o.rows for o in mine)} "
            f"| {sum(o.values for o in mine)} | {max(o.deliberate for o in mine)} "
            f"| {sum(len(o.problems) for o in mine)} | {sum(o.seconds for o in mine):.1f} |"
        )
    return "\n".join(lines)


@contextmanager
def _pg_server(url: str | None, wanted: bool) -> Iterator[str | None]:
    """The server named, or a throwaway one started here (as the test session does)."""
    if url or not wanted:
        yield url
        return
    from tests.pgserver import PgServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL server binaries not found: give --pg-url or --sqlite-only")
    server = PgServer(bindir)
    server.start()
    try:
        yield server.url()
    finally:
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Fill a registry at each earlier revision, upgrade"
    )
    parser.add_argument("--rows", type=int, default=500, help="rows per table")
    parser.add_argument("--seeds", type=int, default=5, help="seeds 1..N per revision")
    parser.add_argument("--pg-url", help="a PostgreSQL server (its maintenance database)")
    parser.add_argument("--sqlite-only", action="store_true", help="no PostgreSQL")
    args = parser.parse_args()
    started = time.monotonic()
    with _pg_server(args.pg_url, not args.sqlite_only) as pg_url:
        outcomes = run(args.rows, range(1, args.seeds + 1), pg_url)
    took = time.monotonic() - started
    print(f"# Upgrade trials, {dt.date.today()}, head {head_revision()}, {took:.0f} s\n")
    print(summary(outcomes))
    rows = sum(o.rows for o in outcomes)
    values = sum(o.values for o in outcomes)
    print(f"\n{len(outcomes)} upgrades, {rows} rows, {values} values compared")
    for o in outcomes:
        for problem in o.problems:
            print(f"- {o.backend} from {o.revision}, seed {o.seed}: {problem}")
    return 1 if any(o.problems for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
