"""Opening the registry the way every client does: resolve the URL, create or upgrade."""

from __future__ import annotations

from incubator.db import Database
from incubator.schema import UpgradeReport, upgrade


def open_registry(
    url: str | None = None, *, migrate: bool = True
) -> tuple[Database, UpgradeReport | None]:
    """The database from --db / INCUBATOR_DATABASE_URL / the default file, schema up to date.

    An existing SQLite file is backed up before its schema is upgraded.
    """
    db = Database(url)
    report = upgrade(db) if migrate else None
    return db, report
