"""Alembic history: produces exactly the models' schema; upgrades back up SQLite first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

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
    assert current_revision(db.engine) == head_revision()
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
