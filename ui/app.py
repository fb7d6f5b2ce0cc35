"""Starting the desktop application."""

from __future__ import annotations

import os
import sys
import time

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
# Set, the app prints "shown <epoch seconds> <rows>" once its list shows organizations, and quits:
# how bench/bench_build.py times the built program's start beside the source's.
STARTUP_PROBE = "INCUBATOR_STARTUP_PROBE"


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
    window = start_window(db_url)
    if window is None:
        return 1
    if os.environ.get(STARTUP_PROBE):
        _quit_when_listed(window)
    return app.exec()


def _quit_when_listed(window: MainWindow) -> None:
    """The start-up probe: once the first block of organizations (read by a worker) is in the
    list and painted, print the moment and quit."""

    def check() -> None:
        rows = window.organizations.model.rowCount()
        if rows == 0:
            return
        timer.stop()
        window.grab()  # painted
        print("shown", time.time(), rows, flush=True)
        QApplication.quit()

    timer = QTimer(window)
    timer.timeout.connect(check)
    timer.start(1)
