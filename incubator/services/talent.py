"""Talent support: training sessions attended, mentors and social workers assigned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from incubator import validation as v
from incubator.db import Database
from incubator.domain import TalentKind
from incubator.models import TalentRecord
from incubator.services import figures
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
list_many = KIND.list_many


TalentTotals = figures.TalentFigures


def totals(
    db: Database,
    org_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> TalentTotals:
    """Sessions, engagements and hours of the period, by the rules of ``figures.talent``."""
    return figures.talent(db, start, end, org_id)
