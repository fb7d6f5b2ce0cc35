"""Engine, sessions and units of work.

``Database.transaction(actor)`` is the one way services change data: one session, one
transaction, audited in that same transaction (see ``incubator.audit``), committed at the end
or rolled back whole. Database-level failures come out as the core's typed errors.
"""

from __future__ import annotations

import getpass
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from incubator import audit, credentials
from incubator.config import describe_url, resolve_database_url
from incubator.db_errors import RegistryDamaged, explain
from incubator.errors import ConcurrentChangeError, DatabaseError, ValidationError
from incubator.i18n import T
from incubator.paths import backup_dir


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers don't block the writer (several windows)
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _read_only_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA busy_timeout=5000")


def read_only_url(url: URL) -> URL | None:
    """A URL opening an existing registry file this user may read but not change, or None.

    SQLite would open such a file and then fail on its first statement (a WAL registry needs
    its ``-shm`` file). Opened read-only, lists, searches and reports work. Where the folder
    cannot take the ``-shm`` file either (a read-only share), the file is opened as
    immutable: nothing on this desk can change it, and SQLite then needs no lock files.
    """
    if url.get_backend_name() != "sqlite" or url.query.get("uri") or not url.database:
        return None
    path = Path(url.database)
    if not path.is_file():
        return None
    folder = os.access(path.parent, os.W_OK)
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    side_files = folder or (os.access(wal, os.W_OK) and os.access(shm, os.W_OK))
    if os.access(path, os.W_OK) and side_files:
        return None
    shm_usable = folder or os.access(shm, os.W_OK)
    uri = path.resolve().as_uri() + ("?mode=ro" if shm_usable else "?mode=ro&immutable=1")
    return url.set(database=uri, query={"uri": "true"})


def _refuse_an_emptied_file(path: Path):
    """A connect listener refusing ``path`` while it is an empty file: SQLite would take it
    for a new database and the program would fill it with an empty registry, hiding that
    the registry was cut to nothing (a failed copy, a disk error)."""

    def refuse(_dbapi_connection, _record) -> None:
        if path.is_file() and path.stat().st_size == 0:
            raise RegistryDamaged(
                db=str(path), detail=T("the file is empty"), folder=str(backup_dir())
            )

    return refuse


def make_engine(url: URL, read_only: URL | None = None) -> Engine:
    """The engine for ``url``; a SQLite file this user may only read opens at ``read_only``
    (``read_only_url``)."""
    if url.get_backend_name() == "sqlite":
        engine = create_engine(read_only or url)
        path = Path(url.database or "")
        if url.database and path.is_file() and path.stat().st_size == 0:
            event.listen(engine, "connect", _refuse_an_emptied_file(path))
        pragmas = _read_only_pragmas if read_only else _sqlite_pragmas

        def connected(dbapi_connection, record) -> None:
            try:
                pragmas(dbapi_connection, record)
            except UnicodeDecodeError as exc:  # a damaged schema text: not a driver error,
                raise explain(exc, url) from exc  # so handle_error below never sees it

        event.listen(engine, "connect", connected)
    else:  # a server that does not answer is said within seconds, never a hang
        engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})

    def in_words(context) -> None:
        explained = explain(context.original_exception, url)
        if explained is not None:
            raise explained from context.original_exception

    event.listen(engine, "handle_error", in_words)
    return engine


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some service environments
        return "unknown"


class Database:
    def __init__(self, url: URL | str | None = None, actor: str | None = None) -> None:
        # A shared registry's password from the keyring, when the user let it keep one.
        self.url = credentials.with_saved_password(
            url if isinstance(url, URL) else resolve_database_url(url)
        )
        read_only = read_only_url(self.url)
        self.engine = make_engine(self.url, read_only)
        # A file this user may only read (or asked for with ?mode=ro): lists and reports work,
        # changes are refused in words.
        self.read_only = read_only is not None or (
            self.is_sqlite and self.url.query.get("mode") == "ro"
        )
        # Who the registry's own columns name (a transition's actor, who voided, who added a
        # document): on a shared registry its login, as the audit's server-side author.
        login = None if self.is_sqlite else self.url.username
        self.actor = actor or login or default_actor()
        # Writes wait while the registry is being checked (``hold_writes``), and are refused
        # with what the check found (``release_writes``): nothing is written to a damaged file.
        self._writable = threading.Event()
        self._writable.set()
        self._damage: Exception | None = None
        self._sessions = sessionmaker(
            self.engine, class_=audit.AuditedSession, expire_on_commit=False, autoflush=True
        )

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    def describe(self) -> str:
        return describe_url(self.url)

    def hold_writes(self) -> None:
        """Writes wait from now until ``release_writes`` (a check of the file is running)."""
        self._writable.clear()

    def release_writes(self, damage: Exception | None = None) -> None:
        """Writes go on; or, with ``damage``, every write is refused with it."""
        self._damage = damage
        self._writable.set()

    @property
    def refusal(self) -> Exception | None:
        """Why every write is refused, when it is (``refuse_writes``, damage found)."""
        return self._damage

    def refuse_writes(self, why: Exception) -> None:
        """Read-only from now on: lists and reports work, every write is refused with ``why``."""
        self.read_only = True
        self.release_writes(why)

    @contextmanager
    def transaction(self, actor: str | None = None) -> Iterator[Session]:
        """One unit of work: commit at the end, roll back everything on any error."""
        self._writable.wait()
        if self._damage is not None:
            raise self._damage
        with self._sessions() as session:
            session.info["actor"] = actor or self.actor
            try:
                with session.begin():
                    if self.is_sqlite:
                        # The write lock up front: another desk's write waits here (busy
                        # timeout) rather than failing half-way, and what is read next is
                        # the newest data (pysqlite would begin deferred, at the first write).
                        session.connection().exec_driver_sql("BEGIN IMMEDIATE")
                    yield session
            except StaleDataError as exc:
                # Another desk saved the same row between our read and our write.
                raise ConcurrentChangeError() from exc
            except IntegrityError as exc:
                if "credit_code" in str(exc.orig):  # the same code registered at the same moment
                    raise ValidationError.single(
                        "credit_code", "Already registered to another organization"
                    ) from exc
                raise ValidationError.single(
                    None,
                    "The change breaks a rule of the registry: {detail}",
                    detail=str(exc.orig).splitlines()[0],
                ) from exc
            except OperationalError as exc:
                raise DatabaseError(detail=str(exc.orig).splitlines()[0]) from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for queries only; nothing it does is committed."""
        with self._sessions() as session:
            try:
                yield session
            except OperationalError as exc:
                raise DatabaseError(detail=str(exc.orig).splitlines()[0]) from exc
            finally:
                session.rollback()

    def dispose(self) -> None:
        self.engine.dispose()
