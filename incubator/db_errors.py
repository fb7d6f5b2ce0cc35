"""What went wrong with the database, in words, with the way out.

Every error the database driver raises passes through ``explain`` (an engine ``handle_error``
listener, ``incubator.db``): a damaged file, a path that is a folder or not a registry, a
missing folder, a read-only file, a busy registry, a server that does not answer, a wrong
password or database name become typed errors with a sentence a user can act on. What it
does not recognise stays as it was: "unexpected" is left for real bugs.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL

from incubator.errors import DatabaseError
from incubator.i18n import T
from incubator.paths import backup_dir


class RegistryError(DatabaseError):
    """The registry cannot be used as asked: its key says why and what to do."""


class RegistryDamaged(RegistryError):
    """The SQLite file is damaged: nothing is written to it; a backup is the way out."""

    key = T(
        "{db} is damaged ({detail}). Nothing was written to it. Restore the newest good backup "
        "('db restore FILE'; the backups are in {folder})."
    )


class LoginRefused(RegistryError):
    """The server wants a password for this user, or refused the one given: the way out is to
    ask the user for it (a dialog, or the terminal)."""


NOT_A_REGISTRY = T("{db}: it is not a registry file (or its first page is damaged)")
A_FOLDER = T("{db}: it is a folder, not a registry file")
NO_FOLDER = T("{db}: the folder {folder} does not exist")
NO_ACCESS = T("{db}: permission denied; ask whoever manages this computer")
READ_ONLY = T("{db} is read-only here: you can read and print, not change anything")
BUSY = T(
    "{db} is busy: another desk or program is writing to it. Try again in a moment; "
    "nothing was saved"
)
DISK_FULL = T("{db}: the disk is full. Free some space, then try again; nothing was saved")
DISK_ERROR = T("{db}: the disk reported an error while reading or writing the registry")
NO_ANSWER = T(
    "{db}: the server {host} does not answer. Check the address and the network, or ask "
    "whoever runs the server"
)
WRONG_LOGIN = T("{db}: the server refused the user name or password")
TLS_REFUSED = T(
    "{db}: the server's certificate could not be trusted ({detail}). Check the server's name "
    "and the CA file (sslrootcert) with whoever runs the server"
)
NEEDS_PASSWORD = T("{db}: the server asks for the password of {user}")
DISABLED_LOGIN = T("{db}: the user {user} may no longer log in; ask the registry's administrator")
NO_RIGHT = T(
    "You do not have the right to change {db} (your role reads only, or the record is kept by "
    "the administrator); nothing was saved"
)
NO_DATABASE = T("{db}: the server has no database named {name}")


def _describe(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return str(url.database or "")
    return url.render_as_string(hide_password=True)


def explain(exc: BaseException, url: URL) -> DatabaseError | None:
    """The typed error for a driver error ``exc`` on the database at ``url``, or None."""
    text = str(exc).lower()
    db = _describe(url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        if "file is not a database" in text and path.is_file() and path.stat().st_size < 512:
            return RegistryError(NOT_A_REGISTRY, db=db)
        damage = ("malformed", "file is not a database", "unsupported file", "decode to utf-8")
        if isinstance(exc, UnicodeDecodeError) or any(sign in text for sign in damage):
            detail = str(exc).splitlines()[0]
            return RegistryDamaged(db=db, detail=detail, folder=str(backup_dir()))
        if "unable to open database file" in text:
            if path.is_dir():
                return RegistryError(A_FOLDER, db=db)
            if not path.parent.is_dir():
                return RegistryError(NO_FOLDER, db=db, folder=str(path.parent))
            return RegistryError(NO_ACCESS, db=db)
        if "readonly database" in text or "read-only" in text:
            return RegistryError(READ_ONLY, db=db)
        if "database is locked" in text or "database table is locked" in text:
            return RegistryError(BUSY, db=db)
        if "database or disk is full" in text:
            return RegistryError(DISK_FULL, db=db)
        if "disk i/o error" in text:
            return RegistryError(DISK_ERROR, db=db)
        return None
    if "is not permitted to log in" in text:
        return RegistryError(DISABLED_LOGIN, db=db, user=url.username or "")
    refused = getattr(exc, "sqlstate", None) == "42501"  # insufficient_privilege (a trigger too)
    if refused or any(
        sign in text for sign in ("permission denied", "must be owner", "row-level security")
    ):
        return RegistryError(NO_RIGHT, db=db)
    if "certificate" in text and ("verify" in text or "does not match" in text):
        detail = str(exc).strip().splitlines()[-1]
        return RegistryError(TLS_REFUSED, db=db, detail=detail)
    if "no password supplied" in text:
        return LoginRefused(NEEDS_PASSWORD, db=db, user=url.username or "")
    if "password authentication failed" in text or ("role" in text and "does not exist" in text):
        return LoginRefused(WRONG_LOGIN, db=db)
    if "database" in text and "does not exist" in text:
        return RegistryError(NO_DATABASE, db=db, name=url.database or "")
    if any(
        sign in text
        for sign in (
            "connection refused",
            "could not connect",
            "timeout expired",
            "timed out",
            "could not translate host name",
            "name or service not known",
            "no route to host",
            "server closed the connection",
            "connection is bad",
        )
    ):
        return RegistryError(NO_ANSWER, db=db, host=url.host or "localhost")
    return None
