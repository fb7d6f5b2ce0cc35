"""Page layout read back from the PDFs: headings never end a page, the signature block never
stands alone, an empty table is one line, a header never breaks inside its unit, the pack
opens with its bookmarks shown and leaves out organizations with nothing to report."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from incubator import reports
from incubator.services import narratives
from tests.pdf import pdfread
from tests.pdf.conftest import TODAY, Built

HEADING_SIZES = (13.5, 10.5)  # SectionHeading, and the h2 sub-headings (style.Styles)
BODY_TOP, FOOTER = 60, 45  # points below the top / above the bottom: running header, footer


def _ruled_below(page, top: float) -> bool:
    """Whether lines are drawn below the heading at ``top`` in the body: blank lines left to
    write on (a section heading's own rule lies within 25 points of its top)."""
    return any(top + 25 < ln["top"] < page.height - FOOTER for ln in page.lines)


def _lines(page) -> list[tuple[float, float, str]]:
    """(top, largest size, text) of each printed line of the page body, top to bottom."""
    rows: dict[int, list] = defaultdict(list)
    for c in page.chars:
        rows[round(c["top"])].append(c)
    out = []
    for top in sorted(rows):
        if BODY_TOP < top < page.height - FOOTER:
            cs = sorted(rows[top], key=lambda c: c["x0"])
            out.append((top, max(c["size"] for c in cs), "".join(c["text"] for c in cs)))
    return out


def _is_heading(size: float, text: str) -> bool:
    return any(abs(size - h) < 0.2 for h in HEADING_SIZES) and len(text) < 40


@pytest.mark.parametrize("name", ["org_zh", "org_en", "dotted_zh", "center_zh", "pack_zh"])
def test_no_heading_ends_a_page(built: Built, name: str) -> None:
    with pdfplumber.open(built.path(name)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            lines = _lines(page)
            if lines and _is_heading(*lines[-1][1:]) and not _ruled_below(page, lines[-1][0]):
                pytest.fail(f"{name} page {number} ends with the heading {lines[-1][2]!r}")


@pytest.mark.parametrize("paragraphs", range(0, 40, 3))
def test_the_signature_block_never_stands_alone(
    built: Built, tmp_path: Path, paragraphs: int
) -> None:
    # Narratives of every length push the signature block to every position on the page.
    text = "\n\n".join(
        f"第{i + 1}段：本期完成了理事会换届，财务制度进一步健全。" * 3 for i in range(paragraphs)
    )
    org = built.special.dotted
    period = f"2025-01-01..2025-12-{10 + paragraphs % 20:02d}"
    narratives.save(built.db, org, period, text, "", 0)
    pdf = tmp_path / "sign.pdf"
    reports.org_report(built.db, org, period, pdf, lang="zh_CN", today=TODAY)
    with pdfplumber.open(pdf) as doc:
        page = next(p for p in doc.pages if "填报人" in (p.extract_text() or ""))
        lines = _lines(page)
    first = next(i for i, (_, _, t) in enumerate(lines) if "填报人" in t)
    # Above it on its page: at least the last paragraph, or the "next steps" heading with
    # the blank lines left for writing them.
    assert lines[:first], "the signature block starts a page with nothing of the report above it"


def test_an_empty_table_is_one_line_not_a_zero_total(built: Built) -> None:
    # The dotted organization (conftest) applied in September 2025 and received nothing.
    text = pdfread.text(built.path("dotted_zh"))
    assert "截至期末没有承诺的资金。" in text
    assert "本期没有实施中的项目。累计：项目 0 个。" in text
    assert "截至期末没有人才支持记录。" in text
    assert "本期未使用场地。" in text
    assert not re.search(r"合计( 0\.00){3,}", text)


@pytest.mark.parametrize("name", ["org_zh", "org_en", "center_zh", "center_en", "pack_zh"])
def test_headers_never_break_inside_their_unit(built: Built, name: str) -> None:
    for line in pdfread.lines(built.path(name)):
        assert not re.search(r"[（(][^）)]{0,2}$", line), line
        assert not re.match(r"^[^（(]{1,2}[）)]", line), line


def test_the_pack_opens_with_its_bookmarks_shown(built: Built) -> None:
    reader = PdfReader(built.path("pack_zh"))
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    assert PdfReader(built.path("org_zh")).trailer["/Root"]["/PageMode"] != "/UseOutlines"


def test_the_pack_leaves_out_organizations_with_nothing_to_report(built: Built) -> None:
    db, dotted, uyghur = built.db, built.special.dotted, built.special.uyghur
    # The dotted organization applied on 1 September 2025 and nothing happened to it since:
    # nothing to report in 2026Q2, so it is left out unless asked for.
    members = reports.pack_members(db, "2026Q2", today=TODAY)
    everyone = reports.pack_members(db, "2026Q2", everyone=True, today=TODAY)
    assert uyghur in members and dotted not in members
    assert dotted in everyone and set(members) < set(everyone)
    # Its application falls in 2025Q3: then it had something to report.
    assert dotted in reports.pack_members(db, "2025Q3", today=TODAY)
