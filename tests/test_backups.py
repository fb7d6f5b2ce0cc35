"""Backups you can count on (SQLite): never over an existing file without --force, never over
the registry itself; checked before they take their name; automatic ones dated, one a day on
the first start, the last ten kept; the registry, its backups and the logs readable by their
owner only, whatever the umask."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from incubator import preferences, schema
from incubator.cli import main
from incubator.db import Database
from incubator.errors import DatabaseError, ValidationError
from incubator.logs import log_unexpected
from incubator.paths import backup_dir
from incubator.registry_db import open_registry
from tests.factories import damage_a_page, org


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def names(db: Database) -> list[str]:
    with sqlite3.connect(db.url.database) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM organizations ORDER BY id")]


def test_backup_never_replaces_a_file_unasked_nor_the_registry(capsys, sqlite_db, tmp_path):
    org(sqlite_db, 1, name="阳光协会")
    db_arg = ["--db", str(sqlite_db.url.database)]
    other = tmp_path / "other-registry.sqlite3"
    other.write_bytes(b"somebody's other registry")
    assert main(["db", "backup", str(other), *db_arg]) == 1
    assert "already exists" in capsys.readouterr().err
    assert other.read_bytes() == b"somebody's other registry"
    registry_file = str(sqlite_db.url.database)
    for force in ([], ["--force"]):
        assert main(["db", "backup", registry_file, *force, *db_arg]) == 1
        assert "the registry itself" in capsys.readouterr().err
    assert names(sqlite_db) == ["阳光协会"]
    assert main(["db", "backup", str(other), "--force", *db_arg]) == 0
    copy = Database(str(other))
    assert names(copy) == ["阳光协会"] and mode(other) == 0o600
    copy.dispose()


def test_a_copy_that_fails_its_check_never_takes_the_name(sqlite_db, tmp_path):
    """A registry with a damaged page (the disk lied): its copy fails SQLite's integrity
    check, so no file takes the backup's name and the failure is said in words."""
    for n in range(1, 200):
        org(sqlite_db, n, name=f"第{n}个社区服务中心")
    sqlite_db.dispose()
    path = Path(sqlite_db.url.database)
    damage_a_page(path)
    target = tmp_path / "copy.sqlite3"
    with pytest.raises(DatabaseError) as failed:
        schema.backup(Database(str(path)), target)
    assert "backup" in failed.value.message("en")
    assert not target.exists() and not list(tmp_path.glob(".copy*"))


def test_one_automatic_backup_a_day_and_the_last_ten_kept(sqlite_db):
    org(sqlite_db, 1)
    first = schema.daily_backup(sqlite_db)
    assert first is not None and first.parent == backup_dir()
    assert schema.daily_backup(sqlite_db) is None  # today has one
    assert mode(first) == 0o600 and mode(backup_dir()) == 0o700
    stem = Path(sqlite_db.url.database).stem
    for day in range(1, 15):  # two weeks of older ones, and somebody's own file
        (backup_dir() / f"{stem}-202601{day:02d}-093000.sqlite3").write_bytes(b"x")
    (backup_dir() / f"{stem}-my-own-copy.sqlite3").write_bytes(b"mine")
    preferences.put("backups_to_keep", 10)
    newest = schema.backup(sqlite_db)
    kept = sorted(p.name for p in backup_dir().iterdir())
    assert len(kept) == 11 and f"{stem}-my-own-copy.sqlite3" in kept
    # The ten newest dated ones: today's two, and the 7th to the 14th.
    assert newest.name in kept and first.name in kept
    assert f"{stem}-20260106-093000.sqlite3" not in kept
    assert f"{stem}-20260107-093000.sqlite3" in kept


def test_registry_backups_and_logs_are_their_owners_only(tmp_path):
    old = os.umask(0o022)  # a usual umask: new files readable by everyone
    try:
        db, _ = open_registry(str(tmp_path / "new.sqlite3"))
        org(db, 1)
        log = log_unexpected(RuntimeError("test"))
        saved = schema.backup(db)
    finally:
        os.umask(old)
    assert mode(tmp_path / "new.sqlite3") == 0o600
    assert mode(log) == 0o600 and mode(log.parent) == 0o700
    assert mode(saved) == 0o600 and mode(saved.parent) == 0o700
    db.dispose()


def test_backup_refuses_a_folder_or_a_missing_one(sqlite_db, tmp_path):
    for target, reason in ((tmp_path, "it is a folder"), (tmp_path / "no" / "x.db", "folder")):
        with pytest.raises(ValidationError) as refused:
            schema.backup(sqlite_db, target)
        assert reason in refused.value.message("en")


def test_a_backup_is_one_self_contained_file(sqlite_db):
    """A backup of a registry in WAL mode is turned into a plain file: opening it (to check
    it, to restore it) leaves no journal beside it, and pruning leaves none behind."""
    org(sqlite_db, 1)
    saved = schema.backup(sqlite_db)
    assert saved.read_bytes()[18:20] == b"\x01\x01"  # rollback journal, not WAL
    assert schema.newest_good_backup(sqlite_db) == saved
    assert sorted(p.name for p in saved.parent.iterdir()) == [saved.name]


@pytest.mark.postgres
def test_a_postgresql_backup_is_a_pg_dump_that_never_replaces_a_file_unasked(
    capsys, pg_db, tmp_path
):
    org(pg_db, 1, name="阳光协会")
    db_arg = ["--db", pg_db.url.render_as_string(hide_password=False)]
    copy = tmp_path / "registry.pgdump"
    copy.write_bytes(b"last month's dump")
    assert main(["db", "backup", str(copy), *db_arg]) == 1
    assert "already exists" in capsys.readouterr().err
    assert copy.read_bytes() == b"last month's dump"
    assert main(["db", "backup", str(copy), "--force", *db_arg]) == 0
    assert copy.read_bytes()[:5] == b"PGDMP" and mode(copy) == 0o600  # pg_dump's custom format
    listed = subprocess.run(["pg_restore", "--list", str(copy)], capture_output=True, text=True)
    assert listed.returncode == 0 and "TABLE DATA public organizations" in listed.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["registry.pgdump"]  # no temporary left
