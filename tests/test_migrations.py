"""Alembic history: produces exactly the models' schema; upgrades back up SQLite first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from incubator import schema
from incubator.db import Database
from incubator.errors import DatabaseError
from incubator.schema import (
    alembic_config,
    backup,
    current_revision,
    head_revision,
    schema_differences,
    upgrade,
)
from tests.factories import org


def test_migrations_produce_the_models_schema(db: Database) -> None:
    # The db fixture is built by running every migration (SQLite and PostgreSQL).
    assert current_revision(db.engine) == head_revision() == schema.HEAD  # (HEAD: no Alembic)
    assert schema_differences(db.engine) == []


def test_fresh_file_is_created_without_backup(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "new.sqlite3"))
    report = upgrade(db)
    assert report.from_revision is None and report.to_revision == head_revision()
    assert report.backup is None
    assert "organizations" in inspect(db.engine).get_table_names()
    assert upgrade(db).changed is False


def test_upgrade_from_first_revision_backs_up_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = Database(str(path), actor="tester")
    cfg = alembic_config(db)
    command.upgrade(cfg, "0001")
    assert "report_narratives" not in inspect(db.engine).get_table_names()
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO organizations (name, name_sort, name_initials, legal_form, stage,"
                " stage_since, staff_count, volunteer_count, archived, version, created_at,"
                " updated_at) VALUES ('老组织', 'lao zu zhi', 'lzz', 'social_group', 'applied',"
                " '2025-01-01', 0, 0, 0, 1, '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
            )
        )
    db.dispose()

    db = Database(str(path), actor="tester")
    report = upgrade(db)
    assert report.from_revision == "0001" and report.to_revision == head_revision()
    assert report.backup is not None and report.backup.exists()
    assert report.backup.parent.name == "backups"
    # The backup is the database as it was before: old revision, same rows.
    with sqlite3.connect(report.backup) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert old.execute("SELECT name FROM organizations").fetchall() == [("老组织",)]
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM organizations")).scalar_one() == "老组织"
    assert schema_differences(db.engine) == []
    # Rows from before the search key (0004) are found like new ones.
    from incubator.services.registry import OrgQuery, search_ids

    (found,) = search_ids(db, OrgQuery(text="laozuzhi"))
    assert search_ids(db, OrgQuery(text="lzz")) == [found]


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    with pytest.raises(DatabaseError) as err:
        upgrade(Database(str(path)))
    assert "not an Incubator Registry database" in err.value.message("en")


def test_sqlite_backup_is_a_faithful_copy(sqlite_db: Database, tmp_path: Path) -> None:
    org(sqlite_db, 1)
    org(sqlite_db, 2)
    target = tmp_path / "copy.sqlite3"
    assert backup(sqlite_db, target) == target
    copy = Database(str(target))
    with copy.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM organizations")).scalar_one() == 2
    assert schema_differences(copy.engine) == []


@pytest.mark.postgres
def test_postgres_backup_with_pg_dump(pg_db: Database, tmp_path: Path) -> None:
    org(pg_db, 1)
    target = tmp_path / "registry.pgdump"
    assert backup(pg_db, target) == target
    assert target.read_bytes()[:5] == b"PGDMP"  # pg_dump custom format


def test_contact_person_and_phone_become_the_main_contact(tmp_path: Path) -> None:
    """0006: each organization's contact person and phone become its main contact; one that
    had only a phone gets a dash for a name; one that had neither gets no contact."""
    path = tmp_path / "before-contacts.sqlite3"
    db = Database(str(path), actor="tester")
    command.upgrade(alembic_config(db), "0005")
    insert = (
        "INSERT INTO organizations (id, name, name_sort, search_key, legal_form, stage,"
        " stage_since, archived, version, created_at, updated_at, contact_person, contact_phone)"
        " VALUES (:id, :name, '', '', 'social_group', 'applied', '2025-01-01', 0, 1,"
        " '2025-01-01 00:00:00', '2025-01-01 00:00:00', :person, :phone)"
    )
    rows = [
        {"id": 1, "name": "甲", "person": "阿依古丽·买买提", "phone": "13912345678"},
        {"id": 2, "name": "乙", "person": None, "phone": "0991-2345678"},
        {"id": 3, "name": "丙", "person": None, "phone": None},
    ]
    with db.engine.begin() as conn:
        for row in rows:
            conn.execute(text(insert), row)
    db.dispose()

    db = Database(str(path), actor="tester")
    upgrade(db)
    with db.engine.connect() as conn:
        got = conn.execute(
            text(
                "SELECT organization_id, name, phone, is_main FROM organization_contacts"
                " ORDER BY organization_id"
            )
        ).all()
    assert [tuple(r) for r in got] == [
        (1, "阿依古丽·买买提", "13912345678", 1),
        (2, "—", "0991-2345678", 1),
    ]
    assert schema_differences(db.engine) == []


def test_rebuilding_a_table_keeps_the_rows_that_refer_to_it(tmp_path: Path) -> None:
    """SQLite rebuilds ``organizations`` to change it (0004, 0006): its funds, payments and
    transitions must survive the drop of the old table (cascading deletes are off meanwhile)."""
    path = tmp_path / "with-children.sqlite3"
    db = Database(str(path), actor="tester")
    command.upgrade(alembic_config(db), "0003")
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO organizations (id, name, name_sort, name_initials, legal_form, stage,"
                " stage_since, staff_count, volunteer_count, archived, version, created_at,"
                " updated_at) VALUES (1, '老组织', 'lao zu zhi', 'lzz', 'social_group', 'applied',"
                " '2025-01-01', 0, 0, 0, 1, '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO funds (id, organization_id, title, source, kind, amount_committed,"
                " committed_on, status, version, created_at, updated_at) VALUES (1, 1, '资助',"
                " 'government', 'grant', 1000, '2025-02-01', 'active', 1,"
                " '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO lifecycle_transitions (organization_id, to_stage, occurred_on, actor,"
                " reason, created_at) VALUES (1, 'applied', '2025-01-01', 'x', '',"
                " '2025-01-01 00:00:00')"
            )
        )
    db.dispose()
    db = Database(str(path), actor="tester")
    upgrade(db)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM funds")).scalar_one() == 1
        assert conn.execute(text("SELECT COUNT(*) FROM lifecycle_transitions")).scalar_one() == 1
        assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1  # on again
