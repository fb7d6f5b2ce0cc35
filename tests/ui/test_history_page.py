"""The center-wide history page (issue 17, point 2): every change, who made it as the server
saw them, filtered by user, organization and days; figures checked against raw SQL on the
audit table, not against the service the page calls."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from incubator import roles
from incubator.db import Database
from incubator.services import registry
from tests.factories import credit_code, org
from tests.ui import person
from tests.ui.conftest import close_window, shown_window
from ui.main_window import PAGES

pytestmark = [pytest.mark.ui, pytest.mark.postgres]


@pytest.fixture
def shared(qtbot, pg_db: Database):
    """Two staff users, each registering organizations; the window open as an admin."""
    roles.init(pg_db)
    base = pg_db.url.database
    names = {who: f"{base}_{who}" for who in ("alice", "bob", "boss")}
    roles.add_user(pg_db, names["alice"], "staff", None)
    roles.add_user(pg_db, names["bob"], "staff", None)
    roles.add_user(pg_db, names["boss"], "admin", None)
    desks = {who: Database(pg_db.url.set(username=name)) for who, name in names.items()}
    made = {
        "tianshan": org(desks["alice"], 1, name="天山区幸福社区服务中心"),
        "kashi": org(desks["alice"], 2, name="喀什市阳光青少年成长协会"),
        "hotan": org(desks["bob"], 3, name="和田县老年协会"),
    }
    tianshan = made["tianshan"]
    registry.update(desks["bob"], tianshan.id, {"notes": "鲍勃改的"}, tianshan.version)
    window = shown_window(qtbot, desks["boss"], (1400, 860))
    yield window, names, made, pg_db
    close_window(window)
    for desk in desks.values():
        desk.dispose()


def raw_count(db: Database, where: str = "true", **params) -> int:
    with db.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM audit_log WHERE {where}"), params).scalar()


def column(table, c: int) -> list[str]:
    return [table.cell_text(r, c) for r in range(table.rowCount())]


def search(qtbot, page) -> None:
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        person.click(qtbot, page.search_button)


def test_the_whole_history_filtered_by_user_organization_and_days(qtbot, shared) -> None:
    window, names, made, db = shared
    with qtbot.waitSignal(window.history.loaded, timeout=10_000):
        person.click_row(qtbot, window.nav, PAGES.index("history"))
    page = window.history
    everything = raw_count(db)
    assert page.table.rowCount() == everything > 0
    assert page.status.text() == f"{everything} changes"
    assert set(column(page.table, 1)) == {names["alice"], names["bob"]}
    # By user: the logins the server recorded, offered in the filter.
    qtbot.waitUntil(lambda: page.who.count() == 3)
    person.choose(qtbot, page.who, names["bob"])
    search(qtbot, page)
    bob = raw_count(db, "actor = :a", a=names["bob"])
    assert page.table.rowCount() == bob and set(column(page.table, 1)) == {names["bob"]}
    assert "天山区幸福社区服务中心" in column(page.table, 2)  # bob's change to alice's record
    # By organization, named by its credit code: the changes about it, whoever made them.
    person.choose(qtbot, page.who, "")
    person.type_into(qtbot, page.organization, credit_code(1))
    search(qtbot, page)
    tianshan = raw_count(db, "organization_id = :o", o=made["tianshan"].id)
    assert page.table.rowCount() == tianshan
    assert set(column(page.table, 2)) == {"天山区幸福社区服务中心"}
    assert set(column(page.table, 1)) == {names["alice"], names["bob"]}
    # By days: nothing before today; everything from today.
    today = dt.date.today()
    person.type_into(qtbot, page.organization, "")
    person.type_into(qtbot, page.until.edit, (today - dt.timedelta(days=1)).isoformat())
    search(qtbot, page)
    assert page.table.rowCount() == 0 and page.status.text() == "0 changes"
    person.type_into(qtbot, page.until.edit, "")
    person.type_into(qtbot, page.since.edit, today.isoformat())
    search(qtbot, page)
    assert page.table.rowCount() == everything


def test_what_the_filters_cannot_use_is_said(qtbot, shared) -> None:
    window, _names, _made, _db = shared
    person.click_row(qtbot, window.nav, PAGES.index("history"))
    page = window.history
    person.type_into(qtbot, page.organization, "协会")  # two organizations' names hold it
    search(qtbot, page)
    said = page.status.text()
    assert said.startswith("Organization: Several organizations match “协会”"), said
    assert page.table.rowCount() == 0
    person.type_into(qtbot, page.organization, "没有这个组织")
    search(qtbot, page)
    assert page.status.text() == "Organization: No organization matches “没有这个组织”"
    person.type_into(qtbot, page.organization, "")
    person.type_into(qtbot, page.since.edit, "2026-13-45")
    search(qtbot, page)
    assert page.status.text().startswith("From: Not a date: “2026-13-45”")
