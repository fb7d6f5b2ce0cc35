"""Import / Export page, driven as a person does: a file chosen in the real file dialog, the
dry run in the background, the preview filtered, the import confirmed in a dialog, rejected
rows saved, a list exported."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from incubator.db import Database
from incubator.services import registry
from tests import importing_files as files
from tests.factories import credit_code
from tests.ui import person
from tests.ui.dialogs import when_modal
from ui.pages.import_export import ImportExportPage

pytestmark = pytest.mark.ui


@pytest.fixture
def page(qtbot, sqlite_db: Database) -> ImportExportPage:
    widget = ImportExportPage(sqlite_db)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def wait_idle(qtbot, page: ImportExportPage) -> None:
    qtbot.waitUntil(lambda: page.worker is None, timeout=60_000)


def test_check_preview_import_and_save_rejected_rows(qtbot, page, sqlite_db, tmp_path: Path):
    existing = registry.register(
        sqlite_db,
        {
            "name": "天山区阳光助老服务中心",
            "credit_code": credit_code(1),
            "legal_form": "social_group",
        },
    )
    rows = [
        ["天山区社会组织名录"],
        ["组织名称", "统一社会信用代码", "住所"],
        ["天山区阳光助老服务中心", credit_code(1), "新址"],
        ["水磨沟区青年志愿者协会", credit_code(2), ""],
        ["坏代码协会", "123", ""],
    ]
    path = files.xlsx(tmp_path / "名录.xlsx", rows)
    errors = when_modal(lambda d: person.choose_file(qtbot, d, str(path)), match=QFileDialog)
    person.press(qtbot, page, "chooseImportFile")
    assert not errors, errors
    assert page.path.text() == str(path) and page.sheet.currentText() == "名录"
    person.press(qtbot, page, "checkImport")
    wait_idle(qtbot, page)
    assert "1 new, 1 to update, 0 unchanged, 1 rejected" in page.summary.text()
    assert page.model.rowCount() == 3
    person.choose(qtbot, page.filter, "reject")
    assert page.model.rowCount() == 1
    shown = [page.model.index(0, c).data() for c in range(5)]
    assert shown[0] == 5 and shown[1] == "Rejected" and "Must be 18 characters" in shown[4]
    person.choose(qtbot, page.filter, "update")
    assert "Address: — → 新址" in page.model.index(0, 4).data()

    report = tmp_path / "rejected.xlsx"
    errors = when_modal(lambda d: person.choose_file(qtbot, d, str(report)), match=QFileDialog)
    person.press(qtbot, page, "saveRejected")
    assert not errors, errors
    assert load_workbook(report).active.cell(2, 1).value == "坏代码协会"

    with qtbot.waitSignal(page.imported, timeout=60_000):
        errors = when_modal(
            lambda d: person.answer(qtbot, d, QMessageBox.StandardButton.Yes), match=QMessageBox
        )
        person.press(qtbot, page, "commitImport")
    assert not errors, errors
    wait_idle(qtbot, page)
    assert "Imported: 1 new, 1 updated." in page.status.text()
    assert registry.get(sqlite_db, existing.id).address == "新址"
    assert registry.count(sqlite_db, registry.OrgQuery()) == 2
    assert not page.import_button.isEnabled()


def test_a_list_is_exported_through_the_save_dialog(qtbot, page, sqlite_db, tmp_path: Path):
    registry.register(
        sqlite_db,
        {
            "name": "天山区阳光助老服务中心",
            "credit_code": credit_code(1),
            "legal_form": "social_group",
        },
    )
    person.choose(qtbot, page.kind, "organizations")
    out = tmp_path / "orgs.xlsx"
    errors = when_modal(lambda d: person.choose_file(qtbot, d, str(out)), match=QFileDialog)
    person.press(qtbot, page, "exportButton")
    assert not errors, errors
    wait_idle(qtbot, page)
    assert "1 rows written" in page.status.text()
    assert load_workbook(out).active.cell(2, 1).value == "天山区阳光助老服务中心"


def test_an_unreadable_file_is_named_not_a_traceback(qtbot, page, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    person.type_into(qtbot, page.path, str(broken))
    person.press(qtbot, page, "checkImport")
    wait_idle(qtbot, page)
    assert "Cannot read broken.xlsx" in page.status.text()
    assert not page.import_button.isEnabled()


def test_the_organizations_list_exports_what_it_shows(qtbot, sqlite_db, tmp_path: Path):
    from ui.pages.organizations import OrganizationsPage

    for i, name in enumerate(("天山区甲协会", "天山区乙协会", "米东区丙协会"), start=1):
        registry.register(
            sqlite_db,
            {"name": name, "credit_code": credit_code(i), "legal_form": "social_group"},
        )
    page = OrganizationsPage(sqlite_db)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    person.type_into(qtbot, page.search, "天山区")
    qtbot.waitUntil(lambda: page.count.text() == "2 organizations", timeout=10_000)
    out = tmp_path / "listed.csv"
    errors = when_modal(lambda d: person.choose_file(qtbot, d, str(out)), match=QFileDialog)
    person.press(qtbot, page, "exportOrgs")
    assert not errors, errors
    qtbot.waitUntil(lambda: "written" in page.export_status.text(), timeout=30_000)
    lines = out.read_text("utf-8-sig").splitlines()
    assert len(lines) == 3 and {line.split(",")[0] for line in lines[1:]} == {
        "天山区甲协会",
        "天山区乙协会",
    }


def test_unknown_columns_are_mapped_in_a_dialog_and_checked_again(
    qtbot, page, sqlite_db, tmp_path: Path
) -> None:
    rows = [["单位全称", "证照号码", "法定代表人"], ["甲协会", credit_code(91), "张三"]]
    path = files.xlsx(tmp_path / "odd.xlsx", rows)
    person.type_into(qtbot, page.path, str(path))
    person.press(qtbot, page, "checkImport")
    wait_idle(qtbot, page)
    assert "neither a name column nor a credit code column" in page.status.text()
    assert not page.import_button.isEnabled()

    def map_them(dialog) -> None:
        person.choose(qtbot, dialog.combos["单位全称"], "name")
        person.choose(qtbot, dialog.combos["证照号码"], "credit_code")
        person.answer(qtbot, dialog, person.Save)

    errors = when_modal(map_them)
    person.press(qtbot, page, "mapColumns")
    assert not errors, errors
    wait_idle(qtbot, page)
    assert "1 new" in page.summary.text()
    assert page.model.index(0, 2).data() == "甲协会"
    assert page.import_button.isEnabled()


def test_projects_are_imported_for_their_organizations(qtbot, page, sqlite_db, tmp_path: Path):
    from incubator.services import projects

    org = registry.register(
        sqlite_db, {"name": "甲协会", "credit_code": credit_code(5), "legal_form": "social_group"}
    )
    path = files.xlsx(
        tmp_path / "p.xlsx",
        [
            ["信用代码", "项目名称", "预算", "开始日期"],
            [credit_code(5), "项目一", "1000", "2025-01-01"],
        ],
    )
    person.choose(qtbot, page.import_kind, "projects")
    person.type_into(qtbot, page.path, str(path))
    person.press(qtbot, page, "checkImport")
    wait_idle(qtbot, page)
    assert "1 new" in page.summary.text()
    # The preview names the organization the row belongs to, and the project itself.
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert headers[2:5] == ["Organization", "Unified Social Credit Code", "Record"]
    assert [page.model.index(0, c).data() for c in (2, 3, 4)] == ["", credit_code(5), "项目一"]
    with qtbot.waitSignal(page.imported, timeout=60_000):
        person.press(qtbot, page, "commitImport")
    wait_idle(qtbot, page)
    assert [p.name for p in projects.list_for(sqlite_db, org.id)] == ["项目一"]


def test_an_organizations_tab_exports_its_own_records(qtbot, sqlite_db, tmp_path: Path):
    from incubator.services import projects
    from ui.pages.organization import OrganizationPage

    mine = registry.register(
        sqlite_db, {"name": "甲协会", "credit_code": credit_code(5), "legal_form": "social_group"}
    )
    other = registry.register(
        sqlite_db, {"name": "乙协会", "credit_code": credit_code(6), "legal_form": "social_group"}
    )
    for org, name in ((mine, "甲的项目"), (other, "乙的项目")):
        projects.add(sqlite_db, org.id, {"name": name, "start_on": "2025-01-01", "budget": "1"})
    page = OrganizationPage(sqlite_db)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.open(mine.id)
    assert not page.export_button.isEnabled()  # the profile is a form, not a list
    person.open_tab(qtbot, page.tabs, "Projects")
    assert page.export_button.isEnabled()
    out = tmp_path / "projects.xlsx"
    errors = when_modal(lambda d: person.choose_file(qtbot, d, str(out)), match=QFileDialog)
    person.press(qtbot, page, "exportTab")
    assert not errors, errors
    qtbot.waitUntil(lambda: "written" in page.export_status.text(), timeout=30_000)
    ws = load_workbook(out).active
    assert [ws.cell(r, 3).value for r in range(2, ws.max_row + 1)] == ["甲的项目"]


def test_spaces_and_reminders_export_from_their_pages(qtbot, sqlite_db, tmp_path: Path):
    import datetime as dt

    from incubator.services import funds, spaces
    from ui.pages.dashboard import DashboardPage
    from ui.pages.spaces import SpacesPage

    org = registry.register(
        sqlite_db, {"name": "甲协会", "credit_code": credit_code(5), "legal_form": "social_group"}
    )
    desk = spaces.create_space(
        sqlite_db, {"code": "D01", "name": "一号工位", "kind": "desk", "area_m2": "6"}
    )
    spaces.allocate(sqlite_db, desk.id, org.id, "2025-01-01", "2025-12-31")
    due = dt.date.today() - dt.timedelta(days=10)
    funds.add_fund(
        sqlite_db,
        org.id,
        {
            "title": "逾期的资助",
            "source": "government",
            "kind": "grant",
            "amount_committed": "1000",
            "committed_on": (due - dt.timedelta(days=30)).isoformat(),
            "payments": [{"due_on": due.isoformat(), "amount": "1000"}],
        },
    )
    for page_cls, button, name, expected in (
        (SpacesPage, "exportAllocations", "spaces.xlsx", "D01"),
        (DashboardPage, "exportReminders", "reminders.xlsx", due.isoformat()),
    ):
        page = page_cls(sqlite_db)
        qtbot.addWidget(page)
        page.resize(1200, 800)
        page.show()
        qtbot.waitExposed(page)
        out = tmp_path / name
        errors = when_modal(
            lambda d, o=out: person.choose_file(qtbot, d, str(o)), match=QFileDialog
        )
        person.press(qtbot, page, button)
        assert not errors, errors
        qtbot.waitUntil(lambda p=page: "written" in p.export_status.text(), timeout=30_000)
        first = [c.value for c in load_workbook(out).active[2]]
        shown = [v.date().isoformat() if hasattr(v, "date") else v for v in first]
        assert expected in shown, shown
