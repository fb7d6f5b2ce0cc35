"""Starting the desktop application."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from incubator import preferences
from incubator.errors import IncubatorError
from incubator.i18n import set_language
from incubator.logs import setup_logging
from incubator.schema import daily_backup
from ui import fonts
from ui.errors import install_excepthook, show_error
from ui.gc_guard import GarbageCollector
from ui.main_window import MainWindow
from ui.qt_setup import keep_window_state_in_config_folder, use_qt_translations
from ui.recovery import open_or_recover


def make_app() -> QApplication:
    QCoreApplication.setOrganizationName("IncubatorRegistry")
    QCoreApplication.setApplicationName("IncubatorRegistry")
    keep_window_state_in_config_folder()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    fonts.register(app)
    app.garbage_collector = GarbageCollector(app)  # type: ignore[attr-defined]
    return app


def run(db_url: str | None = None, lang: str | None = None) -> int:
    app = make_app()
    setup_logging()
    install_excepthook()
    use_qt_translations(set_language(lang or preferences.get("language")))
    db = open_or_recover(db_url)
    if db is None:
        return 1
    try:
        daily_backup(db)  # the day's first start keeps a copy (the last ten are kept)
    except IncubatorError as exc:  # a full disk must not keep staff from their work
        show_error(None, exc)
    window = MainWindow(db)
    window.show()
    QTimer.singleShot(0, window.offer_demo_if_empty)
    return app.exec()
