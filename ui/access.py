"""The window follows what the connected user may do (``incubator.roles.rights``, asked of the
server once per registry): a viewer sees no button that would change the registry, staff no
field of the center's own settings. The server refuses such a write anyway; hiding only
spares the user a button that cannot work."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from PySide6.QtWidgets import QWidget

from incubator import roles
from incubator.db import Database
from incubator.errors import IncubatorError

_known: WeakKeyDictionary[Database, roles.Rights] = WeakKeyDictionary()


def rights(db: Database) -> roles.Rights:
    found = _known.get(db)
    if found is None:
        try:
            found = roles.rights(db)
        except IncubatorError:  # the server did not say: it will refuse what it must
            return roles.Rights()
        _known[db] = found
    return found


def may_write(db: Database) -> bool:
    return rights(db).write


def for_writers(db: Database, *widgets: QWidget) -> None:
    """Hide ``widgets`` (buttons that change the registry) from users who may not write."""
    if not may_write(db):
        for widget in widgets:
            widget.hide()  # hidden for good: showing the page does not show them
