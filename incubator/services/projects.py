"""Projects run by organizations: funder, budget, period, status, beneficiaries and outputs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from incubator import validation as v
from incubator.db import Database
from incubator.domain import ProjectStatus
from incubator.models import Project
from incubator.services import figures
from incubator.services.records import RecordKind

FIELDS = ("name", "funder", "budget", "start_on", "end_on", "status", "beneficiaries", "outputs")


@dataclass(frozen=True)
class ProjectView:
    id: int
    organization_id: int
    name: str
    funder: str | None
    budget: Decimal
    start_on: dt.date
    end_on: dt.date | None
    status: ProjectStatus
    beneficiaries: int
    outputs: str | None
    version: int


def clean(data: Mapping[str, Any]) -> dict[str, Any]:
    c = v.Checker()
    out = {
        "name": c(v.clean_text, data.get("name"), "name", required=True),
        "funder": c(v.clean_text, data.get("funder"), "funder"),
        "budget": c(v.money, data.get("budget"), "budget"),
        "start_on": c(v.date, data.get("start_on"), "start_on", required=True),
        "end_on": c(v.date, data.get("end_on"), "end_on"),
        "status": c(v.choice, ProjectStatus, data.get("status") or ProjectStatus.ONGOING, "status"),
        "beneficiaries": c(v.count, data.get("beneficiaries"), "beneficiaries"),
        "outputs": c(v.clean_text, data.get("outputs"), "outputs", max_len=4000),
    }
    if c.ok("start_on", "end_on"):
        c(v.period, out["start_on"], out["end_on"])
    c.raise_if_any()
    return out


KIND = RecordKind(Project, ProjectView, "Project", clean, FIELDS, ("start_on",))
add = KIND.add
update = KIND.update
list_for = KIND.list_for
list_many = KIND.list_many


@dataclass(frozen=True)
class ProjectTotals:
    count: int
    budget: Decimal
    beneficiaries: int

    @classmethod
    def of(cls, f: figures.ProjectFigures) -> ProjectTotals:
        return cls(f.count, f.budget, f.beneficiaries)


def totals(
    db: Database,
    org_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> ProjectTotals:
    """Projects active at some time in the period, by the rule of ``figures.projects``."""
    return ProjectTotals.of(figures.projects(db, start, end, org_id))
