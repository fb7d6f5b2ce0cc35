"""Users and roles of a shared registry, proved by the server: each role connects and raw SQL
shows what it may and may not do (issue 17, points 1 to 3)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import threading
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import errors
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from incubator import roles, schema
from incubator.cli import main
from incubator.db import Database
from incubator.errors import IncubatorError
from incubator.models import Base
from incubator.registry_db import open_registry
from incubator.services import audit_trail, registry
from tests.conftest import new_pg_database
from tests.factories import org
from tests.pgserver import PgServer

pytestmark = pytest.mark.postgres
TABLES = sorted(Base.metadata.tables)
_databases = itertools.count()


def login(url: URL | str, user: str) -> URL:
    return make_url(str(url) if isinstance(url, str) else url).set(username=user)


def libpq(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def attempt(url: URL, sql: str) -> str:
    """'ok', or 'refused' when the server says the role lacks the right; anything else
    (a broken statement) fails the test."""
    with psycopg.connect(libpq(url), autocommit=True) as conn:
        try:
            conn.execute(sql)
        except errors.InsufficientPrivilege:
            return "refused"
    return "ok"


@pytest.fixture
def shared(pg_db: Database) -> Iterator[tuple[Database, dict[str, URL]]]:
    """A registry with its roles, one organization, and a user of each role."""
    org(pg_db)
    roles.init(pg_db)
    base = pg_db.url.database
    users = {role: f"{base}_{role[0]}user" for role in roles.ROLES}
    for role, name in users.items():
        roles.add_user(pg_db, name, role, None)
    yield pg_db, {role: login(pg_db.url, name) for role, name in users.items()}


# Statements no role but the schema's owner may run, on any registry table.
def writes(table: str) -> list[str]:
    return [
        f"INSERT INTO {table} DEFAULT VALUES",
        f"UPDATE {table} SET {_first_column(table)} = {_first_column(table)}",
        f"DELETE FROM {table}",
    ]


def _first_column(table: str) -> str:
    return next(iter(Base.metadata.tables[table].columns)).name


def test_a_viewer_reads_everything_and_changes_nothing(shared):
    _db, urls = shared
    for table in [*TABLES, "alembic_version"]:
        assert attempt(urls["viewer"], f"SELECT * FROM {table} LIMIT 1") == "ok", table
        for sql in writes(table) if table in TABLES else []:
            assert attempt(urls["viewer"], sql) == "refused", sql
    for sql in (
        "CREATE TABLE mine (x int)",
        "TRUNCATE organizations CASCADE",
        "ALTER TABLE organizations ADD COLUMN x int",
        "UPDATE alembic_version SET version_num = '0001'",
    ):
        assert attempt(urls["viewer"], sql) == "refused", sql
    # And through the program: lists work, a save is refused by the server.
    viewer = Database(urls["viewer"])
    try:
        assert [o.name for o in registry.list_page(viewer, registry.OrgQuery(), 0, 10)]
        with pytest.raises(IncubatorError):
            org(viewer, 2)
    finally:
        viewer.dispose()


def test_staff_write_the_registry_but_neither_the_audit_nor_the_schema(shared):
    _db, urls = shared
    staff = urls["staff"]
    # Allowed: every registry table but the audit log (statements that change no row).
    for table in TABLES:
        if table != "audit_log":
            assert attempt(staff, f"DELETE FROM {table} WHERE false") == "ok", table
    for sql in (
        "UPDATE audit_log SET actor = 'someone'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER USER",
        "DROP TABLE audit_log",
        "CREATE TABLE mine (x int)",
        "ALTER TABLE organizations ADD COLUMN x int",
        "CREATE INDEX mine ON organizations (notes)",
        "UPDATE alembic_version SET version_num = '0001'",
    ):
        assert attempt(staff, sql) == "refused", sql
    # Through the program: a new organization, audited in the same transaction.
    desk = Database(staff, actor="claimed-name")
    try:
        new = org(desk, 2)
        entries = audit_trail.for_organization(desk, new.id)
        assert entries and {e.actor for e in entries} == {staff.username}
    finally:
        desk.dispose()
    # The admin may change the schema (rolled back: a try only).
    with psycopg.connect(libpq(urls["admin"])) as conn:
        conn.execute("CREATE TABLE mine (x int)")
        conn.execute("ALTER TABLE organizations ADD COLUMN x int")
        conn.rollback()


def test_the_audit_names_the_login_whatever_the_client_claims(shared):
    _db, urls = shared
    staff = urls["staff"]
    with psycopg.connect(libpq(staff), autocommit=True) as conn:
        conn.execute(
            "INSERT INTO audit_log (at, actor, entity, entity_id, action, changes) "
            "VALUES ('2001-01-01', 'the director', 'organizations', 1, 'update', '{}')"
        )
        actor, at = conn.execute(
            "SELECT actor, at FROM audit_log ORDER BY id DESC LIMIT 1"
        ).fetchone()
        server_now = conn.execute("SELECT timezone('UTC', now())").fetchone()[0]
    assert actor == staff.username
    assert abs((server_now - at).total_seconds()) < 60  # the server's clock, not 2001


def scram_matches(verifier: str, password: str) -> bool:
    """RFC 5802 / 7677 by hand: the stored key PostgreSQL keeps for ``password``."""
    method, rest = verifier.split("$", 1)
    iterations_salt, keys = rest.split("$")
    iterations, salt = iterations_salt.split(":")
    stored_key = base64.b64decode(keys.split(":")[0])
    salted = hashlib.pbkdf2_hmac(
        "sha256", password.encode(), base64.b64decode(salt), int(iterations)
    )
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    return method == "SCRAM-SHA-256" and hashlib.sha256(client_key).digest() == stored_key


def run(capsys, monkeypatch, *args: str, stdin: str = "") -> tuple[int, str, str]:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def test_users_are_managed_from_the_command_line(pg_db, capsys, monkeypatch):
    url = pg_db.url.render_as_string(hide_password=False)
    name = f"{pg_db.url.database}_张敏"

    def db(*args: str, stdin: str = "") -> tuple[int, str, str]:
        return run(capsys, monkeypatch, "db", *args, "--db", url, stdin=stdin)

    rc, out, err = db("roles", "init")
    assert rc == 0, err
    assert f"{pg_db.url.database}_admin" in out
    rc, _out, err = db("users", "add", name, "--role", "viewer", stdin="s3cret 密码\n")
    assert rc == 0, err
    with pg_db.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT rolpassword FROM pg_authid WHERE rolname = :n"), {"n": name}
        ).scalar()
    assert stored.startswith("SCRAM-SHA-256$") and scram_matches(stored, "s3cret 密码")
    assert not scram_matches(stored, "s3cret")
    rc, out, _ = db("users", "list")
    assert rc == 0
    (line,) = [row for row in out.splitlines() if name in row]
    assert line.split() == [name, "viewer", "yes"]
    # A viewer cannot add anything; made staff, the same user can.
    sql = "INSERT INTO settings (key, value) VALUES ('k', 'v')"
    assert attempt(login(pg_db.url, name), sql) == "refused"
    rc, _out, err = db("users", "set-role", name, "--role", "staff")
    assert rc == 0, err
    assert attempt(login(pg_db.url, name), sql) == "ok"
    # Disabled while logged in: the server's superuser ends the open session too.
    open_session = psycopg.connect(libpq(login(pg_db.url, name)), autocommit=True)
    rc, out, _ = db("users", "disable", name)
    assert rc == 0 and "1 open session(s) of theirs ended" in out
    with pytest.raises(psycopg.OperationalError):
        open_session.execute("SELECT 1")
    open_session.close()
    rc, out, _ = db("users", "list")
    assert [row.split() for row in out.splitlines() if name in row] == [
        [name, "staff", "no", "(disabled)"]
    ]
    disabled = Database(login(pg_db.url, name))
    try:
        with pytest.raises(IncubatorError, match="may no longer log in"):
            registry.count(disabled, registry.OrgQuery())
    finally:
        disabled.dispose()
    assert db("users", "enable", name)[0] == 0
    assert attempt(login(pg_db.url, name), "SELECT 1") == "ok"
    # A forgotten password replaced by an administrator.
    rc, _out, err = db("users", "password", name, stdin="新的 secret\n")
    assert rc == 0, err
    with pg_db.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT rolpassword FROM pg_authid WHERE rolname = :n"), {"n": name}
        ).scalar()
    assert scram_matches(stored, "新的 secret") and not scram_matches(stored, "s3cret 密码")
    # Refusals, in words, with exit code 1: a user twice, a user that is not one.
    rc, _out, err = db("users", "add", name, "--role", "staff", "--no-password")
    assert rc == 1 and "exists already" in err
    rc, _out, err = db("users", "set-role", "postgres", "--role", "staff")
    assert rc == 1 and "is not a user of this registry" in err


def test_only_an_administrator_manages_users(shared):
    db, urls = shared
    staff = Database(urls["staff"])
    admin = Database(urls["admin"])
    try:
        with pytest.raises(IncubatorError, match="may not manage roles"):
            roles.add_user(staff, f"{db.url.database}_x", "admin", None)
        # An administrator (not a superuser) adds, promotes and disables users.
        new = f"{db.url.database}_new"
        roles.add_user(admin, new, "viewer", "pw")
        roles.set_role(admin, new, "admin")
        roles.set_enabled(admin, new, False)
        assert [(u.role, u.enabled) for u in roles.users(admin) if u.name == new] == [
            ("admin", False)
        ]
    finally:
        staff.dispose()
        admin.dispose()


def test_a_registry_administrator_disabling_a_user_is_told_of_their_open_sessions(shared):
    """Ending another login's session needs the server's say (a superuser, or pg_signal_backend,
    which `db roles init` does not grant: it reaches every database of the server)."""
    db, urls = shared
    staff = urls["staff"].username
    open_session = psycopg.connect(libpq(urls["staff"]), autocommit=True)
    admin = Database(urls["admin"])
    try:
        assert roles.set_enabled(admin, staff, False) == roles.Sessions(ended=0, still_open=1)
        assert open_session.execute("SELECT 1").fetchone() == (1,)  # goes on
        with db.engine.begin() as conn:  # the server's administrator grants the right
            conn.exec_driver_sql(f'GRANT pg_signal_backend TO "{db.url.database}_admin"')
        assert roles.end_sessions(admin, staff) == roles.Sessions(ended=1, still_open=0)
        with pytest.raises(psycopg.OperationalError):
            open_session.execute("SELECT 1")
    finally:
        open_session.close()
        admin.dispose()


def test_roles_and_users_are_refused_on_a_sqlite_file(capsys, monkeypatch, tmp_path):
    path = tmp_path / "registry.sqlite3"
    rc, _out, err = run(capsys, monkeypatch, "db", "users", "list", "--db", str(path))
    assert rc == 1 and "SQLite registry file has no logins" in err
    assert not path.exists()  # nothing was created by asking


# --- schema changes by the administrator only ----------------------------------------------


def empty_database(server: PgServer) -> Database:
    return Database(new_pg_database(server, template=None), actor="setup")


def at_revision(server: PgServer, revision: str) -> Database:
    """A new database migrated to ``revision`` (not the newest)."""
    db = empty_database(server)
    schema.migrate(db, revision)
    return db


OLDER_READABLE = "0013"


def readable_but_older(server: PgServer) -> Database:
    """A registry whose schema is an older revision than this program's, but holds every
    table and column it reads (as after a migration that only adds an index or a trigger):
    the newest schema, its revision set back by hand."""
    db = at_revision(server, "head")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": OLDER_READABLE})
    return db


def test_a_desk_does_not_upgrade_a_shared_registry(pg_server: PgServer):
    # Behind, but readable: the desk reads and refuses writes, saying why.
    db = readable_but_older(pg_server)
    try:
        org(db)
        desk, report = open_registry(db.url.render_as_string(hide_password=False))
        assert report is None and desk.read_only
        assert schema.current_revision(db.engine) == OLDER_READABLE  # untouched
        assert registry.count(desk, registry.OrgQuery()) == 1
        with pytest.raises(IncubatorError, match="ask the administrator to run 'db upgrade'"):
            org(desk, 2)
        desk.dispose()
    finally:
        db.dispose()
    # Too old to read (0010 lacks a column and a table the program reads): refused in words.
    db = at_revision(pg_server, "0010")
    try:
        with pytest.raises(IncubatorError, match=r"older schema \(0010\).*'db upgrade'"):
            open_registry(db.url.render_as_string(hide_password=False))
        assert schema.current_revision(db.engine) == "0010"
    finally:
        db.dispose()
    # Empty: the same.
    empty = empty_database(pg_server)
    try:
        with pytest.raises(IncubatorError, match="no registry yet"):
            open_registry(empty.url.render_as_string(hide_password=False))
    finally:
        empty.dispose()


def test_db_upgrade_is_for_administrators_and_keeps_the_rights(pg_server, capsys, monkeypatch):
    db = at_revision(pg_server, "0011")
    try:
        with db.engine.begin() as conn:  # a row of that time, written as that program would
            conn.execute(
                text(
                    "INSERT INTO organizations (name, name_sort, search_key, legal_form, stage,"
                    " stage_since, archived, version, created_at, updated_at) VALUES"
                    " ('旧组织', 'jiu zu zhi', '旧组织', 'social_group', 'applied',"
                    " '2025-01-01', false, 1, now(), now())"
                )
            )
        roles.init(db)
        staff_name, admin_name = f"{db.url.database}_s", f"{db.url.database}_a"
        roles.add_user(db, staff_name, "staff", None)
        roles.add_user(db, admin_name, "admin", None)
        staff, admin = login(db.url, staff_name), login(db.url, admin_name)
        rc, _out, err = run(capsys, monkeypatch, "db", "upgrade", "--db", str(staff))
        assert rc == 1 and "Only an administrator" in err
        rc, out, err = run(capsys, monkeypatch, "db", "upgrade", "--db", str(admin))
        assert rc == 0, err
        assert "from 0011 to " + schema.HEAD in out
        with db.engine.connect() as conn:
            owners = set(
                conn.execute(
                    text(
                        "SELECT DISTINCT pg_get_userbyid(p.proowner) FROM pg_proc p "
                        "WHERE p.proname = 'audit_log_from_server'"
                    )
                ).scalars()
            )
        assert owners == {f"{db.url.database}_admin"}  # the group's, not the admin's own
        # Staff work on, and the new trigger names them.
        desk = Database(staff)
        try:
            new = org(desk, 3)
            assert {e.actor for e in audit_trail.for_organization(desk, new.id)} == {staff_name}
        finally:
            desk.dispose()
        assert attempt(staff, "DELETE FROM audit_log") == "refused"
        assert attempt(admin, "SELECT 1") == "ok"
    finally:
        db.dispose()


def test_two_administrators_upgrading_at_once_wait_for_each_other(pg_server):
    db = at_revision(pg_server, "0010")
    url = db.url.render_as_string(hide_password=False)
    db.dispose()
    gate = threading.Barrier(2)
    reports, failures = [], []

    def upgrade() -> None:
        desk = Database(url)
        try:
            gate.wait()
            reports.append(schema.upgrade(desk))
        except Exception as exc:
            failures.append(exc)
        finally:
            desk.dispose()

    threads = [threading.Thread(target=upgrade) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    # One did the work; the other found it done once the first let go of the lock.
    assert sorted(r.from_revision for r in reports) == ["0010", schema.HEAD]
    check = Database(url)
    try:
        assert schema.current_revision(check.engine) == schema.HEAD
    finally:
        check.dispose()


def test_the_center_s_settings_are_the_administrators(shared):
    from incubator.services import narratives

    db, urls = shared
    narratives.set_center_info(db, "天山区社会组织孵化基地", None)
    staff, admin = Database(urls["staff"]), Database(urls["admin"])
    try:
        with pytest.raises(IncubatorError, match="do not have the right"):
            narratives.set_center_info(staff, "改名", None)
        with pytest.raises(IncubatorError, match="do not have the right"):
            narratives.set_center_info(staff, "天山区社会组织孵化基地", None, contract_no="ZC-1")
        assert narratives.center_info(staff).name == "天山区社会组织孵化基地"
        # Raw SQL too: a center row cannot be added, changed or removed by staff.
        for sql in (
            "INSERT INTO settings (key, value) VALUES ('center_operator', 'x')",
            "UPDATE settings SET value = 'x' WHERE key = 'center_name'",
        ):
            assert attempt(urls["staff"], sql) == "refused", sql
        assert attempt(urls["staff"], "DELETE FROM settings WHERE key = 'center_name'") == "ok"
        assert narratives.center_info(staff).name == "天山区社会组织孵化基地"  # not removed
        # Their own desk settings (saved import columns) staff keep.
        assert attempt(urls["staff"], "INSERT INTO settings VALUES ('import_x', '{}')") == "ok"
        narratives.set_center_info(admin, "新名称", None)
        assert narratives.center_info(staff).name == "新名称"
    finally:
        staff.dispose()
        admin.dispose()


def test_the_program_asks_the_server_what_each_role_may_do(shared):
    db, urls = shared
    seen = {}
    for role, url in urls.items():
        desk = Database(url)
        try:
            seen[role] = roles.rights(desk)
        finally:
            desk.dispose()
    assert seen == {
        "viewer": roles.Rights(write=False, center=False),
        "staff": roles.Rights(write=True, center=False),
        "admin": roles.Rights(write=True, center=True),
    }
    assert roles.rights(db) == roles.Rights()  # the server's superuser
