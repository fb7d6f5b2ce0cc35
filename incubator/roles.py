"""Users and roles of a shared PostgreSQL registry, enforced by the server itself.

Each registry database has three group roles (they cannot log in), named after it:

- ``<database>_viewer`` reads everything and changes nothing;
- ``<database>_staff`` reads and writes the registry; it may add to the audit log, never
  change or delete what is there, and cannot touch the schema;
- ``<database>_admin`` owns the schema (``db upgrade`` runs as this role, so every table
  stays the group's, whichever administrator made it) and manages users.

A user is a login role that is a member of one group. Grants are given table by table
(``apply_grants``) when the roles are made and again after every schema upgrade, so a new
table is covered the day it appears. A SQLite registry file has no logins: its audit names
the operating-system user.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, text

from incubator.db import Database
from incubator.errors import IncubatorError, ValidationError
from incubator.i18n import T

ROLES = ("viewer", "staff", "admin")
LABELS = {"viewer": T("viewer"), "staff": T("staff"), "admin": T("admin")}
# Tables staff may add to but never change: what happened stays as it was recorded.
APPEND_ONLY = ("audit_log",)
# Tables only the schema's owner writes.
SCHEMA_ONLY = ("alembic_version",)
# Settings whose key starts so are the center's own (its name, logo, report cover): staff
# keep their desks' settings (saved import columns) in the same table, admins these.
CENTER_SETTINGS = "center_"
_NAME_BYTES = 63  # PostgreSQL cuts longer names


class RolesError(IncubatorError):
    """A roles command that cannot be done as asked; its key says why."""


NOT_ON_SQLITE = T(
    "Users and roles belong to a shared PostgreSQL registry; a SQLite registry file has no "
    "logins (its history names the computer's user)"
)
NO_ROLES = T("{db} has no roles yet: an administrator runs 'db roles init' first")
NOT_ALLOWED = T(
    "{user} may not manage roles of {db}: that takes a member of {admin} or the server's superuser"
)


@dataclass(frozen=True)
class User:
    name: str
    role: str  # one of ROLES
    enabled: bool  # may log in


@dataclass(frozen=True)
class Groups:
    """The three group roles of one registry database."""

    viewer: str
    staff: str
    admin: str

    @classmethod
    def of(cls, database: str) -> Groups:
        stem = database.encode()[: _NAME_BYTES - len("_viewer")].decode(errors="ignore")
        return cls(*(f"{stem}_{role}" for role in ROLES))

    def __iter__(self) -> Iterator[str]:
        return iter((self.viewer, self.staff, self.admin))

    def named(self, role: str) -> str:
        return getattr(self, role)

    def role_of(self, group: str) -> str | None:
        return next((role for role in ROLES if self.named(role) == group), None)


def groups(db: Database) -> Groups:
    _server_only(db)
    return Groups.of(db.url.database or "postgres")


def _server_only(db: Database) -> None:
    if db.is_sqlite:
        raise RolesError(NOT_ON_SQLITE)


def _q(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def exists(conn: Connection, role: str) -> bool:
    return bool(
        conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    )


def has_roles(conn: Connection, database: str) -> bool:
    """True once ``db roles init`` ran for this database."""
    return exists(conn, Groups.of(database).admin)


def is_admin(conn: Connection, g: Groups) -> bool:
    """Whether the login may manage this registry: a member of its admin group, or a
    superuser of the server."""
    return bool(
        conn.execute(
            text(
                "SELECT rolsuper OR CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
                ":admin) THEN pg_has_role(session_user, :admin, 'MEMBER') ELSE false END "
                "FROM pg_roles WHERE rolname = session_user"
            ),
            {"admin": g.admin},
        ).scalar()
    )


@contextmanager
def _admin_connection(db: Database) -> Iterator[Connection]:
    """One transaction of a user allowed to manage roles; refused in words otherwise."""
    g = groups(db)
    with db.engine.begin() as conn:
        if not is_admin(conn, g):
            me = conn.execute(text("SELECT session_user")).scalar()
            raise RolesError(NOT_ALLOWED, user=me, db=db.describe(), admin=g.admin)
        yield conn


@dataclass(frozen=True)
class Rights:
    """What the connected user may do, as the server will allow it: the app shows only the
    buttons that can work."""

    write: bool = True  # change the registry
    center: bool = True  # change the center's own settings (name, logo, cover texts)


def rights(db: Database) -> Rights:
    """Asked of the server (PostgreSQL) or of the file (SQLite: its user may do all that the
    file allows)."""
    if db.read_only:
        return Rights(write=False, center=False)
    if db.is_sqlite:
        return Rights()
    g = groups(db)
    with db.engine.connect() as conn:
        write = conn.execute(text("SELECT has_table_privilege('organizations', 'INSERT')")).scalar()
        center = not exists(conn, g.admin) or is_admin(conn, g)
    return Rights(write=bool(write), center=bool(write and center))


def init(db: Database) -> list[str]:
    """Make the three group roles (those missing), hand the schema to the admin group and
    grant each group its rights; the groups made. Run again, it puts the grants right."""
    g = groups(db)
    made = []
    with db.engine.begin() as conn:
        for group in g:
            if not exists(conn, group):
                conn.exec_driver_sql(f"CREATE ROLE {_q(conn, group)} NOLOGIN")
                made.append(group)
        database = _q(conn, db.url.database or "postgres")
        viewer, staff, admin = (_q(conn, name) for name in g)
        # Only this registry's roles (and the server's superusers) may connect to it.
        conn.exec_driver_sql(f"REVOKE ALL ON DATABASE {database} FROM PUBLIC")
        conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {database} TO {viewer}, {staff}")
        conn.exec_driver_sql(f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {admin}")
        superuser = conn.execute(
            text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        ).scalar()
        if not superuser:  # the database's owner: a member, to hand the tables over
            conn.exec_driver_sql(f"GRANT {admin} TO CURRENT_USER")
        for kind, name in _owned_objects(conn):
            conn.exec_driver_sql(f"ALTER {kind} {name} OWNER TO {admin}")
        schema = _q(conn, conn.execute(text("SELECT current_schema()")).scalar_one())
        # Objects in the schema are made by the admin group only (PostgreSQL before 15 let
        # anyone create there).
        conn.exec_driver_sql(f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC")
        conn.exec_driver_sql(f"GRANT USAGE, CREATE ON SCHEMA {schema} TO {admin}")
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {viewer}, {staff}")
        conn.exec_driver_sql("SET LOCAL ROLE " + admin)
        apply_grants(conn, g)
    return made


def _owned_objects(conn: Connection) -> list[tuple[str, str]]:
    """The registry's tables and functions in its schema (an extension's own are left to
    it; a table's sequences follow their table)."""
    rows = conn.execute(
        text(
            "SELECT 'TABLE', c.oid::regclass::text FROM pg_class c "
            "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') "
            "UNION ALL "
            "SELECT 'FUNCTION', p.oid::regprocedure::text FROM pg_proc p "
            "WHERE p.pronamespace = current_schema()::regnamespace AND NOT EXISTS ("
            "  SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"
        )
    ).all()
    return [(kind, name) for kind, name in rows]


def apply_grants(conn: Connection, g: Groups) -> None:
    """Each group's rights on every table and sequence of the schema, from nothing: run by
    the admin group (their owner), after ``init`` and after every schema upgrade."""
    viewer, staff = _q(conn, g.viewer), _q(conn, g.staff)
    tables = conn.execute(
        text(
            "SELECT c.relname, c.oid::regclass::text FROM pg_class c "
            "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')"
        )
    ).all()
    for table, name in tables:
        conn.exec_driver_sql(f"REVOKE ALL ON TABLE {name} FROM PUBLIC, {viewer}, {staff}")
        conn.exec_driver_sql(f"GRANT SELECT ON TABLE {name} TO {viewer}, {staff}")
        if table in APPEND_ONLY:
            conn.exec_driver_sql(f"GRANT INSERT ON TABLE {name} TO {staff}")
        elif table not in SCHEMA_ONLY:
            conn.exec_driver_sql(f"GRANT INSERT, UPDATE, DELETE ON TABLE {name} TO {staff}")
    _center_settings_for_admins(conn, g)
    sequences = conn.execute(
        text(
            "SELECT c.oid::regclass::text FROM pg_class c "
            "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'S'"
        )
    ).scalars()
    for name in sequences:
        conn.exec_driver_sql(f"REVOKE ALL ON SEQUENCE {name} FROM PUBLIC, {viewer}, {staff}")
        conn.exec_driver_sql(f"GRANT SELECT ON SEQUENCE {name} TO {viewer}")
        conn.exec_driver_sql(f"GRANT USAGE, SELECT ON SEQUENCE {name} TO {staff}")


def _center_settings_for_admins(conn: Connection, g: Groups) -> None:
    """Row security on ``settings``: everyone reads every row; staff write every row but the
    center's own, and are told so (a refused row is an error, not a row quietly left out).
    The admin group owns the table: no policy binds it."""
    staff = _q(conn, g.staff)
    own = f"left(key, {len(CENTER_SETTINGS)}) <> '{CENTER_SETTINGS}'"
    conn.exec_driver_sql("ALTER TABLE settings ENABLE ROW LEVEL SECURITY")
    for policy, rule in (
        ("settings_read", "FOR SELECT USING (true)"),
        ("settings_staff_insert", f"FOR INSERT TO {staff} WITH CHECK ({own})"),
        ("settings_staff_update", f"FOR UPDATE TO {staff} USING (true) WITH CHECK ({own})"),
        ("settings_staff_delete", f"FOR DELETE TO {staff} USING ({own})"),
    ):
        conn.exec_driver_sql(f"DROP POLICY IF EXISTS {policy} ON settings")
        conn.exec_driver_sql(f"CREATE POLICY {policy} ON settings {rule}")


def _check_name(name: str, g: Groups) -> None:
    problem = None
    if not name.strip() or name != name.strip():
        problem = T("a user name cannot be empty or start or end with a space")
    elif len(name.encode()) > _NAME_BYTES:
        problem = T("a user name is at most 63 bytes long")
    elif name.lower().startswith("pg_") or name in set(g):
        problem = T("“{name}” is reserved by the server or by the registry")
    if problem is not None:
        raise ValidationError.single("user", problem, name=name)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValidationError.single(
            "user_role",
            "“{role}” is not a role: choose one of {roles}",
            role=role,
            roles=", ".join(ROLES),
        )


def _grant(conn: Connection, g: Groups, name: str, role: str) -> None:
    """Make ``name`` a member of ``role``'s group only. An administrator holds every group
    with the right to hand it on, and may create roles: that is what managing users takes."""
    user = _q(conn, name)
    for group in g:
        conn.exec_driver_sql(f"REVOKE {_q(conn, group)} FROM {user}")
    if role == "admin":
        conn.exec_driver_sql(
            f"GRANT {', '.join(_q(conn, x) for x in g)} TO {user} WITH ADMIN OPTION"
        )
        conn.exec_driver_sql(f"ALTER ROLE {user} CREATEROLE")
    else:
        conn.exec_driver_sql(f"GRANT {_q(conn, g.named(role))} TO {user}")
        conn.exec_driver_sql(f"ALTER ROLE {user} NOCREATEROLE")


def add_user(db: Database, name: str, role: str, password: str | None) -> None:
    """A new login ``name`` in ``role``; with ``password`` (None where the server
    authenticates otherwise, e.g. by the operating system), sent hashed: the server never
    sees it in clear, and no log of statements holds it."""
    g = groups(db)
    _check_name(name, g)
    _check_role(role)
    with _admin_connection(db) as conn:
        if not exists(conn, g.admin):
            raise RolesError(NO_ROLES, db=db.describe())
        if exists(conn, name):
            raise ValidationError.single(
                "user", "a user named “{name}” exists already (see 'db users list')", name=name
            )
        conn.exec_driver_sql(f"CREATE ROLE {_q(conn, name)} LOGIN")
        if password is not None:
            _set_password(conn, name, password)
        _grant(conn, g, name, role)


def _set_password(conn: Connection, name: str, password: str) -> None:
    if not password:
        raise ValidationError.single("password", "the password is empty")
    from psycopg import sql

    raw = conn.connection.driver_connection
    verifier = raw.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256")
    statement = sql.SQL("ALTER ROLE {} PASSWORD {}").format(
        sql.Identifier(name), sql.Literal(verifier.decode())
    )
    conn.exec_driver_sql(statement.as_string(raw).replace("%", "%%"))


def users(db: Database) -> list[User]:
    """Every login of this registry (a member of one of its groups), by name."""
    g = groups(db)
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT u.rolname, u.rolcanlogin, array_agg(grp.rolname) "
                "FROM pg_roles u JOIN pg_auth_members m ON m.member = u.oid "
                "JOIN pg_roles grp ON grp.oid = m.roleid "
                "WHERE grp.rolname = ANY(:groups) AND u.rolname <> ALL(:groups) "
                "GROUP BY u.rolname, u.rolcanlogin ORDER BY u.rolname"
            ),
            {"groups": list(g)},
        ).all()
    out = []
    for name, enabled, held in rows:
        roles = [g.role_of(group) for group in held]
        out.append(User(name, max(roles, key=ROLES.index), enabled))
    return out


def _existing_user(conn: Connection, db: Database, name: str) -> None:
    g = groups(db)
    member = conn.execute(
        text(
            "SELECT 1 FROM pg_auth_members m JOIN pg_roles u ON u.oid = m.member "
            "JOIN pg_roles grp ON grp.oid = m.roleid "
            "WHERE u.rolname = :name AND grp.rolname = ANY(:groups)"
        ),
        {"name": name, "groups": list(g)},
    ).first()
    if member is None:
        raise ValidationError.single(
            "user", "“{name}” is not a user of this registry (see 'db users list')", name=name
        )


def set_role(db: Database, name: str, role: str) -> None:
    _check_role(role)
    with _admin_connection(db) as conn:
        _existing_user(conn, db, name)
        _grant(conn, groups(db), name, role)


@dataclass(frozen=True)
class Sessions:
    """A disabled user's sessions that were open on the registry."""

    ended: int = 0
    still_open: int = 0  # the caller may not end them (see ``end_sessions``)


def set_enabled(db: Database, name: str, enabled: bool) -> Sessions:
    """Let ``name`` log in again, or no longer, ending the sessions they have open on this
    registry where the server allows it (``end_sessions``); nothing the user did is
    removed."""
    with _admin_connection(db) as conn:
        _existing_user(conn, db, name)
        conn.exec_driver_sql(f"ALTER ROLE {_q(conn, name)} {'LOGIN' if enabled else 'NOLOGIN'}")
    # Once NOLOGIN is committed: a session ended now cannot log in again.
    return Sessions() if enabled else end_sessions(db, name)


def end_sessions(db: Database, name: str) -> Sessions:
    """Ends ``name``'s sessions on this registry's database. PostgreSQL lets a superuser do it,
    or a member of ``pg_signal_backend`` (a server-wide right, which the server's administrator
    may grant to a registry's admin group); for anyone else they are counted, not ended."""
    with db.engine.connect() as conn:
        allowed = conn.execute(
            text(
                "SELECT rolsuper OR pg_has_role(current_user, 'pg_signal_backend', 'USAGE') "
                "FROM pg_roles WHERE rolname = current_user"
            )
        ).scalar()
        pids = (
            conn.execute(
                text(
                    "SELECT pid FROM pg_stat_activity "
                    "WHERE usename = :name AND datname = current_database()"
                ),
                {"name": name},
            )
            .scalars()
            .all()
        )
        if not allowed:
            return Sessions(still_open=len(pids))
        ended = 0
        for pid in pids:  # each waited for (5 s at most): gone when this returns
            ended += bool(
                conn.execute(text("SELECT pg_terminate_backend(:p, 5000)"), {"p": pid}).scalar()
            )
    return Sessions(ended, len(pids) - ended)


def set_password(db: Database, name: str, password: str | None) -> None:
    """A user's new password (sent hashed), or none (``None``: the server authenticates them
    otherwise)."""
    with _admin_connection(db) as conn:
        _existing_user(conn, db, name)
        if password is None:
            conn.exec_driver_sql(f"ALTER ROLE {_q(conn, name)} PASSWORD NULL")
        else:
            _set_password(conn, name, password)
