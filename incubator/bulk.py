"""Bulk writes: thousands of new rows in one transaction, quickly, audited as a flush audits.

The rows come as new ORM objects built by the services' own builders (``registry.build_new``,
``lifecycle.advance``, ``funds.build_fund``, the records' ``clean``), so an import and the demo
obey the rules a form obeys. ``BulkWriter.add`` gives an object and its children (the
one-to-many collections: an organization's service fields, contacts and transitions, a fund's
payments) their ids and foreign keys; ``flush`` inserts what was added table by table, one
executemany each (Core: no unit of work to track), then the audit rows ``audit.entry`` makes
of them, the very rows a flush would write. The objects never enter the session.

Ids are handed out here, above the table's highest: on PostgreSQL each table written is locked
against other inserts until the transaction ends (reads go on), and ``finish`` moves its id
sequence past the new ids.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import ONETOMANY

from incubator import audit
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


class BulkWriter:
    def __init__(self, session: Session, batch: int = 5000) -> None:
        self.session = session
        self.actor: str = session.info.get("actor", "system")
        self.batch = batch  # rows kept before they are written
        self.postgres = session.get_bind().dialect.name == "postgresql"
        self._rows: dict[Table, list[dict[str, Any]]] = defaultdict(list)
        self._audit: list[dict[str, Any]] = []
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

    def add(self, obj: Base, at: dt.datetime | None = None) -> int:
        """Queue a new object and its children; its id. Each row is audited at its
        ``created_at``, else at ``at`` (default now)."""
        self._queue(obj, at or utcnow())
        if len(self._audit) >= self.batch:
            self.flush()
        return getattr(obj, "id", 0)

    def _queue(self, obj: Base, at: dt.datetime) -> None:
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
        at = row.get("created_at") or at  # a row made with a past date is audited then (demo)
        changes = audit.created_changes(row)
        entry = audit.entry(obj, AuditAction.CREATE, self.actor, at, changes)
        assert entry is not None
        self._audit.append(entry)
        for collection, keys in shape.children:
            for child in values.get(collection) or ():  # only what was set: nothing loads
                for child_key, parent_key in keys:
                    setattr(child, child_key, row[parent_key])
                self._queue(child, at)

    def flush(self) -> None:
        """Insert what was added, parents before children, then its audit rows."""
        connection = self.session.connection()
        for table in Base.metadata.sorted_tables:
            rows = self._rows.pop(table, None)
            if rows:
                connection.execute(insert(table), rows)
        if self._audit:
            connection.execute(insert(AuditEntry.__table__), self._audit)
            self._audit = []

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
