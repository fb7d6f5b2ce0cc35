"""pytest-qt on real widgets (offscreen), with Qt settings kept in the test's folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from ui import fonts


@pytest.fixture(autouse=True)
def qt_settings(tmp_path: Path, qapp: QApplication) -> Path:
    QCoreApplication.setOrganizationName("IncubatorRegistryTests")
    QCoreApplication.setApplicationName("IncubatorRegistryTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qt"))
    return tmp_path / "qt"


@pytest.fixture(scope="session", autouse=True)
def bundled_fonts(qapp: QApplication) -> list[str]:
    return fonts.register(qapp)
