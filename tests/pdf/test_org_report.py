"""The organization progress report, read back from the PDF: who it is about, the totals the
services compute, masked phone numbers, Uyghur in visual order, outline and page count."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from incubator.reports import fmt
from tests.factories import credit_code
from tests.pdf import pdfread
from tests.pdf.conftest import (
    CENTER_NAME,
    DOT_NAME,
    DOT_PERSON,
    PHONE,
    UYGHUR_NAME,
    Built,
)
from tests.pdf.shaping_ref import pango, printed_glyphs, printed_lines, without_spaces


def _line_with(lines: list[str], *parts: str) -> str:
    """The first line containing every part, in order."""
    for line in lines:
        pos = 0
        for part in parts:
            pos = line.find(part, pos)
            if pos < 0:
                break
            pos += len(part)
        else:
            return line
    raise AssertionError(f"no line with {parts!r}")


def test_chinese_name_credit_code_and_center_are_text(built: Built) -> None:
    text = pdfread.text(built.path("dotted_zh"))
    assert DOT_NAME in text  # the "·" survives, in a font that has it
    assert DOT_PERSON in text
    assert credit_code(902) in text
    assert CENTER_NAME in text
    assert "社会组织孵化进展报告" in text
    # The landline is masked too.
    assert "0991-2345678" not in text
    assert "099*-***5678" in text


def test_uyghur_name_is_shaped_and_right_to_left(built: Built, tmp_path: Path) -> None:
    path = built.path("org_zh")
    assert credit_code(901) in pdfread.text(path)
    # Drawn as shaped glyphs (tests/pdf/test_uyghur_shaping.py compares them with HarfBuzz),
    # and found as typed by a PDF reader's search.
    assert UYGHUR_NAME in pdfread.typed_text(path).replace("\n", " ")
    # The title line draws pango's glyphs in pango's order (its first word on the right).
    title = next(line for line in printed_lines(path) if {f for _, f in line} == {"UKIJTuz"})
    assert printed_glyphs(title) == without_spaces(pango(UYGHUR_NAME, tmp_path), "UKIJTuz")


def test_phone_is_masked(built: Built) -> None:
    text = pdfread.text(built.path("org_zh"))
    assert PHONE not in text
    assert fmt.mask_phone(PHONE) == "139****5678"
    assert "139****5678" in text


def test_printed_figures_are_the_ones_computed_by_hand(built: Built) -> None:
    # The fixture (tests/pdf/conftest.py), period 2026-01-01..2026-06-30:
    # funds: 120,000 committed 2026-01-15 (60,000 paid 2026-02-03, 60,000 due in August) and
    # 8,888.88 committed 2025-06-01, paid 2026-03-10. So in the period: committed 120,000.00,
    # disbursed 68,888.88; to its end: committed 128,888.88, disbursed 68,888.88, remaining
    # 60,000.00. One project (budget 98,000.50, 320 beneficiaries) running Feb-Dec 2026.
    # Talent: a training on 12 April (3 people, 9 h), a mentor from 1 March without an end date
    # (one day, 12.5 h). A 6.5 m² desk held from 1 March: 31 + 30 + 31 + 30 = 122 days.
    lines = pdfread.lines(built.path("org_zh"))
    _line_with(lines, "合计", "120,000.00", "68,888.88", "128,888.88", "68,888.88", "60,000.00")
    _line_with(lines, "合计：1 个项目", "98,000.50", "320")
    _line_with(lines, "参加培训", "1", "3", "9.0", "1", "9.0")
    _line_with(lines, "导师", "1", "—", "12.5", "1", "12.5")
    _line_with(lines, "合计", "6.50", "122")
    # The key figures band: training hours are training only (9.0, not 9 + 12.5).
    assert "120,000.00 68,888.88 1 9.0 122" in lines
    assert "本期培训学时（小时）" in "\n".join(lines)


def test_narrative_in_two_scripts_is_printed(built: Built) -> None:
    text = pdfread.text(built.path("org_zh")).replace("\n", "")
    assert "该组织本期完成了理事会换届" in text
    assert "完善财务制度" in text
    # Each Uyghur word of the narrative is there (lines were reordered one by one).
    typed = pdfread.typed_text(built.path("org_zh"))
    assert all(w in typed for w in ["ياشلارغا", "كەسپىي", "تەربىيە"])


def test_outline_and_page_count(built: Built) -> None:
    for name in ("org_zh", "org_en"):
        path = built.path(name)
        result = built.results[name]
        assert len(PdfReader(path).pages) == result.pages >= 2
        entries = pdfread.outline(path)
        assert entries[0][:2] == (0, UYGHUR_NAME)  # viewers shape outline titles themselves
        assert [level for level, _, _ in entries[1:]] == [1] * 6
        pages = [page for _, _, page in entries]
        assert pages == sorted(pages) and pages[-1] <= result.pages
    titles = [t for _, t, _ in pdfread.outline(built.path("org_en"))]
    assert titles[1:] == [
        "1. Organization profile",
        "2. Incubation lifecycle",
        "3. Support received",
        "4. Evaluations",
        "5. Compliance and documents",
        "6. Assessment and next steps",
    ]
    zh = [t for _, t, _ in pdfread.outline(built.path("org_zh"))]
    assert zh[1] == "一、机构概况"


def test_footer_says_page_x_of_y(built: Built) -> None:
    path = built.path("org_en")
    n = built.results["org_en"].pages
    texts = pdfread.page_texts(path)
    for number, page in enumerate(texts, start=1):
        assert f"Page {number} of {n}" in page
    zh = pdfread.page_texts(built.path("org_zh"))
    n = built.results["org_zh"].pages
    assert re.search(rf"第 1 页 ?共 {n} 页", zh[0])
    assert "生成日期：2026年6月30日" in zh[0]


@pytest.mark.parametrize("name", ["org_zh", "org_en", "dotted_zh"])
def test_fonts_are_embedded(built: Built, name: str) -> None:
    found = pdfread.fonts(built.path(name))
    assert found, "no fonts found"
    assert all(found.values()), found
    assert set(found) <= {"WenQuanYiMicroHei-0", "UKIJTuz", "UKIJTuz-Bold"}


def test_english_report_uses_english_labels(built: Built) -> None:
    text = pdfread.text(built.path("org_en"))
    for label in ("Organization progress report", "Unified Social Credit Code", "Totals"):
        assert label in text
    assert "yuan" in text
    assert "社会组织孵化进展报告" not in text


def test_every_report_renders_with_pdftoppm(built: Built, tmp_path) -> None:
    for name in built.results:
        done = subprocess.run(
            ["pdftoppm", "-r", "20", "-png", str(built.path(name)), str(tmp_path / name)],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0 and not done.stderr.strip(), (name, done.stderr)
        pngs = list(tmp_path.glob(f"{name}*.png"))
        assert len(pngs) == built.results[name].pages
