"""Short mode of the concurrent-edit trials (``concurrent_edits.py``): two desks, 200 edits
of the same few rows on PostgreSQL; then proof that the checker does fail when updates are
lost (a doctored log, and desks saving without the version check). The long mode (1,000
edits) is one command: ``python -m tests.reliability.concurrent_edits --edits 1000``.

Also a race found while writing the trials: a fund's committed amount lowered while another
desk adds an instalment must not leave a schedule larger than the commitment."""

from __future__ import annotations

import copy
import datetime as dt
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, event

from incubator.audit import AuditedSession
from incubator.errors import ValidationError
from incubator.services import funds, registry
from tests.conftest import new_pg_database
from tests.pgserver import PgServer
from tests.reliability import concurrent_edits as trials

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def short_run(pg_server: PgServer) -> tuple[str, trials.Report]:
    url = new_pg_database(pg_server)
    return url, trials.run(url, edits=200, seed=3)


def test_two_desks_lose_no_update_and_every_refusal_is_a_conflict(short_run):
    _url, report = short_run
    assert len(report.attempts) == 200
    assert report.problems == []
    assert (report.lost_updates, report.errors, report.missing_audit) == (0, 0, 0)
    # Without conflicts the desks never raced, and the test proved nothing.
    assert report.conflicts > 0
    assert report.count(outcome="saved") + report.conflicts == 200


def test_the_checker_reports_two_saves_from_the_same_version(short_run):
    url, report = short_run
    saved = next(
        a
        for a in report.attempts
        if a["op"] == "update" and a["outcome"] == "saved" and a["table"] == "organizations"
    )
    twin = copy.deepcopy(saved) | {"desk": "X", "attempt": 9999}
    engine = create_engine(url)
    try:
        doctored = trials.check(
            engine, report.rows, report.before, report.audit_from, [*report.attempts, twin]
        )
    finally:
        engine.dispose()
    assert doctored.lost_updates == 1
    assert any("2 saves from version" in p for p in doctored.problems)


def test_desks_saving_without_the_version_check_are_caught(pg_server: PgServer):
    url = new_pg_database(pg_server)
    # One shared row: nearly every edit overlaps one of the other desk's.
    report = trials.run(url, edits=60, seed=5, shape=trials.Shape(1, 0, 0), unsafe=True)
    assert report.lost_updates > 0
    assert report.missing_audit > 0  # bare UPDATEs write no audit rows either


# --- a fund's schedule between two desks ------------------------------------------------------


@pytest.fixture
def slow_flush() -> Iterator[threading.local]:
    """A thread that sets ``.on`` pauses one second before writing its changes, holding
    whatever its unit of work has locked so far: another desk's save falls in between."""
    local = threading.local()

    def pause(*_args: Any) -> None:
        if getattr(local, "on", False):
            time.sleep(1.0)

    event.listen(AuditedSession, "before_flush", pause)
    yield local
    event.remove(AuditedSession, "before_flush", pause)


@pytest.mark.parametrize("first", ["lower", "add"])
def test_lowering_the_commitment_and_adding_an_instalment_at_once_keep_the_schedule(
    pg_db, slow_flush, first
):
    org = registry.register(pg_db, {"name": "排程试验", "legal_form": "community_unregistered"})
    # 1,000 planned of 2,000 committed. Each save alone fits (1,000 planned of 1,200; 1,400
    # of 2,000); both together would plan 1,400 of 1,200: one of them must be refused.
    fund = funds.add_fund(pg_db, org.id, trials.fund_data(0) | {"amount_committed": "2000"})
    saves = {
        "lower": lambda: funds.update_fund(
            pg_db, fund.id, {"amount_committed": "1200"}, fund.version
        ),
        "add": lambda: funds.add_payment(
            pg_db, fund.id, {"due_on": dt.date(2024, 7, 1), "amount": "400"}
        ),
    }
    outcome: dict[str, Any] = {}

    def attempt(name: str, slow: bool) -> None:
        slow_flush.on = slow
        try:
            outcome[name] = saves[name]()
        except Exception as exc:
            outcome[name] = exc

    second = "add" if first == "lower" else "lower"
    leader = threading.Thread(target=attempt, args=(first, True))
    leader.start()
    time.sleep(0.3)
    attempt(second, False)
    leader.join()
    assert isinstance(outcome[first], funds.FundView)
    assert isinstance(outcome[second], ValidationError), outcome[second]
    now = funds.funds_of(pg_db, org.id)[0]
    assert now.scheduled <= now.amount_committed
