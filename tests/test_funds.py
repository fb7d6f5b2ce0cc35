"""Funds: payment schedules, payments, what was disbursed and what remains, totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, inspect, select, table

from incubator.domain import FundKind, FundSource, FundStatus, PaymentStatus
from incubator.errors import ConflictError, ValidationError
from incubator.services import funds
from tests.factories import org

D = dt.date
M = Decimal


def row_counts(db) -> dict[str, int]:
    with db.reading() as session:
        names = inspect(session.connection()).get_table_names()
        return {
            n: session.scalar(select(func.count()).select_from(table(n)))
            for n in names
            if n != "alembic_version"
        }


def refused(db, call, field: str) -> ValidationError:
    before = row_counts(db)
    with pytest.raises(ValidationError) as info:
        call()
    assert row_counts(db) == before
    assert info.value.fields() == {field}, info.value
    return info.value


def fund_data(**overrides):
    data = {
        "title": "居家养老服务项目",
        "source": "government",
        "source_name": "区民政局",
        "kind": "purchased_service",
        "amount_committed": "100,000.00",
        "committed_on": D(2024, 1, 15),
        "start_on": D(2024, 2, 1),
        "end_on": D(2024, 12, 31),
    }
    data.update(overrides)
    return data


@pytest.fixture
def scheduled(db):
    """100,000.00 committed, three instalments of 30,000 / 30,000 / 40,000, none paid yet."""
    o = org(db)
    f = funds.add_fund(
        db,
        o.id,
        fund_data(
            payments=[
                {"due_on": D(2024, 8, 1), "amount": "40000"},
                {"due_on": D(2024, 2, 1), "amount": "30000"},
                {"due_on": D(2024, 5, 1), "amount": "￥30,000.00"},
            ]
        ),
    )
    return db, o, f


def test_fund_with_payment_schedule(scheduled):
    _db, o, f = scheduled
    assert f.organization_id == o.id
    assert (f.source, f.kind, f.status) == (
        FundSource.GOVERNMENT,
        FundKind.PURCHASED_SERVICE,
        FundStatus.ACTIVE,
    )
    assert f.amount_committed == M("100000.00")
    assert [p.due_on for p in f.payments] == [D(2024, 2, 1), D(2024, 5, 1), D(2024, 8, 1)]
    assert all(p.status is PaymentStatus.SCHEDULED and p.paid_on is None for p in f.payments)
    assert (f.disbursed, f.scheduled, f.remaining) == (M(0), M("100000.00"), M("100000.00"))


def test_record_payment(scheduled):
    db, o, f = scheduled
    first = f.payments[0]
    after = funds.record_payment(db, first.id, "2024年2月3日", first.version)
    paid = after.payments[0]
    assert (paid.status, paid.paid_on, paid.version) == (PaymentStatus.PAID, D(2024, 2, 3), 2)
    assert (after.disbursed, after.scheduled, after.remaining) == (
        M("30000.00"),
        M("70000.00"),
        M("70000.00"),
    )
    again = funds.funds_of(db, o.id)[0]
    assert again.disbursed == M("30000.00")
    # The same payment recorded again from a stale form is a conflict.
    with pytest.raises(ConflictError):
        funds.record_payment(db, first.id, D(2024, 2, 4), first.version)
    assert funds.funds_of(db, o.id)[0].payments[0].paid_on == D(2024, 2, 3)


def test_payment_status_rules(scheduled):
    db, _o, f = scheduled
    p = f.payments[0]
    err = refused(
        db, lambda: funds.update_payment(db, p.id, {"status": "paid"}, p.version), "paid_on"
    )
    assert "Required for a paid instalment" in err.message("en")
    err = refused(
        db, lambda: funds.update_payment(db, p.id, {"paid_on": D(2024, 2, 1)}, p.version), "paid_on"
    )
    assert "Only a paid instalment has a payment date" in err.message("en")
    refused(
        db,
        lambda: funds.add_payment(
            db,
            f.id,
            {"due_on": D(2024, 9, 1), "amount": 1, "status": "cancelled", "paid_on": D(2024, 9, 1)},
        ),
        "paid_on",
    )
    refused(
        db,
        lambda: funds.add_payment(
            db, f.id, {"due_on": D(2024, 9, 1), "amount": 1, "status": "paid"}
        ),
        "paid_on",
    )
    # Paid, then back to scheduled (its payment date cleared with it).
    paid = funds.record_payment(db, p.id, D(2024, 2, 1), p.version).payments[0]
    back = funds.update_payment(db, p.id, {"status": "scheduled", "paid_on": None}, paid.version)
    assert back.payments[0].status is PaymentStatus.SCHEDULED and back.disbursed == 0


def test_paying_beyond_the_committed_total_is_refused(scheduled):
    db, o, f = scheduled
    # The schedule is full: one more fen does not fit.
    err = refused(
        db,
        lambda: funds.add_payment(db, f.id, {"due_on": D(2024, 9, 1), "amount": "0.01"}),
        "amount",
    )
    assert "100,000.01" in err.message("en") and "100,000.00" in err.message("en")
    # Raising an instalment beyond what is committed.
    p = f.payments[2]
    refused(db, lambda: funds.update_payment(db, p.id, {"amount": "40000.01"}, p.version), "amount")
    # A paid instalment over the committed amount, on a fund of its own.
    g = funds.add_fund(db, o.id, fund_data(amount_committed="5000"))
    err = refused(
        db,
        lambda: funds.add_payment(
            db,
            g.id,
            {
                "due_on": D(2024, 3, 1),
                "amount": "5000.01",
                "status": "paid",
                "paid_on": D(2024, 3, 1),
            },
        ),
        "amount",
    )
    assert "Disbursed 5,000.01 would exceed the committed 5,000.00" in err.message("en")
    # A schedule over the committed amount at creation.
    refused(
        db,
        lambda: funds.add_fund(
            db,
            o.id,
            fund_data(
                amount_committed="10",
                payments=[
                    {"due_on": D(2024, 3, 1), "amount": "6"},
                    {"due_on": D(2024, 4, 1), "amount": "4.01"},
                ],
            ),
        ),
        "amount",
    )
    again = funds.funds_of(db, o.id)
    assert [x.scheduled for x in again] == [M("100000.00"), M(0)]


def test_cancelled_instalments_free_their_share(scheduled):
    db, _o, f = scheduled
    last = f.payments[2]
    freed = funds.cancel_payment(db, last.id, "资助方调减", last.version)
    assert freed.scheduled == M("60000.00")
    more = funds.add_payment(db, f.id, {"due_on": D(2024, 11, 1), "amount": "40000"})
    assert more.scheduled == M("100000.00")
    assert len(more.payments) == 4


def test_lowering_committed_below_paid_or_scheduled_is_refused(scheduled):
    db, _o, f = scheduled
    p = f.payments[0]
    funds.record_payment(db, p.id, D(2024, 2, 1), p.version)
    err = refused(
        db,
        lambda: funds.update_fund(db, f.id, {"amount_committed": "99999.99"}, f.version),
        "amount_committed",
    )
    assert "payment schedule" in err.message("en")
    assert err.message("en").startswith("Amount committed: ")
    # Cancel the unpaid instalments: lowering below what was paid is still refused.
    g = funds.funds_of(db, f.organization_id)[0]
    for q in g.payments[1:]:
        funds.cancel_payment(db, q.id, "录入重复", q.version)
    err = refused(
        db,
        lambda: funds.update_fund(db, f.id, {"amount_committed": "29999.99"}, g.version),
        "amount_committed",
    )
    assert "Disbursed 30,000.00 would exceed the committed 29,999.99" in err.message("en")
    exact = funds.update_fund(db, f.id, {"amount_committed": "30000"}, g.version)
    assert (exact.amount_committed, exact.remaining, exact.version) == (
        M("30000.00"),
        M(0),
        g.version + 1,
    )


def test_stale_fund_update_is_a_conflict_with_current_values(scheduled):
    db, _o, f = scheduled
    funds.update_fund(db, f.id, {"title": "新名称"}, f.version)
    with pytest.raises(ConflictError) as info:
        funds.update_fund(db, f.id, {"amount_committed": "200000"}, f.version)
    assert info.value.current_values["title"] == "新名称"
    assert info.value.current_values["version"] == f.version + 1
    assert funds.funds_of(db, f.organization_id)[0].amount_committed == M("100000.00")


@pytest.fixture
def ledger(db):
    a = org(db, 1, name="甲")
    b = org(db, 2, name="乙")
    f1 = funds.add_fund(
        db,
        a.id,
        fund_data(
            amount_committed="100000",
            committed_on=D(2024, 1, 15),
            payments=[
                {
                    "due_on": D(2024, 2, 1),
                    "amount": "30000",
                    "status": "paid",
                    "paid_on": D(2024, 2, 1),
                },
                {
                    "due_on": D(2024, 7, 1),
                    "amount": "20000",
                    "status": "paid",
                    "paid_on": D(2024, 7, 1),
                },
                {"due_on": D(2024, 12, 1), "amount": "50000"},
            ],
        ),
    )
    funds.add_fund(
        db,
        a.id,
        fund_data(
            title="奖励",
            kind="award",
            source="foundation",
            amount_committed="5000.50",
            committed_on=D(2024, 6, 30),
            payments=[
                {
                    "due_on": D(2024, 6, 30),
                    "amount": "5000.50",
                    "status": "paid",
                    "paid_on": D(2024, 6, 30),
                }
            ],
        ),
    )
    dropped = funds.add_fund(
        db,
        a.id,
        fund_data(
            amount_committed="1000000",
            committed_on=D(2024, 3, 1),
            payments=[
                {
                    "due_on": D(2024, 3, 2),
                    "amount": "10",
                    "status": "paid",
                    "paid_on": D(2024, 3, 2),
                }
            ],
        ),
    )
    funds.cancel_fund(db, dropped.id, "项目未立项", dropped.version)
    funds.add_fund(
        db,
        b.id,
        fund_data(
            source="partner_province",
            kind="grant",
            amount_committed="12345.67",
            committed_on=D(2023, 12, 31),
            payments=[
                {
                    "due_on": D(2024, 1, 1),
                    "amount": "345.67",
                    "status": "paid",
                    "paid_on": D(2024, 1, 1),
                }
            ],
        ),
    )
    return db, a, b, f1


def test_totals_everything_to_date(ledger):
    db, *_ = ledger
    t = funds.totals(db)
    assert (t.committed, t.disbursed, t.fund_count) == (M("117346.17"), M("55346.17"), 3)
    assert t.remaining == M("62000.00")
    assert type(t.committed) is Decimal and type(t.disbursed) is Decimal


def test_totals_per_organization(ledger):
    db, a, b, _f1 = ledger
    ta = funds.totals(db, org_id=a.id)
    assert (ta.committed, ta.disbursed, ta.fund_count, ta.remaining) == (
        M("105000.50"),
        M("55000.50"),
        2,
        M("50000.00"),
    )
    tb = funds.totals(db, org_id=b.id)
    assert (tb.committed, tb.disbursed, tb.fund_count) == (M("12345.67"), M("345.67"), 1)
    nobody = funds.totals(db, org_id=b.id + 1000)
    assert (nobody.committed, nobody.disbursed, nobody.fund_count) == (M(0), M(0), 0)


def test_totals_by_period(ledger):
    db, a, *_ = ledger
    h1 = funds.totals(db, start=D(2024, 1, 1), end=D(2024, 6, 30))
    assert (h1.committed, h1.disbursed, h1.fund_count) == (M("105000.50"), M("35346.17"), 2)
    h2 = funds.totals(db, start=D(2024, 7, 1), end=D(2024, 12, 31))
    assert (h2.committed, h2.disbursed, h2.fund_count) == (M(0), M("20000.00"), 0)
    y2023 = funds.totals(db, end=D(2023, 12, 31))
    assert (y2023.committed, y2023.disbursed) == (M("12345.67"), M(0))
    a_h1 = funds.totals(db, org_id=a.id, start=D(2024, 1, 1), end=D(2024, 6, 30))
    assert (a_h1.committed, a_h1.disbursed) == (M("105000.50"), M("35000.50"))
    one_day = funds.totals(db, start=D(2024, 6, 30), end=D(2024, 6, 30))
    assert (one_day.committed, one_day.disbursed) == (M("5000.50"), M("5000.50"))


def test_cancelled_fund_counts_for_nothing_but_is_listed(ledger):
    db, a, *_ = ledger
    listed = funds.funds_of(db, a.id)
    assert [f.status for f in listed] == [
        FundStatus.ACTIVE,
        FundStatus.CANCELLED,
        FundStatus.ACTIVE,
    ]
    assert [f.committed_on for f in listed] == [D(2024, 1, 15), D(2024, 3, 1), D(2024, 6, 30)]
    march = funds.totals(db, start=D(2024, 3, 1), end=D(2024, 3, 31))
    assert (march.committed, march.disbursed, march.fund_count) == (M(0), M(0), 0)
