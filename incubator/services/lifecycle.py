"""The incubation lifecycle: a state machine that refuses illegal moves.

applied -> admitted -> incubating -> (mid-term evaluated) -> graduated | exited
Every move is dated, says who made it and why, and keeps ``Organization.stage`` in step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from incubator import validation as v
from incubator.db import Database
from incubator.domain import ACTIVE_STAGES, TRANSITIONS, Stage
from incubator.errors import IllegalTransitionError, ValidationError
from incubator.i18n import T, TList
from incubator.models import LifecycleTransition, Organization
from incubator.services.common import by_organization, check_version, load, view
from incubator.services.registry import WHAT, OrganizationView, overdue_condition, to_view


@dataclass(frozen=True)
class TransitionView:
    id: int
    organization_id: int
    from_stage: Stage | None
    to_stage: Stage
    occurred_on: dt.date
    actor: str
    reason: str


def allowed_next(stage: Stage) -> tuple[Stage, ...]:
    return TRANSITIONS[stage]


def is_allowed(from_stage: Stage, to_stage: Stage) -> bool:
    return to_stage in TRANSITIONS[from_stage]


def transition(
    db: Database,
    org_id: int,
    to_stage: Stage | str,
    *,
    reason: str,
    occurred_on: dt.date | str | None = None,
    expected_version: int | None = None,
    agreement_start: dt.date | str | None = None,
    agreement_planned_end: dt.date | str | None = None,
    actor: str | None = None,
) -> OrganizationView:
    """Move an organization to its next stage.

    Entering 'incubating' needs the incubation agreement's planned end (its start defaults to
    the transition date).
    """
    target = v.choice(Stage, to_stage, "to_stage")
    c = v.Checker()
    when = c(v.date, occurred_on, "occurred_on") or dt.date.today()
    text = c(v.clean_text, reason, "reason", required=True, max_len=2000)
    start = c(v.date, agreement_start, "agreement_start")
    planned_end = c(v.date, agreement_planned_end, "agreement_planned_end")
    if when > dt.date.today():
        c.add("occurred_on", "Date {date} is in the future", date=when)
    c.raise_if_any()
    with db.transaction(actor) as session:
        org = load(session, Organization, org_id, WHAT, lock=True)
        check_version(org, expected_version, WHAT)
        advance(org, target, when, text or "", session.info["actor"], start, planned_end)
        session.flush()
        return to_view(org)


def advance(
    org: Organization,
    target: Stage,
    when: dt.date,
    reason: str,
    actor: str,
    agreement_start: dt.date | None = None,
    agreement_planned_end: dt.date | None = None,
) -> None:
    """Move the organization (in a session or new, see ``incubator.bulk``) to ``target``
    on ``when``: the transition table, the dates and the agreement checked."""
    start, planned_end = agreement_start, agreement_planned_end
    if not is_allowed(org.stage, target):
        raise IllegalTransitionError(
            from_stage=T(org.stage.label),
            to_stage=T(target.label),
            allowed=TList(s.label for s in allowed_next(org.stage)) or T("none"),
        )
    if when < org.stage_since:
        raise ValidationError.single(
            "occurred_on",
            "Must not be before the current stage began ({date})",
            date=org.stage_since,
        )
    if target is Stage.INCUBATING:
        start = start or when
        if planned_end is None:
            raise ValidationError.single("agreement_planned_end", "This field is required")
        v.period(start, planned_end, "agreement_planned_end")
        if planned_end <= start:  # a zero-day agreement would be overdue at once
            raise ValidationError.single(
                "agreement_planned_end",
                "Must be after the agreement start ({date})",
                date=start,
            )
    elif planned_end is not None and target in ACTIVE_STAGES:
        # A mid-term review may extend or shorten the agreement.
        v.period(org.agreement_start, planned_end, "agreement_planned_end")
    # Append before changing the organization: loading the collection autoflushes, which
    # would otherwise split this one change into two updates (two versions, two audit rows).
    org.transitions.append(
        LifecycleTransition(
            from_stage=org.stage,
            to_stage=target,
            occurred_on=when,
            actor=actor,
            reason=reason,
        )
    )
    if target is Stage.INCUBATING:
        org.agreement_start = start
        org.agreement_planned_end = planned_end
    elif planned_end is not None and target in ACTIVE_STAGES:
        org.agreement_planned_end = planned_end
    org.stage = target
    org.stage_since = when


def history(db: Database, org_id: int) -> list[TransitionView]:
    with db.reading() as session:
        load(session, Organization, org_id, WHAT)
        return _histories(session, [org_id])[org_id]


def histories(db: Database, org_ids: Sequence[int]) -> dict[int, list[TransitionView]]:
    """``history`` of each organization, in one query."""
    with db.reading() as session:
        return _histories(session, org_ids)


def _histories(session: Any, org_ids: Sequence[int]) -> dict[int, list[TransitionView]]:
    rows = session.scalars(
        select(LifecycleTransition)
        .where(LifecycleTransition.organization_id.in_(org_ids))
        .order_by(LifecycleTransition.occurred_on, LifecycleTransition.id)
    )
    found = by_organization(org_ids, rows)
    return {i: [view(TransitionView, t) for t in found[i]] for i in found}


def overdue(db: Database, today: dt.date | None = None, within_days: int = 0) -> list[Any]:
    """Organizations whose incubation agreement ends before ``today + within_days``."""
    today = today or dt.date.today()
    with db.reading() as session:
        rows = session.scalars(
            select(Organization)
            .where(Organization.archived.is_(False), overdue_condition(today, within_days))
            .order_by(Organization.agreement_planned_end)
        )
        return [to_view(o) for o in rows]
