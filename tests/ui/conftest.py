"""pytest-qt on real widgets (offscreen), with Qt settings kept in the test's folder."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QThreadPool
from PySide6.QtWidgets import QApplication

from ui import fonts


@pytest.fixture(autouse=True)
def qt_settings(tmp_path: Path, qapp: QApplication) -> Path:
    QCoreApplication.setOrganizationName("IncubatorRegistryTests")
    QCoreApplication.setApplicationName("IncubatorRegistryTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qt"))
    return tmp_path / "qt"


@pytest.fixture(autouse=True)
def collect_on_gui_thread() -> Iterator[None]:
    """As the app does (ui.gc_guard): no collection may run in a worker thread."""
    gc.disable()
    yield
    QThreadPool.globalInstance().waitForDone(10_000)
    gc.collect()
    gc.enable()


@pytest.fixture(scope="session", autouse=True)
def bundled_fonts(qapp: QApplication) -> list[str]:
    return fonts.register(qapp)
