"""The bulk writer (import, demo) stores a new record exactly as the ORM's unit of work does
when a form saves it, and audits each batch with one entry that the history of each of its
organizations shows; all or nothing; the ids it hands out leave the database's own id
sequences usable (PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from incubator.bulk import BulkWriter
from incubator.db import Database
from incubator.exporting import tables
from incubator.i18n import entity_label
from incubator.models import (
    AuditEntry,
    Fund,
    FundPayment,
    LifecycleTransition,
    Organization,
    OrganizationContact,
    OrganizationServiceField,
)
from incubator.services import audit_trail, funds, registry
from tests.factories import audited_as, credit_code

# Columns that differ between two saves of the same form by nature: keys, names, timestamps.
OWN = {"id", "organization_id", "fund_id", "created_at", "updated_at"}
NAMED = {"name", "credit_code", "name_sort", "search_key", "title"}


def form(n: int) -> dict:
    return {
        "name": f"天山区第{n}社区服务中心",
        "credit_code": credit_code(n),
        "legal_form": "social_service_org",
        "service_fields": ["elderly", "community"],
        "area_county": "天山区",
        "founded_on": "2024-03-01",
        "legal_representative": "阿依古丽·买买提",
        "staff_count": "4",
        "contact_person": "张伟",
        "contact_phone": "13912345678",
        "applied_on": "2025-05-06",
        "reason": "社区推荐",
    }


FUND = {
    "title": "公益创投资助",
    "source": "foundation",
    "source_name": "新疆慈善基金会",
    "kind": "grant",
    "amount_committed": "30000.00",
    "committed_on": "2025-06-01",
}
PAYMENTS = [
    {"due_on": "2025-06-10", "amount": "20000", "status": "paid", "paid_on": "2025-06-12"},
    {"due_on": "2025-12-10", "amount": "10000"},
]


def stored(session, model, **where) -> list[dict]:
    rows = session.scalars(select(model).filter_by(**where).order_by(*model.__table__.primary_key))
    return [
        {c.key: getattr(r, c.key) for c in model.__table__.columns if c.key not in OWN | NAMED}
        for r in rows
    ]


def test_a_bulk_written_organization_is_the_one_a_form_saves(db: Database):
    by_form = registry.register(db, form(1))  # the ORM's unit of work, audited by its flush
    funds.add_fund(db, by_form.id, {**FUND, "payments": PAYMENTS})
    with db.transaction() as session:
        writer = BulkWriter(session, "import", "名单.xlsx")
        org = registry.build_new(registry.check_new(form(2)), writer.actor)
        bulk_id = writer.add(org)
        clean = funds.clean_fund(FUND)
        writer.add(funds.build_fund(bulk_id, clean, [funds.clean_payment(p) for p in PAYMENTS]))
        writer.finish()
    with db.reading() as session:
        assert bulk_id != by_form.id
        assert stored(session, Organization, id=bulk_id) == stored(
            session, Organization, id=by_form.id
        )
        for model in (OrganizationServiceField, OrganizationContact, LifecycleTransition, Fund):
            mine = stored(session, model, organization_id=bulk_id)
            assert mine and mine == stored(session, model, organization_id=by_form.id)
        fund_ids = {
            oid: session.scalar(select(Fund.id).where(Fund.organization_id == oid))
            for oid in (bulk_id, by_form.id)
        }
        payments = [stored(session, FundPayment, fund_id=fund_ids[o]) for o in fund_ids]
        assert len(payments[0]) == 2 and payments[0] == payments[1]
    # One entry for the batch: what it was and how many rows of each kind it added.
    (batch,) = audit_trail.for_organization(db, bulk_id)
    assert (batch.entity, batch.action.value) == ("batch", "create")
    assert batch.actor == audited_as(db, "tester")
    rows = {
        "organizations": 1,
        "organization_service_fields": 2,  # elderly, community
        "organization_contacts": 1,
        "lifecycle_transitions": 1,  # applied
        "funds": 1,
        "fund_payments": 2,
    }
    assert batch.changes == {"batch": "import", "file": "名单.xlsx", "rows": rows}
    said = audit_trail.describe(batch, "en")
    assert said.startswith("Import of 名单.xlsx: ")
    for words in ("Organization 1", "Service field 2", "Contact 1", "Fund 1", "Payment 2"):
        assert words in said.split(": ", 1)[1].split(", ")
    assert audit_trail.describe(batch, "zh_CN").startswith("导入 名单.xlsx：社会组织 1，")
    # The history exported for the organization (spreadsheet) holds the same one entry.
    exported = tables.history(db, bulk_id)
    (row,) = list(exported.rows)
    assert exported.count == 1
    assert row[1:4] == [audited_as(db, "tester"), entity_label("batch"), None]
    assert row[4] == audit_trail.describe(batch)
    # The organization saved by the form keeps its own entries, and not the batch's.
    theirs = audit_trail.for_organization(db, by_form.id)
    assert {e.entity for e in theirs} >= {"organizations", "funds", "fund_payments"}
    assert "batch" not in {e.entity for e in theirs}


def test_ids_from_the_bulk_writer_leave_the_sequences_usable(db: Database):
    with db.transaction() as session:
        writer = BulkWriter(session, "import")
        ids = [writer.add(registry.build_new(registry.check_new(form(n)), "t")) for n in (1, 2)]
        writer.finish()
    later = registry.register(db, form(3))  # the database's own id sequence picks the id
    assert ids == [ids[0], ids[0] + 1] and later.id > ids[1]


def test_a_failure_after_some_batches_were_written_leaves_nothing(db: Database):
    def counts():
        with db.reading() as session:
            return [
                session.scalar(select(func.count()).select_from(m))
                for m in (Organization, AuditEntry)
            ]

    before = counts()
    with pytest.raises(RuntimeError), db.transaction() as session:
        writer = BulkWriter(session, "import", batch=7)  # several batches reach the database
        for n in range(1, 21):
            writer.add(registry.build_new(registry.check_new(form(n)), "t"))
        writer.flush()
        assert session.scalar(select(func.count()).select_from(Organization)) == before[0] + 20
        raise RuntimeError("stopped")
    assert counts() == before


def test_each_organization_s_history_shows_the_batch_that_added_it(db: Database):
    """Seven rows a batch: an organization is 5 rows (itself, 2 fields, a contact, its
    applied transition), so every second one ends a batch: 1-2, 3-4, 5-6, then 7 alone."""
    with db.transaction() as session:
        writer = BulkWriter(session, "demo", batch=7)
        ids = [writer.add(registry.build_new(registry.check_new(form(n)), "t")) for n in range(7)]
        writer.finish()
    later = registry.register(db, form(8))
    batches = [
        [e.changes["rows"]["organizations"] for e in audit_trail.for_organization(db, i)]
        for i in ids
    ]
    assert batches == [[2], [2], [2], [2], [2], [2], [1]]
    assert audit_trail.describe(audit_trail.for_organization(db, ids[6])[0], "en") == (
        "Demo data: Organization 1, Service field 2, Lifecycle transition 1, Contact 1"
    )
    # The same batch shows for both of its organizations, and for no one else.
    first, second = (audit_trail.for_organization(db, i)[0].id for i in ids[:2])
    assert first == second
    assert {e.entity for e in audit_trail.for_organization(db, later.id)} == {
        "organizations",
        "organization_service_fields",
        "organization_contacts",
        "lifecycle_transitions",
    }


def test_an_organization_s_entries_are_looked_up_by_index_not_read_through(sqlite_db: Database):
    """The history and its export find an organization's entries through the indexes on its
    id and on the batches' last id, never by reading the whole log (SQLite picks its plan
    without statistics: one OR of both made it read every entry in date or id order)."""
    queries = [
        select(AuditEntry.id)
        .where(audit_trail.about(7))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(500),
        select(AuditEntry).where(audit_trail.about(7)).order_by(AuditEntry.id),
    ]
    with sqlite_db.engine.connect() as conn:
        for query in queries:
            sql = str(query.compile(sqlite_db.engine, compile_kwargs={"literal_binds": True}))
            steps = [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
            assert not [s for s in steps if s.startswith("SCAN")], steps
            assert any("ix_audit_log_organization_id" in s for s in steps), steps
            assert any("ix_audit_log_last_organization_id" in s for s in steps), steps
