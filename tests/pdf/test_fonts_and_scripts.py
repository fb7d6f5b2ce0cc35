"""Every character printed is in the cmap of the font it is printed with (ReportLab prints a
missing glyph as a blank, silently), and the run splitting that makes that so."""

from __future__ import annotations

from collections import Counter

import pytest

from incubator.reports import fonts
from incubator.reports.fonts import HAN, UYGHUR, UYGHUR_BOLD, runs
from incubator.reports.text import break_lines, visual
from tests.pdf import pdfread
from tests.pdf.conftest import UYGHUR_NAME, Built


@pytest.mark.parametrize("name", ["org_zh", "org_en", "dotted_zh", "center_zh", "center_en"])
def test_every_printed_character_is_in_its_fonts_cmap(built: Built, name: str) -> None:
    chars = pdfread.chars(built.path(name))
    assert len(chars) > 500
    missing = Counter(
        (ch, font)
        for ch, font, _ in chars
        if not ch.isspace() and ord(ch) not in pdfread.cmap(font)
    )
    assert not missing, f"blank glyphs in {name}: {missing.most_common(10)}"
    used = {font for _, font, _ in chars}
    assert "WenQuanYiMicroHei" in used
    if name in ("org_zh", "org_en", "center_zh"):  # those print Uyghur script
        assert "UKIJTuz" in used


def test_the_pack_too(built: Built) -> None:
    chars = pdfread.chars(built.path("pack_zh"))
    bad = {(ch, f) for ch, f, _ in chars if not ch.isspace() and ord(ch) not in pdfread.cmap(f)}
    assert not bad


def test_uyghur_prints_in_ukij_and_han_in_wenquanyi(built: Built) -> None:
    for ch, font, _ in pdfread.chars(built.path("org_zh")):
        if fonts.is_arabic_script(ch):
            assert font == "UKIJTuz", ch
        elif "\u4e00" <= ch <= "\u9fff" or ch in "·¥，、（）":
            assert font == "WenQuanYiMicroHei", ch


def test_runs_split_by_script_and_keep_neutrals_with_their_neighbours() -> None:
    shown = visual("ئۈمىد 2号 服务中心·ئەمەت (12)")
    parts = runs(shown)
    assert "".join(t for _, t in parts) == shown
    for font, text in parts:
        assert all(ord(c) in fonts.cmap(font) for c in text), (font, text)
    assert {f for f, _ in parts} == {HAN, UYGHUR}
    # A whole Uyghur name, spaces included, is one run.
    assert runs(visual(UYGHUR_NAME)) == [(UYGHUR, visual(UYGHUR_NAME))]
    assert runs(visual(UYGHUR_NAME), bold=True) == [(UYGHUR_BOLD, visual(UYGHUR_NAME))]
    assert runs("51650102MJ0000901G") == [(HAN, "51650102MJ0000901G")]
    assert runs("") == []


def test_characters_no_font_has_fall_to_han_and_are_reported() -> None:
    # U+26A0 (warning sign) is in neither font: the cmap test above would catch it.
    assert runs("⚠") == [(HAN, "⚠")]
    assert 0x26A0 not in fonts.cmap(HAN)


def test_lines_are_broken_before_they_are_reordered() -> None:
    text = "بىر ئىككى ئۈچ تۆت بەش ئالتە يەتتە سەككىز توققۇز ئون"
    lines = break_lines(text, 80, 10)
    assert len(lines) > 2
    assert " ".join(lines) == text  # logical order, nothing lost
    assert all(fonts.string_width(visual(line), 10) <= 80 for line in lines)
    # Chinese breaks between characters, English at spaces.
    assert break_lines("社会组织孵化进展报告" * 4, 100, 10)[0].startswith("社会组织")
    # A word wider than the line is cut by characters, nothing lost.
    assert break_lines("a b c", 5, 10) == ["a", "b", "c"]
    cut = break_lines("51650102MJ0000901G", 30, 10)
    assert len(cut) > 2 and "".join(cut) == "51650102MJ0000901G"
