"""Bulk writes: thousands of new rows in one transaction, quickly, audited as a flush audits.

The rows come as new ORM objects built by the services' own builders (``registry.build_new``,
``lifecycle.advance``, ``funds.build_fund``, the records' ``clean``), so an import and the demo
obey the rules a form obeys. ``BulkWriter.add`` gives an object and its children (the
one-to-many collections: an organization's service fields, contacts and transitions, a fund's
payments) their ids and foreign keys; ``flush`` inserts what was added table by table, one
executemany each (Core: no unit of work to track). The objects never enter the session.

Each flush is audited by one entry, not one per row (issue 16: an entry per row doubled the
rows written, and made a JSON text of each): entity ``batch``, about the organizations from
``organization_id`` to ``last_organization_id``, its changes saying what the batch was
(``{"batch": "import", "file": "名单.xlsx", "rows": {"organizations": 500, ...}}``).
``audit_trail`` shows it in the history of each organization of the range.

Ids are handed out here, above the table's highest: on PostgreSQL each table written is locked
against other inserts until the transaction ends (reads go on), and ``finish`` moves its id
sequence past the new ids.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Dialect, Table, func, insert, select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import ONETOMANY

from incubator.audit import BATCH
from incubator.domain import AuditAction
from incubator.models import AuditEntry, Base, utcnow


@dataclass(frozen=True)
class _Shape:
    """What the writer needs of a mapped class, worked out once."""

    table: Table
    has_id: bool
    columns: list[tuple[str, str, Any]]  # (attribute, column, column default)
    children: list[tuple[str, list[tuple[str, str]]]]  # (collection, [(child key, parent key)])


@cache
def _shape(cls: type[Base]) -> _Shape:
    mapper = cls.__mapper__
    children = []
    for rel in mapper.relationships:
        if rel.direction is ONETOMANY:
            child = rel.mapper
            keys = [
                (child.get_property_by_column(c).key, mapper.get_property_by_column(p).key)
                for p, c in rel.local_remote_pairs
            ]
            children.append((rel.key, keys))
    return _Shape(
        mapper.local_table,  # type: ignore[arg-type]
        "id" in mapper.local_table.c,
        [(p.key, p.columns[0].key, p.columns[0].default) for p in mapper.column_attrs],
        children,
    )


@dataclass(frozen=True)
class _Insert:
    """A table's INSERT as the driver takes it, and how a row becomes its parameters: each
    value through its column type's own bind processor, as SQLAlchemy's execute would do it,
    without its per-row parameter machinery (a tenth of an import's writing time)."""

    sql: str
    keys: list[str]  # the row's keys in the statement's order
    processors: list[Callable[[Any], Any] | None]
    positional: bool

    def parameters(self, rows: list[dict[str, Any]]) -> list[Any]:
        steps = list(zip(self.keys, self.processors, strict=True))
        values = (
            [row[k] if p is None or row[k] is None else p(row[k]) for k, p in steps] for row in rows
        )
        if self.positional:
            return [tuple(v) for v in values]
        return [dict(zip(self.keys, v, strict=True)) for v in values]


@cache
def _insert(table: Table, dialect: Dialect) -> _Insert:
    compiled = insert(table).compile(dialect=dialect)
    keys = list(compiled.positiontup or []) if dialect.positional else list(table.c.keys())
    types = [table.c[k].type.dialect_impl(dialect) for k in keys]
    return _Insert(
        compiled.string, keys, [t.bind_processor(dialect) for t in types], dialect.positional
    )


def batches_of(what: str) -> ColumnElement[bool]:
    """The audit entries of the batches ``what`` wrote ("demo", "import"), whoever wrote them
    (on PostgreSQL the server names the login, not the program)."""
    opening = json.dumps({"batch": what}, ensure_ascii=False)[:-1]  # as ``BulkWriter`` starts it
    return (AuditEntry.entity == BATCH) & AuditEntry.changes.startswith(opening, autoescape=True)


class BulkWriter:
    """``what`` says what the batches are in their audit entries ("import", "demo"), with the
    ``file`` they came from if any."""

    def __init__(self, session: Session, what: str, file: str = "", batch: int = 5000) -> None:
        self.session = session
        self.actor: str = session.info.get("actor", "system")
        self.what = {"batch": what, "file": file} if file else {"batch": what}
        self.batch = batch  # rows kept before they are written
        self.postgres = session.get_bind().dialect.name == "postgresql"
        self._rows: dict[Table, list[dict[str, Any]]] = defaultdict(list)
        self._queued = 0
        self._orgs: set[int] = set()  # the organizations the queued rows belong to
        self._next_id: dict[Table, int] = {}

    def new_id(self, model: type[Base]) -> int:
        """The next free id of the model's table (locked on PostgreSQL from the first)."""
        table = model.__table__
        if table not in self._next_id:
            if self.postgres:
                self.session.execute(text(f"LOCK TABLE {table.name} IN EXCLUSIVE MODE"))
            highest = self.session.scalar(select(func.max(table.c.id)))
            self._next_id[table] = (highest or 0) + 1
        ident = self._next_id[table]
        self._next_id[table] += 1
        return ident

    def add(self, obj: Base) -> int:
        """Queue a new object and its children; its id."""
        self._queue(obj)
        if self._queued >= self.batch:
            self.flush()
        return getattr(obj, "id", 0)

    def _queue(self, obj: Base) -> None:
        shape = _shape(type(obj))
        values = obj.__dict__  # a new object's values, as its builder set them
        if shape.has_id and values.get("id") is None:
            obj.id = self.new_id(type(obj))  # type: ignore[attr-defined]
        row = {}
        for key, column_key, default in shape.columns:
            value = values.get(key)
            if value is None and default is not None:  # what an ORM insert fills in
                value = default.arg(None) if default.is_callable else default.arg
            row[column_key] = value
        self._rows[shape.table].append(row)
        self._queued += 1
        org = row["id"] if shape.table.name == "organizations" else row.get("organization_id")
        if org is not None:  # a fund's payments have none: their fund is in the same batch
            self._orgs.add(org)
        for collection, keys in shape.children:
            for child in values.get(collection) or ():  # only what was set: nothing loads
                for child_key, parent_key in keys:
                    setattr(child, child_key, row[parent_key])
                self._queue(child)

    def flush(self) -> None:
        """Insert what was added, parents before children, then the batch's audit entry."""
        if not self._queued:
            return
        connection = self.session.connection()
        counts = {}
        for table in Base.metadata.sorted_tables:
            rows = self._rows.pop(table, None)
            if rows:
                statement = _insert(table, connection.dialect)
                connection.exec_driver_sql(statement.sql, statement.parameters(rows))
                counts[table.name] = len(rows)
        orgs = self._orgs
        connection.execute(
            insert(AuditEntry.__table__),
            {
                "at": utcnow(),
                "actor": self.actor,
                "entity": BATCH,
                "entity_id": 0,  # many rows: the range of organizations and counts say which
                "organization_id": min(orgs) if orgs else None,
                "last_organization_id": max(orgs) if orgs else None,
                "action": AuditAction.CREATE,
                "changes": json.dumps({**self.what, "rows": counts}, ensure_ascii=False),
            },
        )
        self._queued = 0
        self._orgs = set()

    def finish(self) -> None:
        """Write the rest; on PostgreSQL, move each id sequence past the ids given here."""
        self.flush()
        if self.postgres:
            for table in self._next_id:
                self.session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT MAX(id) FROM {table.name}))"
                    )
                )
