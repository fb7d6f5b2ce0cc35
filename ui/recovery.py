"""Opening the registry at start, and the way out when its file is damaged: the app says so,
writes nothing to it, and offers to put the newest good backup in its place (the damaged
file is kept in the backup folder)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QMessageBox, QWidget

from incubator import schema
from incubator.db import Database
from incubator.db_errors import RegistryDamaged
from incubator.errors import IncubatorError
from incubator.i18n import tr
from incubator.registry_db import open_registry
from ui.errors import show_error


def open_or_recover(db_url: str | None, parent: QWidget | None = None) -> Database | None:
    """The registry, up to date; after a damaged file, the restored backup if staff chose it;
    None when it cannot be opened (said in a dialog)."""
    try:
        db = open_registry(db_url)[0]
        schema.verify(db)  # a broken page anywhere: said now, before anything is written
        return db
    except RegistryDamaged as exc:
        damaged = Database(db_url)
        backup = schema.newest_good_backup(damaged)
        if backup is None:
            show_error(parent, exc)
            return None
        if not _restore_asked(exc, backup, parent):
            return None
        try:
            kept = schema.restore(damaged, backup)
            db = open_registry(db_url)[0]
        except IncubatorError as failed:
            show_error(parent, failed)
            return None
        QMessageBox.information(
            parent,
            tr("Incubator Registry"),
            tr("The backup is in place. The damaged file is kept in {path}", path=kept),
        )
        return db
    except IncubatorError as exc:
        show_error(parent, exc)
        return None


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
