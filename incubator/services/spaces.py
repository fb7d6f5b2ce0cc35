"""The center's spaces (rooms, desks, shared facilities) and their allocation to organizations.

An allocation covers start_on..end_on, both days included. On no day may a space hold more
active allocations than its capacity: for capacity 1, two may touch (one ends on the 31st, the
next starts on the 1st) but never overlap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from incubator import validation as v
from incubator.db import Database
from incubator.domain import AllocationStatus, SpaceKind
from incubator.errors import ValidationError
from incubator.models import Organization, Space, SpaceAllocation
from incubator.services import figures
from incubator.services.common import apply, by_organization, check_version, edited, load, view

WHAT = "Space"
ALLOCATION = "Space allocation"
SPACE_FIELDS = ("code", "name", "kind", "area_m2", "capacity", "active", "notes")


@dataclass(frozen=True)
class SpaceView:
    id: int
    code: str
    name: str
    kind: SpaceKind
    area_m2: Decimal
    capacity: int
    active: bool
    notes: str | None
    version: int


@dataclass(frozen=True)
class AllocationView:
    id: int
    space_id: int
    space_code: str
    space_name: str
    area_m2: Decimal
    organization_id: int
    organization_name: str
    start_on: dt.date
    end_on: dt.date
    status: AllocationStatus
    notes: str | None
    version: int

    def days(self) -> int:
        return (self.end_on - self.start_on).days + 1


def clean_space(data: Mapping[str, Any]) -> dict[str, Any]:
    c = v.Checker()
    out = {
        "code": c(v.clean_text, data.get("code"), "code", required=True, max_len=40),
        "name": c(v.clean_text, data.get("name"), "name", required=True),
        "kind": c(v.choice, SpaceKind, data.get("kind"), "kind"),
        "area_m2": c(v.number, data.get("area_m2"), "area_m2", places=2, maximum=100000),
        "capacity": c(v.count, data.get("capacity") or 1, "capacity"),
        "active": bool(data.get("active", True)),
        "notes": c(v.clean_text, data.get("notes"), "notes", max_len=4000),
    }
    c.raise_if_any()
    return out


def _check_code_free(session, code: str, own_id: int | None) -> None:
    other = session.scalar(select(Space.id).where(Space.code == code))
    if other is not None and other != own_id:
        raise ValidationError.single("code", "Another space already has code “{code}”", code=code)


def create_space(db: Database, data: Mapping[str, Any], actor: str | None = None) -> SpaceView:
    clean = clean_space(data)
    with db.transaction(actor) as session:
        _check_code_free(session, clean["code"], None)
        space = Space(**clean)
        session.add(space)
        session.flush()
        return view(SpaceView, space)


def update_space(
    db: Database,
    space_id: int,
    changes: Mapping[str, Any],
    expected_version: int,
    actor: str | None = None,
) -> SpaceView:
    with db.transaction(actor) as session:
        space = load(session, Space, space_id, WHAT)
        check_version(space, expected_version, WHAT)
        clean = clean_space(edited(space, SPACE_FIELDS, changes))
        _check_code_free(session, clean["code"], space.id)
        apply(space, clean)
        session.flush()
        return view(SpaceView, space)


def list_spaces(db: Database, include_inactive: bool = False) -> list[SpaceView]:
    with db.reading() as session:
        q = select(Space).order_by(Space.code)
        if not include_inactive:
            q = q.where(Space.active.is_(True))
        return [view(SpaceView, s) for s in session.scalars(q)]


def _allocation_view(a: SpaceAllocation, org_name: str) -> AllocationView:
    return view(
        AllocationView,
        a,
        space_code=a.space.code,
        space_name=a.space.name,
        area_m2=a.space.area_m2,
        organization_name=org_name,
    )


def _check_free(session, space: Space, start: dt.date, end: dt.date, own_id: int | None) -> None:
    """Refused when, on a day of ``start``..``end``, the space would hold more active
    allocations than its capacity (one organization at a time for capacity 1). The database
    keeps the same rule (migration 0015) for whatever writes to it; this says who holds it."""
    held = session.execute(
        select(SpaceAllocation, Organization.name)
        .join(Organization, Organization.id == SpaceAllocation.organization_id)
        .where(
            SpaceAllocation.space_id == space.id,
            SpaceAllocation.status == AllocationStatus.ACTIVE,
            SpaceAllocation.start_on <= end,
            SpaceAllocation.end_on >= start,
            SpaceAllocation.id != (own_id or -1),
        )
        .order_by(SpaceAllocation.start_on)
    ).all()
    # The count can only rise on a day one of them starts (or on the first day).
    days = sorted({start} | {a.start_on for a, _ in held if a.start_on > start})
    for day in days:
        holders = [(a, name) for a, name in held if a.start_on <= day <= a.end_on]
        if len(holders) < space.capacity:
            continue
        first, holder = holders[0]
        if space.capacity == 1:
            raise ValidationError.single(
                "start_on",
                "{space} is already allocated to “{holder}” from {start} to {end}",
                space=f"{space.code} {space.name}",
                holder=holder,
                start=first.start_on,
                end=first.end_on,
            )
        raise ValidationError.single(
            "start_on",
            "{space} holds {n} organizations on {day} already, as many as it takes: {holders}",
            space=f"{space.code} {space.name}",
            n=len(holders),
            day=day,
            holders="、".join(f"“{name}”" for _, name in holders),
        )


check_free = _check_free  # for bulk callers (the importer) inside their own transaction


def _clean_period(data: Mapping[str, Any]) -> tuple[dt.date, dt.date]:
    c = v.Checker()
    start = c(v.date, data.get("start_on"), "start_on", required=True)
    end = c(v.date, data.get("end_on"), "end_on", required=True)
    if start and end:
        c(v.period, start, end)
    c.raise_if_any()
    return start, end  # type: ignore[return-value]


clean_period = _clean_period


def allocate(
    db: Database,
    space_id: int,
    org_id: int,
    start_on: Any,
    end_on: Any,
    notes: str | None = None,
    actor: str | None = None,
) -> AllocationView:
    start, end = _clean_period({"start_on": start_on, "end_on": end_on})
    with db.transaction(actor) as session:
        # Lock the space so two desks can't book the same period at once (PostgreSQL).
        space = load(session, Space, space_id, WHAT, lock=True)
        org = load(session, Organization, org_id, "Organization")
        if not space.active:
            raise ValidationError.single("space", "{space} is no longer in use", space=space.name)
        _check_free(session, space, start, end, None)
        alloc = SpaceAllocation(
            space=space,
            organization_id=org.id,
            start_on=start,
            end_on=end,
            status=AllocationStatus.ACTIVE,
            notes=v.clean_text(notes, "notes", max_len=2000),
        )
        session.add(alloc)
        session.flush()
        return _allocation_view(alloc, org.name)


def change_allocation(
    db: Database,
    allocation_id: int,
    changes: Mapping[str, Any],
    expected_version: int,
    actor: str | None = None,
) -> AllocationView:
    """Move the period (end early, extend) or cancel (status 'cancelled') an allocation."""
    with db.transaction(actor) as session:
        alloc = load(session, SpaceAllocation, allocation_id, ALLOCATION)
        check_version(alloc, expected_version, ALLOCATION)
        space = load(session, Space, alloc.space_id, WHAT, lock=True)
        start, end = _clean_period(
            {
                "start_on": changes.get("start_on", alloc.start_on),
                "end_on": changes.get("end_on", alloc.end_on),
            }
        )
        status = v.choice(AllocationStatus, changes.get("status", alloc.status), "status")
        if status is AllocationStatus.ACTIVE:
            _check_free(session, space, start, end, alloc.id)
        apply(alloc, {"start_on": start, "end_on": end, "status": status})
        if "notes" in changes:
            alloc.notes = v.clean_text(changes["notes"], "notes", max_len=2000)
        session.flush()
        org_name = session.scalar(
            select(Organization.name).where(Organization.id == alloc.organization_id)
        )
        return _allocation_view(alloc, org_name or "")


def _allocations(session, *where) -> list[AllocationView]:
    rows = session.execute(
        select(SpaceAllocation, Organization.name)
        .join(Organization, Organization.id == SpaceAllocation.organization_id)
        .options(joinedload(SpaceAllocation.space))  # not one query per space
        .where(*where)
        .order_by(SpaceAllocation.start_on, SpaceAllocation.id)
    )
    return [_allocation_view(a, name) for a, name in rows]


def allocations_of(db: Database, org_id: int) -> list[AllocationView]:
    with db.reading() as session:
        load(session, Organization, org_id, "Organization")
        return _allocations(session, SpaceAllocation.organization_id == org_id)


def allocations_of_many(db: Database, org_ids: Sequence[int]) -> dict[int, list[AllocationView]]:
    """``allocations_of`` each organization, in one query."""
    with db.reading() as session:
        found = _allocations(session, SpaceAllocation.organization_id.in_(org_ids))
    return by_organization(org_ids, found)


def allocations_on(
    db: Database, space_id: int, start: dt.date | None = None, end: dt.date | None = None
) -> list[AllocationView]:
    """A space's allocations (cancelled included, for its timeline), optionally in a period."""
    with db.reading() as session:
        load(session, Space, space_id, WHAT)
        where = [SpaceAllocation.space_id == space_id]
        if start:
            where.append(SpaceAllocation.end_on >= start)
        if end:
            where.append(SpaceAllocation.start_on <= end)
        return _allocations(session, *where)


Occupancy = figures.SpaceUse


def occupancy(db: Database, start: dt.date, end: dt.date, org_id: int | None = None) -> Occupancy:
    """Share of space-days in the period covered by active allocations (``figures.space_use``)."""
    return figures.space_use_total(db, start, end, org_id)
