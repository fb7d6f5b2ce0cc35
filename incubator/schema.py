"""Create or upgrade the database schema with Alembic, backing up a SQLite file first."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from incubator.db import Database
from incubator.errors import DatabaseError, ValidationError
from incubator.models import Base
from incubator.paths import backup_dir

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(db: Database | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if db is not None:
        cfg.set_main_option(
            "sqlalchemy.url", db.url.render_as_string(hide_password=False).replace("%", "%%")
        )
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def has_foreign_tables(engine: Engine) -> bool:
    """True when the database holds tables but no Alembic version: not one of ours."""
    names = set(inspect(engine).get_table_names())
    return bool(names - {"alembic_version"}) and "alembic_version" not in names


@dataclass(frozen=True)
class UpgradeReport:
    from_revision: str | None
    to_revision: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision


def upgrade(db: Database, make_backup: bool = True) -> UpgradeReport:
    """Bring the schema to the newest revision; an existing SQLite file is copied first."""
    if has_foreign_tables(db.engine):
        raise DatabaseError(detail=f"{db.describe()} is not an Incubator Registry database")
    before = current_revision(db.engine)
    head = head_revision()
    saved = None
    if before != head:
        if before is not None and make_backup and db.is_sqlite:
            saved = backup(db, None)
        with db.engine.connect() as conn:
            if db.is_sqlite:
                # Batch mode rebuilds a table by copying it and dropping the old one; with
                # foreign keys enforced, that drop would cascade into every table referring
                # to it (funds, contacts...). Off outside the transaction, checked after.
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                conn.commit()
            with conn.begin():
                cfg = alembic_config(db)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                if db.is_sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise DatabaseError(detail=f"foreign keys broken by the upgrade: {broken}")
            if db.is_sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
    return UpgradeReport(before, head, saved)


def schema_differences(engine: Engine) -> list:
    """What Alembic autogenerate would change: empty when migrations equal the models."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, Base.metadata)


def _timestamped(name: str, suffix: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = backup_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}-{stamp}{suffix}"


def backup(db: Database, target: Path | None) -> Path:
    """Copy the registry to ``target`` (default: a timestamped file in the backup folder).

    SQLite: a consistent online copy through SQLite's backup API. PostgreSQL: ``pg_dump``
    in custom format (restore with ``pg_restore``).
    """
    if db.is_sqlite:
        source = Path(db.url.database or "")
        target = target or _timestamped(source.stem, ".sqlite3")
        _check_writable(target)
        src = sqlite3.connect(source)
        dst = sqlite3.connect(target)
        try:
            with dst:
                src.backup(dst)
        finally:
            src.close()
            dst.close()
        return target
    target = target or _timestamped(db.url.database or "registry", ".pgdump")
    _check_writable(target)
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise DatabaseError("pg_dump is needed to back up a PostgreSQL registry")
    libpq_url = db.url.set(drivername="postgresql").render_as_string(hide_password=False)
    done = subprocess.run(
        [pg_dump, "--format=custom", "--file", str(target), "--dbname", libpq_url],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        if not lines:
            raise DatabaseError("pg_dump failed without saying why")
        raise DatabaseError(detail=lines[-1])
    return target


def _check_writable(target: Path) -> None:
    if target.is_dir():
        raise ValidationError.single("file", "“{path}” is a folder, not a file", path=str(target))
    if not target.parent.is_dir():
        raise ValidationError.single(
            "file", "Folder “{path}” does not exist", path=str(target.parent)
        )
