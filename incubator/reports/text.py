"""Text as it is printed: Uyghur shaped by HarfBuzz and put in visual (right-to-left) order,
every run in a font that has its characters, wrapped lines that stay in reading order.

- ``para(text, style)``: a flowable for any text. Text without Arabic script becomes an
  ordinary ReportLab Paragraph with ``<font>`` runs; text with it becomes a ``BidiParagraph``,
  which breaks each paragraph of the *logical* text into lines at the width it is given, then
  shapes and reorders each line (``shaping.segments``) and draws it. Each paragraph (a line of
  the text) takes its direction from its own first strong character, and a right-to-left one
  is right-aligned unless the style centres it.
- ``draw_text(canvas, x, y, text, ...)``: one line on a canvas (headers, footers, charts).

Shaped Uyghur is drawn as presentation-form code points, which no reader searches for. Each
shaped segment is therefore wrapped in a marked-content span whose ``/ActualText`` is the
text as typed: poppler-based viewers (Evince, Okular, pdftotext) and Acrobat then find and
copy the name as typed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from incubator.reports import shaping
from incubator.reports.fonts import HAN, has_arabic_script, is_rtl, run_size, runs

_TOKENS = re.compile(
    r"\s+|[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+"
)


def visual(line: str, rtl: bool | None = None) -> str:
    """One line's drawn code points, left to right: Uyghur shaped, right to left."""
    if not has_arabic_script(line) and not rtl:
        return line
    return shaping.drawn(line, is_rtl(line) if rtl is None else rtl)


def markup(text: str, size: float, bold: bool = False) -> str:
    """Paragraph markup of one visual-order text: each run in its font, XML-escaped."""
    parts = runs(text, bold)
    if len(parts) == 1 and parts[0][0] == HAN:
        return escape(text)  # the style's font is HAN
    return "".join(
        escape(t)
        if f == HAN
        else f'<font name="{f}" size="{run_size(f, size):.2f}">{escape(t)}</font>'
        for f, t in parts
    )


def line_width(logical: str, size: float, bold: bool = False, rtl: bool | None = None) -> float:
    if not has_arabic_script(logical) and not rtl:
        return sum(s.width(size) for s in shaping.segments(logical, False, bold))
    return shaping.line_width(logical, size, is_rtl(logical) if rtl is None else rtl, bold)


def break_lines(
    text: str, width: float, size: float, bold: bool = False, rtl: bool | None = None
) -> list[str]:
    """Logical lines no wider than ``width``; a word wider than that is cut by characters.

    Lines break at spaces and between Han characters; explicit line breaks are kept. A line
    is as wide as its tokens together (a space ends every joining, and reordering moves
    pieces without changing their widths), so each token is shaped and measured once.
    """
    out: list[str] = []
    for paragraph in text.split("\n"):
        direction = is_rtl(paragraph) if rtl is None else rtl
        line, used = "", 0.0
        for token in _TOKENS.findall(paragraph):
            w = _token_width(token, size, bold, direction)
            if not line:
                if token.isspace():
                    continue
                line, used = token, w
            elif token.isspace() or used + w <= width:
                line, used = line + token, used + w
                continue
            else:
                out.append(line.rstrip())
                line, used = ("", 0.0) if token.isspace() else (token, w)
            if line and used > width:
                head, line = _cut(line, width, size, bold, direction)
                out.extend(head)
                used = line_width(line, size, bold, direction)
        out.append(line.rstrip())
    return out


@lru_cache(maxsize=65536)
def _token_width(token: str, size: float, bold: bool, rtl: bool) -> float:
    return line_width(token, size, bold, rtl)


def _cut(word: str, width: float, size: float, bold: bool, rtl: bool) -> tuple[list[str], str]:
    lines: list[str] = []
    current = ""
    for ch in word:
        if current and line_width(current + ch, size, bold, rtl) > width:
            lines.append(current)
            current = ch
        else:
            current += ch
    return lines, current


def draw_segments(canvas, x: float, y: float, segments: list[shaping.Segment], size: float):
    """Draw one line's segments left to right from x; shaped ones carry their typed text."""
    for seg in segments:
        if seg.shaped:
            typed = (
                (seg.logical[::-1] if seg.rtl else seg.logical).encode("utf-16-be").hex().upper()
            )
            canvas.addLiteral(f"/Span <</ActualText <FEFF{typed}>>> BDC")
        canvas.setFont(seg.font, run_size(seg.font, size))
        canvas.drawString(x, y, seg.drawn)
        if seg.shaped:
            canvas.addLiteral("EMC")
        x += seg.width(size)


class _Line:
    __slots__ = ("rtl", "segments", "width")

    def __init__(self, logical: str, rtl: bool, size: float, bold: bool) -> None:
        self.rtl = rtl
        self.segments = shaping.segments(logical, rtl, bold)
        self.width = sum(s.width(size) for s in self.segments)


class BidiParagraph(Flowable):
    """A paragraph with Uyghur text: lines broken in logical order, each shaped, reordered and
    drawn by us (ReportLab's Paragraph would reorder and re-split them).

    Every line of the text is a paragraph with its own direction; a right-to-left one is
    right-aligned in a left-aligned or justified style.
    """

    def __init__(self, text: str, style: ParagraphStyle, bold: bool = False) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self.bold = bold
        self._lines: list[_Line] | None = None
        self._width: float | None = None

    @classmethod
    def _of_lines(cls, lines: list[_Line], parent: BidiParagraph) -> BidiParagraph:
        part = cls(parent.text, parent.style, parent.bold)
        part._lines, part._width = lines, parent._width
        return part

    def _layout(self, avail_width: float) -> list[_Line]:
        if self._lines is None or self._width != avail_width:
            st = self.style
            inner = avail_width - st.leftIndent - st.rightIndent - 0.01
            self._lines = []
            for paragraph in self.text.split("\n"):
                rtl = is_rtl(paragraph)
                self._lines.extend(
                    _Line(line, rtl, st.fontSize, self.bold)
                    for line in break_lines(paragraph, inner, st.fontSize, self.bold, rtl)
                )
            self._width = avail_width
        return self._lines

    def wrap(self, availWidth, availHeight):
        lines = self._layout(availWidth)
        self.width, self.height = availWidth, len(lines) * self.style.leading
        return self.width, self.height

    def split(self, availWidth, availHeight):
        lines = self._layout(availWidth)
        fit = int((availHeight + 1e-6) // self.style.leading)
        if fit >= len(lines):
            return [self]
        if fit <= 0:
            return []
        return [self._of_lines(lines[:fit], self), self._of_lines(lines[fit:], self)]

    def draw(self) -> None:
        st = self.style
        lines = self._layout(self.width)
        left, right = st.leftIndent, self.width - st.rightIndent
        self.canv.setFillColor(st.textColor)
        for i, line in enumerate(lines):
            y = self.height - st.fontSize - i * st.leading
            if st.alignment == TA_CENTER:
                x = (left + right - line.width) / 2
            elif st.alignment == TA_RIGHT or line.rtl:
                x = right - line.width
            else:
                x = left
            draw_segments(self.canv, x, y, line.segments, st.fontSize)

    def getSpaceBefore(self):
        return self.style.spaceBefore

    def getSpaceAfter(self):
        return self.style.spaceAfter

    def minWidth(self):
        return max(line_width(w, self.style.fontSize, self.bold) for w in self.text.split() or [""])


def para(text: object, style: ParagraphStyle, bold: bool = False) -> Flowable:
    """A flowable printing ``text`` (None prints nothing); line breaks in the text are kept."""
    s = "" if text is None else str(text)
    if has_arabic_script(s):
        return BidiParagraph(s, style, bold)
    lines = s.split("\n")
    return Paragraph("<br/>".join(markup(line, style.fontSize, bold) for line in lines), style)


def draw_text(
    canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    align: str = "left",
    bold: bool = False,
) -> float:
    """Draw one line (shaped, reordered, run fonts) at baseline y; returns its width."""
    segments = shaping.segments(text, is_rtl(text), bold)
    width = sum(s.width(size) for s in segments)
    if align == "right":
        x -= width
    elif align == "center":
        x -= width / 2
    draw_segments(canvas, x, y, segments, size)
    return width


def fit(text: str, width: float, size: float) -> str:
    """The text, shortened with "…" to fit on one line of ``width``."""
    if line_width(text, size) <= width:
        return text
    while text and line_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"
