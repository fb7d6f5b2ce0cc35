"""Writing the files a user asks for (reports, exports, error reports) safely.

``replacing(path)`` hands out a temporary file beside ``path`` and, when the writing went
well, renames it over ``path`` in one step: the file is whole or untouched, never half
written under its real name. It refuses a target that is not a regular file (a folder, a
device, a link: writing "through" it would replace what it points at), and the new file keeps
the permissions of the one it replaces, or follows the umask like any new file.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from incubator.errors import ValidationError
from incubator.i18n import T

CANNOT_WRITE = T("Cannot write {path}: {reason}")
NOT_REGULAR = T("it is not a regular file (a device or a link)")
FOLDER = T("it is a folder")
NO_FOLDER = T("the folder does not exist")
DENIED = T("permission denied")
REASONS = {  # what the system said, in words
    errno.ENOENT: NO_FOLDER,
    errno.EACCES: DENIED,
    errno.EPERM: DENIED,
    errno.EROFS: T("the disk is read-only"),
    errno.EISDIR: FOLDER,
    errno.ENOSPC: T("the disk is full"),
}
_umask_lock = threading.Lock()


def cannot_write(
    path: Path, reason: str | OSError, field: str = "out", key: str = CANNOT_WRITE
) -> ValidationError:
    if isinstance(reason, OSError):
        reason = REASONS.get(reason.errno or 0) or reason.strerror or str(reason)
    return ValidationError.single(field, key, path=str(path), reason=T(reason))


def check_target(path: str | Path, field: str = "out", key: str = CANNOT_WRITE) -> Path:
    """The path, or a ValidationError saying why it cannot be written (nothing is touched)."""
    path = Path(path).expanduser()
    if path.is_dir() and not path.is_symlink():
        raise cannot_write(path, FOLDER, field, key)
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise cannot_write(path, NOT_REGULAR, field, key)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise cannot_write(path, NO_FOLDER, field, key)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise cannot_write(path, DENIED, field, key)
    if path.exists() and not os.access(path, os.W_OK):
        raise cannot_write(path, DENIED, field, key)
    return path


def _new_file_mode() -> int:
    with _umask_lock:  # os.umask can only be read by setting it
        mask = os.umask(0o077)
        os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def replacing(
    path: str | Path, field: str = "out", key: str = CANNOT_WRITE, mode: int | None = None
) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path`` whole (see above),
    with ``mode`` when given (a backup: 0600). An error (or a cancel) inside leaves ``path``
    as it was and no temporary file behind."""
    target = check_target(path, field, key)
    if mode is None:
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else _new_file_mode()
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise cannot_write(target, exc, field, key) from exc
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb+") as written:  # on disk before it takes the name
            os.fsync(written.fileno())
        os.chmod(temporary, mode)
        check_target(target, field, key)  # (still no folder or link put there meanwhile)
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise cannot_write(target, exc, field, key) from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
