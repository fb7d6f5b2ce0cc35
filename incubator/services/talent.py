"""Talent support: training sessions attended, mentors and social workers assigned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from incubator import validation as v
from incubator.db import Database
from incubator.domain import TalentKind
from incubator.models import TalentRecord
from incubator.services.records import RecordKind

FIELDS = (
    "kind",
    "title",
    "person_name",
    "provider",
    "start_on",
    "end_on",
    "people_count",
    "hours",
    "notes",
)


@dataclass(frozen=True)
class TalentView:
    id: int
    organization_id: int
    kind: TalentKind
    title: str
    person_name: str | None
    provider: str | None
    start_on: dt.date
    end_on: dt.date | None
    people_count: int
    hours: Decimal
    notes: str | None
    version: int


def clean(data: Mapping[str, Any]) -> dict[str, Any]:
    c = v.Checker()
    out = {
        "kind": c(v.choice, TalentKind, data.get("kind"), "kind"),
        "title": c(v.clean_text, data.get("title"), "title", required=True),
        "person_name": c(v.clean_text, data.get("person_name"), "person_name", max_len=100),
        "provider": c(v.clean_text, data.get("provider"), "provider"),
        "start_on": c(v.date, data.get("start_on"), "start_on", required=True),
        "end_on": c(v.date, data.get("end_on"), "end_on"),
        "people_count": c(v.count, data.get("people_count"), "people_count"),
        "hours": c(v.number, data.get("hours"), "hours", places=1, maximum=100000),
        "notes": c(v.clean_text, data.get("notes"), "notes", max_len=4000),
    }
    if c.ok("start_on", "end_on"):
        c(v.period, out["start_on"], out["end_on"])
    c.raise_if_any()
    return out


KIND = RecordKind(TalentRecord, TalentView, "Talent record", clean, FIELDS, ("start_on",))
add = KIND.add
update = KIND.update
list_for = KIND.list_for


@dataclass(frozen=True)
class TalentTotals:
    trainings: int
    mentors: int
    social_workers: int
    people: int
    hours: Decimal


def totals(
    db: Database,
    org_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> TalentTotals:
    """Records starting within the period: sessions by kind, people trained, hours."""
    with db.reading() as session:
        q = select(
            TalentRecord.kind,
            func.count(),
            func.coalesce(func.sum(TalentRecord.people_count), 0),
            func.coalesce(func.sum(TalentRecord.hours), 0),
        ).group_by(TalentRecord.kind)
        if org_id is not None:
            q = q.where(TalentRecord.organization_id == org_id)
        if start:
            q = q.where(TalentRecord.start_on >= start)
        if end:
            q = q.where(TalentRecord.start_on <= end)
        by_kind = {kind: (n, people, hours) for kind, n, people, hours in session.execute(q)}
    zero = (0, 0, 0)
    return TalentTotals(
        trainings=int(by_kind.get(TalentKind.TRAINING, zero)[0]),
        mentors=int(by_kind.get(TalentKind.MENTOR, zero)[0]),
        social_workers=int(by_kind.get(TalentKind.SOCIAL_WORKER, zero)[0]),
        people=int(sum(x[1] for x in by_kind.values())),
        hours=Decimal(str(sum(float(x[2]) for x in by_kind.values()))).quantize(Decimal("0.1")),
    )
