"""The bulk writer (import, demo) stores and audits a new record exactly as the ORM's unit of
work does when a form saves it; all or nothing; the ids it hands out leave the database's own
id sequences usable (PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from incubator.bulk import BulkWriter
from incubator.db import Database
from incubator.models import (
    AuditEntry,
    Fund,
    FundPayment,
    LifecycleTransition,
    Organization,
    OrganizationContact,
    OrganizationServiceField,
)
from incubator.services import funds, registry
from tests.factories import credit_code

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


def audited(session, org_id: int) -> list[tuple]:
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.organization_id == org_id).order_by(AuditEntry.id)
    )
    out = []
    for e in entries:
        changes = {k: v for k, v in json.loads(e.changes).items() if k not in OWN | NAMED}
        out.append((e.entity, e.action.value, e.actor, changes))
    return sorted(out, key=repr)


def test_a_bulk_written_organization_is_the_one_a_form_saves(db: Database):
    by_form = registry.register(db, form(1))  # the ORM's unit of work, audited by its flush
    funds.add_fund(db, by_form.id, {**FUND, "payments": PAYMENTS})
    with db.transaction() as session:
        writer = BulkWriter(session)
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
        mine = audited(session, bulk_id)
        entities = {e[0] for e in mine}
        assert entities >= {"organizations", "funds", "fund_payments", "lifecycle_transitions"}
        assert mine == audited(session, by_form.id)


def test_ids_from_the_bulk_writer_leave_the_sequences_usable(db: Database):
    with db.transaction() as session:
        writer = BulkWriter(session)
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
        writer = BulkWriter(session, batch=7)  # several batches reach the database
        for n in range(1, 21):
            writer.add(registry.build_new(registry.check_new(form(n)), "t"))
        writer.flush()
        assert session.scalar(select(func.count()).select_from(Organization)) == before[0] + 20
        raise RuntimeError("stopped")
    assert counts() == before
