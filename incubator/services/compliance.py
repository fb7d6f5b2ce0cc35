"""Compliance with the registration authority: annual reports, rating grades, and the
authority's lists. The rules live here, once; the dashboard, the lists, the reports and the
CLI all ask this module.

- **Annual report of year Y** (年度报告 / 年检): due in year Y+1 on the center's day (31 May
  unless set otherwise, ``rules``), or on the day its record says. Expected of every
  registered organization (any legal form but "unregistered community organization") registered
  on or before 31 December Y that had not exited before that due date; an organization with a
  record for Y is listed whatever its form. Its status on a day: the authority's result once
  recorded; "submitted" once submitted; otherwise overdue after the due date, due soon within
  ``DUE_SOON_DAYS`` days of it (the day itself and day 30 included), not yet due before.
- **Rating** (评估等级, 1A..5A): valid from the day awarded to ``valid_until`` (five years
  less a day by default), both included; an organization's grade on a day is its valid rating
  awarded last. Voided ratings count nowhere.
- **The authority's lists** (活动异常名录, 严重违法失信名单): an organization is listed on a day
  from ``listed_on`` (included) until ``removed_on`` (excluded: removed that day).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from incubator import validation as v
from incubator.db import Database
from incubator.domain import (
    AnnualReportStatus,
    AuthorityList,
    InspectionResult,
    LegalForm,
    RatingGrade,
    Stage,
)
from incubator.errors import NotFoundError, ValidationError
from incubator.i18n import T, TList
from incubator.models import AnnualReport, AuthorityListing, Organization, Rating, Setting
from incubator.services.common import (
    apply,
    check_version,
    edited,
    load,
    put_settings,
    view,
)
from incubator.services.records import RecordKind

DUE_SOON_DAYS = 30
RATING_YEARS = 5  # a grade's validity when none is given
RATING_EXPIRING_DAYS = 90  # a grade ending within this many days is reminded
DEFAULT_DUE = (5, 31)  # month and day of the year after the one reported on
DEFAULT_DOCUMENT_MAX_MB = 50

# Center-wide rules, kept as settings (the center's: administrators change them).
REPORT_DUE_KEY = "center_annual_report_due"  # "MM-DD"
DOCUMENT_MAX_KEY = "center_document_max_mb"


# --- the center's rules -------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    report_due: tuple[int, int] = DEFAULT_DUE  # (month, day) in the following year
    document_max_mb: int = DEFAULT_DOCUMENT_MAX_MB

    def due_on(self, year: int) -> dt.date:
        """When the annual report of ``year`` is due by default (29 February: the 28th)."""
        month, day = self.report_due
        try:
            return dt.date(year + 1, month, day)
        except ValueError:
            return dt.date(year + 1, month, 28)

    @property
    def document_max_bytes(self) -> int:
        return self.document_max_mb * 1024 * 1024


def rules(db: Database) -> Rules:
    with db.reading() as session:
        return session_rules(session)


def session_rules(session: Session) -> Rules:
    """``rules`` within a unit of work already open (read once in it)."""
    if _RULES not in session.info:
        session.info[_RULES] = _read_rules(session)
    return session.info[_RULES]


_RULES = "compliance_rules"


def _read_rules(session: Session) -> Rules:
    values = dict(
        session.execute(
            select(Setting.key, Setting.value).where(
                Setting.key.in_((REPORT_DUE_KEY, DOCUMENT_MAX_KEY))
            )
        ).all()
    )
    due, limit = DEFAULT_DUE, DEFAULT_DOCUMENT_MAX_MB
    # A value set by hand that no longer parses falls back to the default, not to an error
    # on every page that shows a due date.
    with contextlib.suppress(ValidationError):
        due = _month_day(values.get(REPORT_DUE_KEY) or "", REPORT_DUE_KEY)
    text = values.get(DOCUMENT_MAX_KEY) or ""
    if text.isdigit() and int(text) > 0:
        limit = int(text)
    return Rules(due, limit)


def _month_day(value: Any, field: str) -> tuple[int, int]:
    text = v.fold(str(value or ""))
    m = re.fullmatch(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})日?", text)
    if m:
        month, day = int(m[1]), int(m[2])
        try:
            dt.date(2000, month, day)  # a leap year: 02-29 is a day
            return month, day
        except ValueError:
            pass
    raise ValidationError.single(field, "Not a day of the year: “{value}” (use MM-DD)", value=value)


def set_rules(
    db: Database,
    report_due: Any = None,
    document_max_mb: Any = None,
    actor: str | None = None,
) -> Rules:
    """Change the annual reports' default due day ("MM-DD") and the largest document (MB);
    a value left None stays as it is. Audited."""
    c = v.Checker()
    wanted: dict[str, str] = {}
    if report_due is not None:
        parsed = c(_month_day, report_due, REPORT_DUE_KEY)
        if parsed:
            wanted[REPORT_DUE_KEY] = f"{parsed[0]:02d}-{parsed[1]:02d}"
    if document_max_mb is not None:
        size = c(v.count, document_max_mb, DOCUMENT_MAX_KEY)
        if size is not None and not 1 <= size <= 1024:
            c.add(DOCUMENT_MAX_KEY, "Must be between {low} and {high}", low=1, high=1024)
        elif size is not None:
            wanted[DOCUMENT_MAX_KEY] = str(size)
    c.raise_if_any()
    with db.transaction(actor) as session:
        put_settings(session, wanted)
    return rules(db)


# --- annual reports -----------------------------------------------------------------------


@dataclass(frozen=True)
class AnnualReportView:
    id: int
    organization_id: int
    year: int
    due_on: dt.date
    submitted_on: dt.date | None
    result: InspectionResult | None
    remarks: str | None
    version: int

    def status(self, today: dt.date) -> AnnualReportStatus:
        return report_status(self.due_on, self.submitted_on, self.result, today)


def report_status(
    due_on: dt.date,
    submitted_on: dt.date | None,
    result: InspectionResult | None,
    today: dt.date,
) -> AnnualReportStatus:
    """One year's annual report's status on ``today`` (see the module's rules)."""
    if result is not None:
        return AnnualReportStatus(InspectionResult(result).value)
    if submitted_on is not None:
        return AnnualReportStatus.SUBMITTED
    if due_on < today:
        return AnnualReportStatus.OVERDUE
    if (due_on - today).days <= DUE_SOON_DAYS:
        return AnnualReportStatus.DUE_SOON
    return AnnualReportStatus.NOT_DUE


REPORT_FIELDS = ("year", "due_on", "submitted_on", "result", "remarks")
_RESULTS_NEEDING_SUBMISSION = (
    InspectionResult.QUALIFIED,
    InspectionResult.BASICALLY_QUALIFIED,
    InspectionResult.UNQUALIFIED,
)


def clean_report(data: Mapping[str, Any]) -> dict[str, Any]:
    c = v.Checker()
    today = dt.date.today()
    year = c(v.count, data.get("year"), "year")
    if data.get("year") in (None, ""):
        c.add("year", "This field is required")
    elif year is not None and not 1949 <= year <= today.year:
        c.add("year", "Must be between {low} and {high}", low=1949, high=today.year)
    out = {
        "year": year,
        "due_on": c(v.date, data.get("due_on"), "due_on", required=True),
        "submitted_on": c(v.date, data.get("submitted_on"), "submitted_on"),
        "result": None,
        "remarks": c(v.clean_text, data.get("remarks"), "remarks", max_len=4000),
    }
    if data.get("result") not in (None, ""):
        out["result"] = c(v.choice, InspectionResult, data.get("result"), "result")
    if out["submitted_on"] and out["submitted_on"] > today:
        c.add("submitted_on", "Date {date} is in the future", date=out["submitted_on"])
    needs_submission = out["result"] in _RESULTS_NEEDING_SUBMISSION
    if needs_submission and out["submitted_on"] is None and c.ok("submitted_on"):
        c.add(
            "submitted_on", "Required when the result is “{result}”", result=T(out["result"].label)
        )
    if year and out["due_on"] and out["due_on"].year <= year and c.ok("year", "due_on"):
        c.add("due_on", "An annual report is due after the year it reports on")
    c.raise_if_any()
    return out


REPORTS = RecordKind(
    AnnualReport, AnnualReportView, "Annual report", clean_report, REPORT_FIELDS, ("year",)
)
list_reports = REPORTS.list_for


def record_report(
    db: Database, org_id: int, data: Mapping[str, Any], actor: str | None = None
) -> AnnualReportView:
    """Record one year's annual report; the due date defaults to the center's day."""
    data = dict(data)
    if data.get("due_on") in (None, "") and str(data.get("year") or "").strip().isdigit():
        data["due_on"] = rules(db).due_on(int(str(data["year"]).strip()))
    clean = clean_report(data)
    with db.transaction(actor) as session:
        load(session, Organization, org_id, "Organization")
        taken = session.scalar(
            select(AnnualReport.id).where(
                AnnualReport.organization_id == org_id, AnnualReport.year == clean["year"]
            )
        )
        if taken is not None:
            raise ValidationError.single(
                "year", "The annual report of {year} is already recorded", year=clean["year"]
            )
        row = AnnualReport(organization_id=org_id, **clean)
        session.add(row)
        session.flush()
        return view(AnnualReportView, row)


def update_report(
    db: Database,
    report_id: int,
    changes: Mapping[str, Any],
    expected_version: int,
    actor: str | None = None,
) -> AnnualReportView:
    with db.transaction(actor) as session:
        row = load(session, AnnualReport, report_id, "Annual report")
        check_version(row, expected_version, "Annual report")
        wanted = edited(row, REPORT_FIELDS, changes)
        year = str(wanted["year"]).strip()
        if "due_on" not in changes and year.isdigit() and int(year) != row.year:
            # Another year: a due date that was the center's day moves with it.
            center = session_rules(session)
            if row.due_on == center.due_on(row.year):
                wanted["due_on"] = center.due_on(int(year))
        clean = clean_report(wanted)
        if clean["year"] != row.year and session.scalar(
            select(AnnualReport.id).where(
                AnnualReport.organization_id == row.organization_id,
                AnnualReport.year == clean["year"],
            )
        ):
            raise ValidationError.single(
                "year", "The annual report of {year} is already recorded", year=clean["year"]
            )
        apply(row, clean)
        session.flush()
        return view(AnnualReportView, row)


@dataclass(frozen=True)
class YearStatus:
    """One organization's annual report of one year, as the compliance list shows it."""

    organization_id: int
    name: str
    credit_code: str | None
    year: int
    due_on: dt.date
    status: AnnualReportStatus
    submitted_on: dt.date | None
    result: InspectionResult | None
    remarks: str | None
    report_id: int | None  # None: nothing recorded yet


def expected_condition(year: int, due_on: dt.date) -> Any:
    """The organizations expected to file the annual report of ``year`` due ``due_on``."""
    return and_(
        Organization.legal_form != LegalForm.COMMUNITY_UNREGISTERED,
        Organization.registered_on.is_not(None),
        Organization.registered_on <= dt.date(year, 12, 31),
        or_(Organization.stage != Stage.EXITED, Organization.stage_since >= due_on),
    )


def year_statuses(
    db: Database,
    year: int,
    today: dt.date | None = None,
    status: AnnualReportStatus | None = None,
    org_ids: Sequence[int] | None = None,
) -> list[YearStatus]:
    """Every organization's annual report of ``year`` (expected or recorded), by name; only
    those with ``status`` when given."""
    today = today or dt.date.today()
    with db.reading() as session:
        return _year_statuses(session, year, today, status, org_ids)


def _year_statuses(
    session: Session,
    year: int,
    today: dt.date,
    status: AnnualReportStatus | None = None,
    org_ids: Sequence[int] | None = None,
    include_archived: bool = True,
    unsubmitted_due: tuple[dt.date, dt.date] | None = None,
) -> list[YearStatus]:
    """``unsubmitted_due``: only the reports neither submitted nor judged that are due between
    these two days (inclusive), narrowed in SQL: what reminders look at, without reading every
    organization's report (``report_status`` still decides each status)."""
    default_due = session_rules(session).due_on(year)
    recorded = select(AnnualReport.organization_id).where(AnnualReport.year == year)
    due = func.coalesce(AnnualReport.due_on, default_due)
    # Plain columns, not ORM objects: at 100,000 organizations a year's reports would fill
    # the session's identity map (about 40 MiB a year).
    stmt = (
        select(
            Organization.id,
            Organization.name,
            Organization.credit_code,
            AnnualReport.id,
            AnnualReport.due_on,
            AnnualReport.submitted_on,
            AnnualReport.result,
            AnnualReport.remarks,
        )
        .outerjoin(
            AnnualReport,
            and_(AnnualReport.organization_id == Organization.id, AnnualReport.year == year),
        )
        .where(or_(expected_condition(year, default_due), Organization.id.in_(recorded)))
        .order_by(Organization.name_sort, Organization.id)
    )
    if org_ids is not None:
        stmt = stmt.where(Organization.id.in_(org_ids))
    if not include_archived:
        stmt = stmt.where(Organization.archived.is_(False))
    if unsubmitted_due is not None:
        stmt = stmt.where(
            AnnualReport.submitted_on.is_(None),
            AnnualReport.result.is_(None),
            due.between(*unsubmitted_due),
        )
    out = []
    for org_id, name, code, report_id, due_on, submitted, result, remarks in session.execute(stmt):
        due_on = due_on or default_due
        result = InspectionResult(result) if result else None
        found = report_status(due_on, submitted, result, today)
        if status is not None and found is not status:
            continue
        out.append(
            YearStatus(
                org_id, name, code, year, due_on, found, submitted, result, remarks, report_id
            )
        )
    return out


def reports_to_remind(session: Session, today: dt.date) -> list[YearStatus]:
    """The annual reports not submitted whose due date is within ``DUE_SOON_DAYS`` days or
    passed less than a year ago (older ones are the authority's business by then), of the
    organizations not archived."""
    # Neither submitted nor judged, due by ``DUE_SOON_DAYS`` days from now: every one is due
    # soon or overdue (``report_status``); overdue by less than a year.
    window = (today - dt.timedelta(days=364), today + dt.timedelta(days=DUE_SOON_DAYS))
    out = []
    for year in range(today.year - 2, today.year + 1):
        out += _year_statuses(session, year, today, include_archived=False, unsubmitted_due=window)
    return out


# --- ratings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingView:
    id: int
    organization_id: int
    grade: RatingGrade
    awarded_on: dt.date
    valid_until: dt.date
    awarding_body: str | None
    notes: str | None
    version: int

    def valid_on(self, day: dt.date) -> bool:
        return self.awarded_on <= day <= self.valid_until


RATING_FIELDS = ("grade", "awarded_on", "valid_until", "awarding_body", "notes")


def default_valid_until(awarded_on: dt.date) -> dt.date:
    """Five years less a day: awarded 2024-03-15, valid until 2029-03-14."""
    try:
        anniversary = awarded_on.replace(year=awarded_on.year + RATING_YEARS)
    except ValueError:  # 29 February
        anniversary = dt.date(awarded_on.year + RATING_YEARS, 3, 1)
    return anniversary - dt.timedelta(days=1)


def clean_rating(data: Mapping[str, Any]) -> dict[str, Any]:
    c = v.Checker()
    out = {
        "grade": c(v.choice, RatingGrade, data.get("grade"), "grade"),
        "awarded_on": c(v.date, data.get("awarded_on"), "awarded_on", required=True),
        "valid_until": c(v.date, data.get("valid_until"), "valid_until"),
        "awarding_body": c(v.clean_text, data.get("awarding_body"), "awarding_body"),
        "notes": c(v.clean_text, data.get("notes"), "notes", max_len=4000),
    }
    awarded = out["awarded_on"]
    if awarded and awarded > dt.date.today():
        c.add("awarded_on", "Date {date} is in the future", date=awarded)
    if awarded and out["valid_until"] is None and c.ok("valid_until"):
        out["valid_until"] = default_valid_until(awarded)
    if c.ok("awarded_on", "valid_until"):
        c(v.period, awarded, out["valid_until"], "valid_until")
    c.raise_if_any()
    return out


RATINGS = RecordKind(Rating, RatingView, "Rating", clean_rating, RATING_FIELDS, ("awarded_on",))
record_rating = RATINGS.add
update_rating = RATINGS.update
list_ratings = RATINGS.list_for


def grades_on(
    session: Session, day: dt.date, org_ids: Sequence[int] | None = None
) -> dict[int, RatingGrade]:
    """Each organization's grade on ``day`` (its valid rating awarded last); those with none
    are left out."""
    stmt = (
        select(Rating.organization_id, Rating.grade)
        .where(Rating.awarded_on <= day, Rating.valid_until >= day)
        .order_by(Rating.awarded_on, Rating.id)
    )
    if org_ids is not None:
        stmt = stmt.where(Rating.organization_id.in_(org_ids))
    return {org_id: RatingGrade(grade) for org_id, grade in session.execute(stmt)}


def ratings_to_remind(session: Session, today: dt.date) -> list[tuple[int, str, RatingView]]:
    """Organizations (not archived) whose last rating ends within ``RATING_EXPIRING_DAYS``
    days or ended less than a year ago, with no later rating: (id, name, that rating)."""
    ends_after = today - dt.timedelta(days=365)
    ends_by = today + dt.timedelta(days=RATING_EXPIRING_DAYS)
    later = aliased(Rating)
    a_later_one = exists().where(
        later.organization_id == Rating.organization_id,
        or_(
            later.awarded_on > Rating.awarded_on,
            and_(later.awarded_on == Rating.awarded_on, later.id > Rating.id),
        ),
    )
    # Only the last ratings ending in that window are read (not every organization's).
    rows = session.execute(
        select(Organization.id, Organization.name, Rating)
        .join(Rating, Rating.organization_id == Organization.id)
        .where(
            Organization.archived.is_(False),
            Rating.valid_until > ends_after,
            Rating.valid_until <= ends_by,
            ~a_later_one,
        )
        .order_by(Rating.awarded_on, Rating.id)
    )
    return [(org_id, name, view(RatingView, rating)) for org_id, name, rating in rows]


# --- the authority's lists ----------------------------------------------------------------


@dataclass(frozen=True)
class ListingView:
    id: int
    organization_id: int
    list_kind: AuthorityList
    listed_on: dt.date
    authority: str | None
    reason: str | None
    removed_on: dt.date | None
    removal_reason: str | None
    version: int

    def listed_on_day(self, day: dt.date) -> bool:
        return self.listed_on <= day and (self.removed_on is None or self.removed_on > day)


LISTING_FIELDS = (
    "list_kind",
    "listed_on",
    "authority",
    "reason",
    "removed_on",
    "removal_reason",
)


def clean_listing(data: Mapping[str, Any]) -> dict[str, Any]:
    c = v.Checker()
    out = {
        "list_kind": c(v.choice, AuthorityList, data.get("list_kind"), "list_kind"),
        "listed_on": c(v.date, data.get("listed_on"), "listed_on", required=True),
        "authority": c(v.clean_text, data.get("authority"), "authority"),
        "reason": c(v.clean_text, data.get("reason"), "reason", max_len=4000),
        "removed_on": c(v.date, data.get("removed_on"), "removed_on"),
        "removal_reason": c(
            v.clean_text, data.get("removal_reason"), "removal_reason", max_len=4000
        ),
    }
    today = dt.date.today()
    for name in ("listed_on", "removed_on"):
        if out[name] and out[name] > today:
            c.add(name, "Date {date} is in the future", date=out[name])
    if c.ok("listed_on", "removed_on"):
        c(v.period, out["listed_on"], out["removed_on"], "removed_on")
    c.raise_if_any()
    return out


LISTINGS = RecordKind(
    AuthorityListing,
    ListingView,
    "Authority listing",
    clean_listing,
    LISTING_FIELDS,
    ("listed_on",),
)
record_listing = LISTINGS.add
update_listing = LISTINGS.update
list_listings = LISTINGS.list_for


def listed_condition(day: dt.date) -> Any:
    return and_(
        AuthorityListing.listed_on <= day,
        or_(AuthorityListing.removed_on.is_(None), AuthorityListing.removed_on > day),
    )


def listed_on(
    session: Session, day: dt.date, org_ids: Sequence[int] | None = None
) -> dict[int, tuple[AuthorityList, ...]]:
    """The organizations on one of the authority's lists on ``day``, with those lists."""
    stmt = (
        select(AuthorityListing.organization_id, AuthorityListing.list_kind)
        .where(listed_condition(day))
        .order_by(AuthorityListing.listed_on)
    )
    if org_ids is not None:
        stmt = stmt.where(AuthorityListing.organization_id.in_(org_ids))
    out: dict[int, tuple[AuthorityList, ...]] = {}
    for org_id, kind in session.execute(stmt):
        kinds = out.get(org_id, ())
        if AuthorityList(kind) not in kinds:
            out[org_id] = (*kinds, AuthorityList(kind))
    return out


def listings_to_remind(session: Session, today: dt.date) -> list[tuple[int, str, ListingView]]:
    """The organizations (not archived) on one of the authority's lists today: (id, name,
    the listing), until they are taken off it."""
    rows = session.execute(
        select(Organization.id, Organization.name, AuthorityListing)
        .join(AuthorityListing, AuthorityListing.organization_id == Organization.id)
        .where(Organization.archived.is_(False), listed_condition(today))
        .order_by(AuthorityListing.listed_on, AuthorityListing.id)
    )
    return [(org_id, name, view(ListingView, listing)) for org_id, name, listing in rows]


def lists_text(kinds: Sequence[AuthorityList], lang: str | None = None) -> str:
    """The authority's lists named in the reader's language ("活动异常名录、严重违法失信名单")."""
    return TList(T(kind.label) for kind in kinds).text(lang)


@dataclass(frozen=True)
class Marks:
    """What lists and reports show beside organizations' names on a day: the grade, and a
    flag for those on one of the authority's lists."""

    grades: Mapping[int, RatingGrade]
    listed: Mapping[int, tuple[AuthorityList, ...]]

    def grade(self, org_id: int) -> str:
        found = self.grades.get(org_id)
        return found.value if found else ""

    def is_listed(self, org_id: int) -> bool:
        return org_id in self.listed

    def listed_text(self, org_id: int, lang: str | None = None) -> str:
        return lists_text(self.listed.get(org_id, ()), lang)

    def text(self, org_id: int, lang: str | None = None) -> str:
        """The grade, and the lists it is on: "3A · ⚠ 活动异常名录"."""
        listed = self.listed_text(org_id, lang)
        return " · ".join(filter(None, [self.grade(org_id), f"⚠ {listed}" if listed else ""]))


def marks_on(db: Database, day: dt.date, org_ids: Sequence[int] | None = None) -> Marks:
    with db.reading() as session:
        return Marks(grades_on(session, day, org_ids), listed_on(session, day, org_ids))


@dataclass(frozen=True)
class YearRow:
    """A line of the compliance list: one organization's annual report of a year, with its
    grade and the lists it is on, on the day asked."""

    report: YearStatus
    grade: str
    listed: str


def year_list(
    db: Database,
    year: int | None = None,
    status: AnnualReportStatus | None = None,
    org_ids: Sequence[int] | None = None,
    today: dt.date | None = None,
) -> tuple[int, list[YearRow]]:
    """The year (by default the one whose report fell due last) and every organization's
    annual report of it with its grade and listing: the Compliance page, ``compliance list``
    and its export."""
    today = today or dt.date.today()
    with db.reading() as session:
        year = last_due_year(session, today) if year is None else year
        found = _year_statuses(session, year, today, status, org_ids)
        ids = [r.organization_id for r in found]
        marks = Marks(grades_on(session, today, ids), listed_on(session, today, ids))
    rows = [
        YearRow(r, marks.grade(r.organization_id), marks.listed_text(r.organization_id))
        for r in found
    ]
    return year, rows


def year_due_last(db: Database, day: dt.date | None = None) -> int:
    """``last_due_year`` of ``day`` (today by default)."""
    with db.reading() as session:
        return last_due_year(session, day or dt.date.today())


# --- one organization's standing ----------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """What a visit from the authority would ask about one organization, on one day."""

    day: dt.date
    supervising_unit: str | None
    grade: RatingGrade | None  # valid on the day
    listed: tuple[AuthorityList, ...]  # lists it is on that day
    last_report: YearStatus | None  # the annual report due most recently (or next)
    reports: tuple[AnnualReportView, ...]
    ratings: tuple[RatingView, ...]
    listings: tuple[ListingView, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.listed)

    def listed_text(self, lang: str | None = None) -> str:
        return lists_text(self.listed, lang)


def last_due_year(session: Session, day: dt.date) -> int:
    """The year whose annual report fell due last on ``day`` (or falls due within
    ``DUE_SOON_DAYS`` days): on 2026-11-28, 2025's (due 2026-05-31); on 2026-03-01, 2024's."""
    year = day.year - 1
    if (session_rules(session).due_on(year) - day).days > DUE_SOON_DAYS:
        year -= 1
    return year


def standing(db: Database, org_id: int, day: dt.date | None = None) -> Standing:
    return standing_many(db, [org_id], day)[org_id]


def standing_many(
    db: Database, org_ids: Sequence[int], day: dt.date | None = None
) -> dict[int, Standing]:
    """``standing`` of each organization on ``day`` (the records begun by then; the grade,
    listings and last annual report of that day). A fixed number of queries, however many
    organizations."""
    day = day or dt.date.today()
    ids = list(dict.fromkeys(org_ids))
    with db.reading() as session:
        units = dict(
            session.execute(
                select(Organization.id, Organization.supervising_unit).where(
                    Organization.id.in_(ids)
                )
            ).all()
        )
        for org_id in ids:
            if org_id not in units:
                raise NotFoundError(what=T("Organization"), ident=org_id)
        reports = REPORTS.listed(session, ids)
        ratings = RATINGS.listed(session, ids)
        listings = LISTINGS.listed(session, ids)
        grades = grades_on(session, day, ids)
        listed = listed_on(session, day, ids)
        year = last_due_year(session, day)
        last = {r.organization_id: r for r in _year_statuses(session, year, day, org_ids=ids)}
    return {
        org_id: Standing(
            day,
            units[org_id],
            grades.get(org_id),
            listed.get(org_id, ()),
            last.get(org_id),
            tuple(r for r in reports[org_id] if r.year <= day.year),
            tuple(r for r in ratings[org_id] if r.awarded_on <= day),
            tuple(x for x in listings[org_id] if x.listed_on <= day),
        )
        for org_id in ids
    }


# --- the whole center ---------------------------------------------------------------------


@dataclass(frozen=True)
class ListedOrganization:
    organization_id: int
    name: str
    listing: ListingView


@dataclass(frozen=True)
class CenterCompliance:
    """The center report's compliance figures on a day: the annual reports of the year that
    fell due last, by status; organizations by grade; those on the authority's lists."""

    day: dt.date
    year: int
    by_status: dict[AnnualReportStatus, int]
    by_grade: dict[RatingGrade, int]
    listed: list[ListedOrganization]

    @property
    def expected(self) -> int:
        return sum(self.by_status.values())


def center_overview(db: Database, day: dt.date) -> CenterCompliance:
    with db.reading() as session:
        year = last_due_year(session, day)
        by_status = dict.fromkeys(AnnualReportStatus, 0)
        for row in _year_statuses(session, year, day):
            by_status[row.status] += 1
        by_grade = dict.fromkeys(RatingGrade, 0)
        for grade in grades_on(session, day).values():
            by_grade[grade] += 1
        rows = session.execute(
            select(Organization.id, Organization.name, AuthorityListing)
            .join(AuthorityListing, AuthorityListing.organization_id == Organization.id)
            .where(listed_condition(day))
            .order_by(AuthorityListing.listed_on, Organization.name_sort)
        )
        listed = [ListedOrganization(i, n, view(ListingView, x)) for i, n, x in rows]
    return CenterCompliance(day, year, by_status, by_grade, listed)
