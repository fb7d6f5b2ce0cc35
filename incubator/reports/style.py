"""The look of every report: page geometry, colours, paragraph styles and the standard table.

One font family (WenQuanYi Micro Hei) for Han and Latin; hierarchy comes from size, colour
and rules. Tables: a dark header band, light stripes, numbers right-aligned, a shaded total.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Table, TableStyle

from incubator.reports.fonts import HAN, has_arabic_script, register
from incubator.reports.text import para

PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGIN_X = 20 * mm
MARGIN_TOP = 27 * mm
MARGIN_BOTTOM = 20 * mm

NAVY = colors.HexColor("#1F3A5F")
ACCENT = colors.HexColor("#2E6DA4")
RULE = colors.HexColor("#B8C4D2")
STRIPE = colors.HexColor("#F3F6FA")
TOTAL_BG = colors.HexColor("#E3E9F2")
MUTED = colors.HexColor("#5B6573")
TEXT = colors.HexColor("#1E2329")
PALETTE = [
    colors.HexColor(c)
    for c in ("#2E6DA4", "#E08E2B", "#4C9A6A", "#B5485D", "#7A5EA8", "#8C8C8C", "#3BA3B8")
]

CELL_PAD = 3.5
WARNING = colors.HexColor("#B3261E")


class Styles:
    """Paragraph styles for one language (Chinese wraps between any two Han characters)."""

    def __init__(self, lang: str) -> None:
        register()
        self.lang = lang
        wrap = "CJK" if lang == "zh_CN" else None

        def style(name: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
            kw.setdefault("textColor", TEXT)
            return ParagraphStyle(
                name,
                fontName=HAN,
                fontSize=size,
                leading=leading,
                wordWrap=wrap,
                splitLongWords=1,
                embeddedHyphenation=1,  # "Purchased-service" breaks after its hyphen
                shaping=0,
                **kw,
            )

        self.title = style("title", 21, 28, alignment=TA_CENTER, textColor=NAVY, spaceAfter=4)
        self.cover_name = style("coverName", 19, 27, alignment=TA_CENTER, textColor=NAVY)
        self.cover_title = style("coverTitle", 28, 38, alignment=TA_CENTER, textColor=NAVY)
        self.cover_period = style("coverPeriod", 15, 24, alignment=TA_CENTER, spaceBefore=6)
        self.subtitle = style("subtitle", 15, 22, alignment=TA_CENTER, spaceAfter=5)
        self.period = style("period", 10.5, 15, alignment=TA_CENTER, textColor=MUTED)
        # What a committee must see first: an organization on the authority's lists.
        self.warning = style("warning", 10.5, 15, alignment=TA_CENTER, textColor=WARNING)
        self.h1 = style("h1", 13.5, 18, textColor=NAVY, spaceBefore=12, spaceAfter=5)
        self.h2 = style("h2", 10.5, 14, textColor=ACCENT, spaceBefore=8, spaceAfter=3)
        self.body = style("body", 9.5, 15, spaceAfter=3)
        self.note = style("note", 8, 11.5, textColor=MUTED, spaceBefore=2)
        self.cell = style("cell", 8.3, 10.8)
        self.cell_right = style("cellR", 8.3, 10.8, alignment=TA_RIGHT)
        self.cell_center = style("cellC", 8.3, 10.8, alignment=TA_CENTER)
        self.head = style("head", 8.3, 10.5, textColor=colors.white)
        self.head_right = style("headR", 8.3, 10.5, textColor=colors.white, alignment=TA_RIGHT)
        self.label = style("label", 8.3, 10.8, textColor=MUTED)
        self.kf_value = style("kfv", 14, 18, alignment=TA_CENTER, textColor=NAVY)
        self.kf_label = style("kfl", 8, 10.5, alignment=TA_CENTER, textColor=MUTED)
        self.toc = style("toc", 10, 15, alignment=TA_LEFT)
        self.toc1 = style("toc1", 11.5, 17, alignment=TA_LEFT, textColor=NAVY)
        self.small = style("small", 7.4, 9.4)
        self.small_right = style("smallR", 7.4, 9.4, alignment=TA_RIGHT)
        self.small_head = style("smallH", 7.4, 9.2, textColor=colors.white)
        self.small_head_right = style(
            "smallHR", 7.4, 9.2, textColor=colors.white, alignment=TA_RIGHT
        )


@cache
def styles(lang: str) -> Styles:
    return Styles(lang)


def _fits(text: str, width: float, size: float) -> bool:
    return "\n" not in text and pdfmetrics.stringWidth(text, HAN, size) <= width


_UNIT = re.compile(r"\s*([（(][^（()）]*[）)])$")


def unit_on_its_own_line(header: str) -> str:
    """A header too wide for its column breaks before its unit ("时长\n（小时）"), never
    inside it ("时长（小/时）")."""
    return _UNIT.sub(lambda m: "\n" + m[1], header, count=1) if "\n" not in header else header


class Grid:
    """Cells of a standard table, converted once: text that fits stays a plain string (fast),
    the rest (Uyghur script, too long) becomes a paragraph; ``numeric`` columns align right."""

    def __init__(
        self,
        widths: Sequence[float],
        st: Styles,
        numeric: Sequence[int] = (),
        small: bool = False,
    ) -> None:
        self.widths, self.st, self.numeric, self.small = list(widths), st, set(numeric), small
        self.body = st.small if small else st.cell
        self.padding = 2.6 if small else 3.2

    def cell(self, value: Any, col: int, head: bool = False) -> Any:
        if isinstance(value, Flowable) or value is None:
            return "" if value is None else value
        text = str(value)
        size = self.body.fontSize
        if not has_arabic_script(text) and _fits(text, self.widths[col] - 2 * CELL_PAD, size):
            return text
        st, num = self.st, col in self.numeric
        if head:
            text = unit_on_its_own_line(text)
            if self.small:
                pst = st.small_head_right if num else st.small_head
            else:
                pst = st.head_right if num else st.head
        elif num:
            pst = st.small_right if self.small else st.cell_right
        else:
            pst = self.body
        return para(text, pst)

    def row(self, values: Sequence[Any], head: bool = False) -> list[Any]:
        return [self.cell(v, i, head) for i, v in enumerate(values)]

    def height(self, row: Sequence[Any]) -> float:
        """The row's height as ReportLab's Table computes it."""
        h = self.body.leading
        for cell, w in zip(row, self.widths, strict=True):
            if isinstance(cell, Flowable):
                h = max(h, cell.wrap(w - 2 * CELL_PAD, 1e6)[1])
            elif cell and "\n" in cell:
                h = max(h, self.body.leading * (cell.count("\n") + 1))
        return h + 2 * self.padding

    def table(
        self,
        head: list[Any],
        body: Sequence[list[Any]],
        total: list[Any] | None = None,
        repeat_header: bool = True,
        extra_style: Sequence[tuple] = (),
    ) -> Table:
        data = [head, *body] + ([total] if total is not None else [])
        n = len(data)
        cmds: list[tuple] = [
            ("FONT", (0, 0), (-1, -1), HAN, self.body.fontSize, self.body.leading),
            ("TEXTCOLOR", (0, 0), (-1, -1), TEXT),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
            ("BACKGROUND", (0, 0), (-1, 0), NAVY),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), self.padding),
            ("BOTTOMPADDING", (0, 0), (-1, -1), self.padding),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
            ("LINEBELOW", (0, 0), (-1, -1), 0.35, RULE),
            ("LINEBELOW", (0, -1), (-1, -1), 0.8, NAVY),
        ]
        if n > 2:
            cmds.append(("ROWBACKGROUNDS", (0, 1), (-1, n - 1), [colors.white, STRIPE]))
        for col in self.numeric:
            cmds.append(("ALIGN", (col, 0), (col, -1), "RIGHT"))
        if total is not None:
            cmds += [
                ("BACKGROUND", (0, -1), (-1, -1), TOTAL_BG),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, NAVY),
                ("TEXTCOLOR", (0, -1), (-1, -1), NAVY),
            ]
        cmds += list(extra_style)
        return Table(
            data,
            colWidths=self.widths,
            repeatRows=1 if repeat_header else 0,
            style=TableStyle(cmds),
            hAlign="LEFT",
        )


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    st: Styles,
    *,
    numeric: Sequence[int] = (),
    total: Sequence[Any] | None = None,
    small: bool = False,
    repeat_header: bool = True,
    extra_style: Sequence[tuple] = (),
) -> Table:
    """The standard table: a dark header band, light stripes, a shaded total row."""
    g = Grid(widths, st, numeric, small)
    return g.table(
        g.row(header, head=True),
        [g.row(r) for r in rows],
        g.row(total) if total is not None else None,
        repeat_header,
        extra_style,
    )


def key_value_table(
    pairs: Sequence[tuple[str, Any]], width: float, st: Styles, columns: int = 2
) -> Table:
    """A profile: label / value pairs in ``columns`` pairs of columns, light rules."""
    label_w = width / columns * 0.36
    value_w = width / columns - label_w
    rows: list[list[Any]] = []
    for i in range(0, len(pairs), columns):
        row: list[Any] = []
        for label, value in pairs[i : i + columns]:
            row += [para(label, st.label), para("—" if value in (None, "") else value, st.cell)]
        while len(row) < 2 * columns:
            row += ["", ""]
        rows.append(row)
    widths = [label_w, value_w] * columns
    cmds = [
        ("FONTNAME", (0, 0), (-1, -1), HAN),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("LINEBELOW", (0, 0), (-1, -1), 0.35, RULE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, NAVY),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, NAVY),
    ]
    for c in range(columns):
        cmds.append(("BACKGROUND", (2 * c, 0), (2 * c, -1), STRIPE))
    return Table(rows, colWidths=widths, style=TableStyle(cmds), hAlign="LEFT")


def cover_facts(pairs: Sequence[tuple[str, str]], width: float, st: Styles) -> Table:
    """Label / value lines under a cover's title (purchaser, operator, contract, date)."""
    rows = [[para(label, st.label), para(value, st.body)] for label, value in pairs]
    t = Table(rows, colWidths=[0.32 * width, 0.68 * width], hAlign="CENTER")
    t.setStyle(
        plain_style(
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.35, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        )
    )
    return t


def key_figures(items: Sequence[tuple[str, str]], width: float, st: Styles) -> Table:
    """A band of big numbers with their labels underneath."""
    n = len(items)
    w = width / n
    values = []
    for _, v in items:
        size = st.kf_value.fontSize
        while size > 8 and pdfmetrics.stringWidth(v, HAN, size) > w - 8:
            size -= 0.5
        style = ParagraphStyle("kfv-fit", parent=st.kf_value, fontSize=size, leading=18)
        values.append(para(v, style))
    labels = [para(label, st.kf_label) for label, _ in items]
    cmds = [
        ("FONTNAME", (0, 0), (-1, -1), HAN),
        ("BACKGROUND", (0, 0), (-1, -1), STRIPE),
        ("LINEABOVE", (0, 0), (-1, 0), 1.6, NAVY),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, 0), 7),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 0),
        ("TOPPADDING", (0, 1), (-1, 1), 1),
        ("BOTTOMPADDING", (0, 1), (-1, 1), 7),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for c in range(1, n):
        cmds.append(("LINEBEFORE", (c, 0), (c, -1), 0.5, colors.white))
    return Table([values, labels], colWidths=[w] * n, style=TableStyle(cmds), hAlign="LEFT")


class LongTable(Flowable):
    """A table of thousands of rows, laid out in linear time.

    ReportLab's Table rebuilds and re-measures all remaining rows at every page break
    (quadratic for 10,000 rows). This converts and measures each row once, then hands the
    frame one page-sized Table at a time, each with the header row.
    """

    def __init__(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float],
        st: Styles,
        *,
        total: Sequence[Any] | None = None,
        numeric: Sequence[int] = (),
        small: bool = False,
    ) -> None:
        super().__init__()
        self.grid = Grid(widths, st, numeric, small)
        self.width = sum(widths)
        self._source = (header, rows, total)
        self._head: list[Any] = []
        self._body: list[list[Any]] = []
        self._total: list[Any] | None = None
        self._heights: list[float] = []
        self._head_h = self._total_h = 0.0

    def _prepare(self) -> None:
        if self._source is None:
            return
        header, rows, total = self._source
        g = self.grid
        self._head = g.row(header, head=True)
        self._body = [g.row(r) for r in rows]
        self._total = g.row(total) if total is not None else None
        self._head_h = g.height(self._head)
        self._heights = [g.height(r) for r in self._body]
        self._total_h = g.height(self._total) if self._total is not None else 0.0
        self._source = None

    def _rest(self, k: int) -> LongTable:
        rest = LongTable.__new__(LongTable)
        Flowable.__init__(rest)
        rest.grid, rest.width, rest._source = self.grid, self.width, None
        rest._head, rest._body, rest._total = self._head, self._body[k:], self._total
        rest._heights = self._heights[k:]
        rest._head_h, rest._total_h = self._head_h, self._total_h
        return rest

    def _chunk(self, k: int) -> Table:
        last = k >= len(self._body)
        return self.grid.table(self._head, self._body[:k], self._total if last else None)

    def wrap(self, availWidth, availHeight):
        self._prepare()
        self.height = self._head_h + sum(self._heights) + self._total_h
        return self.width, self.height

    def split(self, availWidth, availHeight):
        self._prepare()
        room = availHeight - self._head_h
        k, used, n = 0, 0.0, len(self._body)
        while k < n and used + self._heights[k] <= room:
            used += self._heights[k]
            k += 1
        if k == n and used + self._total_h > room:
            k -= 1  # the total row goes with at least one data row
        if k <= 0:
            return []
        if k >= n:
            return [self._chunk(n)]
        return [self._chunk(k), self._rest(k)]

    def draw(self) -> None:
        t = self._chunk(len(self._body))
        t.wrap(self.width, self.height)
        t.drawOn(self.canv, 0, 0)


def plain_style(*commands: tuple) -> TableStyle:
    """A layout-only table style (no rules); the font set so no base-14 font is referenced."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), HAN), *commands])
