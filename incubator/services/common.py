"""Helpers shared by the service modules: loading rows, version checks, dataclass views."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from incubator.errors import ConflictError, NotFoundError, ValidationError
from incubator.i18n import T
from incubator.models import Base

M = TypeVar("M", bound=Base)
V = TypeVar("V")


def load(session: Session, model: type[M], ident: int, what: str, *, lock: bool = False) -> M:
    """The row with this id, or NotFoundError naming what was looked for.

    ``lock`` holds other desks off until this unit of work ends, so checks that read other rows
    (overlapping allocations, a fund's payment schedule) stay true until the commit: SELECT ...
    FOR UPDATE on PostgreSQL; on SQLite every unit of work holds the write lock from its start
    (``Database.transaction``).
    """
    obj = session.get(model, ident, with_for_update=lock or None)
    if obj is None:
        raise NotFoundError(what=T(what), ident=ident)
    return obj


def check_version(obj: Any, expected: int | None, what: str) -> None:
    """Refuse a save based on an older version of the row (optimistic locking)."""
    if expected is not None and obj.version != expected:
        current = {
            c.key: getattr(obj, c.key)
            for c in obj.__mapper__.column_attrs
            if c.key not in ("created_at", "updated_at")
        }
        raise ConflictError(
            what=T(what), current=obj.version, yours=expected, current_values=current
        )


def by_organization(ids: Iterable[int], rows: Iterable[Any]) -> dict[int, list[Any]]:
    """``rows`` (each with an ``organization_id``) under their organization's id, in the order
    read; every id in ``ids`` has a list, empty when it has no rows."""
    out: dict[int, list[Any]] = {i: [] for i in ids}
    for row in rows:
        out[row.organization_id].append(row)
    return out


def view(cls: type[V], obj: Any, **extra: Any) -> V:
    """Build a view dataclass from an ORM object's attributes of the same names."""
    values = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in extra:
            values[f.name] = extra[f.name]
        elif hasattr(obj, f.name):
            values[f.name] = getattr(obj, f.name)
    return cls(**values)


def apply(obj: Any, clean: Mapping[str, Any]) -> bool:
    """Set the attributes that differ; True when anything changed."""
    changed = False
    for key, value in clean.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def edited(obj: Any, names: Iterable[str], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The row's editable fields with the changes laid over them: what an update validates
    as a whole (changes to other fields are ignored)."""
    return {n: changes[n] if n in changes else getattr(obj, n) for n in names}


def put_settings(session: Session, values: Mapping[str, str]) -> None:
    """Set center-wide settings (the ``settings`` table), each only if it changed, so the
    audit records real changes."""
    from incubator.models import Setting

    for key, value in values.items():
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value))
        elif row.value != value:
            row.value = value


def save_one(
    session: Session,
    row: M | None,
    expected_version: int,
    what: str,
    make: Callable[[], M],
    values: Mapping[str, Any],
) -> M:
    """Create or update the one row of a keyed text (a narrative, a year's targets) under
    optimistic locking: ``expected_version`` 0 means "there was none when I started"."""
    if row is None:
        if expected_version:
            raise ConflictError(what=T(what), current=0, yours=expected_version)
        row = make()
        session.add(row)
    else:
        if not expected_version:
            raise ConflictError(what=T(what), current=row.version, yours=0)
        check_version(row, expected_version, what)
        apply(row, values)
    session.flush()
    return row


@contextlib.contextmanager
def first_save_race(what: str) -> Iterator[None]:
    """Two desks creating the same keyed row at once: the unique key refuses the second,
    which is told so as a conflict, not as a database error."""
    try:
        yield
    except ValidationError as exc:
        if isinstance(exc.__cause__, IntegrityError):
            raise ConflictError(what=T(what), current=1, yours=0) from exc
        raise
