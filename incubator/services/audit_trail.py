"""Reading the audit trail: what changed, who changed it, when, from which value to which."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select, union_all
from sqlalchemy.orm import Session, aliased

from incubator.audit import BATCH
from incubator.db import Database
from incubator.domain import (
    AllocationStatus,
    AuditAction,
    EvaluationKind,
    FundKind,
    FundSource,
    FundStatus,
    LabelledEnum,
    LegalForm,
    PaymentStatus,
    ProjectStatus,
    ServiceField,
    SpaceKind,
    Stage,
    TalentKind,
)
from incubator.i18n import ENTITY_LABELS, current_language, entity_label, field_label, tr
from incubator.models import AuditEntry, Organization, Space, SpaceAllocation

# Which stored codes are which enumeration, per table (a "status" differs from table to table).
ENUM_FIELDS: dict[tuple[str, str], type[LabelledEnum]] = {
    ("organizations", "legal_form"): LegalForm,
    ("organizations", "stage"): Stage,
    ("organization_service_fields", "field"): ServiceField,
    ("lifecycle_transitions", "from_stage"): Stage,
    ("lifecycle_transitions", "to_stage"): Stage,
    ("funds", "source"): FundSource,
    ("funds", "kind"): FundKind,
    ("funds", "status"): FundStatus,
    ("fund_payments", "status"): PaymentStatus,
    ("projects", "status"): ProjectStatus,
    ("talent_records", "kind"): TalentKind,
    ("spaces", "kind"): SpaceKind,
    ("space_allocations", "status"): AllocationStatus,
    ("evaluations", "kind"): EvaluationKind,
}
# Bookkeeping keys that say nothing to a reader of the history.
# (When a record was voided is the entry's own time.)
_HIDDEN = {"id", "organization_id", "fund_id", "space_id", "voided_at"}


@dataclass(frozen=True)
class AuditView:
    id: int
    at: dt.datetime
    actor: str
    entity: str
    entity_id: int
    organization_id: int | None
    action: AuditAction
    changes: dict[str, list[Any]]
    subject: str = ""  # what the row is about, when its own changes do not say (the space)
    organization: str = ""  # the name of the organization it is about (the whole log's list)


def _view(e: AuditEntry, subject: str = "", organization: str = "") -> AuditView:
    return AuditView(
        e.id,
        e.at,
        e.actor,
        e.entity,
        e.entity_id,
        e.organization_id,
        e.action,
        json.loads(e.changes),
        subject,
        organization,
    )


view_of = _view  # one stored entry as the history shows it (exports, ...)


def _spaces_of_allocations(session: Session, entries: list[AuditEntry]) -> dict[int, str]:
    """ "R1 第一孵化室" for each allocation among the entries: its changes carry no space."""
    ids = {e.entity_id for e in entries if e.entity == "space_allocations"}
    if not ids:
        return {}
    rows = session.execute(
        select(SpaceAllocation.id, Space.code, Space.name)
        .join(Space, Space.id == SpaceAllocation.space_id)
        .where(SpaceAllocation.id.in_(ids))
    )
    return {i: f"{code} {name}" for i, code, name in rows}


def about(org_id: int | ColumnElement[int]) -> ColumnElement[bool]:
    """The entries about an organization (an id, or a column of ids): the changes to it and to
    its records, and the bulk batches (import, demo) whose range of organizations holds it.

    Two lookups, each by its own index, joined: written as one OR, SQLite (without
    statistics) read the whole log instead, in date or id order (14 s for a history at
    1.3 million entries, against 1 ms)."""
    e = aliased(AuditEntry)  # not the outer query's log; a column's table is the outer one's
    own = select(e.id).where(e.organization_id == org_id).correlate_except(e)
    # "+ 0": the range is found through the batches' own index (few entries have a last
    # organization), never the index of every entry's organization, which SQLite, without
    # statistics, took once a table rebuild (0015) changed its indexes' order.
    batches = (
        select(e.id)
        .where(e.last_organization_id >= org_id, e.organization_id + 0 <= org_id)
        .correlate_except(e)
    )
    return AuditEntry.id.in_(union_all(own, batches))


@dataclass(frozen=True)
class AuditQuery:
    """Which entries of the whole log: by whom (the login, exactly), about which organization
    (``about``), from which day to which (both included, days of this computer's calendar).
    Every field left empty filters nothing."""

    actor: str = ""
    organization_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.actor:
            out.append(AuditEntry.actor == self.actor)
        if self.organization_id is not None:
            out.append(about(self.organization_id))
        if self.since is not None:
            out.append(AuditEntry.at >= _day_starts(self.since))
        if self.until is not None:
            out.append(AuditEntry.at < _day_starts(self.until + dt.timedelta(days=1)))
        return out


def _day_starts(day: dt.date) -> dt.datetime:
    """The moment ``day`` starts on this computer's calendar (entries are stored in UTC)."""
    return dt.datetime.combine(day, dt.time()).astimezone()


def search(db: Database, query: AuditQuery, offset: int = 0, limit: int = 500) -> list[AuditView]:
    """Newest first: the entries ``query`` selects, ``limit`` of them from ``offset``, each
    with the name of the organization it is about."""
    with db.reading() as session:
        rows = session.scalars(
            select(AuditEntry)
            .where(*query.conditions())
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .offset(offset)
            .limit(limit)
        ).all()
        spaces = _spaces_of_allocations(session, rows)
        names = _names(session, {e.organization_id for e in rows if e.entity != BATCH})
        return [
            _view(
                e,
                spaces.get(e.entity_id, "") if e.entity == "space_allocations" else "",
                names.get(e.organization_id, "") if e.entity != BATCH else "",
            )
            for e in rows
        ]


def count(db: Database, query: AuditQuery) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count(AuditEntry.id)).where(*query.conditions())) or 0


def actors(db: Database) -> list[str]:
    """Everyone the log names, by name (read from the index on who)."""
    with db.reading() as session:
        return list(session.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor)))


def _names(session: Session, ids: set[int | None]) -> dict[int | None, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(
        select(Organization.id, Organization.name).where(Organization.id.in_(wanted))
    )
    return {ident: name for ident, name in rows}


def for_organization(db: Database, org_id: int, limit: int = 1000) -> list[AuditView]:
    """Newest first: every change to the organization and to its support records."""
    return search(db, AuditQuery(organization_id=org_id), limit=limit)


def for_entity(db: Database, entity: str, entity_id: int) -> list[AuditView]:
    with db.reading() as session:
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id)
        )
        return [_view(e) for e in rows]


def _value(entity: str, field: str, value: Any, lang: str | None) -> str:
    if value is None or value == "":
        return "—"
    enum = ENUM_FIELDS.get((entity, field))
    if enum is not None:
        try:
            return enum(value).display(lang)
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return tr("Yes", lang) if value else tr("No", lang)
    return str(value)


def describe(entry: AuditView, lang: str | None = None) -> str:
    """The change in words: "Lifecycle stage: Applied → Admitted; Reason: ..."."""
    chinese = (lang or current_language()).startswith("zh")
    colon, semicolon = ("：", "；") if chinese else (": ", "; ")
    if entry.entity == BATCH:
        return _batch(entry.changes, lang, colon, "，" if chinese else ", ")
    parts = [f"{field_label('space', lang)}{colon}{entry.subject}"] if entry.subject else []
    parts += [
        f"{field_label(name, lang)}{colon}{_value(entry.entity, name, old, lang)} → "
        f"{_value(entry.entity, name, new, lang)}"
        for name, (old, new) in sorted(entry.changes.items())
        if name not in _HIDDEN and old != new  # a new row's empty fields changed nothing
    ]
    return semicolon.join(parts)


_IN_ORDER = {table: i for i, table in enumerate(ENTITY_LABELS)}  # organizations first


def _batch(changes: dict[str, Any], lang: str | None, colon: str, comma: str) -> str:
    """ "导入 名单.xlsx：组织 500，联系人 500": what the batch was and how many rows it added."""
    if changes.get("batch") == "demo":
        what = tr("Demo data", lang)
    elif changes.get("file"):
        what = tr("Import of {file}", lang, file=changes["file"])
    else:
        what = tr("Import", lang)
    rows = sorted(changes.get("rows", {}).items(), key=lambda item: _IN_ORDER.get(item[0], 99))
    counts = comma.join(f"{entity_label(table, lang)} {n}" for table, n in rows)
    return f"{what}{colon}{counts}"
