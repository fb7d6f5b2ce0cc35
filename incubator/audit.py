"""Automatic audit trail: every insert, update and delete of a registry row is written to
``audit_log`` inside the same flush, hence the same transaction, as the change itself."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from incubator.domain import AuditAction
from incubator.models import AuditEntry, Base, Voidable, utcnow

BATCH = "batch"  # the entity of a bulk batch's one entry (incubator.bulk)
# Bookkeeping columns that change on every save and say nothing to a reader; a stored file's
# content (named by its hash, which is recorded).
_SKIP = {"version", "created_at", "updated_at", "name_sort", "search_key", "data"}


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, bool | int | str) and not isinstance(value, Enum)):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal | dt.date | dt.datetime):
        return str(value)
    return str(value)


def _organization_id(obj: Base) -> int | None:
    if obj.__tablename__ == "organizations":
        return obj.id  # type: ignore[attr-defined]
    if hasattr(obj, "organization_id"):
        return obj.organization_id  # type: ignore[attr-defined]
    fund = getattr(obj, "fund", None)
    return getattr(fund, "organization_id", None)


def _entity_id(obj: Base) -> int:
    ident = obj.__dict__.get("id")
    if isinstance(ident, int):
        return ident
    # New rows have no identity key yet during the flush, but their primary key is set.
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    if len(key) == 1 and isinstance(key[0], int):
        return key[0]
    # Rows keyed by text (settings) name their key in the recorded changes; id 0 here.
    # Composite keys (service fields) are audited against their organization.
    return int(getattr(obj, "organization_id", 0))


def created_changes(values: Mapping[str, Any]) -> dict[str, list[Any]]:
    """What a new row's audit records: each filled column, from nothing to its value."""
    return {
        key: [None, _plain(value)]
        for key, value in values.items()
        if value is not None and key != "id" and key not in _SKIP
    }


def _changes(obj: Base, action: AuditAction) -> dict[str, list[Any]]:
    state = inspect(obj)
    attrs = state.mapper.column_attrs
    if action is AuditAction.CREATE:
        return created_changes({attr.key: getattr(obj, attr.key) for attr in attrs})
    out: dict[str, list[Any]] = {}
    for attr in attrs:
        key = attr.key
        if key in _SKIP:
            continue
        hist = state.attrs[key].history
        if action is AuditAction.DELETE:
            value = hist.unchanged[0] if hist.unchanged else (hist.deleted or [None])[0]
            if value is not None and key != "id":
                out[key] = [_plain(value), None]
        elif hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if _plain(old) != _plain(new):
                out[key] = [_plain(old), _plain(new)]
    return out


def entry(
    obj: Base,
    action: AuditAction,
    actor: str,
    at: dt.datetime,
    changes: dict[str, list[Any]] | None = None,
) -> dict[str, Any] | None:
    """The audit row of one change to ``obj`` (None for an update that changed nothing), as
    a flush writes it (``incubator.bulk`` audits its batches with one entry each)."""
    changes = _changes(obj, action) if changes is None else changes
    if action is AuditAction.UPDATE and not changes:
        return None
    for column in obj.__mapper__.primary_key:
        value = getattr(obj, column.key)
        if isinstance(value, str):  # a text key says which row changed (settings)
            changes.setdefault(column.key, [value, value])
    return {
        "at": at,
        "actor": actor,
        "entity": obj.__tablename__,
        "entity_id": _entity_id(obj),
        "organization_id": _organization_id(obj),
        "action": action,
        "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
    }


def _after_flush(session: Session, _ctx) -> None:
    actor = session.info.get("actor", "system")
    now = utcnow()
    rows = []
    for objects, action in (
        (session.new, AuditAction.CREATE),
        (session.dirty, AuditAction.UPDATE),
        (session.deleted, AuditAction.DELETE),
    ):
        for obj in objects:
            if not isinstance(obj, Base) or isinstance(obj, AuditEntry):
                continue
            row = entry(obj, action, actor, now)
            if row is not None:
                rows.append(row)
    if rows:
        session.connection().execute(insert(AuditEntry.__table__), rows)


class AuditedSession(Session):
    """The registry's sessions: every flush writes its audit rows (listener below)."""


# Listening on the class, once: a listener per sessionmaker was lost now and then, when a
# new sessionmaker reused a collected one's id and event.contains() answered for the old one.
event.listen(AuditedSession, "after_flush", _after_flush)


INCLUDE_VOIDED = "include_voided"  # an execution option: this query sees voided records too


def _leave_voided_out(state: ORMExecuteState) -> None:
    """Every select of the registry's sessions leaves voided records out (``models.Voidable``,
    ``incubator.voiding``), the records a row loads included: one rule, everywhere."""
    if state.is_select and not state.execution_options.get(INCLUDE_VOIDED):
        state.statement = state.statement.options(
            with_loader_criteria(
                Voidable, lambda cls: cls.voided_at.is_(None), include_aliases=True
            )
        )


event.listen(AuditedSession, "do_orm_execute", _leave_voided_out)
