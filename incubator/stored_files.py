"""Files kept inside the registry (``models.StoredFile``), once per content: a file is named by
its SHA-256, so the same logo or document stored twice takes its room once, and what is read
back is checked against its name."""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from incubator.errors import DatabaseError
from incubator.models import StoredFile

PREFIX = "sha256:"  # how a setting names a stored file


def put(session: Session, data: bytes) -> str:
    """Keep ``data`` (once); its name (``sha256:<hex>``)."""
    digest = hashlib.sha256(data).hexdigest()
    if session.get(StoredFile, digest) is None:
        session.add(StoredFile(sha256=digest, size=len(data), data=data))
    return PREFIX + digest


def get(session: Session, name: str) -> bytes | None:
    """The file named ``name``, None when there is none; a file whose content no longer has
    its hash is refused (damaged on disk or changed by hand)."""
    digest = name.removeprefix(PREFIX)
    found = session.get(StoredFile, digest)
    if found is None:
        return None
    if hashlib.sha256(found.data).hexdigest() != digest:
        raise DatabaseError(detail=f"the stored file {digest[:12]}… no longer matches its hash")
    return found.data


def is_name(value: str | None) -> bool:
    return bool(value) and str(value).startswith(PREFIX)
