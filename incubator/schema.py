"""Create or upgrade the database schema with Alembic, backing up a SQLite file first.

Alembic loads only when the schema must change (or be compared): a registry already at
``HEAD`` opens without it.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import URL

from incubator import credentials, files, preferences, search_index
from incubator.db import Database
from incubator.db_errors import RegistryDamaged, RegistryError
from incubator.errors import DatabaseError, ValidationError
from incubator.i18n import T
from incubator.models import Base
from incubator.paths import backup_dir, make_private, private_folder

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration's revision: a registry at it needs no Alembic to open.
# (tests/test_migrations.py checks it is Alembic's head.)
HEAD = "0017"


def alembic_config(db: Database | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if db is not None:
        cfg.set_main_option(
            "sqlalchemy.url", db.url.render_as_string(hide_password=False).replace("%", "%%")
        )
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (Alembic's own table), None when it has none."""
    with engine.connect() as conn:
        return _revision(conn)


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


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
    before = _known_revision(db)
    if before == HEAD:  # every day's case: up to date, said without loading Alembic
        return UpgradeReport(before, HEAD, None)
    head = head_revision()
    saved = None
    if before != head:
        if before is not None and make_backup and db.is_sqlite:
            saved = backup(db, None)
        before = migrate(db, "head")
    return UpgradeReport(before, head, saved)


def _known_revision(db: Database) -> str | None:
    """The revision the registry is at (None: an empty database), refused in words when the
    database holds something else or was made by a newer version of the program."""
    before = current_revision(db.engine)
    if before == HEAD:
        return before
    if before is None:
        if has_foreign_tables(db.engine):
            raise DatabaseError(detail=f"{db.describe()} is not an Incubator Registry database")
    elif not _known(before):
        raise RegistryError(NEWER, db=db.describe(), rev=before)
    return before


def migrate(db: Database, revision: str) -> str | None:
    """Alembic to exactly ``revision``, on one connection, in one transaction (no backup:
    ``upgrade`` makes it first); the revision the database was at when it began.

    On PostgreSQL the transaction first takes an advisory lock: a second administrator's
    upgrade waits for the first, then finds nothing left to do. Where the registry has
    roles (``incubator.roles``), only its administrators may upgrade; the migration runs as
    the admin group, which owns every table, and each group's rights are given again after.
    """
    from alembic import command

    with db.engine.connect() as conn:
        if db.is_sqlite:
            # Batch mode rebuilds a table by copying it and dropping the old one; with
            # foreign keys enforced, that drop would cascade into every table referring
            # to it (funds, contacts...). Off outside the transaction, checked after.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        with conn.begin():
            groups = None if db.is_sqlite else as_schema_owner(db, conn)
            before = _revision(conn)
            cfg = alembic_config(db)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            if groups is not None:
                from incubator import roles

                roles.apply_grants(conn, groups)
            if db.is_sqlite:
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise DatabaseError(detail=f"foreign keys broken by the upgrade: {broken}")
        if db.is_sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
    return before


# Any fixed number: every program upgrading a registry on this server takes the same lock.
_UPGRADE_LOCK = 0x1C0B470


def as_schema_owner(db: Database, conn: Connection):
    """Wait for any other upgrade of this database, then act as its admin group: the groups
    (``roles.Groups``), or None where the registry has no roles."""
    from incubator import roles

    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
    database = db.url.database or "postgres"
    if not roles.has_roles(conn, database):
        return None
    groups = roles.Groups.of(database)
    if not roles.is_admin(conn, groups):
        raise RegistryError(ADMIN_ONLY, db=db.describe(), admin=groups.admin)
    conn.exec_driver_sql("SET LOCAL ROLE " + conn.dialect.identifier_preparer.quote(groups.admin))
    return groups


ADMIN_ONLY = T("Only an administrator of {db} (a member of {admin}) may change its schema")
BEHIND = T(
    "{db} has an older schema ({rev}) than this program ({head}): ask the administrator to "
    "run 'db upgrade'"
)
BEHIND_READ_ONLY = T(
    "{db} has an older schema ({rev}) than this program ({head}): you can read and print; to "
    "change anything, ask the administrator to run 'db upgrade'"
)
EMPTY = T("{db} holds no registry yet: ask the administrator to run 'db upgrade'")


def require_current(db: Database) -> None:
    """A desk's check of a shared registry's schema, which only ``db upgrade`` changes: up to
    date, or read-only when this program can still read it (writes are refused with why),
    or refused in words (empty, too old to read, newer than this program)."""
    before = _known_revision(db)
    if before == HEAD:
        return
    if before is None:
        raise RegistryError(EMPTY, db=db.describe())
    params = {"db": db.describe(), "rev": before, "head": HEAD}
    if not readable(db.engine):
        raise RegistryError(BEHIND, **params)
    db.refuse_writes(RegistryError(BEHIND_READ_ONLY, **params))


def readable(engine: Engine) -> bool:
    """True when every table and column the program reads is there."""
    found = inspect(engine)
    tables = set(found.get_table_names())
    for table in Base.metadata.sorted_tables:
        if table.name not in tables:
            return False
        columns = {column["name"] for column in found.get_columns(table.name)}
        if not {column.name for column in table.columns} <= columns:
            return False
    return True


NEWER = T(
    "{db} was made by a newer version of the program (schema {rev}): install that version "
    "to use it; nothing was changed"
)


def _known(revision: str) -> bool:
    from alembic.script import ScriptDirectory

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except Exception:  # alembic's own "Can't locate revision"
        return False


def schema_differences(engine: Engine) -> list:
    """What Alembic autogenerate would change: empty when migrations equal the models."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": _in_models}
        )
        return compare_metadata(ctx, Base.metadata)


def _in_models(name: str | None, type_: str, parent_names: dict) -> bool:
    """The search's text index (tables, triggers, index) is made by SQL, not by the models."""
    return name not in search_index.names()


KEEP_DEFAULT = 10  # automatic backups kept per registry (preference "backups_to_keep")
_STAMP = "%Y%m%d-%H%M%S"


def _timestamped(name: str, suffix: str) -> Path:
    stamp = dt.datetime.now().strftime(_STAMP)
    folder = private_folder(backup_dir())
    path = folder / f"{name}-{stamp}{suffix}"
    n = 2
    while path.exists():  # two in the same second
        path = folder / f"{name}-{stamp}-{n}{suffix}"
        n += 1
    return path


def backup(db: Database, target: Path | None = None, force: bool = False) -> Path:
    """Copy the registry to ``target``, or to a dated file in the backup folder (automatic:
    the oldest beyond the last ``backups_to_keep`` are deleted).

    An existing ``target`` is replaced only with ``force``, and never when it is the
    registry itself. The copy is written beside its name, checked, then renamed: a backup
    is whole and sound, or not there. Backups are their owner's only (0600).
    SQLite: SQLite's online backup, then its integrity check on the copy. PostgreSQL:
    ``pg_dump`` in custom format (restore with ``pg_restore``).
    """
    source = Path(db.url.database or "") if db.is_sqlite else None
    name = source.stem if source else (db.url.database or "registry")
    suffix = ".sqlite3" if source else ".pgdump"
    automatic = target is None
    target = _timestamped(name, suffix) if target is None else Path(target)
    if not automatic:
        files.check_target(target, "file")  # a folder, a link, no folder: said as such
        _may_replace(target, source, force)
    with files.replacing(target, "file", mode=0o600) as part:
        if source is not None:
            _sqlite_copy(db, part, target)
        else:
            _pg_dump(db, part)
    if automatic:
        prune_backups(name, suffix)
    return Path(target)


def _may_replace(target: Path, source: Path | None, force: bool) -> None:
    if not target.exists():
        return
    if source is not None and source.exists() and target.samefile(source):
        raise ValidationError.single(
            "file", "“{path}” is the registry itself: choose another file", path=str(target)
        )
    if not force:
        raise ValidationError.single(
            "file",
            "“{path}” already exists: choose another name, or use --force to replace it",
            path=str(target),
        )


def _sqlite_copy(db: Database, copy: Path, target: Path) -> None:
    src = db.engine.raw_connection()  # opened as the engine opens it (read-only files too)
    dst = sqlite3.connect(copy)
    try:
        # The copy takes the registry's WAL mode with its pages; held exclusively, it needs
        # no shared-memory file (-shm), which a full disk could not take.
        dst.execute("PRAGMA locking_mode=EXCLUSIVE")
        with dst:
            src.driver_connection.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if "disk is full" in str(exc):  # the copy's folder, not the registry: said as such
            raise files.cannot_write(target, files.REASONS[errno.ENOSPC], "file") from exc
        raise DatabaseError(detail=f"the backup could not be made: {exc}") from exc
    finally:
        src.close()
        dst.close()
        for side in ("-wal", "-shm", "-journal"):  # a failed copy leaves nothing beside it
            Path(f"{copy}{side}").unlink(missing_ok=True)
    if verdict != "ok":
        raise DatabaseError(detail=f"the backup failed its check: {verdict}")


def _pg_dump(db: Database, copy: Path) -> None:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise DatabaseError("pg_dump is needed to back up a PostgreSQL registry")
    done = subprocess.run(
        [pg_dump, "--format=custom", "--file", str(copy), "--dbname", libpq_url(db.url)],
        capture_output=True,
        text=True,
        env=libpq_env(db.url),
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        if not lines:
            raise DatabaseError("pg_dump failed without saying why")
        raise DatabaseError(detail=lines[-1])


def libpq_url(url: URL) -> str:
    """``url`` as libpq's own tools take it, without its password (a command line is seen by
    every user of the computer: ``ps``)."""
    bare = credentials.without_password(url).set(drivername="postgresql")
    return bare.render_as_string(hide_password=False)


def libpq_env(url: URL) -> dict[str, str]:
    """The environment for libpq's tools: the password in ``PGPASSWORD`` (a process's
    environment is its owner's only), where the URL has one."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return env


def automatic_backups(name: str, suffix: str) -> list[Path]:
    """The dated backups of registry ``name`` in the backup folder, oldest first (a file staff
    put there under another name is not one of them)."""
    dated = re.compile(rf"{re.escape(name)}-\d{{8}}-\d{{6}}(-\d+)?{re.escape(suffix)}")
    return sorted(p for p in backup_dir().glob(f"{name}-*{suffix}") if dated.fullmatch(p.name))


def prune_backups(name: str, suffix: str) -> list[Path]:
    """Delete the automatic backups of registry ``name`` beyond the newest
    ``backups_to_keep`` (a preference, default 10); the ones deleted."""
    keep = max(1, int(preferences.get("backups_to_keep", KEEP_DEFAULT)))
    gone = automatic_backups(name, suffix)[:-keep]
    for old in gone:
        for extra in ("", "-wal", "-shm"):
            Path(f"{old}{extra}").unlink(missing_ok=True)
    return gone


def daily_backup(db: Database) -> Path | None:
    """A SQLite registry's first start of the day makes an automatic backup (None when today
    has one already, or for PostgreSQL, backed up on its server)."""
    if not db.is_sqlite:
        return None
    source = Path(db.url.database or "")
    today = dt.date.today().strftime("%Y%m%d")
    if not source.exists() or any(backup_dir().glob(f"{source.stem}-{today}-*.sqlite3")):
        return None
    return backup(db)


def restore(db: Database, source: Path) -> Path | None:
    """Put the backup ``source`` in place of the SQLite registry, once it proved sound
    (SQLite's integrity check, a schema this program knows). The registry as it was, damaged
    or not, is first copied as it is into the backup folder: where it went (None when there
    was none). Every desk must have closed the registry."""
    if not db.is_sqlite:
        raise ValidationError.single(
            "file", "A PostgreSQL registry is restored with pg_restore on its server"
        )
    _check_backup_file(Path(source))
    registry = Path(db.url.database or "")
    db.dispose()
    kept = None
    if registry.exists():
        kept = _timestamped(f"{registry.stem}-before-restore", ".sqlite3")
        for suffix in ("", "-wal"):  # its journal too: what it holds is part of it
            if Path(f"{registry}{suffix}").exists():
                shutil.copyfile(f"{registry}{suffix}", f"{kept}{suffix}")
                make_private(Path(f"{kept}{suffix}"))
    with files.replacing(registry, "file", mode=0o600) as part:
        shutil.copyfile(source, part)
        for suffix in ("-wal", "-shm"):  # the old registry's journal must not be replayed
            Path(f"{registry}{suffix}").unlink(missing_ok=True)
    return kept


def _check_backup_file(source: Path) -> None:
    def refuse(detail: str) -> ValidationError:
        return ValidationError.single(
            "file",
            "“{path}” is not a sound registry backup: {detail}",
            path=str(source),
            detail=detail,
        )

    if not source.is_file():
        raise refuse(T("there is no such file"))
    try:
        conn = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            rev = None
            if "alembic_version" in tables:
                rev = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise refuse(str(exc)) from exc
    if verdict != "ok":
        raise refuse(verdict)
    if not rev or "organizations" not in tables:
        raise refuse(T("it is not a registry"))
    if not _known(rev[0]):
        raise refuse(T("it was made by a newer version of the program"))


def verify_then_release(db: Database) -> None:
    """``verify`` a registry whose writes are held (``Database.hold_writes``), on a worker
    thread: the writes go on once it passed, or are refused with the damage it found. (The
    release happens here, not through the GUI's event loop, which a waiting save holds.)"""
    try:
        verify(db)
    except RegistryDamaged as exc:
        db.release_writes(exc)
        raise
    except BaseException:
        db.release_writes()
        raise
    db.release_writes()


def newest_good_backup(db: Database) -> Path | None:
    """The newest backup of this SQLite registry in the backup folder that proves sound
    (``db restore``'s own check), or None."""
    if not db.is_sqlite:
        return None
    for path in reversed(automatic_backups(Path(db.url.database or "").stem, ".sqlite3")):
        try:
            _check_backup_file(path)
        except ValidationError:
            continue
        return path
    return None


def verify(db: Database) -> None:
    """SQLite's quick check of the whole file (what the app runs at start): RegistryDamaged
    when a page is broken, before anything is written to it."""
    if not db.is_sqlite:
        return
    with db.engine.connect() as conn:
        verdict = conn.exec_driver_sql("PRAGMA quick_check").scalar()
    if verdict != "ok":
        raise RegistryDamaged(db=db.describe(), detail=verdict, folder=str(backup_dir()))
