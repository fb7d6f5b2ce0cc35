"""Compliance and documents in print (issue 18, point 5): an organization's report shows its
grade, its listing in red words, its annual reports and its documents on file; the center
report counts the annual reports by status and the grades; the committee pack carries each
organization's PDF documents after its report, bookmarked under it. Every expected figure is
worked out by hand from the small registry built here, and read back from the PDFs."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from incubator import reports
from incubator.services import compliance, documents, funds
from tests.factories import fund_data, org
from tests.pdf import pdfread

TODAY = dt.date(2026, 11, 28)


def one_page_pdf(words: str, pages: int = 1) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    for n in range(pages):
        page.drawString(100, 700, f"{words} {n + 1}")
        page.showPage()
    page.save()
    return out.getvalue()


def key_values(path: Path, heading: str) -> dict[str, str]:
    """The label / value pairs of the tables on the page that holds ``heading``, read by
    pdfplumber from the table's ruled cells (wrapped labels joined with spaces)."""
    with pdfplumber.open(path) as pdf:
        page = next(p for p in pdf.pages if heading in (p.extract_text() or ""))
        pairs = {}
        # The value columns are bounded by the rules' ends, not by lines of their own.
        right = max(edge["x1"] for edge in page.horizontal_edges)
        for rows in page.extract_tables({"explicit_vertical_lines": [right]}):
            for row in rows:
                cells = [" ".join((c or "").split()) for c in row]
                pairs.update(zip(cells[0::2], cells[1::2], strict=False))
        return pairs


def pack(db, org_ids, out: Path, lang: str = "en", with_documents=True):
    """The committee pack of 2026 of these organizations (all of them, active or not), as
    on TODAY."""
    return reports.committee_pack(
        db,
        "2026",
        out,
        org_ids=org_ids,
        everyone=True,
        lang=lang,
        today=TODAY,
        with_documents=with_documents,
    )


@pytest.fixture
def registry(sqlite_db, tmp_path: Path):
    """A: rated 4A, 2025's report qualified, listed since 1 March, two PDFs and a photo.
    B: registered, nothing filed for 2025 (overdue on TODAY). C: unregistered (not expected)."""
    db = sqlite_db
    a = org(db, 1, name="幸福社区服务中心", registered_on="2024-05-01", applied_on="2024-04-01")
    b = org(db, 2, name="阳光助老协会", registered_on="2025-02-01", applied_on="2025-01-01")
    org(db, 3, name="邻里互助队", legal_form="community_unregistered", credit_code="")
    compliance.record_report(
        db, a.id, {"year": 2025, "submitted_on": "2026-04-20", "result": "qualified"}
    )
    compliance.record_rating(db, a.id, {"grade": "4A", "awarded_on": "2025-06-10"})
    compliance.record_listing(
        db, a.id, {"list_kind": "abnormal", "listed_on": "2026-03-01", "reason": "住所无法联系"}
    )
    fund = funds.add_fund(db, a.id, fund_data(title="公益创投"))
    for name, content in (
        ("charter.pdf", one_page_pdf("CHARTER", 2)),
        ("voucher.pdf", one_page_pdf("VOUCHER")),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 10),
    ):
        (tmp_path / name).write_bytes(content)
    documents.attach(db, a.id, tmp_path / "charter.pdf", {"kind": "charter", "title": "章程"})
    documents.attach(
        db,
        a.id,
        tmp_path / "voucher.pdf",
        {"kind": "payment_voucher", "title": "拨付凭证"},
        record=("funds", fund.id),
    )
    documents.attach(db, a.id, tmp_path / "photo.png", {"kind": "other", "title": "活动照片"})
    return db, a, b


def test_the_organization_report_shows_its_standing_and_its_papers(registry, tmp_path) -> None:
    db, a, _b = registry
    out = tmp_path / "a.pdf"
    reports.org_report(db, a.id, "2026", out, lang="en", today=TODAY)
    pages = [" ".join(page.split()) for page in pdfread.page_texts(out)]
    assert "Rating grade: 4A" in pages[0]
    assert "▲ Listed: Abnormal-activities list" in pages[0]
    # Every character printed by a font that has it (the warning sign ⚠ is not in the
    # bundled Han font: ▲ is).
    drawn = pdfread.chars(out)
    assert not {
        (ch, f) for ch, f, _ in drawn if not ch.isspace() and ord(ch) not in pdfread.cmap(f)
    }
    text = "\n".join(pages)
    section = text[text.index("5. Compliance and documents") : text.index("6. Assessment")]
    assert {
        "Rating grade at the end of the period": "4A",
        "On the authority's lists at the end of the period": "Abnormal-activities list",
        "Annual report of 2025": "Qualified",
        "Supervising unit": "none",
    }.items() <= key_values(out, "5. Compliance and documents").items()
    assert "2025 2026-05-31 2026-04-20 Qualified" in section
    assert "4A 2025-06-10 2030-06-09" in section  # five years less a day
    assert "Abnormal-activities list 2026-03-01 住所无法联系" in section
    for line in ("Charter 章程 The organization", "Payment voucher 拨付凭证 Fund: 公益创投"):
        assert line in section, section
    assert "活动照片" in section


def test_the_center_report_counts_reports_by_status_and_grades(registry, tmp_path) -> None:
    db, _a, b = registry
    out = tmp_path / "center.pdf"
    reports.center_report(db, "2026", out, lang="en", today=TODAY)
    text = pdfread.text(out)
    section = text[
        text.index("7. Compliance with the registration authority") : text.index("8. Annex")
    ]
    # By hand: A qualified, B overdue; C is not registered. Grades: one 4A.
    assert "Annual reports of 2025 on 2026-11-28" in section
    assert "Overdue 1" in section and "Qualified 1" in section
    assert "Expected to report 2" in section
    assert "1A 2A 3A 4A 5A\n0 0 0 1 0" in section
    assert "幸福社区服务中心 Abnormal-activities list 2026-03-01 住所无法联系" in section
    assert b.name not in section[section.index("On the authority's lists") :]


def test_the_pack_carries_the_pdf_documents_after_each_report(registry, tmp_path) -> None:
    db, a, b = registry
    out = tmp_path / "pack.pdf"
    pack(db, [a.id, b.id], out)
    reader = PdfReader(out)
    entries = pdfread.outline(out)
    titles = [(level, title) for level, title, _page in entries]
    start_a = titles.index((1, a.name))
    start_b = titles.index((1, b.name))
    under_a = [t for level, t in titles[start_a:start_b] if level == 2]
    # The two PDFs (not the photo), in date order, after A's own sections.
    assert under_a[-2:] == ["Charter: 章程", "Payment voucher: 拨付凭证"]
    page_of = {title: page for _level, title, page in entries}
    texts = [p.extract_text() for p in reader.pages]
    charter = page_of["Charter: 章程"]
    assert "CHARTER 1" in texts[charter - 1] and "CHARTER 2" in texts[charter]
    assert "VOUCHER 1" in texts[page_of["Payment voucher: 拨付凭证"] - 1]
    # Right after A's report, right before B's; every page numbered of the whole.
    assert page_of[b.name] == page_of["Payment voucher: 拨付凭证"] + 1
    assert f"of {len(reader.pages)}" in texts[charter - 1]
    # Without the option: no attachment.
    plain = tmp_path / "plain.pdf"
    pack(db, [a.id, b.id], plain, with_documents=False)
    assert len(PdfReader(plain).pages) == len(reader.pages) - 3


def test_only_the_kinds_asked_for_and_a_damaged_one_stops_the_pack(registry, tmp_path) -> None:
    db, a, _b = registry
    out = tmp_path / "pack.pdf"
    pack(db, [a.id], out, with_documents=["payment_voucher"])
    titles = [t for _l, t, _p in pdfread.outline(out)]
    assert "Payment voucher: 拨付凭证" in titles and "Charter: 章程" not in titles
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE stored_files SET data = X'00' WHERE sha256 = "
            "(SELECT sha256 FROM documents WHERE title = '章程')"
        )
    with pytest.raises(Exception) as caught:
        pack(db, [a.id], tmp_path / "bad.pdf")
    message = caught.value.message("en")
    assert "“章程” cannot go into the pack" in message and "damaged" in message
    assert not (tmp_path / "bad.pdf").exists()


def test_a_file_named_pdf_that_is_none_stops_the_pack_named(registry, tmp_path) -> None:
    db, a, _b = registry
    fake = tmp_path / "扫描件.pdf"
    fake.write_bytes(b"this is a photo renamed .pdf")
    documents.attach(db, a.id, fake, {"kind": "other", "title": "扫描件"})
    with pytest.raises(Exception) as caught:
        pack(db, [a.id], tmp_path / "bad.pdf", lang="zh_CN")
    message = caught.value.message("zh_CN")
    assert "“扫描件”无法并入汇编：不是可读取的 PDF 文件" in message
    assert not (tmp_path / "bad.pdf").exists()
