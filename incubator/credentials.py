"""Passwords of shared registries: never in a file of ours or on a command line.

A PostgreSQL registry is named by a URL without its password (``--db``,
``INCUBATOR_DATABASE_URL``, the connection saved in Settings). The password comes from, in
this order: the URL itself (allowed, not advised); the operating system's keyring, where the
user ticked "remember" (``remember``); libpq's own ``PGPASSWORD`` or ``~/.pgpass``. When the
server still asks, the program asks the user (``LoginRefused``: a dialog, or the terminal).
"""

from __future__ import annotations

import contextlib
import logging

from sqlalchemy.engine import URL

SERVICE = "Incubator Registry"
log = logging.getLogger(__name__)


def account(url: URL) -> str:
    """The keyring's name for the password of ``url``'s user on its server and database."""
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database}"


def _keyring():
    """The operating system's keyring, or None where there is none (a server without a
    desktop session: keyring's "fail" backend)."""
    try:
        import keyring
        from keyring.backends import fail, null

        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring installation must not stop the program
        log.warning("no keyring: %s", exc)
        return None
    if isinstance(backend, fail.Keyring | null.Keyring):
        return None
    return backend


def has_keyring() -> bool:
    return _keyring() is not None


def saved(url: URL) -> str | None:
    backend = _keyring()
    if backend is None or url.get_backend_name() != "postgresql":
        return None
    try:
        return backend.get_password(SERVICE, account(url))
    except Exception as exc:  # a locked or unreachable keyring: the user is asked instead
        log.warning("keyring: %s", exc)
        return None


def remember(url: URL, password: str) -> bool:
    """Keep ``password`` for ``url`` in the keyring; False where there is none."""
    backend = _keyring()
    if backend is None:
        return False
    try:
        backend.set_password(SERVICE, account(url), password)
    except Exception as exc:
        log.warning("keyring: %s", exc)
        return False
    return True


def forget(url: URL) -> None:
    backend = _keyring()
    if backend is None:
        return
    with contextlib.suppress(Exception):  # nothing kept: nothing to forget
        backend.delete_password(SERVICE, account(url))


def without_password(url: URL) -> URL:
    """``url`` with no password (``URL.set`` takes None as "unchanged")."""
    return url._replace(password=None)


def with_saved_password(url: URL) -> URL:
    """``url`` with the keyring's password for it, where it has none of its own."""
    if url.get_backend_name() != "postgresql" or url.password:
        return url
    password = saved(url)
    return url.set(password=password) if password else url
