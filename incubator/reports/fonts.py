"""The bundled fonts, embedded in every report, and which of them prints which character.

ReportLab has no per-glyph fallback: a character missing from the font prints as a blank.
So text is cut into runs and each run gets a font whose cmap has its characters:
WenQuanYi Micro Hei (TTC subfont 0) for Han, Latin, digits, "·", "¥" and Chinese punctuation;
UKIJ Tuz for Uyghur (Arabic script). Characters both fonts have (spaces, digits, Latin
punctuation) stay in the run they stand in, so an Uyghur name is one run.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from incubator.paths import RESOURCES

FONT_DIR = RESOURCES / "fonts"
HAN = "WenQuanYiMicroHei"
UYGHUR = "UKIJTuz"
UYGHUR_BOLD = "UKIJTuz-Bold"

# UKIJ Tuz draws its letters small for their point size (alef 0.6 em, Han 0.9 em): Uyghur
# runs are set this much larger so mixed lines look even.
UYGHUR_SCALE = 1.15

FILES = {
    HAN: ("wqy-microhei.ttc", 0),
    UYGHUR: ("UKIJTuz.ttf", 0),
    UYGHUR_BOLD: ("UKIJTuzBold.ttf", 0),
}

_lock = threading.Lock()
_registered = False


def register() -> None:
    """Register the bundled fonts with ReportLab once per process (thread-safe)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, (filename, index) in FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename), subfontIndex=index))
        _registered = True


def face(font: str):
    """ReportLab's parsed font file (its ``charToGlyph`` and ``charWidths`` tables)."""
    register()
    return pdfmetrics.getFont(font).face


@cache
def cmap(font: str) -> frozenset[int]:
    """Code points the font has a glyph for."""
    return frozenset(c for c, g in face(font).charToGlyph.items() if g)


def width_of(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def is_arabic_script(ch: str) -> bool:
    o = ord(ch)
    return (
        0x0600 <= o <= 0x06FF
        or 0x0750 <= o <= 0x077F
        or 0x08A0 <= o <= 0x08FF
        or 0xFB50 <= o <= 0xFDFF
        or 0xFE70 <= o <= 0xFEFF
    )


_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def has_arabic_script(text: str) -> bool:
    return _ARABIC.search(text) is not None


def is_rtl(text: str) -> bool:
    """True when the first strongly directional character is right-to-left."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def _strong_font(ch: str, bold: bool) -> str | None:
    """The font a character must be printed in, or None when either will do."""
    uyghur = UYGHUR_BOLD if bold else UYGHUR
    if is_arabic_script(ch):
        return uyghur
    o = ord(ch)
    in_han, in_ug = o in cmap(HAN), o in cmap(uyghur)
    if in_han and in_ug:
        return None
    if in_han or not in_ug:
        return HAN  # a character neither font has falls to HAN (a test catches it)
    return uyghur


def runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """[(font, text), ...] covering ``text`` in order; neutral characters join a neighbour."""
    if not text:
        return []
    if not has_arabic_script(text) and cmap(HAN).issuperset(map(ord, text)):
        return [(HAN, text)]  # the usual case: Chinese, Latin, digits
    strong = [_strong_font(ch, bold) for ch in text]
    resolved: list[str] = []
    current = next((f for f in strong if f), HAN)
    for f in strong:
        if f:
            current = f
        resolved.append(current)
    out: list[tuple[str, str]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or resolved[i] != resolved[start]:
            out.append((resolved[start], text[start:i]))
            start = i
    return out


def run_size(font: str, size: float) -> float:
    return size * UYGHUR_SCALE if font != HAN else size


def string_width(text: str, size: float, bold: bool = False) -> float:
    """Width of already visual-order text printed with the run fonts."""
    return sum(pdfmetrics.stringWidth(t, f, run_size(f, size)) for f, t in runs(text, bold))
