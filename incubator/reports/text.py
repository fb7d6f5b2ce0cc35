"""Text as it is printed: Uyghur shaped and put in visual (right-to-left) order, every run in a
font that has its characters, wrapped lines that stay in reading order.

- ``para(text, style)``: a flowable for any text. Text without Arabic script becomes an
  ordinary ReportLab Paragraph with ``<font>`` runs; text with it becomes a ``BidiParagraph``,
  which breaks the *logical* text into lines at the width it is given, then shapes and
  reorders each line (reordering a whole paragraph first would put its end on the first line).
- ``draw_text(canvas, x, y, text, ...)``: one line on a canvas (headers, footers, charts).
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi.algorithm import get_display
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph

from incubator.reports import fonts
from incubator.reports.fonts import HAN, has_arabic_script, is_rtl, run_size, runs

_TOKENS = re.compile(
    r"\s+|[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+"
)


def visual(line: str, rtl: bool | None = None) -> str:
    """One line in the order it is drawn: Uyghur letters in their joined forms, right to left."""
    if not has_arabic_script(line):
        return line
    base = "R" if (is_rtl(line) if rtl is None else rtl) else "L"
    return get_display(arabic_reshaper.reshape(line), base_dir=base)


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
    return fonts.string_width(visual(logical, rtl), size, bold)


def break_lines(
    text: str, width: float, size: float, bold: bool = False, rtl: bool | None = None
) -> list[str]:
    """Logical lines no wider than ``width``; a word wider than that is cut by characters.

    Lines break at spaces and between Han characters; explicit line breaks are kept.
    """
    out: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _TOKENS.findall(paragraph):
            if not line:
                if token.isspace():
                    continue
                line = token
            elif token.isspace() or line_width(line + token, size, bold, rtl) <= width:
                line += token
                continue
            else:
                out.append(line.rstrip())
                line = "" if token.isspace() else token
            if line and line_width(line, size, bold, rtl) > width:
                head, line = _cut(line, width, size, bold, rtl)
                out.extend(head)
        out.append(line.rstrip())
    return out


def _cut(
    word: str, width: float, size: float, bold: bool, rtl: bool | None
) -> tuple[list[str], str]:
    lines: list[str] = []
    current = ""
    for ch in word:
        if current and line_width(current + ch, size, bold, rtl) > width:
            lines.append(current)
            current = ch
        else:
            current += ch
    return lines, current


class BidiParagraph(Flowable):
    """A paragraph with Uyghur text: lines broken in logical order, each shaped and reordered.

    With ``rtl_align`` a right-to-left paragraph in a left-aligned style is right-aligned
    (running text); table cells keep the column's alignment.
    """

    def __init__(
        self, text: str, style: ParagraphStyle, bold: bool = False, rtl_align: bool = False
    ) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self.bold = bold
        self.rtl_align = rtl_align
        self.rtl = is_rtl(text)
        self._para: Paragraph | None = None
        self._width: float | None = None

    def _build(self, avail_width: float) -> Paragraph:
        if self._para is None or self._width != avail_width:
            st = self.style
            inner = avail_width - st.leftIndent - st.rightIndent - 0.01
            lines = break_lines(self.text, inner, st.fontSize, self.bold, self.rtl)
            body = "<br/>".join(
                markup(visual(line, self.rtl), st.fontSize, self.bold) for line in lines
            )
            if self.rtl and self.rtl_align and st.alignment == TA_LEFT:
                st = ParagraphStyle(st.name + "-rtl", parent=st, alignment=TA_RIGHT)
            self._para = Paragraph(body, st)
            self._width = avail_width
        return self._para

    def wrap(self, availWidth, availHeight):
        para = self._build(availWidth)
        self.width, self.height = para.wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        return self._build(availWidth).split(availWidth, availHeight)

    def draw(self) -> None:
        assert self._para is not None
        self._para.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self):
        return self.style.spaceBefore

    def getSpaceAfter(self):
        return self.style.spaceAfter

    def minWidth(self):
        return max(line_width(w, self.style.fontSize, self.bold) for w in self.text.split() or [""])


def para(
    text: object, style: ParagraphStyle, bold: bool = False, rtl_align: bool = False
) -> Flowable:
    """A flowable printing ``text`` (None prints nothing); line breaks in the text are kept."""
    s = "" if text is None else str(text)
    if has_arabic_script(s):
        return BidiParagraph(s, style, bold, rtl_align)
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
    shown = visual(text)
    parts = runs(shown, bold)
    width = sum(pdfmetrics.stringWidth(t, f, run_size(f, size)) for f, t in parts)
    if align == "right":
        x -= width
    elif align == "center":
        x -= width / 2
    for font, chunk in parts:
        canvas.setFont(font, run_size(font, size))
        canvas.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, font, run_size(font, size))
    return width


def fit(text: str, width: float, size: float) -> str:
    """The text, shortened with "…" to fit on one line of ``width``."""
    if line_width(text, size) <= width:
        return text
    while text and line_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"
