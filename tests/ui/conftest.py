"""pytest-qt on real widgets (offscreen), with Qt settings kept in the test's folder."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from ui import fonts, workers
from ui.qt_setup import keep_window_state_in_config_folder, use_qt_translations


@pytest.fixture(autouse=True)
def qt_settings(_user_home: Path, qapp: QApplication) -> Path:
    """Qt's window state goes where the app puts it: the config folder under INCUBATOR_HOME,
    which each test has of its own."""
    QCoreApplication.setOrganizationName("IncubatorRegistryTests")
    QCoreApplication.setApplicationName("IncubatorRegistryTests")
    return Path(keep_window_state_in_config_folder())


@pytest.fixture(autouse=True)
def qt_texts_in_english(qapp: QApplication) -> Iterator[None]:
    """Qt's own catalog is process-wide, like the app's language: each test starts without it."""
    use_qt_translations("en")
    yield
    use_qt_translations("en")


@pytest.fixture(autouse=True)
def collect_on_gui_thread() -> Iterator[None]:
    """As the app does (ui.gc_guard): no collection may run in a worker thread."""
    gc.disable()
    yield
    QThreadPool.globalInstance().waitForDone(10_000)
    # Finished workers are released a moment later, on the event loop: before the next test,
    # which may count them.
    deadline = time.monotonic() + 5
    while workers.kept() and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    gc.collect()
    gc.enable()


@pytest.fixture(scope="session", autouse=True)
def bundled_fonts(qapp: QApplication) -> list[str]:
    return fonts.register(qapp)


MODAL_LIMIT_S = 60


@pytest.fixture(autouse=True)
def no_dialog_waits_forever(qapp: QApplication) -> Iterator[None]:
    """A dialog nobody answers would hang the suite: after a minute it is closed and the test
    fails, naming it. The tick also lets Python run its signal handlers (pytest-timeout) while
    Qt waits in a modal loop."""
    started = time.monotonic()
    abandoned: list[str] = []

    def tick() -> None:
        if time.monotonic() - started < MODAL_LIMIT_S:
            return
        modal: QWidget | None = QApplication.activeModalWidget()
        while modal is not None:
            abandoned.append(f"{type(modal).__name__} {modal.windowTitle()!r}")
            if isinstance(modal, QDialog):
                modal.done(QDialog.DialogCode.Rejected)  # not reject(): it may ask
            else:
                modal.close()
            QApplication.processEvents()
            following = QApplication.activeModalWidget()
            modal = following if following is not modal else None

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(500)
    yield
    timer.stop()
    assert not abandoned, f"left waiting for an answer: {abandoned}"


def shown_window(qtbot, db, size: tuple[int, int] = (1280, 800)):
    """The main window in English on ``db``, shown as the user sees it."""
    from incubator.i18n import set_language
    from ui.main_window import MainWindow

    set_language("en")
    win = MainWindow(db)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    return win


def close_window(win) -> None:
    """Not a test step: a test may leave profile edits unsaved on purpose, and closing the
    window would ask about them; they are dropped first."""
    page = win.organization_page
    if page.has_unsaved_edits():
        page.open(page.org.id)
    win.close()
    win.deleteLater()


@pytest.fixture
def window(qtbot, sqlite_db):
    """The main window in English on a fresh registry, shown as the user sees it."""
    win = shown_window(qtbot, sqlite_db)
    yield win
    close_window(win)


@pytest.fixture
def listed_demo(qtbot, window):
    """The organizations page listing 260 demo organizations (more than two blocks of rows)."""
    from incubator import demo

    demo.generate(window.db, orgs=260, seed=5)
    page = window.organizations
    with qtbot.waitSignal(page.model.searchFinished, timeout=10_000):
        page.reload()
    return page
