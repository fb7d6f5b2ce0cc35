"""Short mode of the upgrade trials (``upgrades.py``): a registry made at every earlier
revision (on PostgreSQL at a sample of them), 20 rows a table, one seed, upgraded with every
row intact; and the checker proven able to fail. The long mode (500 rows, 5 seeds, both
backends) is one command, see upgrades.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from incubator.db import Database
from incubator.schema import upgrade
from tests.pgserver import PgServer
from tests.reliability import upgrades

ROWS = 20


def pg_sample() -> list[str]:
    """The revisions PostgreSQL upgrades from here: every third from the first, and the
    last (SQLite upgrades from every one; the long mode does both from every one). Each
    costs a database made, migrated, filled and upgraded: 16 of them took a minute."""
    earlier = upgrades.earlier_revisions()
    return sorted({*earlier[::3], earlier[-1]})


def _whole(outcomes: list[upgrades.Outcome], revisions: list[str] | None = None) -> None:
    assert [o.revision for o in outcomes] == (revisions or upgrades.earlier_revisions())
    assert not [(o.backend, o.revision, o.problems) for o in outcomes if o.problems]
    for o in outcomes:  # every table filled, every value compared: not a vacuous pass
        assert o.tables >= 12 and o.rows == o.tables * ROWS
        assert o.values >= o.rows * 5
    # Upgrades from before 0004 and 0006 checked what those migrations change on purpose.
    deliberate = {"0001": 4, "0002": 4, "0003": 4, "0004": 2, "0005": 2}  # later ones: none
    assert {o.revision: o.deliberate for o in outcomes if o.deliberate} == {
        r: n for r, n in deliberate.items() if r in {o.revision for o in outcomes}
    }


def test_every_earlier_revision_upgrades_with_every_row_intact_on_sqlite() -> None:
    _whole(upgrades.run(rows=ROWS, seeds=(1,)))


@pytest.mark.postgres
def test_every_earlier_revision_upgrades_with_every_row_intact_on_postgres(
    pg_server: PgServer,
) -> None:
    # Each trial gets a fresh empty database (CREATE DATABASE, not the migrated template).
    sample = pg_sample()
    _whole(
        upgrades.run(rows=ROWS, seeds=(1,), pg_url=pg_server.url(), sqlite=False, only=sample),
        sample,
    )


def _sql(statement: str) -> upgrades.Meddle:
    def meddle(db: Database) -> None:
        with db.engine.begin() as conn:
            conn.execute(text(statement))

    return meddle


@pytest.mark.parametrize(
    ("meddle", "reported"),
    [
        (
            _sql("UPDATE funds SET amount_committed = amount_committed + 0.01 WHERE id = 3"),
            ["funds.amount_committed changed: 1 rows, e.g. (3,)", "funds.amount_committed total"],
        ),
        (
            _sql("UPDATE organizations SET name = name || '.' WHERE id = 5"),
            ["organizations.name changed: 1 rows, e.g. (5,)"],
        ),
        (
            _sql("DELETE FROM fund_payments WHERE id = 7"),
            ["fund_payments: 20 rows before, 19 after", "fund_payments.amount total"],
        ),
        (
            _sql("UPDATE organization_contacts SET phone = '110' WHERE id = 2"),
            ["contact person/phone not the organization's main contact: 1 rows"],
        ),
        (
            _sql("UPDATE organizations SET name_sort = 'z' WHERE id = 1"),
            ["organizations.name_sort is not the key of textkeys.name_keys: 1 rows"],
        ),
    ],
    ids=["a cent", "a name", "a lost row", "a moved contact", "a recomputed key"],
)
def test_the_checker_reports_a_value_changed_after_the_upgrade(
    tmp_path: Path, meddle: upgrades.Meddle, reported: list[str]
) -> None:
    outcome = upgrades.trial(str(tmp_path / "r.sqlite3"), "sqlite", "0003", 1, ROWS, meddle)
    for what in reported:
        assert any(p.startswith(what) for p in outcome.problems), outcome.problems


def test_without_the_allow_list_the_deliberate_changes_are_reported(tmp_path: Path) -> None:
    """Each entry of DELIBERATE is needed: 0004 and 0006 do change those columns."""
    path = str(tmp_path / "r.sqlite3")
    outcome = upgrades.trial(path, "sqlite", "0003", 1, ROWS, deliberate=())
    assert sorted(p.split(":")[0] for p in outcome.problems) == [
        "organizations.contact_person",
        "organizations.contact_phone",
        "organizations.name_initials",
        "organizations.name_sort changed",
    ]


@pytest.mark.postgres
def test_a_long_han_name_upgrades_through_0004_on_postgres(pg_server: PgServer) -> None:
    pg = upgrades.PgDatabases(pg_server.url())
    url = pg.create("upgrade_long_name")
    db = Database(url)
    try:
        upgrades.migrate_to(db, "0003")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO organizations (name, name_sort, name_initials, legal_form, stage,"
                    " stage_since, staff_count, volunteer_count, archived, version, created_at,"
                    " updated_at) VALUES (:name, '', '', 'social_group', 'applied', '2025-01-01',"
                    " 0, 0, false, 1, now(), now())"
                ),
                {"name": "乌鲁木齐市天山区阳光社区服务中心" * 12},  # 192 characters
            )
        upgrade(db)  # refused by PostgreSQL before 0009 (a key longer than its column)
        with db.engine.connect() as conn:
            keys = text("SELECT name_sort, search_key FROM organizations")
            sort, search = conn.execute(keys).one()
        assert len(sort) == 600 and sort.startswith("wu lu mu qi shi tian shan qu")
        assert "wulumuqishitianshanquyangguangshequfuwuzhongxin" in search
    finally:
        db.dispose()
        pg.drop("upgrade_long_name")
