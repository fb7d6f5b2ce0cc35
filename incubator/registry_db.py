"""Opening the registry the way every client does: resolve the URL, create or upgrade."""

from __future__ import annotations

from pathlib import Path

from incubator.db import Database
from incubator.paths import make_private
from incubator.schema import UpgradeReport, upgrade


def open_registry(
    url: str | None = None, *, migrate: bool = True
) -> tuple[Database, UpgradeReport | None]:
    """The database from --db / INCUBATOR_DATABASE_URL / the default file, schema up to date.

    An existing SQLite file is backed up before its schema is upgraded.
    """
    db = Database(url)
    created = db.is_sqlite and not Path(db.url.database or "").exists()
    report = upgrade(db) if migrate else None
    if created:  # a new registry file: its owner's only, whatever the umask
        for suffix in ("", "-wal", "-shm"):
            make_private(Path((db.url.database or "") + suffix))
    return db, report
