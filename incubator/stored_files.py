"""Files kept inside the registry (``models.StoredFile``), once per content: a file is named by
its SHA-256, so the same logo or document stored twice takes its room once, and what is read
back is checked against its name."""

from __future__ import annotations

import hashlib

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from incubator.errors import DatabaseError
from incubator.models import StoredFile, utcnow

PREFIX = "sha256:"  # how a setting names a stored file


def put(session: Session, data: bytes) -> str:
    """Keep ``data`` (once); its name (``sha256:<hex>``)."""
    return PREFIX + put_digest(session, data)


def put_digest(session: Session, data: bytes) -> str:
    """Keep ``data`` (once); its SHA-256 in hex. Two desks storing the same new file at once
    both succeed: the second insert does nothing (it is not read back to find out)."""
    digest = hashlib.sha256(data).hexdigest()
    if session.scalar(select(StoredFile.sha256).where(StoredFile.sha256 == digest)) is None:
        values = {"sha256": digest, "size": len(data), "data": data, "added_at": utcnow()}
        # Each dialect's own insert, imported when used: SQLAlchemy's PostgreSQL dialect alone
        # is 5 MiB that a desk on a SQLite file never needs.
        dialect = session.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects import postgresql

            stmt = postgresql.insert(StoredFile).on_conflict_do_nothing()
        elif dialect == "sqlite":
            from sqlalchemy.dialects import sqlite

            stmt = sqlite.insert(StoredFile).on_conflict_do_nothing()
        else:
            stmt = insert(StoredFile)
        session.execute(stmt.values(**values))
    return digest


class Damaged(DatabaseError):
    """A stored file whose content no longer has its hash: damaged on disk, or changed by
    hand. Nothing is given out rather than something else than what was stored."""

    key = "The stored file {digest} is damaged: its content no longer matches its SHA-256"


def get(session: Session, name: str) -> bytes | None:
    """The file named ``name`` (``sha256:<hex>``, or the hex alone), None when there is none;
    a file whose content no longer has its hash is refused (``Damaged``)."""
    digest = name.removeprefix(PREFIX)
    data = session.scalar(select(StoredFile.data).where(StoredFile.sha256 == digest))
    if data is None:
        return None
    if hashlib.sha256(data).hexdigest() != digest:
        raise Damaged(digest=digest[:12] + "…")
    return data


def is_name(value: str | None) -> bool:
    return bool(value) and str(value).startswith(PREFIX)
