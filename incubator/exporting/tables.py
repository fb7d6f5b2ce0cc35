"""The lists of the app as tables to export: organizations (with the list's filter), funds,
payments, projects, talent, space allocations and the history. Headers are the app's own
field labels in the current language, so an exported list of organizations imports back
unchanged (``importing.headers`` knows every label).

Phone numbers are masked unless ``include_phones``: a list handed to a bureau or funder
carries no personal numbers unless the user ticked that it should.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from incubator.db import Database
from incubator.domain import AnnualReportStatus
from incubator.exporting.writers import Column
from incubator.i18n import T, entity_label, field_label, tr
from incubator.models import (
    AuditEntry,
    Document,
    Fund,
    FundPayment,
    Organization,
    Project,
    Space,
    SpaceAllocation,
    TalentRecord,
)
from incubator.services import audit_trail, compliance, dashboard, documents, registry
from incubator.services.common import view
from incubator.services.contacts import mask_phone
from incubator.services.funds import fen_sum, yuan

SHEETS = {
    "organizations": T("Organizations"),
    "funds": T("Funds"),
    "payments": T("Payments"),
    "projects": T("Projects"),
    "talent": T("Talent records"),
    "spaces": T("Space allocations"),
    "reminders": T("Reminders"),
    "history": T("History"),
    "compliance": T("Annual reports"),
    "documents": T("Documents"),
}
CHUNK = 1000


@dataclass
class Table:
    sheet: str
    columns: list[Column]
    rows: Iterator[list[Any]]
    count: int  # rows to come, for progress


def table(
    db: Database,
    kind: str,
    query: registry.OrgQuery | None = None,
    include_phones: bool = False,
    org_id: int | None = None,
    year: int | None = None,
    status: AnnualReportStatus | None = None,
) -> Table:
    """The list of ``kind``; ``org_id`` narrows the records to one organization's; ``year``
    and ``status`` choose the annual reports of ``compliance`` (the year due last by
    default)."""
    if kind == "organizations":
        return organizations(db, query or registry.OrgQuery(), include_phones)
    if kind == "compliance":
        return annual_reports(db, year, status, org_id)
    builder = {
        "funds": funds,
        "payments": payments,
        "projects": projects,
        "talent": talent,
        "spaces": allocations,
        "reminders": reminders,
        "history": history,
        "documents": attached_documents,
    }[kind]
    return builder(db, org_id)


def _col(name: str, kind: str = "text") -> Column:
    return Column(field_label(name), kind)


def _label(member: Any) -> str | None:
    return member.display() if member is not None else None


# --- organizations ------------------------------------------------------------------------

ORG_COLUMNS = [
    ("name", "text"),
    ("short_name", "text"),
    ("credit_code", "text"),
    ("legal_form", "text"),
    ("service_fields", "text"),
    ("area_county", "text"),
    ("area_township", "text"),
    ("area_community", "text"),
    ("founded_on", "date"),
    ("registered_on", "date"),
    ("legal_representative", "text"),
    ("address", "text"),
    ("registered_capital", "money"),
    ("business_scope", "text"),
    ("supervising_unit", "text"),
    ("staff_count", "int"),
    ("volunteer_count", "int"),
    ("contact_person", "text"),
    ("contact_phone", "text"),
    ("stage", "text"),
    ("stage_since", "date"),
    ("agreement_start", "date"),
    ("agreement_planned_end", "date"),
    ("notes", "text"),
]


def organizations(db: Database, query: registry.OrgQuery, include_phones: bool) -> Table:
    ids = registry.search_ids(db, query)

    def rows() -> Iterator[list[Any]]:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            with db.reading() as session:
                found = {
                    o.id: registry.to_view(o)
                    for o in session.scalars(
                        select(Organization)
                        .where(Organization.id.in_(chunk))
                        .options(
                            selectinload(Organization.service_fields),
                            selectinload(Organization.contacts),
                        )
                    )
                }
            for oid in chunk:
                o = found[oid]
                phone = o.contact_phone if include_phones else mask_phone(o.contact_phone)
                values = {
                    "legal_form": _label(o.legal_form),
                    "service_fields": "、".join(f.display() for f in o.service_fields) or None,
                    "stage": _label(o.stage),
                    "contact_phone": phone if o.contact_phone else None,
                }
                yield [values.get(n, getattr(o, n, None)) for n, _ in ORG_COLUMNS]

    return Table(
        tr(SHEETS["organizations"]), [_col(n, k) for n, k in ORG_COLUMNS], rows(), len(ids)
    )


# --- support records ----------------------------------------------------------------------


def _owner_columns() -> list[Column]:
    return [Column(field_label("name")), Column(field_label("credit_code"))]


def _stream(db: Database, stmt, shape) -> Iterator[list[Any]]:
    with db.reading() as session:
        for row in session.execute(stmt.execution_options(yield_per=CHUNK)):
            yield shape(row)


def _count(db: Database, stmt) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def _of(stmt, column, org_id: int | None):
    return stmt if org_id is None else stmt.where(column == org_id)


def funds(db: Database, org_id: int | None = None) -> Table:
    paid = (
        select(FundPayment.fund_id, fen_sum(FundPayment.amount).label("fen"))
        .where(FundPayment.status == "paid")
        .group_by(FundPayment.fund_id)
        .subquery()
    )
    stmt = (
        select(Organization.name, Organization.credit_code, Fund, paid.c.fen)
        .join(Fund, Fund.organization_id == Organization.id)
        .outerjoin(paid, paid.c.fund_id == Fund.id)
        .order_by(Organization.name_sort, Fund.committed_on, Fund.id)
    )
    stmt = _of(stmt, Fund.organization_id, org_id)
    columns = [
        *_owner_columns(),
        _col("title"),
        _col("source"),
        _col("source_name"),
        _col("kind"),
        _col("amount_committed", "money"),
        _col("committed_on", "date"),
        _col("start_on", "date"),
        _col("end_on", "date"),
        _col("status"),
        Column(tr("Disbursed to date (yuan)"), "money"),
        Column(tr("Remaining (yuan)"), "money"),
        _col("notes"),
    ]

    def shape(row) -> list[Any]:
        name, code, f, fen = row
        disbursed = yuan(fen)
        return [
            name,
            code,
            f.title,
            _label(f.source),
            f.source_name,
            _label(f.kind),
            f.amount_committed,
            f.committed_on,
            f.start_on,
            f.end_on,
            _label(f.status),
            disbursed,
            f.amount_committed - disbursed,
            f.notes,
        ]

    return Table(tr(SHEETS["funds"]), columns, _stream(db, stmt, shape), _count(db, stmt))


def payments(db: Database, org_id: int | None = None) -> Table:
    stmt = (
        select(Organization.name, Organization.credit_code, Fund.title, FundPayment)
        .join(Fund, Fund.organization_id == Organization.id)
        .join(FundPayment, FundPayment.fund_id == Fund.id)
        .order_by(Organization.name_sort, Fund.id, FundPayment.due_on)
    )
    stmt = _of(stmt, Fund.organization_id, org_id)
    columns = [
        *_owner_columns(),
        Column(tr("Fund")),
        _col("due_on", "date"),
        _col("amount", "money"),
        _col("status"),
        _col("paid_on", "date"),
        _col("notes"),
    ]

    def shape(row) -> list[Any]:
        name, code, title, p = row
        return [name, code, title, p.due_on, p.amount, _label(p.status), p.paid_on, p.notes]

    return Table(tr(SHEETS["payments"]), columns, _stream(db, stmt, shape), _count(db, stmt))


def projects(db: Database, org_id: int | None = None) -> Table:
    stmt = (
        select(Organization.name, Organization.credit_code, Project)
        .join(Project, Project.organization_id == Organization.id)
        .order_by(Organization.name_sort, Project.start_on, Project.id)
    )
    stmt = _of(stmt, Project.organization_id, org_id)
    columns = [
        *_owner_columns(),
        Column(tr("Project")),
        _col("funder"),
        _col("budget", "money"),
        _col("start_on", "date"),
        _col("end_on", "date"),
        _col("status"),
        _col("beneficiaries", "int"),
        _col("outputs"),
    ]

    def shape(row) -> list[Any]:
        name, code, p = row
        return [
            name,
            code,
            p.name,
            p.funder,
            p.budget,
            p.start_on,
            p.end_on,
            _label(p.status),
            p.beneficiaries,
            p.outputs,
        ]

    return Table(tr(SHEETS["projects"]), columns, _stream(db, stmt, shape), _count(db, stmt))


def talent(db: Database, org_id: int | None = None) -> Table:
    stmt = (
        select(Organization.name, Organization.credit_code, TalentRecord)
        .join(TalentRecord, TalentRecord.organization_id == Organization.id)
        .order_by(Organization.name_sort, TalentRecord.start_on, TalentRecord.id)
    )
    stmt = _of(stmt, TalentRecord.organization_id, org_id)
    columns = [
        *_owner_columns(),
        _col("kind"),
        _col("title"),
        _col("person_name"),
        _col("provider"),
        _col("start_on", "date"),
        _col("end_on", "date"),
        _col("people_count", "int"),
        Column(field_label("hours"), "decimal"),
        _col("notes"),
    ]

    def shape(row) -> list[Any]:
        name, code, t = row
        return [
            name,
            code,
            _label(t.kind),
            t.title,
            t.person_name,
            t.provider,
            t.start_on,
            t.end_on,
            t.people_count,
            t.hours,
            t.notes,
        ]

    return Table(tr(SHEETS["talent"]), columns, _stream(db, stmt, shape), _count(db, stmt))


def allocations(db: Database, org_id: int | None = None) -> Table:
    stmt = (
        select(Space, SpaceAllocation, Organization.name, Organization.credit_code)
        .join(SpaceAllocation, SpaceAllocation.space_id == Space.id)
        .join(Organization, Organization.id == SpaceAllocation.organization_id)
        .order_by(Space.code, SpaceAllocation.start_on)
    )
    stmt = _of(stmt, SpaceAllocation.organization_id, org_id)
    columns = [
        Column(tr("Space code")),
        Column(tr("Space")),
        _col("kind"),
        Column(field_label("area_m2"), "decimal"),
        *_owner_columns(),
        _col("start_on", "date"),
        _col("end_on", "date"),
        _col("status"),
    ]

    def shape(row) -> list[Any]:
        s, a, name, code = row
        return [
            s.code,
            s.name,
            _label(s.kind),
            s.area_m2,
            name,
            code,
            a.start_on,
            a.end_on,
            _label(a.status),
        ]

    return Table(tr(SHEETS["spaces"]), columns, _stream(db, stmt, shape), _count(db, stmt))


def reminders(db: Database, org_id: int | None = None) -> Table:
    """Today's reminders (those marked done or snoozed left out, as on the dashboard)."""
    found = [r for r in dashboard.reminders(db) if org_id is None or r.organization_id == org_id]
    columns = [
        Column(tr("Date"), "date"),
        Column(tr("Days from today"), "int"),
        Column(tr("Reminder")),
        Column(tr("Organization")),
        Column(tr("Details")),
    ]
    rows = ([r.date, r.days, r.kind.display(), r.organization_name, r.text()] for r in found)
    return Table(tr(SHEETS["reminders"]), columns, rows, len(found))


def history(
    db: Database, org_id: int | None = None, query: audit_trail.AuditQuery | None = None
) -> Table:
    """The log's entries about ``org_id`` (every entry without it), or those ``query``
    selects (the center's History page), oldest first."""
    query = query or audit_trail.AuditQuery(organization_id=org_id)
    stmt = select(AuditEntry).where(*query.conditions()).order_by(AuditEntry.id)
    columns = [
        Column(tr("When")),
        Column(tr("Who")),
        Column(tr("What")),
        Column(tr("Record")),
        Column(tr("Change")),
    ]

    def shape(row) -> list[Any]:
        (entry,) = row
        return [
            entry.at.strftime("%Y-%m-%d %H:%M:%S") if entry.at else None,
            entry.actor,
            entity_label(entry.entity),
            entry.entity_id or None,  # 0: a bulk batch's entry, about many rows
            audit_trail.describe(audit_trail.view_of(entry)),
        ]

    return Table(tr(SHEETS["history"]), columns, _stream(db, stmt, shape), _count(db, stmt))


def annual_reports(
    db: Database,
    year: int | None = None,
    status: AnnualReportStatus | None = None,
    org_id: int | None = None,
) -> Table:
    """Every organization's annual report of ``year`` (services.compliance.year_list), with
    its grade and listing today."""
    year, found = compliance.year_list(db, year, status, [org_id] if org_id is not None else None)
    columns = [
        _col("name"),
        _col("credit_code"),
        _col("year", "int"),
        Column(tr("Report due"), "date"),
        _col("submitted_on", "date"),
        Column(tr("Status")),
        _col("remarks"),
        _col("grade"),
        Column(tr("Listed")),
    ]
    rows = (
        [
            row.report.name,
            row.report.credit_code,
            row.report.year,
            row.report.due_on,
            row.report.submitted_on,
            row.report.status.display(),
            row.report.remarks,
            row.grade or None,
            row.listed or None,
        ]
        for row in found
    )
    sheet = tr("Annual reports of {year}", year=year)
    return Table(sheet, columns, rows, len(found))


def attached_documents(db: Database, org_id: int | None = None) -> Table:
    """Every document on file (of one organization): what it is, what it belongs to, and the
    SHA-256 that names its content."""
    stmt = (
        select(Document, Organization.name)
        .join(Organization, Organization.id == Document.organization_id)
        .order_by(Organization.name_sort, Document.dated_on, Document.id)
    )
    stmt = _of(stmt, Document.organization_id, org_id)
    with db.reading() as session:  # read whole: the session ends here
        rows = [(view(documents.DocumentView, d), name) for d, name in session.execute(stmt)]
    ids = sorted({doc.organization_id for doc, _name in rows})
    attached = {(d.record_kind, d.record_id) for d, _n in rows if d.record_kind}
    labels = documents.record_labels(db, ids, only=attached) if rows else {}
    columns = [
        Column(tr("Organization")),
        _col("dated_on", "date"),
        _col("kind"),
        _col("title"),
        _col("record"),
        _col("filename"),
        Column(tr("Size (bytes)"), "int"),
        _col("sha256"),
        _col("added_by"),
    ]
    out = (
        [
            name,
            doc.dated_on,
            doc.kind.display(),
            doc.title,
            labels.get((doc.record_kind, doc.record_id), "")
            if doc.record_kind
            else tr("The organization"),
            doc.filename,
            doc.size,
            doc.sha256,
            doc.added_by,
        ]
        for doc, name in rows
    )
    return Table(tr(SHEETS["documents"]), columns, out, len(rows))
