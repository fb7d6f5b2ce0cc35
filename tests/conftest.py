"""Test configuration: real SQLite files and a real PostgreSQL server, never mocks.

Every test gets its own user folders (INCUBATOR_HOME), so nothing touches a real registry.
The ``db`` fixture runs a test on SQLite and on PostgreSQL; PostgreSQL tests are skipped with
a visible reason only where no server can be started (INCUBATOR_REQUIRE_POSTGRES=1, set by the
test script and CI, turns that into a failure).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import pickle
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["INCUBATOR_LANG"] = "en"

import pytest
from sqlalchemy import create_engine, text

try:
    import fcntl
except ImportError:  # Windows: the workers of a run generate their own data at scale
    fcntl = None

from incubator.db import Database
from incubator.i18n import set_language
from incubator.schema import upgrade
from tests.pgserver import PgServer, find_bindir

TEMPLATE_DB = "incubator_template"
_counter = itertools.count()


@pytest.fixture(autouse=True)
def _dates_of_today(request: pytest.FixtureRequest) -> None:
    """Modules that work from today's date refresh it before each test (``refresh_dates``):
    computed once at import, it went stale when a run crossed midnight."""
    refresh = getattr(request.module, "refresh_dates", None)
    if refresh is not None:
        refresh()


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    # The language is process-wide (the CLI's --lang sets it); each test starts in English.
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(autouse=True)
def _user_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("INCUBATOR_HOME", str(home))
    monkeypatch.delenv("INCUBATOR_DATABASE_URL", raising=False)
    return home


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test works on its own copy."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = Database(str(path))
    upgrade(db)
    db.dispose()
    return path


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "registry.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database(str(path), actor="tester")
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    required = os.environ.get("INCUBATOR_REQUIRE_POSTGRES") == "1"
    bindir = find_bindir()
    if bindir is None:
        if required:
            pytest.fail("PostgreSQL is required but its binaries were not found")
        pytest.skip("PostgreSQL server binaries not installed (Debian package 'postgresql')")
    server = PgServer(bindir)
    try:
        server.start()
    except (RuntimeError, OSError) as exc:
        if required:
            pytest.fail(f"PostgreSQL is required but could not be started: {exc}")
        pytest.skip(f"PostgreSQL could not be started: {exc}")
    _make_template(server)
    yield server
    server.stop()


def _make_template(server: PgServer) -> None:
    """The migrated database every test's database is copied from."""
    engine = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {TEMPLATE_DB}"))
    engine.dispose()
    template = Database(server.url(TEMPLATE_DB))
    upgrade(template)
    template.dispose()


SECURE_PASSWORD = "天山 secret%2026"  # spaces, a percent sign and Han: every URL pitfall


@pytest.fixture(scope="session")
def pg_secure_server(pg_server: PgServer) -> Iterator[PgServer]:
    """A second server as a center would run it: every login needs its password (SCRAM),
    and it also listens on 127.0.0.1 with TLS (``ca_file`` signs its certificate)."""
    import socket

    with socket.socket() as probe:  # a free port, for this server alone
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = PgServer(pg_server.bindir, password=SECURE_PASSWORD, tls_port=port)
    try:
        server.start()
    except (RuntimeError, OSError) as exc:
        pytest.fail(f"the password-and-TLS PostgreSQL server could not be started: {exc}")
    _make_template(server)
    yield server
    server.stop()


@pytest.fixture
def secure_url(pg_secure_server) -> str:
    """A registry on the server that needs passwords, its URL holding none."""
    from sqlalchemy.engine import make_url

    from incubator.credentials import without_password
    from tests.factories import org

    url = make_url(new_pg_database(pg_secure_server))
    db = Database(url)
    org(db, 1, name="天山区幸福社区服务中心")
    db.dispose()
    return without_password(url).render_as_string(hide_password=False)


def new_pg_database(server: PgServer, template: str | None = TEMPLATE_DB) -> str:
    """A fresh database, migrated (a copy of the template) or, with ``template`` None, empty
    (no schema); returns its URL."""
    name = f"t{os.getpid()}_{next(_counter)}"
    engine = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(
            text(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        )
    engine.dispose()
    return server.url(name)


@pytest.fixture
def pg_db(pg_server: PgServer) -> Iterator[Database]:
    db = Database(new_pg_database(pg_server), actor="tester")
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest) -> Database:
    """The same test on both supported databases."""
    return request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")


@dataclass(frozen=True)
class DemoAtScale:
    path: Path  # the generated registry: tests work on copies (``at_scale``)
    today: dt.date
    summary: object  # demo.DemoSummary
    progress: list[int]  # the ``done`` of every progress call


@pytest.fixture(scope="session")
def demo_at_scale(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> DemoAtScale:
    """10,000 demo organizations, generated once (about a minute) for the tests at scale. Under
    pytest-xdist the workers of one run share it: the first to need it generates it while the
    others wait, instead of each spending the minute."""
    from incubator import demo

    shared = os.environ.get("PYTEST_XDIST_WORKER") is not None and fcntl is not None
    # A worker's base folder sits in one folder per run (pytest-N/popen-gwK): shared by that
    # run's workers alone, never by an earlier run's.
    folder = tmp_path_factory.getbasetemp().parent if shared else tmp_path_factory.mktemp("s")
    path = folder / "at-scale.sqlite3"
    facts = folder / "at-scale.pickle"
    with _exclusive(folder / "at-scale.lock"):
        if not facts.exists():  # written last: the registry beside it is whole
            shutil.copy(sqlite_template, path)
            db = Database(str(path), actor="tester")
            today = dt.date(2026, 6, 30)
            calls: list[int] = []
            summary = demo.generate(
                db,
                10_000,
                seed=2026,
                today=today,
                progress=lambda done, _total: calls.append(done) or True,
            )
            db.dispose()
            facts.write_bytes(pickle.dumps((today, summary, calls)))
    today, summary, calls = pickle.loads(facts.read_bytes())
    return DemoAtScale(path, today, summary, calls)


@contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    """Holds ``lock`` against the run's other workers (none without flock: nothing shared)."""
    if fcntl is None:
        yield
        return
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture
def at_scale(demo_at_scale: DemoAtScale, tmp_path: Path) -> Iterator[Database]:
    """A copy of the 10,000 demo organizations' registry."""
    path = tmp_path / "at-scale.sqlite3"
    shutil.copy(demo_at_scale.path, path)
    db = Database(str(path), actor="tester")
    yield db
    db.dispose()
