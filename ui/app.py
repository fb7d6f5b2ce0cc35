"""Starting the desktop application."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from incubator import preferences
from incubator.db import Database
from incubator.errors import IncubatorError
from incubator.i18n import set_language
from incubator.logs import setup_logging
from incubator.paths import RESOURCES
from incubator.schema import daily_backup
from ui import fonts, workers
from ui.errors import install_excepthook, show_error
from ui.gc_guard import GarbageCollector
from ui.main_window import MainWindow
from ui.qt_setup import keep_window_state_in_config_folder, use_qt_translations
from ui.recovery import check_in_background, open_or_recover

ICON = RESOURCES / "icons" / "incubator-registry.svg"


def make_app() -> QApplication:
    QCoreApplication.setOrganizationName("IncubatorRegistry")
    QCoreApplication.setApplicationName("IncubatorRegistry")
    keep_window_state_in_config_folder()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setWindowIcon(QIcon(str(ICON)))  # the desktop menu's too (packaging/linux)
    app.setDesktopFileName("incubator-registry")  # the menu entry this window belongs to
    fonts.register(app)
    app.garbage_collector = GarbageCollector(app)  # type: ignore[attr-defined]
    app.aboutToQuit.connect(workers.stop_all)  # no work is cut off half-way at exit
    return app


def start_window(db_url: str | None = None) -> MainWindow | None:
    """The main window on the registry, shown; None when staff quit at a problem. The whole
    file is checked after the window is shown (``check_in_background``); a backup put in
    place of a damaged file opens in a new window."""
    app = QApplication.instance()
    db = open_or_recover(db_url)
    if db is None:
        return None
    try:
        daily_backup(db)  # the day's first start keeps a copy (the last ten are kept)
    except IncubatorError as exc:  # a full disk must not keep staff from their work
        show_error(None, exc)

    def show(on: Database) -> MainWindow:
        window = MainWindow(on)
        window.show()
        app.main_window = window  # type: ignore[attr-defined]  (kept while it is open)
        return window

    first = show(db)
    GarbageCollector.freeze_startup()  # what starting made lives on: out of every collection

    def reopen(restored: Database) -> None:
        first.close()
        show(restored).organizations.reload()

    check_in_background(db, db_url, first, reopen)
    QTimer.singleShot(0, first.offer_demo_if_empty)
    return first


def run(db_url: str | None = None, lang: str | None = None) -> int:
    app = make_app()
    setup_logging()
    install_excepthook()
    use_qt_translations(set_language(lang or preferences.get("language")))
    if start_window(db_url) is None:
        return 1
    return app.exec()
