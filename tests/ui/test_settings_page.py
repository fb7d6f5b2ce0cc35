"""Settings page, driven as a person does: the center's name and logo, bad input named."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog

from incubator.db import Database
from incubator.services import narratives, targets
from tests.ui import person
from tests.ui.dialogs import when_modal
from ui.main_window import PAGES
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
    assert narratives.center_info(sqlite_db).logo == logo.read_bytes()
    # Kept in the registry: the field is free for a new file, and saving again keeps it.
    assert page.center_logo.text() == ""
    assert page.logo_status.text().startswith("Stored in the registry")
    person.press(qtbot, page, "saveCenter")
    assert narratives.center_info(sqlite_db).logo == logo.read_bytes()
    person.press(qtbot, page, "removeLogo")
    person.press(qtbot, page, "saveCenter")
    assert narratives.center_info(sqlite_db).logo is None
    assert page.logo_status.text() == "No logo"


def test_cover_details_and_the_years_targets_are_typed_and_saved(
    qtbot, page, sqlite_db: Database
) -> None:
    person.type_into(qtbot, page.cover["purchaser"], "天山区民政局")
    person.type_into(qtbot, page.cover["contract_no"], "TSMZ-2026-017")
    person.press(qtbot, page, "saveCenter")
    info = narratives.center_info(sqlite_db)
    assert (info.purchaser, info.operator, info.contract_no) == (
        "天山区民政局",
        "",
        "TSMZ-2026-017",
    )

    box = page.targets
    box.year.setFocus()
    person.type_into(qtbot, box.year, "2025")
    person.type_into(qtbot, box.fields["incubated"], "30")
    person.type_into(qtbot, box.fields["graduation_rate"], "８０％")  # full-width, as typed
    person.type_into(qtbot, box.fields["disbursed"], "300万")
    person.type_into(qtbot, box.fields["occupancy_rate"], "lots")
    person.press(qtbot, box, "saveTargets")
    # Bad input: the field is named, nothing is saved.
    assert "Space occupancy" in box.status.text() and "lots" in box.status.text()
    assert targets.get(sqlite_db, 2025).version == 0
    person.type_into(qtbot, box.fields["occupancy_rate"], "85.5")
    person.press(qtbot, box, "saveTargets")
    assert box.status.text() == "Targets for 2025 saved."
    saved = targets.get(sqlite_db, 2025)
    assert saved.incubated == 30
    assert saved.graduation_rate == Decimal("0.8")
    assert saved.disbursed == Decimal("3000000.00")
    assert saved.occupancy_rate == Decimal("0.855")
    assert saved.training_hours is None  # left blank: no target
    # Another year shows its own (empty) targets; coming back shows the saved ones as typed.
    person.type_into(qtbot, box.year, "2026")
    assert box.fields["incubated"].text() == ""
    person.type_into(qtbot, box.year, "2025")
    assert box.fields["graduation_rate"].text() == "80"
    assert box.fields["occupancy_rate"].text() == "85.5"


def test_the_about_box_names_the_version_and_the_registry_s_schema(qtbot, window) -> None:
    from incubator.about import version_line

    person.click_row(qtbot, window.nav, PAGES.index("settings"))
    seen: dict[str, str] = {}

    def look(dialog) -> None:
        seen["heading"] = dialog.heading.text()
        seen["parts"] = dialog.table.toPlainText()
        dialog.reject()

    errors = when_modal(look)
    person.press(qtbot, window.settings_page, "aboutButton")
    assert not errors, errors
    import PySide6

    from incubator.schema import HEAD

    assert version_line() in seen["heading"]
    assert f"is at schema {HEAD}." in seen["heading"]  # the registry open, upgraded
    assert f"PySide6 {PySide6.__version__} LGPL-3.0" in " ".join(seen["parts"].split())
    assert "UKIJ Tuz" in seen["parts"] and "OFL-1.1" in seen["parts"]
