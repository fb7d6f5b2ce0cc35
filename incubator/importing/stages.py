"""A new organization's lifecycle as a center's own list gives it: the stage it is in and the
dates it has (admitted, agreement start and planned end, the current stage's start).

The organization is walked from "applied" to that stage along the lifecycle's table, one
``lifecycle.advance`` per step, as staff would click it: the shortest way (an exited
organization passes through "admitted" and "incubating" only when the list dates them). A
date the list lacks is the step before's, said as a warning; an organization still being
incubated needs its agreement's planned end, which the overdue reminders count from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from incubator import validation as v
from incubator.domain import ACTIVE_STAGES, TRANSITIONS, Stage
from incubator.errors import IncubatorError, Problem, ValidationError
from incubator.i18n import T, field_label, tr
from incubator.models import Organization
from incubator.services import lifecycle

# Besides the app's own names of the stages (any language): what lists call them, folded.
STAGE_WORDS = {
    "申请": Stage.APPLIED,
    "申请中": Stage.APPLIED,
    "待评审": Stage.APPLIED,
    "入驻": Stage.ADMITTED,
    "拟入驻": Stage.ADMITTED,
    "孵化": Stage.INCUBATING,
    "在孵": Stage.INCUBATING,
    "正在孵化": Stage.INCUBATING,
    "中期评估": Stage.MID_TERM,
    "中期": Stage.MID_TERM,
    "出壳": Stage.GRADUATED,
    "毕业": Stage.GRADUATED,
    "已毕业": Stage.GRADUATED,
    "退出": Stage.EXITED,
    "终止孵化": Stage.EXITED,
}
# The columns that date the steps; "stage_since" dates the stage the list gives.
DATES = ("admitted_on", "agreement_start", "agreement_planned_end", "stage_since")
_DATED_BY = {Stage.ADMITTED: "admitted_on", Stage.INCUBATING: "agreement_start"}

UNKNOWN = T("Stage “{stage}” is not one of the lifecycle's: the organization starts as applied")
DATE_TAKEN = T("{field} not given: taken as {date}")
END_NEEDED = T("Needed for an organization in stage {stage}: overdue reminders count from it")
REASON = T("Imported from a spreadsheet")


@dataclass(frozen=True)
class Step:
    stage: Stage
    day: dt.date
    field: str  # the column that dates it (problems are shown there)
    agreement_start: dt.date | None = None
    agreement_end: dt.date | None = None


def stage_of(text: str) -> Stage | None:
    """The stage a list's word names, or None when it names none (a bureau's "状态" column
    may hold 正常 or 注销)."""
    folded = v.fold(text).strip()
    if folded in STAGE_WORDS:
        return STAGE_WORDS[folded]
    try:
        return v.choice(Stage, folded, "stage")
    except ValidationError:
        return None


def _path(target: Stage, dated: Mapping[str, Any]) -> list[Stage]:
    """The stages after "applied" up to ``target``, the shortest way through the table."""
    if target is Stage.EXITED:
        via = [Stage.ADMITTED] if dated.get("admitted_on") else []
        if dated.get("agreement_start") and dated.get("agreement_planned_end"):
            via = [Stage.ADMITTED, Stage.INCUBATING]
        return [*via, Stage.EXITED]
    ways = {Stage.APPLIED: [Stage.APPLIED]}
    queue = [Stage.APPLIED]
    while queue:  # breadth first: the first way found is a shortest one
        stage = queue.pop(0)
        for after in TRANSITIONS[stage]:
            if after not in ways:
                ways[after] = [*ways[stage], after]
                queue.append(after)
    return ways[target][1:]


def plan(
    target: Stage, applied_on: dt.date, dated: Mapping[str, Any]
) -> tuple[list[Step], list[tuple[str, str]]]:
    """The dated steps to ``target`` and the warnings (field, message) for dates taken from
    the step before; ValidationError (by field) when a needed date is missing or future."""
    steps: list[Step] = []
    warnings: list[tuple[str, str]] = []
    previous = applied_on
    for stage in _path(target, dated):
        field = _DATED_BY.get(stage, "stage_since")
        day = dated.get(field) or (dated.get("stage_since") if stage is target else None)
        if day is None:
            day = previous
            warnings.append((field, tr(DATE_TAKEN, field=field_label(field), date=day)))
        if day > dt.date.today():
            raise ValidationError.single(field, "Date {date} is in the future", date=day)
        start = end = None
        if stage is Stage.INCUBATING:
            start, end = day, dated.get("agreement_planned_end")
            if end is None and target in ACTIVE_STAGES:
                raise ValidationError.single(
                    "agreement_planned_end", END_NEEDED, stage=T(target.label)
                )
            if end is None:  # graduated or exited since: the day it ended
                end = dated.get("stage_since") or day
                text = tr(DATE_TAKEN, field=field_label("agreement_planned_end"), date=end)
                warnings.append(("agreement_planned_end", text))
        steps.append(Step(stage, day, field, start, end))
        previous = day
    return steps, warnings


def walk(org: Organization, steps: list[Step], actor: str) -> None:
    """Move a new organization along ``steps`` (``lifecycle.advance``: the table, the dates
    and the agreement checked); a refusal names the column of the step's date."""
    reason = tr(REASON)
    for step in steps:
        try:
            lifecycle.advance(
                org, step.stage, step.day, reason, actor, step.agreement_start, step.agreement_end
            )
        except ValidationError as exc:  # "before the current stage began": the step's date
            named = {"occurred_on": step.field}
            raise ValidationError(
                [Problem(named.get(p.field or "", p.field), p.key, p.params) for p in exc.problems]
            ) from None
        except IncubatorError as exc:  # (an illegal transition: never on the shortest way)
            raise ValidationError.single(step.field, exc.key, **exc.params) from None
