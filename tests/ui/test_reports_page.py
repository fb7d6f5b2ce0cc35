"""Reports page, driven as a person does: choose, generate in the background, preview, save as
(through the real file dialog), print (through the real print dialog), cancel, narratives."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QFileDialog, QLineEdit, QSpinBox

from incubator import demo
from incubator.db import Database
from incubator.services import center_summary, narratives
from tests.ui import person
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
    qtbot.waitExposed(widget)
    return widget


def generate(qtbot, page: ReportsPage) -> None:
    with qtbot.waitSignal(page.generated, timeout=60_000):
        person.press(qtbot, page, "generateButton")


def text_of(path: Path) -> str:
    return "".join(p.extract_text() for p in PdfReader(path).pages)


def test_org_report_generated_previewed_and_saved_as(qtbot, page, tmp_path: Path) -> None:
    person.type_into(qtbot, page.period, "2026")
    person.click_row(qtbot, page.orgs, 0)
    name = page.orgs.item(0).text().split("　")[0].strip("\u2068\u2069")
    generate(qtbot, page)
    assert page.document.pageCount() >= 2
    assert page.progress.value() == page.progress.maximum()
    target = tmp_path / "委员会" / "copy.pdf"
    target.parent.mkdir()
    errors = when_modal(lambda d: person.choose_file(qtbot, d, str(target)), match=QFileDialog)
    person.press(qtbot, page, "saveReport")
    assert not errors, errors
    assert target.read_bytes() == page.pdf_path.read_bytes()
    assert page.pdf_path.name.startswith(name.replace("·", "")[:2])  # named after it
    assert page.status.text() == f"Saved to {target}"
    assert name.replace("·", "")[:4] in text_of(target).replace("·", "").replace("\n", "")
    assert not (Path.cwd() / "False").exists()


def test_save_as_cancelled_writes_nothing(qtbot, page, tmp_path: Path) -> None:
    person.click_row(qtbot, page.orgs, 0)
    generate(qtbot, page)
    before = page.status.text()
    errors = when_modal(lambda d: person.answer(qtbot, d, person.Cancel), match=QFileDialog)
    person.press(qtbot, page, "saveReport")
    assert not errors, errors
    assert page.status.text() == before


def test_bad_period_is_shown_next_to_the_field(qtbot, page) -> None:
    person.type_into(qtbot, page.period, "2026Q5")
    person.click_row(qtbot, page.orgs, 0)
    person.press(qtbot, page, "generateButton")
    assert page.period_error.isVisible()
    assert "Quarter" in page.period_error.text()
    assert page.worker is None


def print_to_file(qtbot, dialog: QPrintDialog, path: Path, pages: tuple[int, int] | None) -> None:
    """The print dialog as a person fills it: the file name, perhaps a page range, Print."""
    name = dialog.findChild(QLineEdit, "filename")
    person.type_into(qtbot, name, str(path))
    if pages is not None:
        person.press(qtbot, dialog, "&Options >>")
        person.press(qtbot, dialog, "printRange")
        person.type_into(qtbot, dialog.findChild(QSpinBox, "to"), str(pages[1]))
        person.type_into(qtbot, dialog.findChild(QSpinBox, "from"), str(pages[0]))
    person.answer(qtbot, dialog, person.Ok)  # "Print"


@pytest.mark.parametrize("pages", [None, (2, 3)], ids=["all", "range"])
def test_center_report_printed_as_vector_pages(qtbot, page, tmp_path: Path, pages) -> None:
    person.choose(qtbot, page.kind, "center")
    person.type_into(qtbot, page.period, "2025")
    generate(qtbot, page)
    count = page.document.pageCount()
    printed = tmp_path / "printed.pdf"
    errors = when_modal(lambda d: print_to_file(qtbot, d, printed, pages), match=QPrintDialog)
    with qtbot.waitSignal(page.printed, timeout=30_000):
        person.press(qtbot, page, "printReport")
    assert not errors, errors
    reader = PdfReader(printed)
    source = PdfReader(page.pdf_path)
    chosen = range(count) if pages is None else range(pages[0] - 1, pages[1])
    assert len(reader.pages) == len(chosen)
    # The report's own pages, text and all, not pictures of them.
    for printed_page, index in zip(reader.pages, chosen, strict=True):
        assert printed_page.extract_text() == source.pages[index].extract_text()
        assert not printed_page.images
    assert printed.stat().st_size < 2 * page.pdf_path.stat().st_size
    assert page.status.text() == f"Sent to print: {printed}"


def test_pack_laid_out_in_processes_from_the_page(qtbot, page, monkeypatch) -> None:
    """The pack's processes start from the page's worker thread, and all of them end."""
    import multiprocessing

    from incubator.reports import pack_parts

    monkeypatch.setattr(pack_parts, "MIN_PARALLEL", 1)  # this registry's pack is small
    processes: list[int] = []
    laid_out = pack_parts._Layout.in_processes
    monkeypatch.setattr(
        pack_parts._Layout, "in_processes", lambda self, n: processes.append(n) or laid_out(self, n)
    )
    person.choose(qtbot, page.kind, "pack")
    person.type_into(qtbot, page.period, "2026")
    generate(qtbot, page)
    reader = PdfReader(page.pdf_path)
    assert page.document.pageCount() == len(reader.pages) > 5
    assert reader.outline  # the bookmarks the parts' outlines became
    assert page.progress.value() == page.progress.maximum()
    assert multiprocessing.active_children() == []
    assert processes and processes[0] > 1


def test_pack_can_be_cancelled(qtbot, page) -> None:
    person.choose(qtbot, page.kind, "pack")
    person.type_into(qtbot, page.period, "2026")
    with qtbot.waitSignal(page.failed, timeout=60_000) as failed:
        person.press(qtbot, page, "generateButton")
        person.press(qtbot, page, "cancelReport")
    assert "Cancelled" in failed.args[0]
    assert page.pdf_path is None
    assert page.generate_button.isEnabled()


def test_narrative_is_saved_for_the_period(qtbot, page) -> None:
    person.type_into(qtbot, page.period, "2026Q3")
    person.click_row(qtbot, page.orgs, 0)
    org_id = page.selected_org_ids()[0]

    def write(dialog) -> None:
        person.type_into(qtbot, dialog.narrative, "本季度开展助老服务12场。")
        person.type_into(qtbot, dialog.next_steps, "申请出壳评估。")
        person.answer(qtbot, dialog, person.Save)

    errors = when_modal(write)
    person.press(qtbot, page, "narrativeButton")
    assert not errors, errors
    saved = narratives.get(page.db, org_id, "2026Q3")
    assert saved.narrative == "本季度开展助老服务12场。" and saved.next_steps == "申请出壳评估。"


def test_center_summary_is_written_for_the_period(qtbot, page) -> None:
    person.choose(qtbot, page.kind, "center")
    assert page.summary_button.isVisible() and not page.narrative_button.isVisible()
    person.type_into(qtbot, page.period, "2026Q2")

    def write(dialog) -> None:
        person.type_into(qtbot, dialog.texts["highlights"], "新入驻5家组织。")
        person.type_into(qtbot, dialog.texts["problems"], "两笔拨付逾期。")
        person.type_into(qtbot, dialog.texts["actions"], "已督促整改。")
        person.answer(qtbot, dialog, person.Save)

    errors = when_modal(write)
    person.press(qtbot, page, "summaryButton")
    assert not errors, errors
    saved = center_summary.get(page.db, "2026Q2")
    assert (saved.highlights, saved.problems, saved.actions) == (
        "新入驻5家组织。",
        "两笔拨付逾期。",
        "已督促整改。",
    )
    generate(qtbot, page)
    text = text_of(page.pdf_path)
    assert "两笔拨付逾期。" in text and "Key performance indicators" in text
