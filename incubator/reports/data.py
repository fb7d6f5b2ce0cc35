"""What the reports print, gathered before any layout.

``org_data`` reads one organization through the same services the app uses (so its totals are
the services' totals). ``center_data`` reads the whole center with aggregate SQL: a handful of
GROUP BY queries however many organizations there are, never one service call per
organization; ``tests/pdf`` proves its figures equal the services' totals.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select

from incubator.db import Database
from incubator.domain import (
    AllocationStatus,
    FundKind,
    FundSource,
    ProjectStatus,
    SpaceKind,
    Stage,
)
from incubator.models import (
    LifecycleTransition,
    Organization,
)
from incubator.services import (
    center_summary,
    compliance,
    documents,
    evaluations,
    figures,
    funds,
    kpis,
    lifecycle,
    narratives,
    projects,
    registry,
    spaces,
    talent,
)
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


@dataclass(frozen=True)
class TalentLine:
    record: talent.TalentView
    hours_in_period: Decimal  # its share of the period (figures.hours_share)


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
    projects: list[projects.ProjectView]  # active in the period, with their status at its end
    project_totals: projects.ProjectTotals
    project_totals_to_date: projects.ProjectTotals
    talent: list[TalentLine]
    talent_totals: talent.TalentTotals
    talent_totals_to_date: talent.TalentTotals
    allocations: list[spaces.AllocationView]
    occupancy: figures.SpaceUse  # the days (and m²·days) of the organization's allocations
    space_days_to_date: int  # days of its allocations, from the first to the period's end
    evaluations: list[evaluations.EvaluationView]
    narrative: narratives.NarrativeView
    standing: compliance.Standing  # at the period's end (figures' end)
    documents: list[documents.DocumentView]  # on file now
    record_labels: dict[tuple[str, int], str]  # what each document is attached to

    @property
    def end(self) -> dt.date:
        """The last day the figures count: the period's end, or today while it runs."""
        return figures_end(self.period, self.today)

    @property
    def stage_at_end(self) -> Stage | None:
        passed = [t for t in self.history if t.occurred_on <= self.end]
        return passed[-1].to_stage if passed else None

    @property
    def allocated_area(self) -> Decimal:
        """Area of the distinct spaces the organization held at some time in the period."""
        return sum(
            ({a.space_id: a.area_m2 for a in self.allocations}.values()), Decimal("0")
        ).quantize(Decimal("0.01"))


def figures_end(period: Period, today: dt.date) -> dt.date:
    """A period that has not ended yet is counted up to today ("figures up to DATE")."""
    return min(period.end, today)


def org_data(
    db: Database,
    org_id: int,
    period: Period,
    today: dt.date | None = None,
    lang: str | None = None,
) -> OrgData:
    """Everything one progress report prints (``org_data_many`` for one organization)."""
    return org_data_many(db, [org_id], period, today, lang)[0]


def org_data_many(
    db: Database,
    org_ids: Sequence[int],
    period: Period,
    today: dt.date | None = None,
    lang: str | None = None,
) -> list[OrgData]:
    """What each organization's progress report prints, in the order given: every figure by
    the rules of ``services.figures``, the lists filtered by the same rules. A fixed number
    of queries for all of them (each grouped by organization), not one set per organization;
    an id not in the registry raises NotFoundError."""
    today = today or dt.date.today()
    start, end = period.start, figures_end(period, today)
    ids = list(dict.fromkeys(org_ids))
    orgs = {o.id: o for o in registry.get_each(db, ids)}
    histories = lifecycle.histories(db, ids)
    fund_lists = funds.funds_of_many(db, ids)
    project_lists = projects.list_many(db, ids)
    talent_lists = talent.list_many(db, ids)
    allocation_lists = spaces.allocations_of_many(db, ids)
    evaluation_lists = evaluations.list_many(db, ids)
    narrative_of = narratives.get_many(db, ids, period)
    standings = compliance.standing_many(db, ids, end)
    document_lists = documents.list_many(db, ids)
    attached_to = {
        (d.record_kind, d.record_id)
        for docs in document_lists.values()
        for d in docs
        if d.record_kind and d.record_id is not None
    }
    labels = documents.record_labels(db, ids, lang, only=attached_to)

    by_fund_in = figures.money(db, start, end, ("fund",), ids)
    by_fund_to_date = figures.money(db, None, end, ("fund",), ids)
    totals_in = figures.money(db, start, end, ("org",), ids)
    totals_to_date = figures.money(db, None, end, ("org",), ids)
    breakdowns = fund_breakdowns(db, start, end, ids)
    states = figures.project_states(db, start, end, ids)
    projects_in = figures.projects_by(db, start, end, by_org=True, org_id=ids)
    projects_to_date = figures.projects_by(db, None, end, by_org=True, org_id=ids)
    talent_in = figures.talent_by_org(db, start, end, ids)
    talent_to_date = figures.talent_by_org(db, None, end, ids)
    space_in = figures.space_use(db, start, end, "org", ids)
    # Space-days to date count from each organization's first allocation: from the earliest
    # of them all, which changes no organization's count.
    first_alloc = min((a.start_on for v in allocation_lists.values() for a in v), default=start)
    space_to_date = figures.space_use(db, min(first_alloc, start), end, "org", ids)

    out = []
    for org_id in ids:
        lines = [
            FundLine(
                f,
                by_fund_in.get((f.id,), figures.Amounts()).disbursed,
                by_fund_to_date[(f.id,)].disbursed,
            )
            for f in fund_lists[org_id]
            if (f.id,) in by_fund_to_date  # committed by the end and not cancelled
        ]
        talent_rows = [
            TalentLine(
                r,
                figures.round_half_up(
                    figures.hours_share(r.hours, r.start_on, r.end_on, start, end)
                ),
            )
            for r in talent_lists[org_id]
            if figures.counts_in(r.kind, r.start_on, r.end_on, start, end)
        ]
        no_projects = figures.ProjectFigures()
        out.append(
            OrgData(
                period=period,
                today=today,
                org=orgs[org_id],
                history=[t for t in histories[org_id] if t.occurred_on <= end],
                fund_lines=lines,
                fund_breakdown=breakdowns[org_id],
                fund_totals=funds.FundTotals.of(totals_in.get((org_id,), figures.Amounts())),
                fund_totals_to_date=funds.FundTotals.of(
                    totals_to_date.get((org_id,), figures.Amounts())
                ),
                projects=[
                    dataclasses.replace(p, status=states[p.id])
                    for p in project_lists[org_id]
                    if p.id in states
                ],
                project_totals=projects.ProjectTotals.of(projects_in.get(org_id, no_projects)),
                project_totals_to_date=projects.ProjectTotals.of(
                    projects_to_date.get(org_id, no_projects)
                ),
                talent=talent_rows,
                talent_totals=talent_in.get(org_id, figures.TalentFigures()),
                talent_totals_to_date=talent_to_date.get(org_id, figures.TalentFigures()),
                allocations=[
                    a
                    for a in allocation_lists[org_id]
                    if a.status is AllocationStatus.ACTIVE
                    and figures.overlaps(a.start_on, a.end_on, start, end)
                ],
                occupancy=space_in.get(org_id, figures.SpaceUse()),
                space_days_to_date=space_to_date.get(org_id, figures.SpaceUse()).occupied_days,
                evaluations=[e for e in evaluation_lists[org_id] if e.evaluated_on <= end],
                narrative=narrative_of[org_id],
                standing=standings[org_id],
                documents=document_lists[org_id],
                record_labels={  # of its own documents' records
                    key: labels[key]
                    for d in document_lists[org_id]
                    if (key := (d.record_kind or "", d.record_id or 0)) in labels
                },
            )
        )
    return out


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
    talent: figures.TalentFigures = field(default_factory=figures.TalentFigures)
    space_days: int = 0

    @property
    def trainings(self) -> int:
        return self.talent.trainings

    @property
    def training_hours(self) -> Decimal:
        return self.talent.training_hours

    @property
    def is_empty(self) -> bool:
        return not (
            self.committed
            or self.disbursed
            or self.projects
            or not self.talent.is_zero
            or self.space_days
        )


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
    projects_by_status: dict[ProjectStatus, tuple[int, Decimal, int]]  # at the period's end
    talent_totals: talent.TalentTotals
    talent_totals_to_date: talent.TalentTotals
    occupancy: spaces.Occupancy
    occupancy_by_kind: dict[SpaceKind, figures.SpaceUse]
    indicators: list[kpis.Indicator] = field(default_factory=list)
    overdue_payments: list[kpis.OverduePayment] = field(default_factory=list)
    overdue_evaluations: list[kpis.OverdueEvaluation] = field(default_factory=list)
    summary: center_summary.CenterSummaryView | None = None
    rows: list[OrgRow] = field(default_factory=list)
    compliance: compliance.CenterCompliance | None = None

    @property
    def end(self) -> dt.date:
        return figures_end(self.period, self.today)

    @property
    def headcount(self) -> Headcount:
        return Headcount(self.end, self.stage_at_end)


def fund_breakdown(
    db: Database, start: dt.date, end: dt.date, org_id: int | None = None
) -> FundBreakdown:
    """Committed and disbursed by source and kind, in the period and to its end."""
    return _breakdown(_breakdown_rows(db, start, end, (), org_id).get((), []))


def fund_breakdowns(
    db: Database, start: dt.date, end: dt.date, org_ids: Sequence[int]
) -> dict[int, FundBreakdown]:
    """``fund_breakdown`` of each organization, in two queries."""
    rows = _breakdown_rows(db, start, end, ("org",), org_ids)
    return {i: _breakdown(rows.get((i,), [])) for i in org_ids}


def _breakdown_rows(
    db: Database, start: dt.date, end: dt.date, by: tuple[str, ...], orgs: figures.Orgs
) -> dict[tuple, list[tuple[FundSource, FundKind, str, Decimal]]]:
    """``_breakdown``'s rows under the value of ``by`` (() or ("org",))."""
    rows: dict[tuple, list] = defaultdict(list)
    for suffix, first in (("", start), ("_to_date", None)):
        found = figures.money(db, first, end, (*by, "source", "kind"), orgs)
        for key, a in found.items():
            owner, (source, kind) = key[: len(by)], key[len(by) :]
            rows[owner].append((source, kind, "committed" + suffix, a.committed))
            rows[owner].append((source, kind, "disbursed" + suffix, a.disbursed))
    return rows


def disbursed_by_month(db: Database, start: dt.date, end: dt.date) -> list[tuple[str, Decimal]]:
    found = figures.money(db, start, end, ("month",))
    return [(m, found.get((m,), figures.Amounts()).disbursed) for m in figures.months(start, end)]


def org_rows(db: Database, start: dt.date, end: dt.date) -> list[OrgRow]:
    """Every organization that had applied by the period's end or had support in it, with
    its figures for the period, in pinyin order: one query per measure, grouped by org."""
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
    for (oid,), a in figures.money(db, start, end, ("org",)).items():
        rows[oid].committed, rows[oid].disbursed = a.committed, a.disbursed
    for oid, p in figures.projects_by(db, start, end, by_org=True).items():
        rows[oid].projects, rows[oid].budget, rows[oid].beneficiaries = (
            p.count,
            p.budget,
            p.beneficiaries,
        )
    for oid, t in figures.talent_by_org(db, start, end).items():
        rows[oid].talent = t
    for oid, u in figures.space_use(db, start, end, by="org").items():
        rows[oid].space_days = u.occupied_days
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
    today = today or dt.date.today()
    start, end = period.start, figures_end(period, today)
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
    breakdown = fund_breakdown(db, start, end)
    step(0.3)
    data = CenterData(
        period=period,
        today=today,
        center=narratives.center_info(db),
        stage_at_end=stage_at_end,
        entered={s: entered.get(s, 0) for s in Stage},
        funds=breakdown,
        fund_totals=funds.totals(db, None, start, end),
        fund_totals_to_date=funds.totals(db, None, None, end),
        disbursed_by_month=disbursed_by_month(db, start, end),
        project_totals=projects.totals(db, None, start, end),
        project_totals_to_date=projects.totals(db, None, None, end),
        projects_by_status=figures.projects(db, start, end).by_status,
        talent_totals=talent.totals(db, None, start, end),
        talent_totals_to_date=talent.totals(db, None, None, end),
        occupancy=spaces.occupancy(db, start, end),
        occupancy_by_kind=figures.space_use(db, start, end, by="kind"),
        indicators=kpis.indicators(db, start, end),
        overdue_payments=kpis.overdue_payments(db, end),
        overdue_evaluations=kpis.overdue_evaluations(db, end),
        summary=center_summary.get(db, period),
        compliance=compliance.center_overview(db, end),
    )
    step(0.5)
    if with_rows:
        data.rows = org_rows(db, start, end)
    step(1.0)
    return data
