"""Compliance and documents on an organization's page, clicked as staff do (issue 18, point
8): annual reports, ratings and listings added through their dialogs, the header's grade and
red flag; documents added with Browse…, kept once, previewed (QtPdf counts the pages), opened
with the system's viewer, refused when too large or damaged, removed with a reason."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QPushButton
from reportlab.pdfgen import canvas
from sqlalchemy import text

from incubator.domain import AnnualReportStatus, AuthorityList, InspectionResult, RatingGrade
from incubator.services import compliance, funds
from tests.factories import fund_data, org
from tests.ui import person
from tests.ui.dialogs import when_modal
from ui.main_window import PAGES

pytestmark = pytest.mark.ui


def two_page_pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    for n in (1, 2):
        page.drawString(100, 700, f"page {n}")
        page.showPage()
    page.save()
    return out.getvalue()


def opened_page(qtbot, window, **profile):
    a = org(window.db, 1, name="天山区幸福社区服务中心", registered_on="2024-03-01", **profile)
    window.open_organization(a.id)
    return a, window.organization_page


def rows(table) -> list[list[str]]:
    return [
        [table.cell_text(r, c) for c in range(table.columnCount())] for r in range(table.rowCount())
    ]


def test_annual_report_rating_and_listing_through_their_dialogs(qtbot, window) -> None:
    a, page = opened_page(qtbot, window, supervising_unit="天山区民政局")
    person.open_tab(qtbot, page.tabs, "Compliance")
    seen: dict[str, str] = {}

    def report(dialog) -> None:
        person.fill(qtbot, dialog, year="2025", result=InspectionResult.QUALIFIED)
        seen["no date"] = person.save_refused(qtbot, dialog, "submitted_on")
        person.fill(qtbot, dialog, submitted_on="2026/5/20")
        person.save(qtbot, dialog)

    errors = when_modal(report)
    person.press(qtbot, page, "add_annualReportsTable")
    assert not errors, errors
    assert seen["no date"] == "Required when the result is “Qualified”"
    # Due on 31 May of the following year, as the center's default says.
    assert rows(page.reports_table) == [["2025", "2026-05-31", "2026-05-20", "Qualified", ""]]

    errors = when_modal(
        lambda d: (
            person.fill(qtbot, d, grade=RatingGrade.A4, awarded_on="2023-12-01"),
            person.save(qtbot, d),
        )
    )
    person.press(qtbot, page, "add_ratingsTable")
    assert not errors, errors
    assert rows(page.ratings_table) == [["4A", "2023-12-01", "2028-11-30", ""]]
    assert "Rated 4A" in page.subtitle.text()
    assert "Listed" not in page.subtitle.text()

    errors = when_modal(
        lambda d: (
            person.fill(
                qtbot,
                d,
                list_kind=AuthorityList.ABNORMAL,
                listed_on="2026-09-01",
                reason="通过登记的住所无法取得联系",
            ),
            person.save(qtbot, d),
        )
    )
    person.press(qtbot, page, "add_listingsTable")
    assert not errors, errors
    assert "⚠ Listed: Abnormal-activities list" in page.subtitle.text()
    assert "Supervising unit: 天山区民政局" in page.standing_text.text()
    # What the registry holds, asked without the page.
    assert [x.listed_on.isoformat() for x in compliance.list_listings(window.db, a.id)] == [
        "2026-09-01"
    ]
    # Flagged in the organizations list, in red.
    page.back.emit()
    orgs = window.organizations
    qtbot.waitUntil(lambda: orgs.model.index(0, 6).data() is not None, timeout=10_000)
    header = orgs.model.headerData(6, Qt.Orientation.Horizontal)
    cell = orgs.model.index(0, 6)
    assert (header, cell.data()) == ("Rating and listing", "4A · ⚠ Abnormal-activities list")
    assert cell.data(Qt.ItemDataRole.ForegroundRole).name() == "#b3261e"


class Viewer(QObject):
    """Stands in for the desktop's file opener: records what it was asked to open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def stored_files(db) -> int:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM stored_files")).scalar()


def test_documents_added_previewed_opened_and_removed(qtbot, window, tmp_path) -> None:
    a, page = opened_page(qtbot, window)
    fund = funds.add_fund(window.db, a.id, fund_data(title="公益创投"))
    page.reload()
    person.open_tab(qtbot, page.tabs, "Documents")
    scan = tmp_path / "协议扫描.pdf"
    scan.write_bytes(two_page_pdf())

    def add(dialog, record: str | None) -> None:
        chosen = when_modal(lambda d: person.choose_file(qtbot, d, str(scan)), match=QFileDialog)
        person.press(qtbot, dialog, "browse")
        assert not chosen, chosen
        if record:
            person.choose(qtbot, dialog.form.inputs["record"], text=record)  # by its words
        person.save(qtbot, dialog)

    for record in (None, "Fund: 公益创投"):
        errors = when_modal(lambda d, r=record: add(d, r))
        person.press(qtbot, page.documents, "addDocument")
        assert not errors, errors
    table = page.documents.table
    assert [(r[2], r[3], r[4]) for r in rows(table)] == [
        ("协议扫描", "The organization", "协议扫描.pdf"),
        ("协议扫描", "Fund: 公益创投", "协议扫描.pdf"),
    ]
    assert stored_files(window.db) == 1  # one content, attached twice
    assert fund.id

    # Previewed in the app: QtPdf reads two pages from what the registry gave back.
    pages: list[int] = []

    def look(dialog) -> None:
        pages.append(dialog.pages)
        dialog.reject()

    person.click_row(qtbot, table, 1)
    errors = when_modal(look)
    person.press(qtbot, page.documents, "previewDocument")
    assert not errors and pages == [2], (errors, pages)

    # Opened with the system's viewer: it gets a copy, byte for byte.
    viewer = Viewer()
    QDesktopServices.setUrlHandler("file", viewer, "open")
    try:
        person.press(qtbot, page.documents, "openDocument")
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert len(viewer.urls) == 1
    assert Path(viewer.urls[0].toLocalFile()).read_bytes() == scan.read_bytes()

    # Removed, saying why: gone from the list, in the history.
    def remove(dialog) -> None:
        person.fill(qtbot, dialog, void_reason="重复上传")
        person.save(qtbot, dialog)

    errors = when_modal(remove)
    person.press(qtbot, page.documents, "removeDocument")
    assert not errors, errors
    assert table.rowCount() == 1
    assert any("重复上传" in row[-1] for row in rows(page.history))


def test_adding_a_document_waits_off_the_gui_thread_and_can_be_cancelled(
    qtbot, window, tmp_path
) -> None:
    """Another desk holds the registry's write lock: Save waits for it with a progress dialog
    (the window still answers), whose Cancel gives the attachment up; nothing is saved, the
    form stays open saying so, and a second Save, the registry free, keeps the document."""
    _org, page = opened_page(qtbot, window)
    person.open_tab(qtbot, page.tabs, "Documents")
    scan = tmp_path / "章程.pdf"
    scan.write_bytes(two_page_pdf())
    other_desk = sqlite3.connect(window.db.engine.url.database)
    other_desk.execute("BEGIN IMMEDIATE")  # the write lock, held until it is done
    seen: dict[str, object] = {}

    def cancel(progress: QProgressDialog) -> None:
        seen["label"] = progress.labelText()
        seen["window painted"] = not window.grab().isNull()  # the GUI thread is free
        qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
        other_desk.rollback()  # the other desk is done: the cancelled save may go on

    def add(dialog) -> None:
        person.type_into(qtbot, dialog.form.inputs["file"].edit, str(scan))
        seen["cancel errors"] = when_modal(cancel, match=QProgressDialog)
        person.answer(qtbot, dialog, person.Save)
        seen["refused"] = dialog.form.general_error.text()
        assert dialog.isVisible()
        person.save(qtbot, dialog)  # again, with the registry free

    errors = when_modal(add)
    person.press(qtbot, page.documents, "addDocument")
    other_desk.close()
    assert not errors and not seen["cancel errors"], (errors, seen)
    assert seen["label"] == "Adding 章程.pdf…" and seen["window painted"]
    assert seen["refused"] == "Adding the document was cancelled; nothing was saved"
    assert stored_files(window.db) == 1 and page.documents.table.rowCount() == 1


def test_a_file_too_large_or_damaged_is_said(qtbot, window, tmp_path) -> None:
    _org, page = opened_page(qtbot, window)
    compliance.set_rules(window.db, document_max_mb=1)
    person.open_tab(qtbot, page.tabs, "Documents")
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%" * (1024 * 1024 + 1))
    seen: dict[str, str] = {}

    def too_big(dialog) -> None:
        person.type_into(qtbot, dialog.form.inputs["file"].edit, str(big))
        seen["big"] = person.save_refused(qtbot, dialog, "file")
        person.type_into(qtbot, dialog.form.inputs["file"].edit, str(tmp_path / "ok.png"))
        person.save(qtbot, dialog)

    (tmp_path / "ok.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    errors = when_modal(too_big)
    person.press(qtbot, page.documents, "addDocument")
    assert not errors, errors
    assert seen["big"] == "big.pdf is 1.0 MB, larger than the 1.0 MB a document may be"
    assert page.documents.table.rowCount() == 1

    with window.db.engine.begin() as conn:  # the stored copy damaged behind the program's back
        conn.execute(text("UPDATE stored_files SET data = :d"), {"d": b"\x89PNG\r\n\x1a\n!"})
    said: list[str] = []

    def error_box(box) -> None:
        said.append(box.text())
        box.accept()

    person.click_row(qtbot, page.documents.table, 0)
    errors = when_modal(error_box, match=QMessageBox)
    person.press(qtbot, page.documents, "previewDocument")
    assert not errors, errors
    assert said and "is damaged: its content no longer matches its SHA-256" in said[0]


def test_the_centers_rules_in_settings(qtbot, window) -> None:
    person.click_row(qtbot, window.nav, PAGES.index("settings"))
    box = window.settings_page.rules
    due, largest = (
        box.form.inputs[k] for k in ("center_annual_report_due", "center_document_max_mb")
    )
    assert (due.text(), largest.text()) == ("05-31", "50")  # the defaults
    person.type_into(qtbot, due, "13-40")
    person.press(qtbot, box, "saveRules")
    assert box.form.problem_text("center_annual_report_due") == (
        "Not a day of the year: “13-40” (use MM-DD)"
    )
    assert compliance.rules(window.db).report_due == (5, 31)  # nothing saved
    person.type_into(qtbot, due, "6月30日")
    person.type_into(qtbot, largest, "10")
    person.press(qtbot, box, "saveRules")
    rules = compliance.rules(window.db)
    assert (rules.report_due, rules.document_max_mb) == ((6, 30), 10)
    assert due.text() == "06-30"


def test_the_compliance_page_lists_the_year_and_opens_an_organization(qtbot, window, tmp_path):
    db = window.db
    done = org(db, 1, name="幸福社区服务中心", registered_on="2024-05-01")
    late = org(db, 2, name="阳光助老协会", registered_on="2025-02-01")
    org(db, 3, name="邻里互助队", legal_form="community_unregistered", credit_code="")
    compliance.record_report(db, done.id, {"year": 2024, "submitted_on": "2025-05-01"})
    page = window.compliance
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        person.click_row(qtbot, window.nav, PAGES.index("compliance"))
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        person.type_into(qtbot, page.year, "2024")
    # 2024's reports: only the first was registered by the end of 2024; it submitted.
    assert [page.model.index(r, 0).data() for r in range(page.model.rowCount())] == [done.name]
    assert page.model.index(0, 4).data() == "Submitted, awaiting the result"
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        person.type_into(qtbot, page.year, "2025")
    shown = {
        page.model.index(r, 0).data(): page.model.index(r, 4).data()
        for r in range(page.model.rowCount())
    }
    # Both registered by the end of 2025, neither filed: due 2026-05-31, overdue since.
    overdue = "Overdue" if dt.date.today() > dt.date(2026, 5, 31) else "Due soon"
    assert shown == {done.name: overdue, late.name: overdue}
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        person.choose(qtbot, page.status, AnnualReportStatus.QUALIFIED)
    assert page.model.rowCount() == 0
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        person.choose(qtbot, page.status, None)
    row = [page.model.index(r, 0).data() for r in range(page.model.rowCount())].index(late.name)
    person.click_row(qtbot, page.table, row, double=True)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.organization_page)
    assert late.name in window.organization_page.title.text()


def test_the_dashboard_says_how_long_a_listing_has_lasted(qtbot, window) -> None:
    a, _page = opened_page(qtbot, window)
    listed = dt.date.today() - dt.timedelta(days=10)
    compliance.record_listing(window.db, a.id, {"list_kind": "abnormal", "listed_on": listed})
    dashboard = window.dashboard
    with qtbot.waitSignal(dashboard.loaded, timeout=10_000):
        person.click_row(qtbot, window.nav, PAGES.index("dashboard"))
    rows = [
        [dashboard.proxy.index(r, c).data() for c in range(5)]
        for r in range(dashboard.proxy.rowCount())
    ]
    assert [listed.isoformat(), "for 10 days", "On the authority's list", a.name] in [
        row[:4] for row in rows
    ]
