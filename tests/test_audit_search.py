"""The whole log searched (``audit_trail.AuditQuery``): by who, by organization (bulk batches
included) and by the days of this computer's calendar; checked against entries written by
hand with known times."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from sqlalchemy import insert

from incubator.domain import AuditAction
from incubator.models import AuditEntry
from incubator.services import audit_trail
from incubator.services.audit_trail import AuditQuery

UTC = dt.UTC


@pytest.fixture
def beijing(monkeypatch):
    """This computer's clock on Beijing time (UTC+8), as the centers' desks are."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def write(db, *entries: tuple[str, dt.datetime, int | None, int | None]) -> None:
    rows = [
        {
            "at": at,
            "actor": actor,
            "entity": "batch" if last is not None else "organizations",
            "entity_id": 0 if last is not None else (org or 0),
            "organization_id": org,
            "last_organization_id": last,
            "action": AuditAction.CREATE if last is not None else AuditAction.UPDATE,
            "changes": json.dumps({"notes": ["a", "b"]}),
        }
        for actor, at, org, last in entries
    ]
    with db.transaction("tester") as session:
        session.execute(insert(AuditEntry), rows)


def ids(db, query: AuditQuery) -> list[tuple[str, str]]:
    return [
        (e.actor, e.at.astimezone(UTC).strftime("%m-%d %H:%M"))
        for e in audit_trail.search(db, query)
    ]


def test_days_are_this_computer_s_days_and_who_is_exact(sqlite_db, beijing) -> None:
    write(
        sqlite_db,
        ("张敏", dt.datetime(2026, 3, 1, 15, 59, tzinfo=UTC), 1, None),  # 23:59 on 1 March there
        ("张敏", dt.datetime(2026, 3, 1, 16, 1, tzinfo=UTC), 1, None),  # 00:01 on 2 March
        ("张敏华", dt.datetime(2026, 3, 2, 2, 0, tzinfo=UTC), 2, None),
        ("importer", dt.datetime(2026, 3, 3, 1, 0, tzinfo=UTC), 1, 5),  # a batch: orgs 1..5
    )
    march_2 = dt.date(2026, 3, 2)
    assert ids(sqlite_db, AuditQuery(since=march_2, until=march_2)) == [
        ("张敏华", "03-02 02:00"),
        ("张敏", "03-01 16:01"),
    ]
    assert ids(sqlite_db, AuditQuery(until=dt.date(2026, 3, 1))) == [("张敏", "03-01 15:59")]
    assert [a for a, _ in ids(sqlite_db, AuditQuery(actor="张敏"))] == ["张敏", "张敏"]
    # About organization 3: only the batch whose range holds it; organization 1: all but 张敏华.
    assert ids(sqlite_db, AuditQuery(organization_id=3)) == [("importer", "03-03 01:00")]
    assert audit_trail.count(sqlite_db, AuditQuery(organization_id=1)) == 3
    assert audit_trail.count(sqlite_db, AuditQuery(organization_id=1, actor="张敏")) == 2
    assert audit_trail.actors(sqlite_db) == sorted(["importer", "张敏", "张敏华"])
    page = audit_trail.search(sqlite_db, AuditQuery(), offset=1, limit=2)
    assert [e.actor for e in page] == ["张敏华", "张敏"]
