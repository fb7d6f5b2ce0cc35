"""Opening the registry the way every client does: resolve the URL, create or upgrade."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL

from incubator.db import Database
from incubator.paths import make_private
from incubator.schema import UpgradeReport, require_current, upgrade


def open_registry(
    url: str | URL | None = None, *, migrate: bool = True
) -> tuple[Database, UpgradeReport | None]:
    """The database from --db / INCUBATOR_DATABASE_URL / the default file, schema up to date.

    A SQLite file (one desk, whose user looks after it) is created or upgraded, after a
    backup of an existing one. A shared PostgreSQL registry's schema is changed by its
    administrator only (``db upgrade``): a desk finding it older works read-only where it
    can, or is told to ask the administrator (``schema.require_current``). Either way its
    login is tried before this returns (``LoginRefused``: the caller asks for a password).
    """
    db = Database(url)
    created = db.is_sqlite and not Path(db.url.database or "").exists()
    report = None
    if migrate and db.is_sqlite:
        report = upgrade(db)
    elif migrate:
        require_current(db)
    elif not db.is_sqlite:  # its login tried now, where a refused password can be asked for
        with db.engine.connect():
            pass
    if created:  # a new registry file: its owner's only, whatever the umask
        for suffix in ("", "-wal", "-shm"):
            make_private(Path((db.url.database or "") + suffix))
    return db, report
