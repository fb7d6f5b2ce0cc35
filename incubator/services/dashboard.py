"""The dashboard: the center's key figures for the year and the reminders of the day.

``summary(db, today)`` answers with a few grouped queries over indexed columns, so it stays
fast with tens of thousands of organizations.

What counts (every period figure by the rules of ``services.figures``, as in the reports):

- organizations by stage, "organizations" and "being incubated": ``services.headcount``, the
  same counts as the center report (archived organizations included);
- funds of the calendar year of ``today``, up to ``today`` (a year that has not ended counts
  to today, as in the reports): ``figures.money`` by month and source;
- occupancy: ``figures.space_use`` from 1 January to ``today`` (the year so far);
- trainees and training hours: ``figures.talent`` of the year to ``today`` (training sessions
  only; mentors and social workers are neither trainees nor training hours).

Reminders (archived organizations are left out; "within N days" includes day N):

- incubation ending: stage incubating or mid-term evaluated, agreement planned to end between
  ``today`` and ``today + 30``; incubation overdue: the planned end is before ``today``;
- space allocation ending: an active allocation of a space in use ending between ``today`` and
  ``today + 30``, unless the same organization holds the same space from the next day on
  (renewed);
- payment overdue: a scheduled instalment due before ``today`` of a fund that is not cancelled;
- mid-term evaluation due: stage incubating, the agreement started six calendar months or more
  ago (due on the same day of the month six months after the start, or the month's last day),
  and no mid-term evaluation recorded;
- graduation evaluation due: stage mid-term evaluated, the agreement planned to end within 60
  days (or already ended), and no graduation evaluation recorded;
- annual report due / overdue, rating expiring / expired, on the authority's list: the rules
  of ``services.compliance``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from incubator.db import Database
from incubator.domain import (
    AllocationStatus,
    AnnualReportStatus,
    EvaluationKind,
    FundSource,
    LabelledEnum,
    SpaceKind,
    Stage,
)
from incubator.i18n import T, tr
from incubator.models import (
    Evaluation,
    Fund,
    FundPayment,
    Organization,
    Space,
    SpaceAllocation,
)
from incubator.services import compliance, figures, reminder_marks, spaces
from incubator.services.headcount import Headcount, headcount
from incubator.services.registry import overdue_condition

ENDING_WITHIN_DAYS = 30
GRADUATION_WITHIN_DAYS = 60
MID_TERM_AFTER_MONTHS = 6
ZERO = Decimal("0.00")


class ReminderKind(LabelledEnum):
    INCUBATION_OVERDUE = "incubation_overdue", T("Incubation overdue")
    INCUBATION_ENDING = "incubation_ending", T("Incubation ending")
    PAYMENT_OVERDUE = "payment_overdue", T("Payment overdue")
    SPACE_ENDING = "space_ending", T("Space allocation ending")
    MID_TERM_DUE = "mid_term_due", T("Mid-term evaluation due")
    GRADUATION_DUE = "graduation_due", T("Graduation evaluation due")
    ANNUAL_REPORT_OVERDUE = "annual_report_overdue", T("Annual report overdue")
    ANNUAL_REPORT_DUE = "annual_report_due", T("Annual report due")
    RATING_EXPIRED = "rating_expired", T("Rating expired")
    RATING_EXPIRING = "rating_expiring", T("Rating expiring")
    LISTED = "listed", T("On the authority's list")


# Reminder texts (English source, translated when shown).
TEXT_INCUBATION_OVERDUE = T("Incubation agreement ended on {date}")
TEXT_INCUBATION_ENDING = T("Incubation agreement ends on {date}")
TEXT_PAYMENT_OVERDUE = T("Instalment of {amount} yuan for “{fund}” was due on {date}")
TEXT_SPACE_ENDING = T("Allocation of {space} ends on {date}")
TEXT_MID_TERM_DUE = T("No mid-term evaluation yet; the agreement started on {start}")
TEXT_GRADUATION_DUE = T("No graduation evaluation yet; the agreement ends on {date}")
TEXT_ANNUAL_REPORT_OVERDUE = T("The annual report of {year} was due on {date}")
TEXT_ANNUAL_REPORT_DUE = T("The annual report of {year} is due on {date}")
TEXT_RATING_EXPIRED = T("The {grade} rating ended on {date}")
TEXT_RATING_EXPIRING = T("The {grade} rating ends on {date}")
TEXT_LISTED = T("On the {list} since {date}")


@dataclass(frozen=True, slots=True)  # tens of thousands are held by the dashboard
class Reminder:
    """Something to act on, about one organization, on one date."""

    kind: ReminderKind
    organization_id: int
    organization_name: str
    date: dt.date  # the day it is about: end of agreement or allocation, due date
    days: int  # date - today: negative when it is past
    key: str  # English source text; ``text()`` translates it with ``params``
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)  # but the date
    record_id: int | None = None  # the allocation or payment concerned, if any

    def text(self, lang: str | None = None) -> str:
        return tr(self.key, lang, date=self.date, **self.params)  # {date}: the reminder's

    @property
    def overdue(self) -> bool:
        return self.days < 0 and not self.ongoing

    @property
    def ongoing(self) -> bool:
        """A state since its date (on the authority's list), not a deadline that passed."""
        return self.kind is ReminderKind.LISTED


@dataclass(frozen=True)
class MonthAmounts:
    month: int  # 1..12
    committed: Decimal
    disbursed: Decimal


@dataclass(frozen=True)
class SourceAmounts:
    source: FundSource
    committed: Decimal
    disbursed: Decimal


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    year: int
    headcount: Headcount  # organizations by stage today (see services.headcount)
    committed: Decimal
    disbursed: Decimal
    by_month: tuple[MonthAmounts, ...]  # twelve months
    by_source: tuple[SourceAmounts, ...]  # every source
    occupancy: spaces.Occupancy  # 1 January .. today
    spaces_total: int  # active rooms, desks and shared facilities
    spaces_in_use: int  # of those, held by an active allocation today
    trainees: int
    training_hours: Decimal
    reminders: tuple[Reminder, ...]  # those not marked done nor snoozed
    set_aside: tuple[Reminder, ...] = ()  # reminders of today marked done or snoozed

    @property
    def by_stage(self) -> Mapping[Stage, int]:
        return self.headcount.by_stage

    @property
    def organizations(self) -> int:
        return self.headcount.organizations

    @property
    def being_incubated(self) -> int:
        return self.headcount.being_incubated

    @property
    def disbursed_share(self) -> Decimal:
        """Disbursed this year as a share of committed this year (0 when nothing committed)."""
        if not self.committed:
            return Decimal(0)
        return (self.disbursed / self.committed).quantize(Decimal("0.0001"))

    def count(self, kind: ReminderKind) -> int:
        return sum(1 for r in self.reminders if r.kind is kind)


@dataclass(frozen=True)
class SpaceRow:
    """A space with whoever holds it on the day asked about."""

    space: spaces.SpaceView
    holder_id: int | None
    holder_name: str | None
    held_until: dt.date | None
    allocation_id: int | None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` later (or earlier), or that month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def year_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)


# --- key figures --------------------------------------------------------------------------


def summary(
    db: Database, today: dt.date | None = None, progress: Callable | None = None
) -> Dashboard:
    """Key figures of the calendar year of ``today`` and the reminders of ``today``.

    ``progress`` is accepted (and ignored) so the UI can run this in a ``ui.workers.Worker``.
    """
    today = today or dt.date.today()
    first, last = year_bounds(today)
    by_month, by_source = _funds_of_year(db, first, last, today)
    spaces_total, spaces_in_use = figures.spaces_in_use(db, today)
    trained = figures.talent(db, first, today)
    with db.reading() as session:
        found, set_aside = _reminders(session, today)
    return Dashboard(
        today=today,
        year=today.year,
        headcount=headcount(db, today),
        committed=sum((m.committed for m in by_month), ZERO),
        disbursed=sum((m.disbursed for m in by_month), ZERO),
        by_month=by_month,
        by_source=by_source,
        occupancy=figures.space_use_total(db, first, today),
        spaces_total=spaces_total,
        spaces_in_use=spaces_in_use,
        trainees=trained.trainees,
        training_hours=trained.training_hours,
        reminders=tuple(found),
        set_aside=tuple(set_aside),
    )


def _funds_of_year(
    db: Database, first: dt.date, last: dt.date, today: dt.date
) -> tuple[tuple[MonthAmounts, ...], tuple[SourceAmounts, ...]]:
    """Every month of the year, with what was committed and paid up to today."""
    months = {key: figures.Amounts() for key in figures.months(first, last)}
    sources = {s: figures.Amounts() for s in FundSource}
    for (month, source), amounts in figures.money(db, first, today, by=("month", "source")).items():
        for total in (months[month], sources[FundSource(source)]):
            total.committed += amounts.committed
            total.disbursed += amounts.disbursed
    return (
        tuple(MonthAmounts(i, a.committed, a.disbursed) for i, a in enumerate(months.values(), 1)),
        tuple(SourceAmounts(s, a.committed, a.disbursed) for s, a in sources.items()),
    )


# --- reminders ----------------------------------------------------------------------------


def reminders(db: Database, today: dt.date | None = None) -> list[Reminder]:
    """Everything to act on as of ``today``, earliest date first (see the module's rules)."""
    today = today or dt.date.today()
    with db.reading() as session:
        return _reminders(session, today)[0]


_KIND_ORDER = {kind: i for i, kind in enumerate(ReminderKind)}


def _reminders(session: Session, today: dt.date) -> tuple[list[Reminder], list[Reminder]]:
    """The reminders of the day that nobody marked done or snoozed beyond today, and those
    that were set aside so."""
    every = _all_reminders(session, today)
    hidden = reminder_marks.hidden(session, every, today)
    shown: list[Reminder] = []
    set_aside: list[Reminder] = []
    for r in every:
        (set_aside if reminder_marks.is_hidden(hidden, r) else shown).append(r)
    return shown, set_aside


def _all_reminders(session: Session, today: dt.date) -> list[Reminder]:
    found: list[Reminder] = []
    found += _incubations(session, today)
    found += _space_endings(session, today)
    found += _overdue_payments(session, today)
    found += _evaluations_due(session, today)
    found += _compliance(session, today)
    found.sort(key=lambda r: (r.date, _KIND_ORDER[r.kind], r.organization_id, r.record_id or 0))
    return found


_NO_PARAMS: Mapping[str, Any] = MappingProxyType({})


def _reminder(
    kind: ReminderKind,
    org_id: int,
    name: str,
    day: dt.date,
    today: dt.date,
    key: str,
    record_id: int | None = None,
    **params: Any,
) -> Reminder:
    # The same names and titles recur from reminder to reminder: one copy of each is held;
    # most reminders say nothing but their date, and share one empty mapping.
    shared = {k: sys.intern(p) if type(p) is str else p for k, p in params.items()}
    shared = shared or _NO_PARAMS
    return Reminder(kind, org_id, sys.intern(name), day, (day - today).days, key, shared, record_id)


def _incubations(session: Session, today: dt.date) -> list[Reminder]:
    rows = session.execute(
        select(Organization.id, Organization.name, Organization.agreement_planned_end).where(
            Organization.archived.is_(False), overdue_condition(today, ENDING_WITHIN_DAYS)
        )
    )
    out = []
    for org_id, name, end in rows:
        if end < today:
            kind, key = ReminderKind.INCUBATION_OVERDUE, TEXT_INCUBATION_OVERDUE
        else:
            kind, key = ReminderKind.INCUBATION_ENDING, TEXT_INCUBATION_ENDING
        out.append(_reminder(kind, org_id, name, end, today, key))
    return out


def _space_endings(session: Session, today: dt.date) -> list[Reminder]:
    limit = today + dt.timedelta(days=ENDING_WITHIN_DAYS)
    rows = session.execute(
        select(
            SpaceAllocation.id,
            SpaceAllocation.space_id,
            SpaceAllocation.end_on,
            Organization.id,
            Organization.name,
            Space.code,
            Space.name,
        )
        .join(Organization, Organization.id == SpaceAllocation.organization_id)
        .join(Space, Space.id == SpaceAllocation.space_id)
        .where(
            SpaceAllocation.status == AllocationStatus.ACTIVE,
            SpaceAllocation.end_on >= today,
            SpaceAllocation.end_on <= limit,
            Space.active.is_(True),
            Organization.archived.is_(False),
        )
    ).all()
    if not rows:
        return []
    # Renewed: the same organization holds the same space from the next day on.
    follow_ups = {
        tuple(row)
        for row in session.execute(
            select(
                SpaceAllocation.space_id, SpaceAllocation.organization_id, SpaceAllocation.start_on
            ).where(
                SpaceAllocation.status == AllocationStatus.ACTIVE,
                SpaceAllocation.space_id.in_({r[1] for r in rows}),
                SpaceAllocation.start_on > today,
                SpaceAllocation.start_on <= limit + dt.timedelta(days=1),
            )
        )
    }
    out = []
    for alloc_id, space_id, end, org_id, name, code, space_name in rows:
        if (space_id, org_id, end + dt.timedelta(days=1)) in follow_ups:
            continue
        out.append(
            _reminder(
                ReminderKind.SPACE_ENDING,
                org_id,
                name,
                end,
                today,
                TEXT_SPACE_ENDING,
                alloc_id,
                space=f"{code} {space_name}",
            )
        )
    return out


def _overdue_payments(session: Session, today: dt.date) -> list[Reminder]:
    rows = session.execute(
        select(
            FundPayment.id,
            FundPayment.due_on,
            FundPayment.amount,
            Fund.title,
            Organization.id,
            Organization.name,
        )
        .join(Fund, Fund.id == FundPayment.fund_id)
        .join(Organization, Organization.id == Fund.organization_id)
        .where(figures.unpaid_on(today), Organization.archived.is_(False))
    )
    return [
        _reminder(
            ReminderKind.PAYMENT_OVERDUE,
            org_id,
            name,
            due,
            today,
            TEXT_PAYMENT_OVERDUE,
            payment_id,
            amount=f"{Decimal(str(amount)).quantize(Decimal('0.01')):,.2f}",
            fund=title,
        )
        for payment_id, due, amount, title, org_id, name in rows
    ]


def _has_evaluation(kind: EvaluationKind) -> Any:
    return exists().where(
        and_(Evaluation.organization_id == Organization.id, Evaluation.kind == kind)
    )


def _evaluations_due(session: Session, today: dt.date) -> list[Reminder]:
    out = []
    # A few days of slack in SQL; the exact calendar rule is applied below.
    latest_start = add_months(today, -MID_TERM_AFTER_MONTHS) + dt.timedelta(days=3)
    rows = session.execute(
        select(Organization.id, Organization.name, Organization.agreement_start).where(
            Organization.stage == Stage.INCUBATING,
            Organization.archived.is_(False),
            Organization.agreement_start.is_not(None),
            Organization.agreement_start <= latest_start,
            ~_has_evaluation(EvaluationKind.MID_TERM),
        )
    )
    for org_id, name, start in rows:
        due = add_months(start, MID_TERM_AFTER_MONTHS)
        if due <= today:
            out.append(
                _reminder(
                    ReminderKind.MID_TERM_DUE,
                    org_id,
                    name,
                    due,
                    today,
                    TEXT_MID_TERM_DUE,
                    start=start,
                )
            )
    limit = today + dt.timedelta(days=GRADUATION_WITHIN_DAYS)
    rows = session.execute(
        select(Organization.id, Organization.name, Organization.agreement_planned_end).where(
            Organization.stage == Stage.MID_TERM,
            Organization.archived.is_(False),
            Organization.agreement_planned_end.is_not(None),
            Organization.agreement_planned_end <= limit,
            ~_has_evaluation(EvaluationKind.GRADUATION),
        )
    )
    for org_id, name, end in rows:
        out.append(
            _reminder(ReminderKind.GRADUATION_DUE, org_id, name, end, today, TEXT_GRADUATION_DUE)
        )
    return out


def _compliance(session: Session, today: dt.date) -> list[Reminder]:
    """Annual reports due or overdue, ratings ending, and listings by the authority (the
    rules: ``services.compliance``)."""
    out = []
    for row in compliance.reports_to_remind(session, today):
        overdue = row.status is AnnualReportStatus.OVERDUE
        out.append(
            _reminder(
                ReminderKind.ANNUAL_REPORT_OVERDUE if overdue else ReminderKind.ANNUAL_REPORT_DUE,
                row.organization_id,
                row.name,
                row.due_on,
                today,
                TEXT_ANNUAL_REPORT_OVERDUE if overdue else TEXT_ANNUAL_REPORT_DUE,
                row.report_id,
                year=row.year,
            )
        )
    for org_id, name, rating in compliance.ratings_to_remind(session, today):
        ended = rating.valid_until < today
        out.append(
            _reminder(
                ReminderKind.RATING_EXPIRED if ended else ReminderKind.RATING_EXPIRING,
                org_id,
                name,
                rating.valid_until,
                today,
                TEXT_RATING_EXPIRED if ended else TEXT_RATING_EXPIRING,
                rating.id,
                grade=rating.grade.value,
            )
        )
    for org_id, name, listing in compliance.listings_to_remind(session, today):
        out.append(
            _reminder(
                ReminderKind.LISTED,
                org_id,
                name,
                listing.listed_on,
                today,
                TEXT_LISTED,
                listing.id,
                list=T(listing.list_kind.label),
            )
        )
    return out


# --- spaces board -------------------------------------------------------------------------


def space_board(
    db: Database,
    today: dt.date | None = None,
    include_inactive: bool = False,
    progress: Callable | None = None,
) -> list[SpaceRow]:
    """The center's spaces by code, each with the organization holding it on ``today``."""
    today = today or dt.date.today()
    with db.reading() as session:
        q = select(Space).order_by(Space.code)
        if not include_inactive:
            q = q.where(Space.active.is_(True))
        all_spaces = list(session.scalars(q))
        holders = {
            space_id: (alloc_id, org_id, name, end)
            for alloc_id, space_id, org_id, name, end in session.execute(
                select(
                    SpaceAllocation.id,
                    SpaceAllocation.space_id,
                    Organization.id,
                    Organization.name,
                    SpaceAllocation.end_on,
                )
                .join(Organization, Organization.id == SpaceAllocation.organization_id)
                .where(figures.held_between(today, today))
                .order_by(SpaceAllocation.start_on)
            )
        }
        out = []
        for s in all_spaces:
            view = spaces.SpaceView(
                id=s.id,
                code=s.code,
                name=s.name,
                kind=SpaceKind(s.kind),
                area_m2=s.area_m2,
                capacity=s.capacity,
                active=s.active,
                notes=s.notes,
                version=s.version,
            )
            alloc_id, org_id, name, end = holders.get(s.id, (None, None, None, None))
            out.append(SpaceRow(view, org_id, name, end, alloc_id))
        return out
