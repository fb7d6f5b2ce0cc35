"""Which database to use: --db, else INCUBATOR_DATABASE_URL, else the shared registry chosen in
Settings (``save_connection``), else the default SQLite file."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from incubator.errors import ValidationError
from incubator.paths import default_database_file, private_folder
from incubator.validation import Checker

ENV_URL = "INCUBATOR_DATABASE_URL"
CONNECTION = "database_url"  # the preference holding the chosen shared registry (no password)
TLS_MODES = ("prefer", "require", "verify-full")


def resolve_database_url(cli_value: str | None = None) -> URL:
    from incubator import preferences

    raw = cli_value or os.environ.get(ENV_URL) or preferences.get(CONNECTION) or ""
    if not raw:
        path = default_database_file()
        private_folder(path.parent)
        return URL.create("sqlite", database=str(path))
    return parse_database_url(raw)


def parse_database_url(raw: str) -> URL:
    """Accept a SQLAlchemy URL, or a plain path to a SQLite file."""
    if "://" not in raw:
        return URL.create("sqlite", database=str(Path(raw).expanduser().resolve()))
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise ValidationError.single("db", "Not a database URL: {value}", value=raw) from exc
    if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")  # psycopg 3 is the driver we ship
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValidationError.single(
            "db",
            "Unsupported database “{backend}”; use SQLite or PostgreSQL",
            backend=url.get_backend_name(),
        )
    return url


def describe_url(url: URL) -> str:
    """The database as shown to users (status bar, CLI): no password."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def connection_url(
    server: str, port: str | int, database: str, user: str, tls: str = "prefer", ca_file: str = ""
) -> URL:
    """The URL of a shared registry from the connection dialog's fields, checked field by
    field; it never holds a password."""
    c = Checker()
    server, database, user = server.strip(), database.strip(), user.strip()
    for name, value in (("server", server), ("database", database), ("user", user)):
        if not value:
            c.add(name, "Required")
    try:
        number = int(str(port).strip() or 5432)
    except ValueError:
        number = 0
    if not 0 < number < 65536:
        c.add("port", "A port is a whole number from 1 to 65535")
    if tls not in TLS_MODES:
        c.add("tls", "“{value}” is not one of {values}", value=tls, values=", ".join(TLS_MODES))
    query = {"sslmode": tls}
    if tls == "verify-full":
        ca = Path(ca_file.strip()).expanduser()
        if not ca_file.strip():
            c.add("ca_file", "Required to check the server's certificate")
        elif not ca.is_file():
            c.add("ca_file", "File not found: {path}", path=str(ca))
        query["sslrootcert"] = str(ca.resolve())
    c.raise_if_any()
    return URL.create(
        "postgresql+psycopg",
        username=user,
        host=server,
        port=number,
        database=database,
        query=query,
    )


def save_connection(url: URL | None) -> None:
    """Open ``url`` (without its password) from the next start; None: this computer's own
    registry file again."""
    from incubator import preferences
    from incubator.credentials import without_password

    shown = None if url is None else without_password(url).render_as_string(hide_password=False)
    preferences.put(CONNECTION, shown)
