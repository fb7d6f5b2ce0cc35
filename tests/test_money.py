"""Money is Decimal end to end: exact round trips and exact sums on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from decimal import Decimal

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from incubator import validation as v
from incubator.services import funds, projects, registry
from tests.factories import org

MAX = Decimal("999999999999.99")
FEN = Decimal("0.01")
DAY = dt.date(2024, 5, 1)

amounts = st.decimals(min_value=0, max_value=MAX, places=2)
positive = st.decimals(min_value=FEN, max_value=MAX, places=2)

DB_SETTINGS = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    max_examples=60,
    deadline=None,
)

D = Decimal

# Forty large amounts (found by a random search) whose sum, added up in binary floating point
# one after another as SQLite's SUM() over REAL values does, comes out one fen too high.
FLOAT_TRAP = [
    D("177204269853.90"),
    D("210905344123.22"),
    D("908733546577.62"),
    D("956028324429.20"),
    D("409521043987.27"),
    D("857902496883.58"),
    D("7435878433.14"),
    D("353517775566.16"),
    D("301724727690.77"),
    D("145806286591.82"),
    D("123855338828.42"),
    D("679065832122.62"),
    D("38827987100.62"),
    D("635092272495.79"),
    D("503186434519.97"),
    D("738858324891.33"),
    D("121309357103.46"),
    D("653086596633.58"),
    D("567102334140.53"),
    D("235627330464.22"),
    D("222246099280.61"),
    D("347283074040.98"),
    D("147350996226.01"),
    D("883098509750.11"),
    D("447367607992.63"),
    D("830232602659.10"),
    D("625113740355.17"),
    D("692617873210.04"),
    D("873650553651.49"),
    D("620167844934.62"),
    D("441889524429.39"),
    D("312348524711.55"),
    D("277680133860.30"),
    D("634917996133.96"),
    D("450577345461.82"),
    D("34115581210.07"),
    D("263721582009.73"),
    D("159218847516.07"),
    D("181036105322.04"),
    D("841347485354.62"),
]


def fund(db, org_id: int, amount) -> funds.FundView:
    return funds.add_fund(
        db,
        org_id,
        {
            "title": "资助",
            "source": "foundation",
            "kind": "grant",
            "amount_committed": amount,
            "committed_on": DAY,
        },
    )


def the_org(db) -> int:
    """One organization per database, shared by the examples of a test."""
    ids = registry.search_ids(db, registry.OrgQuery(), limit=1)
    return ids[0] if ids else org(db, 1).id


@given(amount=amounts)
def test_parser_keeps_every_two_place_amount(amount):
    for typed in (amount, str(amount), f"¥{amount:,}", f"{amount:,}"):
        parsed = v.money(typed, "amount")
        assert type(parsed) is Decimal
        assert parsed == amount


@DB_SETTINGS
@given(amount=positive)
@example(amount=MAX)
@example(amount=FEN)
@example(amount=Decimal("0.10"))
@example(amount=Decimal("123456789012.35"))
@example(amount=Decimal("100000000000.01"))
def test_committed_amount_round_trips_exactly(db, amount):
    org_id = the_org(db)
    added = fund(db, org_id, amount)
    assert added.amount_committed == amount
    stored = next(f for f in funds.funds_of(db, org_id) if f.id == added.id)
    assert type(stored.amount_committed) is Decimal
    assert stored.amount_committed == amount
    assert str(stored.amount_committed) == str(amount.quantize(FEN))


@DB_SETTINGS
@given(amount=amounts)
@example(amount=Decimal("0.00"))
@example(amount=MAX)
def test_project_budget_round_trips_exactly(db, amount):
    org_id = the_org(db)
    p = projects.add(db, org_id, {"name": "项目", "budget": amount, "start_on": DAY})
    stored = next(x for x in projects.list_for(db, org_id) if x.id == p.id)
    assert type(stored.budget) is Decimal
    assert stored.budget == amount


_orgs = iter(range(1, 10**6))


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    max_examples=25,
    deadline=None,
)
@given(values=st.lists(positive, min_size=1, max_size=12))
@example(values=FLOAT_TRAP)
def test_committed_totals_are_exact_sums(db, values):
    o = org(db, next(_orgs))
    for amount in values:
        fund(db, o.id, amount)
    got = funds.totals(db, org_id=o.id)
    assert type(got.committed) is Decimal
    assert got.committed == sum(values)
    assert got.fund_count == len(values)


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    max_examples=25,
    deadline=None,
)
@given(values=st.lists(positive, min_size=1, max_size=30))
def test_disbursed_totals_are_exact_sums(db, values):
    """Many paid instalments of one fund (one transaction per example keeps this fast)."""
    committed = min(sum(values), MAX)
    values = [x for x in values if x <= committed]
    while sum(values) > committed:
        values.pop()
    o = org(db, next(_orgs))
    f = funds.add_fund(
        db,
        o.id,
        {
            "title": "分期拨付",
            "source": "government",
            "kind": "subsidy",
            "amount_committed": committed,
            "committed_on": DAY,
            "payments": [
                {"due_on": DAY, "amount": x, "status": "paid", "paid_on": DAY} for x in values
            ],
        },
    )
    assert f.disbursed == sum(values, Decimal(0))
    got = funds.totals(db, org_id=o.id)
    assert got.disbursed == sum(values, Decimal(0))
    assert got.remaining == committed - sum(values, Decimal(0))


def test_float_trap_really_is_one(db):
    """The fixed example is not exact in binary floating point, so passing it proves something."""
    naive = functools.reduce(operator.add, (float(x) for x in FLOAT_TRAP))
    assert Decimal(repr(naive)).quantize(FEN) != sum(FLOAT_TRAP)
    o = org(db, 1)
    for amount in FLOAT_TRAP:
        fund(db, o.id, amount)
    assert funds.totals(db).committed == sum(FLOAT_TRAP)
    assert funds.totals(db, start=DAY, end=DAY).committed == sum(FLOAT_TRAP)
