"""Uyghur in the printed reports is drawn as HarfBuzz and pango draw it.

The references are independent of the report code: the glyph ids uharfbuzz itself picks for a
word in the bundled font, and the glyph ids of the whole line as pango lays it out
(``pango-view --serialize-to``, bidi by fribidi), with the same font file. The report side is
read back from a real PDF built with the report's text module: the characters pdfplumber
finds on each line, turned into glyph ids through the font's own cmap (fontTools).
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from incubator.reports import fonts
from incubator.reports.text import para
from tests.pdf.shaping_ref import (
    PANGO,
    harfbuzz,
    pango,
    printed_glyphs,
    printed_lines,
    without_spaces,
)

DATA = Path(__file__).parent / "data"

# Joining classes of the Uyghur letters (Unicode ArabicShaping.txt): dual-joining letters take
# four forms, right-joining ones (they never join the letter after them) two.
DUAL = set("بپتجچخسشغفقكگڭلمنھېىيئ")
RIGHT = set("اەدرزژوۇۆۈۋ")
# Forms no Uyghur word has: hamza (ئ) only ever stands before a vowel, and no word ends in گ
# after a letter that does not join (native words end in غ or ك).
NEVER = {("ئ", "isol"), ("ئ", "fina"), ("گ", "isol")}

# Lines mixing Uyghur with numbers, Latin and punctuation, as narratives and names have them.
MIXED = [
    "تاماملاش نىسبىتى 87.5% بولدى",
    "2026-يىلى 3-ئاينىڭ 15-كۈنى",
    "ئۈرۈمچى شەھەرلىك ياشانغانلار مۇلازىمەت مەركىزى (12)",
    "1. ئەركىن جەمئىيىتى ئالما",
    "USCC 51650102MJ0000901G ئابدۇرەھىم ئەمەت",
    "مەبلەغ: 1,234,567.50 يۈەن",
    "Email: info@example.org ئۈمىد",
    "ئالما، ئۈزۈم ۋە قوغۇن؛ «ياخشى» [2025]",
    "ئەللىك ئاللاھ لا بالا",
]


def words() -> list[str]:
    lines = (DATA / "uyghur_words.txt").read_text("utf-8").splitlines()
    return [w for w in (line.strip() for line in lines) if w and not w.startswith("#")]


FORMS = {(0, 0): "isol", (0, 1): "init", (1, 1): "medi", (1, 0): "fina"}


def forms(word: str) -> list[tuple[str, str]]:
    """(letter, form) for each letter, from the joining classes above."""
    out = []
    for i, ch in enumerate(word):
        before = i > 0 and word[i - 1] in DUAL
        after = ch in DUAL and i + 1 < len(word) and word[i + 1] in DUAL | RIGHT
        out.append(
            (ch, {(0, 0): "isol", (0, 1): "init", (1, 1): "medi", (1, 0): "fina"}[before, after])
        )
    return out


def test_the_corpus_has_every_letter_in_every_position() -> None:
    corpus = words()
    assert len(corpus) >= 200
    assert len(set(corpus)) == len(corpus)
    seen = {f for w in corpus for f in forms(w)}
    assert {ch for w in corpus for ch in w} <= DUAL | RIGHT, "a character that is no Uyghur letter"
    wanted = {(ch, f) for ch in DUAL for f in ("isol", "init", "medi", "fina")}
    wanted |= {(ch, f) for ch in RIGHT for f in ("isol", "fina")}
    assert not (wanted - NEVER) - seen, sorted((wanted - NEVER) - seen)


def build(path: Path, lines: list[str], bold: bool = False) -> None:
    """One paragraph per line, as the reports print text (wide enough not to wrap)."""
    fonts.register()
    style = ParagraphStyle("t", fontName=fonts.HAN, fontSize=12, leading=20, alignment=TA_LEFT)
    SimpleDocTemplate(str(path)).build([para(line, style, bold) for line in lines])


@pytest.mark.parametrize("font", ["UKIJTuz", "UKIJTuz-Bold"])
def test_every_corpus_word_is_printed_with_harfbuzzs_glyphs(tmp_path: Path, font: str) -> None:
    corpus = words()
    pdf = tmp_path / "words.pdf"
    build(pdf, corpus, bold=font.endswith("Bold"))
    lines = printed_lines(pdf)
    assert len(lines) == len(corpus)
    wrong = []
    for word, line in zip(corpus, lines, strict=True):
        assert {f for _, f in line} == {font}, word
        if printed_glyphs(line) != harfbuzz(word, font):
            wrong.append(word)
    assert not wrong, f"{len(wrong)} words printed unlike HarfBuzz: {wrong[:10]}"


def test_the_heh_goal_is_joined_not_isolated(tmp_path: Path) -> None:
    # The reviewer's words: ە (U+06D5) after a joining letter takes its final form, and the
    # letter before it is not cut. arabic-reshaper printed ە bare (U+06D5 isolated).
    pdf = tmp_path / "e.pdf"
    build(pdf, ["مەركىزى", "ئەركىن", "جەمئىيىتى"])
    for line in printed_lines(pdf):
        drawn = "".join(ch for ch, _ in line)
        assert "\u06d5" not in drawn and "\ufee9" not in drawn  # never isolated here
        assert "\ufeea" in drawn  # the final form UKIJ Tuz draws for ە


@pytest.mark.skipif(PANGO is None, reason="pango-view (Debian pango1.0-tools) is not installed")
def test_mixed_lines_are_ordered_and_shaped_as_pango_lays_them_out(tmp_path: Path) -> None:
    pdf = tmp_path / "mixed.pdf"
    build(pdf, MIXED)
    lines = printed_lines(pdf)
    assert len(lines) == len(MIXED)
    for text, line in zip(MIXED, lines, strict=True):
        assert {f for _, f in line} == {"UKIJTuz"}, text
        assert printed_glyphs(line) == without_spaces(pango(text, tmp_path), "UKIJTuz"), text


def test_wrapped_uyghur_in_a_table_cell_is_right_aligned(tmp_path: Path) -> None:
    fonts.register()
    style = ParagraphStyle("t", fontName=fonts.HAN, fontSize=10, leading=14, alignment=TA_LEFT)
    name = "ئۈرۈمچى شەھەرلىك ياشانغانلار ئىجتىمائىي مۇلازىمەت مەركىزى"
    table = Table([[para(name, style), para("中文名称", style)]], colWidths=[100, 100])
    padding = [(side, (0, 0), (-1, -1), 6) for side in ("LEFTPADDING", "RIGHTPADDING")]
    table.setStyle(TableStyle(padding))
    pdf = tmp_path / "cell.pdf"
    SimpleDocTemplate(str(pdf)).build([table])
    with pdfplumber.open(pdf) as doc:
        chars = doc.pages[0].chars
    rows: dict[int, list] = defaultdict(list)
    for c in chars:
        if fonts.is_arabic_script(c["text"]):
            rows[round(c["top"])].append(c)
    assert len(rows) >= 3  # it wrapped
    rights = [max(c["x1"] for c in row) for row in rows.values()]
    lefts = [min(c["x0"] for c in row) for row in rows.values()]
    chinese_left = min(c["x0"] for c in chars if c["text"] == "中")
    cell_right = chinese_left - 6 - 6  # the Chinese cell starts one padding after the border
    assert max(rights) - min(rights) < 1.5, rights  # one right edge
    assert all(abs(r - cell_right) < 3 for r in rights), (rights, cell_right)
    assert max(lefts) - min(lefts) > 5  # ragged on the left


def test_each_paragraph_takes_its_own_direction(tmp_path: Path) -> None:
    fonts.register()
    style = ParagraphStyle("t", fontName=fonts.HAN, fontSize=12, leading=18, alignment=TA_LEFT)
    text = "第一段：本期完成了理事会换届。\n1. ئەركىن جەمئىيىتى ئالما\n2. 第二段。"
    pdf = tmp_path / "dir.pdf"
    SimpleDocTemplate(str(pdf)).build([para(text, style)])
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        rows: dict[int, list] = defaultdict(list)
        for c in page.chars:
            rows[round(c["top"])].append(c)
    first, uyghur, third = (sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows))
    left_margin = first[0]["x0"]
    assert first[0]["text"] == "第" and third[0]["text"] == "2"  # left to right, from the left
    # The Uyghur paragraph is right to left: its number stands at its right end, and the line
    # ends at the right margin.
    assert "".join(c["text"] for c in uyghur[-2:]) == ".1"
    assert uyghur[0]["x0"] > left_margin + 20
    assert max(c["x1"] for c in uyghur) > max(c["x1"] for c in first)


def test_a_uyghur_name_can_be_found_in_the_pdf_as_typed(tmp_path: Path) -> None:
    name = "ئۈرۈمچى شەھەرلىك ياشانغانلار مۇلازىمەت مەركىزى"
    pdf = tmp_path / "find.pdf"
    build(pdf, ["孵化组织名单", name, "ئابدۇرەھىم ئەمەت 87.5%"])
    # poppler (Evince, Okular, pdftotext) reads each shaped span's /ActualText ...
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert name in text
    assert "ئابدۇرەھىم ئەمەت" in text
    # ... and pdfium (Chrome's viewer) finds every word of it with its own search.
    doc = pypdfium2.PdfDocument(str(pdf))
    page = doc[0].get_textpage()
    for word in name.split():
        assert page.search(word).get_next() is not None, word
    assert page.search("مەركىزى").get_next() is not None
    doc.close()
