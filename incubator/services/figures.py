"""Period figures: the one place where what counts in a period is decided.

The dashboard, both reports and the CLI all call these functions; nothing else writes these
rules. A period is ``start..end`` (both days included); ``start=None`` means "from the first
record", ``end=None`` "to the last".

- Money. A fund that is not cancelled is *committed* in the period of its commitment date,
  for its whole amount; a paid payment of such a fund is *disbursed* in the period of its
  payment date. Sums are taken in whole fen (exact on SQLite and PostgreSQL).
- Projects. Cancelled projects count for nothing (no date says when they were cancelled),
  and so do projects still planned. A project is *active* in a period when it ran on some
  day of it (started by the period's end, not ended before its start). Its status *at the
  period's end* is "completed" when it is completed and ended by then, else "ongoing": a
  2025Q3 report shows a project completed in 2026 as ongoing on 30 September 2025.
- Talent. Training sessions, and the people trained, count in the period they start.
  Mentors and social workers count in every period their engagement overlaps. Hours are
  spread over the engagement's days (``start_on..end_on``, or its start day alone) and each
  period gets its share pro rata: the records hold one total per engagement, not dated
  sessions, and a year-long mentorship must not put all its hours in its first quarter.
  Training, mentor and social-worker hours are kept apart.
- Space. Occupancy is the share of the period's space-days (active spaces x days) covered by
  active allocations; a space is *in use* on a day when an active allocation covers it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, and_, case, cast, func, or_, select
from sqlalchemy.orm import Session

from incubator import validation as v
from incubator.db import Database
from incubator.domain import (
    AllocationStatus,
    FundStatus,
    PaymentStatus,
    ProjectStatus,
    SpaceKind,
    TalentKind,
)
from incubator.models import (
    Evaluation,
    Fund,
    FundPayment,
    LifecycleTransition,
    Project,
    ReportNarrative,
    Space,
    SpaceAllocation,
    TalentRecord,
)

ZERO = Decimal("0.00")
TENTH = Decimal("0.1")


def fen_sum(column: Any) -> Any:
    """SUM of a money column in whole fen, as an integer: exact on both databases.

    SQLite keeps NUMERIC values as binary floating point, and its SUM() over them drifts by
    a fen once totals pass about 10^13 yuan; each single value still rounds back exactly.
    """
    return func.coalesce(func.sum(cast(func.round(column * 100), BigInteger)), 0)


def yuan(fen: Any) -> Decimal:
    """A ``fen_sum`` result back in yuan, two places."""
    return Decimal(int(fen or 0)).scaleb(-2).quantize(v.CENT)


def round_half_up(value: Decimal | Fraction | int, places: int = 1) -> Decimal:
    """Rounded as Chinese readers expect: 84.45 -> 84.5, 84.5 -> 85 (never to even)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def share(part: Decimal | int, whole: Decimal | int) -> Decimal:
    """part / whole to four places (a rate), 0 when there is no whole."""
    if not whole:
        return Decimal(0)
    return round_half_up(Fraction(Decimal(part)) / Fraction(Decimal(whole)), 4)


Orgs = int | Collection[int] | None  # one organization, some, or all of them (None)


def of_orgs(column: Any, orgs: Orgs) -> list[Any]:
    """SQL conditions keeping the rows of ``orgs`` (none: all)."""
    if orgs is None:
        return []
    if isinstance(orgs, int):
        return [column == orgs]
    return [column.in_(list(orgs))]


def _between(column: Any, start: dt.date | None, end: dt.date | None) -> list[Any]:
    out = []
    if start is not None:
        out.append(column >= start)
    if end is not None:
        out.append(column <= end)
    return out


# --- money --------------------------------------------------------------------------------


@dataclass
class Amounts:
    committed: Decimal = ZERO
    disbursed: Decimal = ZERO
    funds: int = 0  # funds committed

    @property
    def remaining(self) -> Decimal:
        return self.committed - self.disbursed


MONEY_KEYS = ("org", "fund", "source", "kind", "month")


def month_key(session: Session, column: Any) -> Any:
    """ "YYYY-MM" of a date column, on either database."""
    if session.get_bind().dialect.name == "sqlite":
        return func.strftime("%Y-%m", column)
    return func.to_char(column, "YYYY-MM")


def _money_key(session: Session, key: str, day: Any) -> Any:
    if key == "month":
        return month_key(session, day)
    return {
        "org": Fund.organization_id,
        "fund": Fund.id,
        "source": Fund.source,
        "kind": Fund.kind,
    }[key]


def money(
    db: Database,
    start: dt.date | None,
    end: dt.date | None,
    by: Sequence[str] = (),
    org_id: Orgs = None,
) -> dict[tuple, Amounts]:
    """Committed and disbursed in ``start..end``, grouped by ``by`` (names from MONEY_KEYS:
    the month is the month of the commitment, or of the payment)."""
    assert all(k in MONEY_KEYS for k in by), by
    live = Fund.status != FundStatus.CANCELLED
    owner = of_orgs(Fund.organization_id, org_id)
    out: dict[tuple, Amounts] = defaultdict(Amounts)
    with db.reading() as session:
        keys = [_money_key(session, k, Fund.committed_on) for k in by]
        committed = select(*keys, fen_sum(Fund.amount_committed), func.count()).where(
            live, *owner, *_between(Fund.committed_on, start, end)
        )
        for *key, fen, n in session.execute(committed.group_by(*keys) if keys else committed):
            out[tuple(key)].committed = yuan(fen)
            out[tuple(key)].funds = int(n)
        keys = [_money_key(session, k, FundPayment.paid_on) for k in by]
        paid = (
            select(*keys, fen_sum(FundPayment.amount))
            .join(Fund, Fund.id == FundPayment.fund_id)
            .where(
                live,
                FundPayment.status == PaymentStatus.PAID,
                *owner,
                *_between(FundPayment.paid_on, start, end),
            )
        )
        for *key, fen in session.execute(paid.group_by(*keys) if keys else paid):
            out[tuple(key)].disbursed = yuan(fen)
    return dict(out)


def unpaid_on(day: dt.date) -> ColumnElement[bool]:
    """SQL: instalments of live funds due before ``day`` and not paid by it (overdue)."""
    return and_(
        FundPayment.due_on < day,
        Fund.status != FundStatus.CANCELLED,
        or_(
            FundPayment.status == PaymentStatus.SCHEDULED,
            and_(FundPayment.status == PaymentStatus.PAID, FundPayment.paid_on > day),
        ),
    )


def money_total(
    db: Database, start: dt.date | None, end: dt.date | None, org_id: int | None = None
) -> Amounts:
    return money(db, start, end, (), org_id).get((), Amounts())


# --- projects -----------------------------------------------------------------------------


@dataclass
class ProjectFigures:
    count: int = 0
    budget: Decimal = ZERO
    beneficiaries: int = 0
    by_status: dict[ProjectStatus, tuple[int, Decimal, int]] = field(default_factory=dict)


def active_projects(start: dt.date | None, end: dt.date | None) -> ColumnElement[bool]:
    """Projects that ran on some day of ``start..end``."""
    cond = [Project.status.in_((ProjectStatus.ONGOING, ProjectStatus.COMPLETED))]
    if end is not None:
        cond.append(Project.start_on <= end)
    if start is not None:
        cond.append(or_(Project.end_on.is_(None), Project.end_on >= start))
    return and_(*cond)


def project_status_on(day: dt.date) -> Any:
    """SQL: an active project's status on ``day`` (see the module's rule)."""
    done = and_(
        Project.status == ProjectStatus.COMPLETED,
        or_(Project.end_on.is_(None), Project.end_on <= day),
    )
    return case((done, ProjectStatus.COMPLETED.value), else_=ProjectStatus.ONGOING.value)


def projects_by(
    db: Database,
    start: dt.date | None,
    end: dt.date | None,
    by_org: bool = False,
    org_id: Orgs = None,
) -> dict[int | None, ProjectFigures]:
    """Active projects of ``start..end`` with their status at ``end`` (today without an end),
    per organization when ``by_org`` (key None otherwise)."""
    status = project_status_on(end or dt.date.today())
    org = Project.organization_id if by_org else None
    cols = [
        status,
        func.count(),
        fen_sum(Project.budget),
        func.coalesce(func.sum(Project.beneficiaries), 0),
    ]
    q = select(*([org] if by_org else []), *cols).where(
        active_projects(start, end), *of_orgs(Project.organization_id, org_id)
    )
    q = q.group_by(*([org] if by_org else []), status)
    out: dict[int | None, ProjectFigures] = {}
    with db.reading() as session:
        for row in session.execute(q):
            key = row[0] if by_org else None
            st, n, fen, people = row[1:] if by_org else row
            f = out.setdefault(key, ProjectFigures())
            f.by_status[ProjectStatus(st)] = (int(n), yuan(fen), int(people))
            f.count += int(n)
            f.budget += yuan(fen)
            f.beneficiaries += int(people)
    for f in out.values():
        for s in (ProjectStatus.ONGOING, ProjectStatus.COMPLETED):
            f.by_status.setdefault(s, (0, ZERO, 0))
    return out


def projects(
    db: Database, start: dt.date | None, end: dt.date | None, org_id: int | None = None
) -> ProjectFigures:
    found = projects_by(db, start, end, org_id=org_id).get(None)
    none = {s: (0, ZERO, 0) for s in (ProjectStatus.ONGOING, ProjectStatus.COMPLETED)}
    return found or ProjectFigures(by_status=none)


def project_states(
    db: Database, start: dt.date | None, end: dt.date | None, org_id: Orgs
) -> dict[int, ProjectStatus]:
    """The organizations' active projects of ``start..end``: id -> status at ``end``."""
    status = project_status_on(end or dt.date.today())
    q = select(Project.id, status).where(
        active_projects(start, end), *of_orgs(Project.organization_id, org_id)
    )
    with db.reading() as session:
        return {pid: ProjectStatus(st) for pid, st in session.execute(q)}


# --- talent -------------------------------------------------------------------------------


@dataclass
class TalentFigures:
    trainings: int = 0  # training sessions that started in the period
    trainees: int = 0  # people who attended them
    mentors: int = 0  # mentor engagements running in the period
    social_workers: int = 0
    _hours: dict[TalentKind, Fraction] = field(default_factory=lambda: defaultdict(Fraction))

    def hours(self, kind: TalentKind) -> Decimal:
        return round_half_up(self._hours[kind])

    def exact_hours(self, kind: TalentKind) -> Fraction:
        """Unrounded: shares of hours add up exactly, their roundings need not."""
        return self._hours[kind]

    @property
    def training_hours(self) -> Decimal:
        return self.hours(TalentKind.TRAINING)

    @property
    def mentor_hours(self) -> Decimal:
        return self.hours(TalentKind.MENTOR)

    @property
    def social_worker_hours(self) -> Decimal:
        return self.hours(TalentKind.SOCIAL_WORKER)

    @property
    def is_zero(self) -> bool:
        return not (
            self.trainings or self.mentors or self.social_workers or any(self._hours.values())
        )


def _days(a: dt.date, b: dt.date) -> int:
    return (b - a).days + 1


def hours_share(
    hours: Decimal, first: dt.date, last: dt.date | None, start: dt.date | None, end: dt.date | None
) -> Fraction:
    """The part of an engagement's hours that falls in ``start..end`` (pro rata by days)."""
    inside, days = _days_inside(first, last, start, end)
    return Fraction(Decimal(hours)) * inside / days if inside else Fraction(0)


def _days_inside(
    first: dt.date, last: dt.date | None, start: dt.date | None, end: dt.date | None
) -> tuple[int, int]:
    """(days of ``first..last`` that fall in ``start..end``, days of ``first..last``)."""
    last = last or first
    lo = max(first, start) if start else first
    hi = min(last, end) if end else last
    return (_days(lo, hi) if hi >= lo else 0), _days(first, last)


def counts_in(
    kind: TalentKind,
    first: dt.date,
    last: dt.date | None,
    start: dt.date | None,
    end: dt.date | None,
) -> bool:
    """Whether a talent record is one of the period's: a training session when it starts in
    it, an engagement when it overlaps it."""
    if end is not None and first > end:
        return False
    if start is None:
        return True
    return first >= start if kind is TalentKind.TRAINING else (last or first) >= start


def talent_by_org(
    db: Database, start: dt.date | None, end: dt.date | None, org_id: Orgs = None
) -> dict[int, TalentFigures]:
    """Talent figures of ``start..end`` per organization (see the module's rules)."""
    return _talent(db, start, end, org_id, by_org=True)


def talent(
    db: Database, start: dt.date | None, end: dt.date | None, org_id: int | None = None
) -> TalentFigures:
    """Talent figures of ``start..end``, all organizations together (or one)."""
    return _talent(db, start, end, org_id, by_org=False).get(0, TalentFigures())


def _talent(
    db: Database, start: dt.date | None, end: dt.date | None, org_id: Orgs, by_org: bool
) -> dict[int, TalentFigures]:
    """The figures per organization, or all under the key 0.

    The shares of hours (``hours_share``) are added exactly, as integers: tenths of an hour
    (Numeric(8, 1)) times the days in the period, per record length in days; one Fraction per
    organization and kind at the end, not one per record (a year's 250,000 records at
    100,000 organizations took the dashboard 12 s in Fractions)."""
    ends = func.coalesce(TalentRecord.end_on, TalentRecord.start_on)
    q = select(
        TalentRecord.organization_id,
        TalentRecord.kind,
        TalentRecord.start_on,
        TalentRecord.end_on,
        TalentRecord.people_count,
        TalentRecord.hours,
    )
    if end is not None:
        q = q.where(TalentRecord.start_on <= end)
    if start is not None:
        q = q.where(ends >= start)
    q = q.where(*of_orgs(TalentRecord.organization_id, org_id))
    out: dict[int, TalentFigures] = defaultdict(TalentFigures)
    # (organization, kind) -> {days of the record: tenths of an hour x days in the period}
    shares: dict[tuple[int, TalentKind], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    with db.reading() as session:
        for oid, kind, first, last, people, hours in session.connection().execute(q):
            key = oid if by_org else 0
            f = out[key]
            kind = TalentKind(kind)
            if kind is TalentKind.TRAINING:
                if counts_in(kind, first, last, start, end):
                    f.trainings += 1
                    f.trainees += int(people)
            elif kind is TalentKind.MENTOR:
                f.mentors += 1
            else:
                f.social_workers += 1
            inside, days = _days_inside(first, last, start, end)
            if inside:
                tenths = int(Decimal(str(hours)).scaleb(1))
                shares[key, kind][days] += tenths * inside
    for (key, kind), by_days in shares.items():
        common = math.lcm(*by_days)
        tenth_days = sum(total * (common // days) for days, total in by_days.items())
        out[key]._hours[kind] += Fraction(tenth_days, 10 * common)
    return dict(out)


# --- space --------------------------------------------------------------------------------


@dataclass
class SpaceUse:
    spaces: int = 0  # active spaces
    area_m2: Decimal = ZERO
    space_days: int = 0  # active spaces x days of the period
    occupied_days: int = 0  # days covered by active allocations
    area_m2_days: Decimal = ZERO

    @property
    def rate(self) -> Decimal:
        return share(self.occupied_days, self.space_days)


def overlap_days(a_start: dt.date, a_end: dt.date, start: dt.date, end: dt.date) -> int:
    """Days of ``a_start..a_end`` that fall in ``start..end``."""
    return max(0, _days(max(a_start, start), min(a_end, end)))


def overlaps(a_start: dt.date, a_end: dt.date, start: dt.date, end: dt.date) -> bool:
    """Whether an allocation (or any span) covers some day of ``start..end``."""
    return a_start <= end and a_end >= start


def held_between(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    """SQL: active allocations covering some day of ``start..end``."""
    return and_(
        SpaceAllocation.status == AllocationStatus.ACTIVE,
        SpaceAllocation.start_on <= end,
        SpaceAllocation.end_on >= start,
    )


def space_use(
    db: Database, start: dt.date, end: dt.date, by: str | None = None, org_id: Orgs = None
) -> dict[Any, SpaceUse]:
    """Occupancy of ``start..end``, in total (key None) or by "kind" or "org".

    An organization's figures count the allocations it held (of any space, so a space
    retired since still counts for the days it was held); the center's count active spaces.
    """
    v.period(start, end)
    days = _days(start, end)
    out: dict[Any, SpaceUse] = defaultdict(SpaceUse)
    with db.reading() as session:
        if by != "org":
            key_col = Space.kind if by == "kind" else None
            q = select(
                *([key_col] if key_col is not None else []),
                func.count(),
                func.coalesce(func.sum(Space.area_m2), 0),
            ).where(Space.active.is_(True))
            if key_col is not None:
                q = q.group_by(key_col)
            for *key, n, area in session.execute(q):
                u = out[key[0] if key else None]
                u.spaces, u.space_days = int(n), int(n) * days
                u.area_m2 = Decimal(str(area)).quantize(v.CENT)
        q = (
            select(
                SpaceAllocation.organization_id,
                Space.kind,
                SpaceAllocation.start_on,
                SpaceAllocation.end_on,
                Space.area_m2,
            )
            .join(Space, Space.id == SpaceAllocation.space_id)
            .where(held_between(start, end))
        )
        if org_id is not None:
            q = q.where(*of_orgs(SpaceAllocation.organization_id, org_id))
        elif by != "org":
            q = q.where(Space.active.is_(True))
        for oid, kind, a_start, a_end, area in session.execute(q):
            covered = overlap_days(a_start, a_end, start, end)
            u = out[{"org": oid, "kind": SpaceKind(kind)}.get(by or "")]
            u.occupied_days += covered
            u.area_m2_days += Decimal(str(area)) * covered
    if by == "kind":
        for k in SpaceKind:
            out.setdefault(k, SpaceUse())
    return dict(out)


def space_use_total(
    db: Database, start: dt.date, end: dt.date, org_id: int | None = None
) -> SpaceUse:
    return space_use(db, start, end, None, org_id).get(None, SpaceUse())


def spaces_in_use(db: Database, day: dt.date) -> tuple[int, int]:
    """(active spaces, of those held by an active allocation on ``day``)."""
    with db.reading() as session:
        total = session.scalar(select(func.count()).where(Space.active.is_(True))) or 0
        in_use = session.scalar(
            select(func.count(func.distinct(SpaceAllocation.space_id)))
            .join(Space, Space.id == SpaceAllocation.space_id)
            .where(Space.active.is_(True), held_between(day, day))
        )
    return int(total), int(in_use or 0)


# --- anything to report ------------------------------------------------------------------


def with_activity(db: Database, start: dt.date, end: dt.date, period_key: str) -> set[int]:
    """Organizations with something to report in ``start..end``: money committed or paid, a
    project running, talent support, a space held, a stage change, an evaluation, or a
    narrative written for the period (``period_key``, the period's canonical spelling)."""
    found = {oid for (oid,) in money(db, start, end, ("org",))}
    found |= {oid for oid in projects_by(db, start, end, by_org=True) if oid is not None}
    found |= set(talent_by_org(db, start, end))
    found |= set(space_use(db, start, end, by="org"))
    with db.reading() as session:
        for column, day in (
            (LifecycleTransition.organization_id, LifecycleTransition.occurred_on),
            (Evaluation.organization_id, Evaluation.evaluated_on),
        ):
            found |= set(session.scalars(select(column).where(day >= start, day <= end).distinct()))
        found |= set(
            session.scalars(
                select(ReportNarrative.organization_id).where(ReportNarrative.period == period_key)
            )
        )
    found.discard(None)  # type: ignore[arg-type]
    return found


def months(start: dt.date, end: dt.date) -> list[str]:
    """ "YYYY-MM" of every month from ``start`` to ``end``."""
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
