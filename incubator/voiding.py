"""Records entered by mistake are voided, never deleted (``models.Voidable``).

One rule, in one place: every query of the registry's sessions leaves voided records out
(``audit.AuditedSession``: lists, totals, reports, exports, checks, the records a fund
loads), so a voided record stops counting everywhere at once. Only what asks
for them (``include_voided``: the list of voided records, restoring) sees them. Voiding and
restoring are ordinary audited changes: the history shows who voided what, when and why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from incubator import audit, numbers
from incubator import validation as v
from incubator.db import Database
from incubator.errors import NotFoundError, ValidationError
from incubator.i18n import T
from incubator.models import (
    AnnualReport,
    AuthorityListing,
    Document,
    Evaluation,
    Fund,
    FundPayment,
    LifecycleTransition,
    Organization,
    Project,
    Rating,
    SpaceAllocation,
    TalentRecord,
    utcnow,
)

INCLUDE = audit.INCLUDE_VOIDED  # the execution option that shows voided records
KINDS: dict[str, type] = {
    model.__tablename__: model  # type: ignore[attr-defined]
    for model in (
        Fund,
        FundPayment,
        Project,
        TalentRecord,
        Evaluation,
        SpaceAllocation,
        Rating,
        AuthorityListing,
        Document,
    )
}


@dataclass(frozen=True)
class VoidedView:
    kind: str  # the table: "funds", "projects"...
    id: int
    organization_id: int
    organization: str
    what: str  # the record in a few words (its title, or its date and amount)
    voided_at: dt.datetime
    voided_by: str
    reason: str


def _model(kind: str) -> type:
    if kind not in KINDS:
        raise ValidationError.single(
            "kind", "Records of this kind cannot be voided: {kind}", kind=kind
        )
    return KINDS[kind]


def void(db: Database, kind: str, record_id: int, reason: Any, actor: str | None = None) -> None:
    """Void a record entered by mistake, saying why; a fund's payments go with it."""
    why = v.clean_text(reason, "void_reason", max_len=2000)
    if not why:
        raise ValidationError.single("void_reason", "Say why the record is voided")
    model = _model(kind)
    with db.transaction(actor) as session:
        record = session.get(model, record_id)
        if record is None:
            raise NotFoundError(what=T("Record"), ident=record_id)
        now, who = utcnow(), session.info.get("actor", "")
        record.voided_at, record.voided_by, record.void_reason = now, who, why
        for payment in getattr(record, "payments", None) or ():
            payment.voided_at, payment.voided_by, payment.void_reason = now, who, why


def restore(db: Database, kind: str, record_id: int, actor: str | None = None) -> None:
    """Count a voided record again (with the fund's payments voided with it). The records'
    own rules are checked again: a space's capacity, a schedule within its commitment."""
    from incubator.services import funds, spaces

    model = _model(kind)
    with db.transaction(actor) as session:
        record = session.scalars(
            select(model).where(model.id == record_id).execution_options(**{INCLUDE: True})
        ).first()
        if record is None or record.voided_at is None:
            raise NotFoundError(what=T("Voided record"), ident=record_id)
        voided_at = record.voided_at
        if isinstance(record, SpaceAllocation):  # said with its holder, before the database says it
            spaces.check_free(session, record.space, record.start_on, record.end_on, record.id)
        record.voided_at = record.voided_by = record.void_reason = None
        if isinstance(record, Fund):
            for payment in session.scalars(
                select(FundPayment)
                .where(FundPayment.fund_id == record.id, FundPayment.voided_at == voided_at)
                .execution_options(**{INCLUDE: True})
            ):
                payment.voided_at = payment.voided_by = payment.void_reason = None
        session.flush()
        if isinstance(record, FundPayment):
            fund = session.get(Fund, record.fund_id)
            if fund is not None:
                session.refresh(fund, ["payments"])
                funds.check_schedule(fund)


def voided(db: Database, org_id: int | None = None) -> list[VoidedView]:
    """The voided records (of one organization, or all), the latest voided first."""
    out: list[VoidedView] = []
    with db.reading() as session:
        for kind, model in KINDS.items():
            stmt = (
                select(model, Organization.id, Organization.name)
                .join(Organization, Organization.id == _org_column(model))
                .where(model.voided_at.is_not(None))
                .execution_options(**{INCLUDE: True})
            )
            if org_id is not None:
                stmt = stmt.where(Organization.id == org_id)
            if model is FundPayment:  # voided with their fund: restored with it, not listed
                stmt = stmt.where(
                    ~select(Fund.id)
                    .where(Fund.id == FundPayment.fund_id, Fund.voided_at.is_not(None))
                    .exists()
                )
            for record, org, name in session.execute(stmt):
                out.append(
                    VoidedView(
                        kind,
                        record.id,
                        org,
                        name,
                        describe(record),
                        record.voided_at,
                        record.voided_by or "",
                        record.void_reason or "",
                    )
                )
    return sorted(out, key=lambda r: r.voided_at, reverse=True)


def _org_column(model: type):
    if model is FundPayment:
        return select(Fund.organization_id).where(Fund.id == FundPayment.fund_id).scalar_subquery()
    return model.organization_id


def describe(record: Any, lang: str | None = None) -> str:
    """A record in a few words: its title, or its date and what it is."""
    if isinstance(record, FundPayment):
        return f"{record.due_on} ¥{numbers.money(record.amount)}"
    if isinstance(record, SpaceAllocation):
        return f"{record.space.code} {record.start_on}..{record.end_on}"
    if isinstance(record, Evaluation):
        return f"{record.evaluated_on} {record.kind.display(lang)}"
    if isinstance(record, Rating):
        return f"{record.grade.value} {record.awarded_on}"
    if isinstance(record, AuthorityListing):
        return f"{record.list_kind.display(lang)} {record.listed_on}"
    if isinstance(record, LifecycleTransition):
        return f"{record.occurred_on} → {record.to_stage.display(lang)}"
    if isinstance(record, AnnualReport):
        return str(record.year)
    title = getattr(record, "title", None) or getattr(record, "name", None) or ""
    return str(title)
