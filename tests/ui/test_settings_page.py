"""Settings page, driven as a person does: the center's name and logo, bad input named."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog

from incubator.db import Database
from incubator.services import narratives
from tests.ui import person
from tests.ui.dialogs import when_modal
from ui.pages.settings import SettingsPage

pytestmark = pytest.mark.ui


@pytest.fixture
def page(qtbot, sqlite_db: Database) -> SettingsPage:
    widget = SettingsPage(sqlite_db)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_center_name_and_logo_are_saved_and_bad_logo_refused(
    qtbot, page, sqlite_db: Database, tmp_path: Path
) -> None:
    person.type_into(qtbot, page.center_name, "天山区社会组织孵化中心")
    person.type_into(qtbot, page.center_logo, str(tmp_path / "missing.png"))
    person.press(qtbot, page, "saveCenter")
    assert "File not found" in page.center_status.text()
    assert narratives.center_info(sqlite_db).name == ""  # nothing half-saved

    person.type_into(qtbot, page.center_logo, "")
    person.press(qtbot, page, "saveCenter")
    assert page.center_status.text() == "Saved."
    assert narratives.center_info(sqlite_db).name == "天山区社会组织孵化中心"
    again = SettingsPage(sqlite_db)
    qtbot.addWidget(again)
    assert again.center_name.text() == "天山区社会组织孵化中心"


def test_logo_chosen_in_the_file_dialog(qtbot, page, sqlite_db: Database, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    image = QImage(40, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("#2f6fb0"))
    assert image.save(str(logo))
    errors = when_modal(lambda d: person.choose_file(qtbot, d, str(logo)), match=QFileDialog)
    person.press(qtbot, page, "browseLogo")
    assert not errors, errors
    assert page.center_logo.text() == str(logo)
    person.press(qtbot, page, "saveCenter")
    assert page.center_status.text() == "Saved."
    assert narratives.center_info(sqlite_db).logo
