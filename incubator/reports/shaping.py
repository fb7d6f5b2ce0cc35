"""One line of text as it is drawn: bidi levels, font runs, HarfBuzz shaping, visual order.

ReportLab draws code points, not glyphs, and knows nothing of Arabic joining or of
right-to-left order. So each line is cut into segments of one bidi level and one font
(``fonts.runs``), Arabic-script segments are shaped by HarfBuzz with the very font file the
PDF embeds, each glyph HarfBuzz picks is written back as a code point that the font maps to
that glyph, and the segments are put in visual order (Unicode bidi rule L2). The result is the
glyph sequence HarfBuzz, and so pango, Qt or a browser, would draw.

Levels come from python-bidi's pure-Python Unicode bidi algorithm; the direction of a line
is the direction of its paragraph (its first strong character), given by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import uharfbuzz as hb
from bidi import algorithm as uba
from bidi.algorithm import MIRRORED

from incubator.reports import fonts
from incubator.reports.fonts import has_arabic_script, is_arabic_script, run_size


@dataclass(frozen=True)
class Segment:
    """A piece of one line in one font, drawn left to right as ``drawn``.

    ``logical`` is the same piece as typed (reading order): the text a PDF reader should
    find for it when ``drawn`` holds shaped presentation forms.
    """

    font: str
    drawn: str
    logical: str
    rtl: bool = False

    @property
    def shaped(self) -> bool:
        return self.drawn != self.logical

    def width(self, size: float) -> float:
        return fonts.width_of(self.drawn, self.font, run_size(self.font, size))


def levels(text: str, rtl: bool) -> list[int]:
    """Resolved bidi embedding level of each character (rules P to I, no reordering)."""
    storage = uba.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    uba.get_embedding_levels(text, storage)
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    return [c["level"] for c in storage["chars"]]


def segments(line: str, rtl: bool, bold: bool = False) -> list[Segment]:
    """The line's segments in visual order, left to right."""
    if not line:
        return []
    if not rtl and not has_arabic_script(line):
        # Left to right with no Arabic script: the bidi algorithm leaves it as it is.
        return [Segment(f, t, t) for f, t in fonts.runs(line, bold)]
    lv = levels(line, rtl)
    pieces: list[tuple[int, str, str]] = []  # (level, font, logical text)
    pos = 0
    for font, text in fonts.runs(line, bold):
        start = pos
        for i in range(pos + 1, pos + len(text) + 1):
            if i == pos + len(text) or lv[i] != lv[start]:
                pieces.append((lv[start], font, line[start:i]))
                start = i
        pos += len(text)
    order = _visual_order([lvl for lvl, _, _ in pieces])
    return [
        Segment(font, shape(text, font, level % 2 == 1), text, level % 2 == 1)
        for level, font, text in (pieces[i] for i in order)
    ]


def _visual_order(piece_levels: list[int]) -> list[int]:
    """Rule L2: from the highest level down to the lowest odd one, reverse every maximal
    sequence of pieces at that level or above."""
    order = list(range(len(piece_levels)))
    if not piece_levels:
        return order
    lowest_odd = min(lvl for lvl in piece_levels) | 1
    for level in range(max(piece_levels), lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if piece_levels[order[i]] >= level:
                j = i
                while j < len(order) and piece_levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


@lru_cache(maxsize=65536)
def shape(text: str, font: str, rtl: bool) -> str:
    """``text`` as drawn left to right in ``font``: shaped code points when it has Arabic
    script, reversed and mirrored when it runs right to left, as it is otherwise."""
    if any(map(is_arabic_script, text)):
        table = _glyph_chars(font)
        ids = glyphs(text, font, rtl)
        if all(g in table for g in ids):
            return "".join(chr(table[g]) for g in ids)
        # A glyph only GSUB reaches has no code point ReportLab could draw it by: print the
        # letters unjoined rather than blanks (the corpus test proves UKIJ Tuz never needs it).
    if rtl:
        return "".join(MIRRORED.get(ch, ch) for ch in reversed(text))
    return text


def glyphs(text: str, font: str, rtl: bool) -> list[int]:
    """HarfBuzz's glyph ids for ``text`` in ``font``, left to right."""
    buf = hb.Buffer()
    buf.add_str(text)
    buf.direction = "rtl" if rtl else "ltr"
    buf.script = "Arab"
    buf.language = "ug"
    hb.shape(_hb_font(font), buf, {})
    return [info.codepoint for info in buf.glyph_infos]


@cache
def _hb_font(font: str) -> hb.Font:
    filename, index = fonts.FILES[font]
    return hb.Font(hb.Face(hb.Blob.from_file_path(str(fonts.FONT_DIR / filename)), index))


@cache
def _glyph_chars(font: str) -> dict[int, int]:
    """For each glyph, a code point the font maps to it: a presentation form when there is
    one (so copied text reads as the shaped letter), else the lowest."""
    out: dict[int, int] = {}
    for code, gid in sorted(fonts.face(font).charToGlyph.items()):
        if gid and (gid not in out or (_presentation(code) and not _presentation(out[gid]))):
            out[gid] = code
    return out


def _presentation(code: int) -> bool:
    return 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF


def drawn(line: str, rtl: bool, bold: bool = False) -> str:
    """The line's drawn code points, left to right (for measuring and for tests)."""
    return "".join(s.drawn for s in segments(line, rtl, bold))


def line_width(line: str, size: float, rtl: bool, bold: bool = False) -> float:
    return sum(s.width(size) for s in segments(line, rtl, bold))


__all__ = ["Segment", "drawn", "glyphs", "levels", "line_width", "segments", "shape"]
