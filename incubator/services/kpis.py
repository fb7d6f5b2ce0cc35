"""Key performance indicators of the center against the year's targets (``services.targets``),
and the overdue lists the center report prints. Each figure comes from ``services.figures`` or
from a rule written here once.

Indicators, each for the period and for its year to the period's end (a period that has not
ended counts to today):

- organizations incubated: those whose stage was incubating or mid-term evaluated on some day
  of the span (already so at its start, or entering it during the span);
- graduation rate: graduations over graduations and exits in the span (how incubations ended);
- funds disbursed (yuan), and the share of what was committed to the span's end that was paid;
- training hours (training only, ``figures.talent``);
- space occupancy (``figures.space_use``);
- overdue payments at the span's end: scheduled instalments of live funds due before that day
  and not paid by it. Its target is a most, not a least.

Overdue evaluations at a day: an organization incubating on that day whose mid-term evaluation
was due (six months after its agreement started) before it and not recorded by then; or one
mid-term evaluated whose agreement was planned to end before that day with no graduation
evaluation recorded by then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import exists, func, select

from incubator.db import Database
from incubator.domain import (
    ACTIVE_STAGES,
    EvaluationKind,
    Stage,
)
from incubator.i18n import T
from incubator.models import Evaluation, Fund, FundPayment, LifecycleTransition, Organization
from incubator.services import figures, targets
from incubator.services.dashboard import MID_TERM_AFTER_MONTHS, add_months
from incubator.services.headcount import stage_on

INCUBATED = T("Organizations incubated")
GRADUATION_RATE = T("Graduation rate")
DISBURSED = T("Funds disbursed (yuan)")
PAID_SHARE = T("Share of funds committed to the end paid by then")
TRAINING_HOURS = T("Training hours (h)")
OCCUPANCY = T("Space occupancy")
OVERDUE = T("Overdue payments at the end")


@dataclass(frozen=True)
class Indicator:
    key: str  # a targets field, or "paid_share" (no target)
    label: str  # T(...) source, translated when printed
    kind: str  # "count", "rate", "money" or "hours": how it prints
    target: Decimal | None
    in_period: Decimal | None  # None: nothing to measure (no graduations nor exits ...)
    in_year: Decimal | None  # the year of the period's end, to the period's end
    at_most: bool = False  # the target is a ceiling (overdue payments)

    @property
    def completion(self) -> Decimal | None:
        """The year's value as a share of the target (for a ceiling: None)."""
        if self.target is None or self.in_year is None or self.at_most or not self.target:
            return None
        return figures.share(self.in_year, self.target)

    @property
    def met(self) -> bool | None:
        if self.target is None or self.in_year is None:
            return None
        return self.in_year <= self.target if self.at_most else self.in_year >= self.target


def incubated(db: Database, start: dt.date, end: dt.date) -> int:
    """Organizations incubating or mid-term evaluated on some day of ``start..end``."""
    before = stage_on(start)
    with db.reading() as session:
        already = set(
            session.scalars(select(before.c.org_id).where(before.c.stage.in_(ACTIVE_STAGES)))
        )
        entering = set(
            session.scalars(
                select(LifecycleTransition.organization_id).where(
                    LifecycleTransition.to_stage.in_(ACTIVE_STAGES),
                    LifecycleTransition.occurred_on >= start,
                    LifecycleTransition.occurred_on <= end,
                )
            )
        )
    return len(already | entering)


def endings(db: Database, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(graduations, exits) in ``start..end``."""
    with db.reading() as session:
        found = dict(
            session.execute(
                select(LifecycleTransition.to_stage, func.count())
                .where(
                    LifecycleTransition.to_stage.in_((Stage.GRADUATED, Stage.EXITED)),
                    LifecycleTransition.occurred_on >= start,
                    LifecycleTransition.occurred_on <= end,
                )
                .group_by(LifecycleTransition.to_stage)
            ).all()
        )
    return int(found.get(Stage.GRADUATED, 0)), int(found.get(Stage.EXITED, 0))


def graduation_rate(db: Database, start: dt.date, end: dt.date) -> Decimal | None:
    graduated, exited = endings(db, start, end)
    if not graduated + exited:
        return None
    return figures.share(graduated, graduated + exited)


# --- overdue payments ---------------------------------------------------------------------


@dataclass(frozen=True)
class OverduePayment:
    organization_id: int
    organization: str
    fund: str
    due_on: dt.date
    amount: Decimal
    days: int  # overdue on the day asked about


def overdue_payments(db: Database, day: dt.date) -> list[OverduePayment]:
    """Payments overdue on ``day``, longest overdue first."""
    q = (
        select(
            Organization.id, Organization.name, Fund.title, FundPayment.due_on, FundPayment.amount
        )
        .join(Fund, Fund.id == FundPayment.fund_id)
        .join(Organization, Organization.id == Fund.organization_id)
        .where(figures.unpaid_on(day))
        .order_by(FundPayment.due_on, Organization.name_sort, FundPayment.id)
    )
    with db.reading() as session:
        return [
            OverduePayment(
                oid,
                name,
                title,
                due,
                Decimal(str(amount)).quantize(Decimal("0.01")),
                (day - due).days,
            )
            for oid, name, title, due, amount in session.execute(q)
        ]


# --- overdue evaluations ------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueEvaluation:
    organization_id: int
    organization: str
    kind: EvaluationKind  # the evaluation that is missing
    due_on: dt.date
    days: int


def _recorded(kind: EvaluationKind, day: dt.date):
    return exists().where(
        Evaluation.organization_id == Organization.id,
        Evaluation.kind == kind,
        Evaluation.evaluated_on <= day,
    )


def overdue_evaluations(db: Database, day: dt.date) -> list[OverdueEvaluation]:
    """Evaluations overdue on ``day`` (see the module's rule), longest overdue first."""
    st = stage_on(day)
    out: list[OverdueEvaluation] = []
    with db.reading() as session:
        mid = session.execute(
            select(Organization.id, Organization.name, Organization.agreement_start)
            .join(st, st.c.org_id == Organization.id)
            .where(
                st.c.stage == Stage.INCUBATING,
                Organization.agreement_start.is_not(None),
                ~_recorded(EvaluationKind.MID_TERM, day),
            )
        )
        for oid, name, started in mid:
            due = add_months(started, MID_TERM_AFTER_MONTHS)
            if due < day:
                out.append(
                    OverdueEvaluation(oid, name, EvaluationKind.MID_TERM, due, (day - due).days)
                )
        final = session.execute(
            select(Organization.id, Organization.name, Organization.agreement_planned_end)
            .join(st, st.c.org_id == Organization.id)
            .where(
                st.c.stage == Stage.MID_TERM,
                Organization.agreement_planned_end < day,
                ~_recorded(EvaluationKind.GRADUATION, day),
            )
        )
        out += [
            OverdueEvaluation(oid, name, EvaluationKind.GRADUATION, due, (day - due).days)
            for oid, name, due in final
        ]
    return sorted(out, key=lambda e: (e.due_on, e.organization))


# --- the indicators -----------------------------------------------------------------------


def indicators(db: Database, start: dt.date, end: dt.date) -> list[Indicator]:
    """Every indicator for ``start..end`` and for its year to ``end`` (see the module)."""
    goal = targets.get(db, end.year)
    year_start = dt.date(end.year, 1, 1)

    def both(measure) -> tuple[Decimal | None, Decimal | None]:
        return measure(start, end), measure(year_start, end)

    # Of everything committed to the end, the share paid by then: one figure for both columns.
    to_end = figures.money_total(db, None, end)
    paid = figures.share(to_end.disbursed, to_end.committed) if to_end.committed else None
    overdue = Decimal(len(overdue_payments(db, end)))
    return [
        Indicator(
            "incubated",
            INCUBATED,
            "count",
            _dec(goal.incubated),
            *both(lambda a, b: Decimal(incubated(db, a, b))),
        ),
        Indicator(
            "graduation_rate",
            GRADUATION_RATE,
            "rate",
            goal.graduation_rate,
            *both(lambda a, b: graduation_rate(db, a, b)),
        ),
        Indicator(
            "disbursed",
            DISBURSED,
            "money",
            goal.disbursed,
            *both(lambda a, b: figures.money_total(db, a, b).disbursed),
        ),
        Indicator("paid_share", PAID_SHARE, "rate", None, paid, paid),
        Indicator(
            "training_hours",
            TRAINING_HOURS,
            "hours",
            goal.training_hours,
            *both(lambda a, b: figures.talent(db, a, b).training_hours),
        ),
        Indicator(
            "occupancy_rate",
            OCCUPANCY,
            "rate",
            goal.occupancy_rate,
            *both(lambda a, b: figures.space_use_total(db, a, b).rate),
        ),
        Indicator(
            "overdue_payments",
            OVERDUE,
            "count",
            _dec(goal.overdue_payments),
            overdue,
            overdue,
            at_most=True,
        ),
    ]


def _dec(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


__all__ = [
    "Indicator",
    "OverdueEvaluation",
    "OverduePayment",
    "endings",
    "graduation_rate",
    "incubated",
    "indicators",
    "overdue_evaluations",
    "overdue_payments",
]
