"""Settings page: the center's name and logo, with bad input named clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from incubator.db import Database
from incubator.services import narratives
from ui.pages.settings import SettingsPage

pytestmark = pytest.mark.ui


def test_center_name_and_logo_are_saved_and_bad_logo_refused(
    qtbot, sqlite_db: Database, tmp_path: Path
) -> None:
    page = SettingsPage(sqlite_db)
    qtbot.addWidget(page)
    page.center_name.setText("天山区社会组织孵化中心")
    page.center_logo.setText(str(tmp_path / "missing.png"))
    assert page.save_center() is False
    assert "File not found" in page.center_status.text()
    assert narratives.center_info(sqlite_db).name == ""  # nothing half-saved

    page.center_logo.setText("")
    assert page.save_center() is True
    assert narratives.center_info(sqlite_db).name == "天山区社会组织孵化中心"
    again = SettingsPage(sqlite_db)
    qtbot.addWidget(again)
    assert again.center_name.text() == "天山区社会组织孵化中心"
