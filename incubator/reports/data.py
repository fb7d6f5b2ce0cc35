"""What the reports print, gathered before any layout.

``org_data`` reads one organization through the same services the app uses (so its totals are
the services' totals). ``center_data`` reads the whole center with aggregate SQL: a handful of
GROUP BY queries however many organizations there are, never one service call per
organization; ``tests/pdf`` proves its figures equal the services' totals.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, case, func, or_, select

from incubator.db import Database
from incubator.domain import (
    AllocationStatus,
    FundKind,
    FundSource,
    FundStatus,
    PaymentStatus,
    ProjectStatus,
    SpaceKind,
    Stage,
    TalentKind,
)
from incubator.models import (
    Fund,
    FundPayment,
    LifecycleTransition,
    Organization,
    Project,
    Space,
    SpaceAllocation,
    TalentRecord,
)
from incubator.services import (
    evaluations,
    funds,
    lifecycle,
    narratives,
    projects,
    registry,
    spaces,
    talent,
)
from incubator.services.funds import fen_sum, yuan
from incubator.services.headcount import Headcount, headcount, stage_on
from incubator.services.periods import Period

ZERO = Decimal("0.00")


# --- money by source and kind ---------------------------------------------------------------


@dataclass
class Money:
    """Committed and disbursed in the period, and both to the period's end."""

    committed: Decimal = ZERO
    disbursed: Decimal = ZERO
    committed_to_date: Decimal = ZERO
    disbursed_to_date: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        """Still to be paid at the period's end, of everything committed by then."""
        return self.committed_to_date - self.disbursed_to_date

    def add(self, other: Money) -> None:
        self.committed += other.committed
        self.disbursed += other.disbursed
        self.committed_to_date += other.committed_to_date
        self.disbursed_to_date += other.disbursed_to_date

    @property
    def is_zero(self) -> bool:
        return not (self.committed or self.disbursed or self.committed_to_date)


@dataclass
class FundBreakdown:
    by_source: dict[FundSource, Money]
    by_kind: dict[FundKind, Money]
    by_pair: dict[tuple[FundSource, FundKind], Money]
    total: Money


def _breakdown(pairs: Iterable[tuple[FundSource, FundKind, str, Decimal]]) -> FundBreakdown:
    """From (source, kind, column, amount) rows; column is a Money attribute name."""
    by_pair: dict[tuple[FundSource, FundKind], Money] = defaultdict(Money)
    for source, kind, column, amount in pairs:
        m = by_pair[(FundSource(source), FundKind(kind))]
        setattr(m, column, getattr(m, column) + amount)
    by_source = {s: Money() for s in FundSource}
    by_kind = {k: Money() for k in FundKind}
    total = Money()
    for (s, k), m in by_pair.items():
        by_source[s].add(m)
        by_kind[k].add(m)
        total.add(m)
    return FundBreakdown(by_source, by_kind, dict(by_pair), total)


# --- one organization ---------------------------------------------------------------------


@dataclass(frozen=True)
class FundLine:
    fund: funds.FundView
    disbursed_in_period: Decimal
    disbursed_to_date: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.fund.amount_committed - self.disbursed_to_date


@dataclass
class OrgData:
    period: Period
    today: dt.date
    org: registry.OrganizationView
    history: list[lifecycle.TransitionView]
    fund_lines: list[FundLine]
    fund_breakdown: FundBreakdown
    fund_totals: funds.FundTotals  # the period, from funds.totals
    fund_totals_to_date: funds.FundTotals  # everything to the period's end
    projects: list[projects.ProjectView]
    project_totals: projects.ProjectTotals
    project_totals_to_date: projects.ProjectTotals
    talent: list[talent.TalentView]
    talent_totals: talent.TalentTotals
    talent_totals_to_date: talent.TalentTotals
    allocations: list[spaces.AllocationView]
    occupancy: spaces.Occupancy  # this organization's space-days in the period
    occupancy_to_date: spaces.Occupancy
    evaluations: list[evaluations.EvaluationView]
    narrative: narratives.NarrativeView

    @property
    def stage_at_end(self) -> Stage | None:
        passed = [t for t in self.history if t.occurred_on <= self.period.end]
        return passed[-1].to_stage if passed else None

    @property
    def allocated_area(self) -> Decimal:
        """Area of the distinct spaces the organization held at some time in the period."""
        return sum(
            ({a.space_id: a.area_m2 for a in self.allocations}.values()), Decimal("0")
        ).quantize(Decimal("0.01"))


def org_data(db: Database, org_id: int, period: Period, today: dt.date | None = None) -> OrgData:
    """Everything one progress report prints, read through the services."""
    today = today or dt.date.today()
    start, end = period.start, period.end
    org = registry.get(db, org_id)
    history = [t for t in lifecycle.history(db, org_id) if t.occurred_on <= end]

    lines = []
    rows: list[tuple[FundSource, FundKind, str, Decimal]] = []
    for f in funds.funds_of(db, org_id):
        if f.status is FundStatus.CANCELLED or f.committed_on > end:
            continue
        paid = [p for p in f.payments if p.status is PaymentStatus.PAID and p.paid_on]
        in_period = sum((p.amount for p in paid if period.contains(p.paid_on)), ZERO)
        to_date = sum((p.amount for p in paid if p.paid_on and p.paid_on <= end), ZERO)
        lines.append(FundLine(f, in_period, to_date))
        rows.append((f.source, f.kind, "committed_to_date", f.amount_committed))
        rows.append((f.source, f.kind, "disbursed_to_date", to_date))
        rows.append((f.source, f.kind, "disbursed", in_period))
        if period.contains(f.committed_on):
            rows.append((f.source, f.kind, "committed", f.amount_committed))

    project_rows = [
        p
        for p in projects.list_for(db, org_id)
        if p.status is not ProjectStatus.CANCELLED
        and p.start_on <= end
        and (p.end_on is None or p.end_on >= start)
    ]
    talent_rows = [r for r in talent.list_for(db, org_id) if period.contains(r.start_on)]
    every_allocation = spaces.allocations_of(db, org_id)
    allocations = [
        a
        for a in every_allocation
        if a.status is AllocationStatus.ACTIVE and a.start_on <= end and a.end_on >= start
    ]
    first_alloc = min((a.start_on for a in every_allocation), default=start)
    evals = [e for e in evaluations.list_for(db, org_id) if e.evaluated_on <= end]
    return OrgData(
        period=period,
        today=today,
        org=org,
        history=history,
        fund_lines=lines,
        fund_breakdown=_breakdown(rows),
        fund_totals=funds.totals(db, org_id, start, end),
        fund_totals_to_date=funds.totals(db, org_id, None, end),
        projects=project_rows,
        project_totals=projects.totals(db, org_id, start, end),
        project_totals_to_date=projects.totals(db, org_id, None, end),
        talent=talent_rows,
        talent_totals=talent.totals(db, org_id, start, end),
        talent_totals_to_date=talent.totals(db, org_id, None, end),
        allocations=allocations,
        occupancy=spaces.occupancy(db, start, end, org_id),
        occupancy_to_date=spaces.occupancy(db, min(first_alloc, start), end, org_id),
        evaluations=evals,
        narrative=narratives.get(db, org_id, period),
    )


# --- the whole center ----------------------------------------------------------------------


@dataclass
class OrgRow:
    """One organization's line in the center report's table."""

    id: int
    name: str
    name_sort: str
    credit_code: str | None
    stage: Stage | None  # at the period's end; None: not yet applied by then
    archived: bool
    committed: Decimal = ZERO
    disbursed: Decimal = ZERO
    projects: int = 0
    budget: Decimal = ZERO
    beneficiaries: int = 0
    trainings: int = 0
    hours: Decimal = Decimal("0.0")
    space_days: int = 0

    @property
    def is_empty(self) -> bool:
        return not (
            self.committed
            or self.disbursed
            or self.projects
            or self.trainings
            or self.hours
            or self.space_days
        )


@dataclass
class KindOccupancy:
    spaces: int = 0
    area_m2: Decimal = Decimal("0.00")
    space_days: int = 0
    occupied_days: int = 0

    @property
    def rate(self) -> Decimal:
        if not self.space_days:
            return Decimal(0)
        return (Decimal(self.occupied_days) / Decimal(self.space_days)).quantize(Decimal("0.0001"))


@dataclass
class CenterData:
    period: Period
    today: dt.date
    center: narratives.CenterInfo
    stage_at_end: dict[Stage, int]
    entered: dict[Stage, int]  # transitions into each stage during the period
    funds: FundBreakdown
    fund_totals: funds.FundTotals
    fund_totals_to_date: funds.FundTotals
    disbursed_by_month: list[tuple[str, Decimal]]
    project_totals: projects.ProjectTotals
    project_totals_to_date: projects.ProjectTotals
    projects_by_status: dict[ProjectStatus, tuple[int, Decimal, int]]
    talent_totals: talent.TalentTotals
    talent_totals_to_date: talent.TalentTotals
    occupancy: spaces.Occupancy
    occupancy_by_kind: dict[SpaceKind, KindOccupancy]
    rows: list[OrgRow] = field(default_factory=list)

    @property
    def headcount(self) -> Headcount:
        return Headcount(self.period.end, self.stage_at_end)


def fund_breakdown(db: Database, period: Period, org_id: int | None = None) -> FundBreakdown:
    """Committed and disbursed by source and kind: the same rules as ``funds.totals``."""
    start, end = period.start, period.end
    live = Fund.status != FundStatus.CANCELLED
    paid = and_(FundPayment.status == PaymentStatus.PAID, live)
    owner = [Fund.organization_id == org_id] if org_id is not None else []
    queries = {
        "committed": select(Fund.source, Fund.kind, fen_sum(Fund.amount_committed)).where(
            live, Fund.committed_on >= start, Fund.committed_on <= end, *owner
        ),
        "committed_to_date": select(Fund.source, Fund.kind, fen_sum(Fund.amount_committed)).where(
            live, Fund.committed_on <= end, *owner
        ),
        "disbursed": select(Fund.source, Fund.kind, fen_sum(FundPayment.amount))
        .join(Fund, Fund.id == FundPayment.fund_id)
        .where(paid, FundPayment.paid_on >= start, FundPayment.paid_on <= end, *owner),
        "disbursed_to_date": select(Fund.source, Fund.kind, fen_sum(FundPayment.amount))
        .join(Fund, Fund.id == FundPayment.fund_id)
        .where(paid, FundPayment.paid_on <= end, *owner),
    }
    rows = []
    with db.reading() as session:
        for column, q in queries.items():
            q = q.group_by(Fund.source, Fund.kind)
            rows += [(s, k, column, yuan(fen)) for s, k, fen in session.execute(q)]
    return _breakdown(rows)


def _month_key(session, column):
    if session.get_bind().dialect.name == "sqlite":
        return func.strftime("%Y-%m", column)
    return func.to_char(column, "YYYY-MM")


def _months(period: Period) -> list[str]:
    out = []
    y, m = period.start.year, period.start.month
    while (y, m) <= (period.end.year, period.end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def disbursed_by_month(db: Database, period: Period) -> list[tuple[str, Decimal]]:
    with db.reading() as session:
        month = _month_key(session, FundPayment.paid_on)
        q = (
            select(month, fen_sum(FundPayment.amount))
            .join(Fund, Fund.id == FundPayment.fund_id)
            .where(
                FundPayment.status == PaymentStatus.PAID,
                Fund.status != FundStatus.CANCELLED,
                FundPayment.paid_on >= period.start,
                FundPayment.paid_on <= period.end,
            )
            .group_by(month)
        )
        found = {str(k): yuan(v) for k, v in session.execute(q)}
    return [(m, found.get(m, ZERO)) for m in _months(period)]


def projects_by_status(
    db: Database, period: Period
) -> dict[ProjectStatus, tuple[int, Decimal, int]]:
    """Projects active in the period by status (cancelled left out, as in projects.totals)."""
    with db.reading() as session:
        q = (
            select(
                Project.status,
                func.count(),
                fen_sum(Project.budget),
                func.coalesce(func.sum(Project.beneficiaries), 0),
            )
            .where(
                Project.status != ProjectStatus.CANCELLED,
                Project.start_on <= period.end,
                or_(Project.end_on.is_(None), Project.end_on >= period.start),
            )
            .group_by(Project.status)
        )
        found = {s: (int(n), yuan(b), int(p)) for s, n, b, p in session.execute(q)}
    return {
        s: found.get(s, (0, ZERO, 0)) for s in ProjectStatus if s is not ProjectStatus.CANCELLED
    }


def occupancy_by_kind(db: Database, period: Period) -> dict[SpaceKind, KindOccupancy]:
    """Active spaces by kind: the same rule as ``spaces.occupancy``, split by kind."""
    start, end = period.start, period.end
    out = {k: KindOccupancy() for k in SpaceKind}
    with db.reading() as session:
        for kind, n, area in session.execute(
            select(Space.kind, func.count(), func.coalesce(func.sum(Space.area_m2), 0))
            .where(Space.active.is_(True))
            .group_by(Space.kind)
        ):
            out[kind].spaces = int(n)
            out[kind].area_m2 = Decimal(str(area)).quantize(Decimal("0.01"))
            out[kind].space_days = int(n) * period.days
        for kind, a_start, a_end in session.execute(
            select(Space.kind, SpaceAllocation.start_on, SpaceAllocation.end_on)
            .join(Space, Space.id == SpaceAllocation.space_id)
            .where(
                Space.active.is_(True),
                SpaceAllocation.status == AllocationStatus.ACTIVE,
                SpaceAllocation.start_on <= end,
                SpaceAllocation.end_on >= start,
            )
        ):
            out[kind].occupied_days += (min(a_end, end) - max(a_start, start)).days + 1
    return out


def org_rows(db: Database, period: Period) -> list[OrgRow]:
    """Every organization that had applied by the period's end or had support in it, with
    its totals for the period, in pinyin order: one query per measure, grouped by org."""
    start, end = period.start, period.end
    stage = stage_on(end)
    with db.reading() as session:
        rows = {
            oid: OrgRow(oid, name, key, code, st, bool(arch))
            for oid, name, key, code, arch, st in session.execute(
                select(
                    Organization.id,
                    Organization.name,
                    Organization.name_sort,
                    Organization.credit_code,
                    Organization.archived,
                    stage.c.stage,
                ).outerjoin(stage, stage.c.org_id == Organization.id)
            )
        }

        def each(q, apply: Callable[[OrgRow, tuple], None]) -> None:
            for r in session.execute(q):
                apply(rows[r[0]], r[1:])

        live = Fund.status != FundStatus.CANCELLED
        each(
            select(Fund.organization_id, fen_sum(Fund.amount_committed))
            .where(live, Fund.committed_on >= start, Fund.committed_on <= end)
            .group_by(Fund.organization_id),
            lambda o, r: setattr(o, "committed", yuan(r[0])),
        )
        each(
            select(Fund.organization_id, fen_sum(FundPayment.amount))
            .join(Fund, Fund.id == FundPayment.fund_id)
            .where(
                live,
                FundPayment.status == PaymentStatus.PAID,
                FundPayment.paid_on >= start,
                FundPayment.paid_on <= end,
            )
            .group_by(Fund.organization_id),
            lambda o, r: setattr(o, "disbursed", yuan(r[0])),
        )

        def set_projects(o: OrgRow, r: tuple) -> None:
            o.projects, o.budget, o.beneficiaries = int(r[0]), yuan(r[1]), int(r[2])

        each(
            select(
                Project.organization_id,
                func.count(),
                fen_sum(Project.budget),
                func.coalesce(func.sum(Project.beneficiaries), 0),
            )
            .where(
                Project.status != ProjectStatus.CANCELLED,
                Project.start_on <= end,
                or_(Project.end_on.is_(None), Project.end_on >= start),
            )
            .group_by(Project.organization_id),
            set_projects,
        )

        def set_talent(o: OrgRow, r: tuple) -> None:
            o.trainings = int(r[0])
            # Tenths of an hour summed as integers: exact on both databases.
            o.hours = Decimal(int(r[1])).scaleb(-1).quantize(Decimal("0.1"))

        each(
            select(
                TalentRecord.organization_id,
                func.coalesce(
                    func.sum(case((TalentRecord.kind == TalentKind.TRAINING, 1), else_=0)), 0
                ),
                func.coalesce(func.sum(func.round(TalentRecord.hours * 10)), 0),
            )
            .where(TalentRecord.start_on >= start, TalentRecord.start_on <= end)
            .group_by(TalentRecord.organization_id),
            set_talent,
        )
        for oid, a_start, a_end in session.execute(
            select(
                SpaceAllocation.organization_id, SpaceAllocation.start_on, SpaceAllocation.end_on
            ).where(
                SpaceAllocation.status == AllocationStatus.ACTIVE,
                SpaceAllocation.start_on <= end,
                SpaceAllocation.end_on >= start,
            )
        ):
            rows[oid].space_days += (min(a_end, end) - max(a_start, start)).days + 1
    shown = [r for r in rows.values() if r.stage is not None or not r.is_empty]
    shown.sort(key=lambda r: (r.name_sort, r.id))
    return shown


def center_data(
    db: Database,
    period: Period,
    today: dt.date | None = None,
    with_rows: bool = True,
    progress: Callable[[float], None] | None = None,
) -> CenterData:
    """Everything the center report prints, in a fixed small number of queries."""
    start, end = period.start, period.end
    step = progress or (lambda _f: None)
    with db.reading() as session:
        entered = {
            s: int(n)
            for s, n in session.execute(
                select(LifecycleTransition.to_stage, func.count())
                .where(
                    LifecycleTransition.occurred_on >= start, LifecycleTransition.occurred_on <= end
                )
                .group_by(LifecycleTransition.to_stage)
            )
        }
    stage_at_end = dict(headcount(db, end).by_stage)
    step(0.15)
    breakdown = fund_breakdown(db, period)
    step(0.3)
    data = CenterData(
        period=period,
        today=today or dt.date.today(),
        center=narratives.center_info(db),
        stage_at_end=stage_at_end,
        entered={s: entered.get(s, 0) for s in Stage},
        funds=breakdown,
        fund_totals=funds.totals(db, None, start, end),
        fund_totals_to_date=funds.totals(db, None, None, end),
        disbursed_by_month=disbursed_by_month(db, period),
        project_totals=projects.totals(db, None, start, end),
        project_totals_to_date=projects.totals(db, None, None, end),
        projects_by_status=projects_by_status(db, period),
        talent_totals=talent.totals(db, None, start, end),
        talent_totals_to_date=talent.totals(db, None, None, end),
        occupancy=spaces.occupancy(db, start, end),
        occupancy_by_kind=occupancy_by_kind(db, period),
    )
    step(0.5)
    if with_rows:
        data.rows = org_rows(db, period)
    step(1.0)
    return data
