"""Which database to use: --db, else INCUBATOR_DATABASE_URL, else the default SQLite file."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from incubator.errors import ValidationError
from incubator.paths import default_database_file, private_folder

ENV_URL = "INCUBATOR_DATABASE_URL"


def resolve_database_url(cli_value: str | None = None) -> URL:
    raw = cli_value or os.environ.get(ENV_URL) or ""
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
