"""Files kept inside the registry: the center's logo moved in by migration 0014, stored once
per content, and refused when its content no longer has its hash."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from incubator import schema
from incubator.db import Database
from incubator.errors import DatabaseError
from incubator.services import narratives

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(200))


def at_0013(path) -> Database:
    db = Database(str(path))
    schema.migrate(db, "0013")
    return db


def test_the_upgrade_moves_a_logo_file_in_and_leaves_one_it_cannot_read(tmp_path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    for value, expected in (
        (str(logo), "sha256:" + hashlib.sha256(PNG).hexdigest()),
        ("/elsewhere/logo.png", "/elsewhere/logo.png"),
    ):
        path = tmp_path / f"registry-{len(value)}.sqlite3"
        db = at_0013(path)
        with db.engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO settings (key, value) VALUES ('center_logo', ?)", (value,)
            )
        schema.upgrade(db)
        with sqlite3.connect(path) as raw:
            kept = raw.execute("SELECT value FROM settings WHERE key = 'center_logo'").fetchone()
        assert kept == (expected,)
        db.dispose()
    logo.unlink()
    moved = Database(str(tmp_path / f"registry-{len(str(logo))}.sqlite3"))
    assert narratives.center_info(moved).logo == PNG  # from the registry, not the file
    moved.dispose()


def test_one_copy_however_often_and_a_changed_one_is_refused(sqlite_db, tmp_path) -> None:
    for name in ("a.png", "b.png"):
        (tmp_path / name).write_bytes(PNG)
        narratives.set_center_info(sqlite_db, "中心", tmp_path / name)
    path = sqlite_db.url.database
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT count(*), sum(size) FROM stored_files").fetchone() == (1, 208)
        raw.execute("UPDATE stored_files SET data = ?", (PNG[:-1] + b"!",))
    with pytest.raises(DatabaseError, match="no longer matches its SHA-256"):
        narratives.center_info(sqlite_db)
