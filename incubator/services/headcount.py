"""The registry's two headline counts, "organizations" and "being incubated", defined once for
the dashboard, the center report and anything else that shows them.

- Organizations: every organization that had applied by the day, in whatever stage it was
  then (graduated and exited ones included: they were incubated here). Archived ones count
  too: archiving only hides an organization from the daily lists, it stays part of the
  center's record, and a reprinted report must not change because someone tidied a list.
- Being incubated: those whose stage on the day was incubating or mid-term evaluated. An
  admitted organization has not started its incubation agreement yet.

Each figure is shown with the sentence that says this (ORGANIZATIONS_MEANS, INCUBATED_MEANS).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Subquery, func, select

from incubator.db import Database
from incubator.domain import ACTIVE_STAGES, Stage
from incubator.i18n import T
from incubator.models import LifecycleTransition, Organization

ORGANIZATIONS_MEANS = T(
    "Organizations: every organization that had applied by {date}, in any stage "
    "(graduated, exited and archived ones included)."
)
INCUBATED_MEANS = T(
    "Being incubated: organizations whose stage on {date} was incubating or mid-term "
    "evaluated (admitted ones have not started their agreement yet)."
)


@dataclass(frozen=True)
class Headcount:
    day: dt.date
    by_stage: Mapping[Stage, int]  # every stage, in lifecycle order

    @property
    def organizations(self) -> int:
        return sum(self.by_stage.values())

    @property
    def being_incubated(self) -> int:
        return sum(self.by_stage[s] for s in ACTIVE_STAGES)

    @property
    def not_yet_incubated(self) -> int:
        """Applied or admitted: waiting for a decision or for their agreement."""
        return self.by_stage[Stage.APPLIED] + self.by_stage[Stage.ADMITTED]


def headcount(db: Database, day: dt.date | None = None) -> Headcount:
    """Organizations by their stage on ``day`` (today when not given)."""
    today = dt.date.today()
    day = day or today
    with db.reading() as session:
        if day >= today:
            # Transitions cannot be dated in the future, so today's stage is the current one:
            # the indexed column answers without reading the lifecycle history.
            stmt = select(Organization.stage, func.count()).group_by(Organization.stage)
        else:
            sub = stage_on(day)
            stmt = select(sub.c.stage, func.count()).group_by(sub.c.stage)
        counts = dict(session.execute(stmt).all())
    return Headcount(day, {s: int(counts.get(s, 0)) for s in Stage})


def stage_on(day: dt.date) -> Subquery:
    """Subquery (org_id, stage): each organization's stage after its last transition on or
    before ``day``; organizations that had not applied by then are absent."""
    ranked = (
        select(
            LifecycleTransition.organization_id.label("org_id"),
            LifecycleTransition.to_stage.label("stage"),
            func.row_number()
            .over(
                partition_by=LifecycleTransition.organization_id,
                order_by=(LifecycleTransition.occurred_on.desc(), LifecycleTransition.id.desc()),
            )
            .label("rn"),
        )
        .where(LifecycleTransition.occurred_on <= day)
        .subquery()
    )
    return select(ranked.c.org_id, ranked.c.stage).where(ranked.c.rn == 1).subquery()
