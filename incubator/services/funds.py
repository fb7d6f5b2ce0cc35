"""Funds: grants, subsidies, purchased-service contracts and awards, with payment schedules.

Committed is what the funder promised; disbursed is what was paid; the payment schedule of a
fund (scheduled plus paid instalments) may never exceed what was committed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from incubator import validation as v
from incubator.db import Database
from incubator.domain import FundKind, FundSource, FundStatus, PaymentStatus
from incubator.errors import ValidationError
from incubator.models import Fund, FundPayment, Organization
from incubator.services import figures
from incubator.services.common import apply, by_organization, check_version, edited, load, view
from incubator.services.figures import fen_sum, yuan  # noqa: F401 (one rule, re-exported)

WHAT = "Fund"
PAYMENT = "Payment"
ZERO = Decimal("0.00")
FUND_FIELDS = (
    "title",
    "source",
    "source_name",
    "kind",
    "amount_committed",
    "committed_on",
    "start_on",
    "end_on",
    "status",
    "notes",
    "cancel_reason",
)
PAYMENT_FIELDS = ("due_on", "amount", "status", "paid_on", "notes", "cancel_reason")


@dataclass(frozen=True)
class PaymentView:
    id: int
    fund_id: int
    due_on: dt.date
    amount: Decimal
    status: PaymentStatus
    paid_on: dt.date | None
    notes: str | None
    cancel_reason: str | None
    version: int


@dataclass(frozen=True)
class FundView:
    id: int
    organization_id: int
    title: str
    source: FundSource
    source_name: str | None
    kind: FundKind
    amount_committed: Decimal
    committed_on: dt.date
    start_on: dt.date | None
    end_on: dt.date | None
    status: FundStatus
    notes: str | None
    cancel_reason: str | None
    version: int
    payments: tuple[PaymentView, ...]

    @property
    def disbursed(self) -> Decimal:
        return sum((p.amount for p in self.payments if p.status is PaymentStatus.PAID), ZERO)

    @property
    def scheduled(self) -> Decimal:
        return sum((p.amount for p in self.payments if p.status is PaymentStatus.SCHEDULED), ZERO)

    @property
    def remaining(self) -> Decimal:
        return self.amount_committed - self.disbursed


def _to_view(fund: Fund) -> FundView:
    # The relationship's order_by applies only when loading; a collection just added to
    # (add_fund, add_payment) is in insertion order, so order by due date here too.
    ordered = sorted(fund.payments, key=lambda p: (p.due_on, p.id))
    return view(FundView, fund, payments=tuple(view(PaymentView, p) for p in ordered))


def clean_fund(data: Mapping[str, Any]) -> dict[str, Any]:
    c = v.Checker()
    out = {
        "title": c(v.clean_text, data.get("title"), "title", required=True),
        "source": c(v.choice, FundSource, data.get("source"), "source"),
        "source_name": c(v.clean_text, data.get("source_name"), "source_name"),
        "kind": c(v.choice, FundKind, data.get("kind"), "kind"),
        "amount_committed": c(
            v.money, data.get("amount_committed"), "amount_committed", allow_zero=False
        ),
        "committed_on": c(v.date, data.get("committed_on"), "committed_on", required=True),
        "start_on": c(v.date, data.get("start_on"), "start_on"),
        "end_on": c(v.date, data.get("end_on"), "end_on"),
        "status": c(v.choice, FundStatus, data.get("status") or FundStatus.ACTIVE, "status"),
        "notes": c(v.clean_text, data.get("notes"), "notes", max_len=4000),
        "cancel_reason": c(v.clean_text, data.get("cancel_reason"), "cancel_reason", max_len=2000),
    }
    if c.ok("start_on", "end_on"):
        c(v.period, out["start_on"], out["end_on"])
    _reason_goes_with_cancelled(out, FundStatus.CANCELLED)
    c.raise_if_any()
    return out


def clean_payment(data: Mapping[str, Any]) -> dict[str, Any]:
    c = v.Checker()
    out = {
        "due_on": c(v.date, data.get("due_on"), "due_on", required=True),
        "amount": c(v.money, data.get("amount"), "amount", allow_zero=False),
        "status": c(
            v.choice, PaymentStatus, data.get("status") or PaymentStatus.SCHEDULED, "status"
        ),
        "paid_on": c(v.date, data.get("paid_on"), "paid_on"),
        "notes": c(v.clean_text, data.get("notes"), "notes", max_len=2000),
        "cancel_reason": c(v.clean_text, data.get("cancel_reason"), "cancel_reason", max_len=2000),
    }
    _reason_goes_with_cancelled(out, PaymentStatus.CANCELLED)
    if out["status"] is PaymentStatus.PAID and out["paid_on"] is None and c.ok("paid_on"):
        c.add("paid_on", "Required for a paid instalment")
    if out["status"] is not PaymentStatus.PAID and out["paid_on"] is not None:
        c.add("paid_on", "Only a paid instalment has a payment date")
    if out["paid_on"] and out["paid_on"] > dt.date.today():
        c.add("paid_on", "Date {date} is in the future", date=out["paid_on"])
    c.raise_if_any()
    return out


def _reason_goes_with_cancelled(out: dict[str, Any], cancelled: Any) -> None:
    """A reason is kept only beside a cancelled status (a reinstated record forgets it; the
    audit trail still has it)."""
    if out["status"] is not cancelled:
        out["cancel_reason"] = None


def _require_reason_to_cancel(row: Fund | FundPayment, before: Any, cancelled: Any) -> None:
    """Cancelling (moving to the cancelled status) needs the reason, which stays with it."""
    if row.status is cancelled and before is not cancelled and not row.cancel_reason:
        raise ValidationError.single("cancel_reason", "Give the reason for cancelling")


def _money_arrived(fund: Fund) -> None:
    """A planned fund whose first instalment is paid is under way, not planned any more."""
    if fund.status is FundStatus.PLANNED and any(
        p.status is PaymentStatus.PAID for p in fund.payments
    ):
        fund.status = FundStatus.ACTIVE


def _check_schedule(fund: Fund, field: str = "amount") -> None:
    """Paid plus scheduled instalments must fit within the committed amount.

    ``field`` is the input blamed: the instalment's amount, or the committed amount when
    that is what was lowered.
    """
    live = [p for p in fund.payments if p.status is not PaymentStatus.CANCELLED]
    paid = sum((p.amount for p in live if p.status is PaymentStatus.PAID), ZERO)
    planned = sum((p.amount for p in live), ZERO)
    if paid > fund.amount_committed:
        raise ValidationError.single(
            field,
            "Disbursed {disbursed} would exceed the committed {committed}",
            disbursed=f"{paid:,.2f}",
            committed=f"{fund.amount_committed:,.2f}",
        )
    if planned > fund.amount_committed:
        raise ValidationError.single(
            field,
            "The payment schedule ({planned}) would exceed the committed {committed}",
            planned=f"{planned:,.2f}",
            committed=f"{fund.amount_committed:,.2f}",
        )


check_schedule = _check_schedule  # for restoring a voided payment (incubator.voiding)


def build_fund(org_id: int, clean: dict[str, Any], payments: list[dict[str, Any]]) -> Fund:
    """A new fund with its instalments (each already through ``clean_fund`` and
    ``clean_payment``), its schedule checked against what was committed; not yet added."""
    fund = Fund(organization_id=org_id, **clean)
    fund.payments = [FundPayment(**p) for p in payments]
    _check_schedule(fund)
    _money_arrived(fund)
    return fund


def add_fund(
    db: Database, org_id: int, data: Mapping[str, Any], actor: str | None = None
) -> FundView:
    clean = clean_fund(data)
    payments = [clean_payment(p) for p in data.get("payments") or ()]
    with db.transaction(actor) as session:
        load(session, Organization, org_id, "Organization")
        fund = build_fund(org_id, clean, payments)
        session.add(fund)
        session.flush()
        return _to_view(fund)


def update_fund(
    db: Database,
    fund_id: int,
    changes: Mapping[str, Any],
    expected_version: int,
    actor: str | None = None,
) -> FundView:
    with db.transaction(actor) as session:
        # Locked like add_payment and update_payment: the schedule checked below must not
        # gain an instalment before the commit (else a lowered commitment slips under it).
        fund = load(session, Fund, fund_id, WHAT, lock=True)
        check_version(fund, expected_version, WHAT)
        before = fund.status
        apply(fund, clean_fund(edited(fund, FUND_FIELDS, changes)))
        _require_reason_to_cancel(fund, before, FundStatus.CANCELLED)
        _check_schedule(fund, "amount_committed")
        _money_arrived(fund)
        session.flush()
        return _to_view(fund)


def add_payment(
    db: Database, fund_id: int, data: Mapping[str, Any], actor: str | None = None
) -> FundView:
    clean = clean_payment(data)
    with db.transaction(actor) as session:
        fund = load(session, Fund, fund_id, WHAT, lock=True)
        fund.payments.append(FundPayment(**clean))
        _check_schedule(fund)
        _money_arrived(fund)
        session.flush()
        return _to_view(fund)


def update_payment(
    db: Database,
    payment_id: int,
    changes: Mapping[str, Any],
    expected_version: int,
    actor: str | None = None,
) -> FundView:
    """Edit an instalment: mark it paid (status 'paid' and paid_on), correct it, move it, or
    cancel it (status 'cancelled' with a cancel_reason)."""
    with db.transaction(actor) as session:
        payment = load(session, FundPayment, payment_id, PAYMENT)
        check_version(payment, expected_version, PAYMENT)
        fund = load(session, Fund, payment.fund_id, WHAT, lock=True)
        before = payment.status
        apply(payment, clean_payment(edited(payment, PAYMENT_FIELDS, changes)))
        _require_reason_to_cancel(payment, before, PaymentStatus.CANCELLED)
        _check_schedule(fund)
        _money_arrived(fund)
        session.flush()
        return _to_view(fund)


def cancel_payment(
    db: Database, payment_id: int, reason: str, expected_version: int, actor: str | None = None
) -> FundView:
    """An instalment entered wrongly, or that will not come: cancelled with the reason, so it
    no longer counts nor reminds anyone."""
    changes = {"status": PaymentStatus.CANCELLED, "paid_on": None, "cancel_reason": reason}
    return update_payment(db, payment_id, changes, expected_version, actor)


def cancel_fund(
    db: Database, fund_id: int, reason: str, expected_version: int, actor: str | None = None
) -> FundView:
    """A fund entered wrongly, or withdrawn: cancelled with the reason; it counts for nothing
    and its instalments remind no one."""
    changes = {"status": FundStatus.CANCELLED, "cancel_reason": reason}
    return update_fund(db, fund_id, changes, expected_version, actor)


def record_payment(
    db: Database,
    payment_id: int,
    paid_on: dt.date | str,
    expected_version: int,
    actor: str | None = None,
) -> FundView:
    return update_payment(
        db, payment_id, {"status": PaymentStatus.PAID, "paid_on": paid_on}, expected_version, actor
    )


def funds_of(db: Database, org_id: int) -> list[FundView]:
    with db.reading() as session:
        load(session, Organization, org_id, "Organization")
        return _funds(session, [org_id])[org_id]


def funds_of_many(db: Database, org_ids: Sequence[int]) -> dict[int, list[FundView]]:
    """``funds_of`` each organization, in one query (and one for the payments)."""
    with db.reading() as session:
        return _funds(session, org_ids)


def _funds(session: Any, org_ids: Sequence[int]) -> dict[int, list[FundView]]:
    rows = session.scalars(
        select(Fund).where(Fund.organization_id.in_(org_ids)).order_by(Fund.committed_on, Fund.id)
    )
    found = by_organization(org_ids, rows)
    return {i: [_to_view(f) for f in found[i]] for i in found}


@dataclass(frozen=True)
class FundTotals:
    committed: Decimal
    disbursed: Decimal
    fund_count: int

    @property
    def remaining(self) -> Decimal:
        return self.committed - self.disbursed

    @classmethod
    def of(cls, amounts: figures.Amounts) -> FundTotals:
        return cls(amounts.committed, amounts.disbursed, amounts.funds)


def totals(
    db: Database,
    org_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> FundTotals:
    """Committed (by commitment date) and disbursed (by payment date) within the period, by
    the rule of ``figures.money``. Cancelled funds count for nothing. Without dates: to date.
    """
    return FundTotals.of(figures.money_total(db, start, end, org_id))
