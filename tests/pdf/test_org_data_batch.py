"""The organizations' report data read together (``org_data_many``, as the committee pack
reads each run of organizations) is each one's own, in a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import event

from incubator import demo
from incubator.db import Database
from incubator.reports.data import org_data, org_data_many
from incubator.services import registry
from incubator.services.periods import parse_period
from tests.pdf.conftest import TODAY


def count_queries(db: Database, work) -> int:
    seen: list[str] = []

    def executed(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", executed)
    try:
        work()
    finally:
        event.remove(db.engine, "before_cursor_execute", executed)
    return len(seen)


def test_each_organization_gets_its_own_figures(db: Database) -> None:
    demo.generate(db, orgs=14, seed=3, today=TODAY)
    ids = registry.search_ids(db, registry.OrgQuery(), limit=14)
    for period in ("2026Q2", "2025", "2024-07-01..2026-06-30"):
        p = parse_period(period)
        together = org_data_many(db, ids, p, TODAY)
        assert [d.org.id for d in together] == ids
        # Read alone, each organization's figures are the same: nothing leaks from another.
        assert together == [org_data(db, i, p, TODAY) for i in ids]
        assert any(d.fund_lines for d in together) and any(d.talent for d in together)


def test_the_number_of_queries_does_not_grow_with_the_organizations(db: Database) -> None:
    demo.generate(db, orgs=30, seed=5, today=TODAY)
    ids = registry.search_ids(db, registry.OrgQuery(), limit=30)
    p = parse_period("2026Q2")
    few = count_queries(db, lambda: org_data_many(db, ids[:3], p, TODAY))
    many = count_queries(db, lambda: org_data_many(db, ids, p, TODAY))
    # About 30 for the figures; the compliance section adds its standing (8) and the
    # documents with what each is attached to (one query per kind of record, 10).
    assert many == few <= 50
