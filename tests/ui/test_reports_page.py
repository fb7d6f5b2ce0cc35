"""Reports page on real widgets: generate in the background, preview, save, print, cancel."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from incubator import demo
from incubator.db import Database
from incubator.services import narratives
from tests.ui.dialogs import when_modal
from ui.pages.reports import ReportsPage

pytestmark = pytest.mark.ui


@pytest.fixture
def page(qtbot, sqlite_db: Database) -> ReportsPage:
    demo.generate(sqlite_db, orgs=12, seed=3)
    widget = ReportsPage(sqlite_db)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    return widget


def generate(qtbot, page: ReportsPage) -> None:
    with qtbot.waitSignals([page.generated], timeout=60_000, raising=True, check_params_cbs=None):
        assert page.generate() is not None


def test_org_report_generated_previewed_and_saved(qtbot, page, tmp_path: Path) -> None:
    page.period.setText("2026")
    page.orgs.setCurrentRow(0)
    name = page.orgs.item(0).text().split("　")[0]
    generate(qtbot, page)
    assert page.document.pageCount() >= 2
    assert page.progress.value() == page.progress.maximum()
    saved = page.save_as(str(tmp_path / "copy.pdf"))
    assert saved is not None and saved.exists()
    text = "".join(p.extract_text() for p in PdfReader(saved).pages)
    assert name.replace("·", "") in text.replace("·", "").replace("\n", "") or name[:4] in text


def test_bad_period_is_shown_next_to_the_field(qtbot, page) -> None:
    page.period.setText("2026Q5")
    page.orgs.setCurrentRow(0)
    assert page.generate() is None
    assert page.period_error.isVisible()
    assert "Quarter" in page.period_error.text()


def test_center_report_and_printing(qtbot, page, tmp_path: Path) -> None:
    page.kind.setCurrentIndex(page.kind.findData("center"))
    page.period.setText("2025")
    generate(qtbot, page)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    assert page.print_to(printer) == page.document.pageCount()
    assert len(PdfReader(printed).pages) == page.document.pageCount()


def test_pack_can_be_cancelled(qtbot, page) -> None:
    page.kind.setCurrentIndex(page.kind.findData("pack"))
    page.period.setText("2026")
    with qtbot.waitSignal(page.failed, timeout=60_000) as failed:
        worker = page.generate()
        assert worker is not None
        page.cancel()
    assert "Cancelled" in failed.args[0]
    assert page.pdf_path is None
    assert page.generate_button.isEnabled()


def test_narrative_is_saved_for_the_period(qtbot, page) -> None:
    page.period.setText("2026Q3")
    page.orgs.setCurrentRow(0)
    org_id = page.selected_org_ids()[0]

    def write(dialog) -> None:
        dialog.narrative.setPlainText("本季度开展助老服务12场。")
        dialog.next_steps.setPlainText("申请出壳评估。")
        assert dialog.save()

    errors = when_modal(write)
    assert page.edit_narrative()
    assert not errors, errors
    saved = narratives.get(page.db, org_id, "2026Q3")
    assert saved.narrative == "本季度开展助老服务12场。" and saved.next_steps == "申请出壳评估。"
