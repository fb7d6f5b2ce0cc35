"""Opening the registry at start, with a way out of every problem: a damaged file is said,
nothing is written to it, and the newest good backup is offered in its place (the damaged
file is kept in the backup folder); any other problem (a folder, a missing folder, a server
that does not answer, a wrong password...) is said in words with "Try again", "Open another
registry…" and "Quit"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget
from sqlalchemy.engine import URL

from incubator import credentials, schema
from incubator.config import resolve_database_url
from incubator.db import Database
from incubator.db_errors import LoginRefused, RegistryDamaged
from incubator.errors import IncubatorError
from incubator.i18n import tr
from incubator.registry_db import open_registry
from ui.dialogs.password import PasswordDialog
from ui.errors import show_error
from ui.workers import Worker, start


def open_or_recover(
    db_url: str | URL | None, parent: QWidget | None = None, way_out: bool = True
) -> Database | None:
    """The registry, up to date; after a problem, what staff chose: the same registry again,
    another registry file, or the restored backup of a damaged one; None when they quit.
    (Damage found while opening; the whole file is checked by ``check_in_background``.)
    A server that wants a password gets it asked for. ``way_out`` False: a problem is raised
    to the caller instead of offering ways out."""
    asked: tuple[URL, str, bool] | None = None  # the password typed, for whom; to remember?
    while True:
        try:
            db = _open(asked[0].set(password=asked[1]) if asked else db_url, parent)
        except LoginRefused as exc:
            url = asked[0] if asked else _url(db_url)
            dialog = PasswordDialog(exc.message(), url.username or "", parent)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            asked = (url, dialog.password.text(), dialog.remember.isChecked())
            continue
        except IncubatorError as exc:
            if not way_out:  # the caller says what went wrong (the connection dialog)
                raise
            go_on, db_url = _ask_way_out(exc, db_url, parent)
            asked = None
            if not go_on:
                return None
            continue
        if asked is not None and asked[2]:  # it worked: kept, where the user wanted it
            credentials.remember(asked[0], asked[1])
        return db


def _url(db_url: str | URL | None) -> URL:
    return db_url if isinstance(db_url, URL) else resolve_database_url(db_url)


def _open(db_url: str | URL | None, parent: QWidget | None) -> Database | None:
    try:
        return open_registry(db_url)[0]
    except RegistryDamaged as exc:
        # A failure here (no backup, a restore refused) is said with the other ways out.
        restored = _restore_offered(Database(db_url), db_url, exc, parent)
        if restored is None:
            return None
        _say_restored(restored[1], parent)
        return restored[0]


def _restore_offered(
    damaged: Database, db_url: str | None, exc: RegistryDamaged, parent: QWidget | None
) -> tuple[Database, Path | None] | None:
    """The newest good backup put in place of the damaged registry and opened, with where
    the damaged file was kept, when staff chose it; None when they quit. ``exc`` is raised
    again when there is no backup to offer."""
    backup = schema.newest_good_backup(damaged)
    if backup is None:
        raise exc
    if not _restore_asked(exc, backup, parent):
        return None
    kept = schema.restore(damaged, backup)
    return open_registry(db_url)[0], kept


def _say_restored(kept: Path | None, parent: QWidget | None) -> None:
    QMessageBox.information(
        parent,
        tr("Incubator Registry"),
        tr("The backup is in place. The damaged file is kept in {path}", path=kept),
    )


def _ask_way_out(
    exc: IncubatorError, db_url: str | URL | None, parent: QWidget | None
) -> tuple[bool, str | URL | None]:
    """Whether to go on, and with which registry: the same one again, or a file staff
    chose."""
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        tr("Incubator Registry"),
        tr("The registry cannot be opened.") + "\n\n" + exc.message(),
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setObjectName("registryProblem")
    again = box.addButton(tr("Try again"), QMessageBox.ButtonRole.AcceptRole)
    again.setObjectName("tryAgain")
    other = box.addButton(tr("Open another registry…"), QMessageBox.ButtonRole.ActionRole)
    other.setObjectName("openAnother")
    box.addButton(tr("Quit"), QMessageBox.ButtonRole.RejectRole).setObjectName("quit")
    while True:
        box.exec()
        if box.clickedButton() is again:
            return True, db_url
        if box.clickedButton() is not other:
            return False, db_url
        path, _ = QFileDialog.getOpenFileName(
            parent,
            tr("Open another registry…"),
            "",
            tr("Registry files (*.sqlite3 *.sqlite *.db);;All files (*)"),
        )
        if path:
            return True, path


def _restore_asked(exc: RegistryDamaged, backup, parent: QWidget | None) -> bool:
    made = dt.datetime.fromtimestamp(backup.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        tr("Incubator Registry"),
        exc.message()
        + "\n\n"
        + tr(
            "The newest good backup is {name}, made {when}. Put it in place of the damaged "
            "registry? Changes made after it are not in it; the damaged file is kept.",
            name=backup.name,
            when=made,
        ),
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setObjectName("damagedRegistry")
    restore = box.addButton(tr("Restore the backup"), QMessageBox.ButtonRole.AcceptRole)
    restore.setObjectName("restoreBackup")
    box.addButton(tr("Quit"), QMessageBox.ButtonRole.RejectRole).setObjectName("quit")
    box.exec()
    return box.clickedButton() is restore


def check_in_background(
    db: Database, db_url: str | None, parent: QWidget, reopen: Callable[[Database], object]
) -> Worker | None:
    """SQLite's check of the whole registry file, off the GUI thread while the window is
    already there (it reads every page: seconds at 100,000 organizations). Writes wait
    until it is done; damage found refuses every write and offers the newest good backup,
    which ``reopen`` then shows in a new window."""
    if not db.is_sqlite:
        return None
    db.hold_writes()
    worker = Worker(lambda progress: schema.verify_then_release(db))
    worker.signals.error.connect(lambda exc: _damage_found(db, db_url, exc, parent, reopen))
    return start(worker)


def _damage_found(db: Database, db_url: str | None, exc, parent: QWidget, reopen) -> None:
    if not isinstance(exc, RegistryDamaged):  # not damage (a busy disk...): said, work goes on
        show_error(parent, exc)
        return
    try:
        restored = _restore_offered(db, db_url, exc, parent)
    except IncubatorError as failed:  # no backup to offer, or the restore failed
        show_error(parent, failed)
        return
    if restored is None:
        parent.close()  # Quit, as the button says
        return
    reopen(restored[0])
    _say_restored(restored[1], None)  # (its window is gone: reopen closed it)
