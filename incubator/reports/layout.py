"""The document frame shared by all reports.

- ``ReportDoc``: A4 portrait and landscape page templates; the running header (logo, center
  name, report title) and footer (generation date, a note, "page X of Y") drawn after each
  page's content; outline entries (bookmarks) for headings; progress and cancellation.
- "of Y" and the page numbers in a table of contents are PDF form XObjects filled in when the
  document is saved, so one layout pass is enough (bookmarks then point at the right pages).
- ``write_pdf``: builds into a temporary file beside the target and moves it into place only
  when the whole document is done: a cancelled or failed report leaves no half-written file.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from reportlab.lib.units import mm as mm_
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Spacer,
)

from incubator import files
from incubator.errors import IncubatorError
from incubator.i18n import T, tr
from incubator.reports import fmt
from incubator.reports.fonts import HAN
from incubator.reports.style import (
    LANDSCAPE,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    NAVY,
    PORTRAIT,
    RULE,
    TEXT,
)
from incubator.reports.text import draw_text, fit, line_width, para

ProgressCallback = Callable[[int, int], bool]

FOOTER_SIZE = 7.5
FOOTER_Y = MARGIN_BOTTOM - 10 * mm_  # the footer's baseline


class ReportCancelled(IncubatorError):
    """The user stopped the report; no file was written."""

    key = "Report cancelled"


@dataclass(frozen=True)
class ReportResult:
    path: Path | None  # None when written to a file object
    pages: int
    bytes: int


class Progress:
    """Maps the phases of a report onto one ``progress(done, total) -> bool`` callback.

    ``done`` runs from 0 to ``TOTAL`` (per mille); a False return raises ReportCancelled.
    """

    TOTAL = 1000

    def __init__(self, callback: ProgressCallback | None) -> None:
        self.callback = callback
        self.last = -1

    def __call__(self, fraction: float) -> None:
        if self.callback is None:
            return
        done = max(0, min(self.TOTAL, int(fraction * self.TOTAL)))
        if done == self.last:
            return
        self.last = done
        if self.callback(done, self.TOTAL) is False:
            raise ReportCancelled()

    def span(self, start: float, end: float) -> Callable[[float], None]:
        return lambda f: self(start + (end - start) * max(0.0, min(1.0, f)))


# --- the canvas: deferred page totals -------------------------------------------------------


class ReportCanvas(Canvas):
    """Counts its pages and fills in "of Y" (a form drawn on every page) when saved."""

    def __init__(self, *args: Any, report_lang: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.report_lang = report_lang
        self.total_sizes: set[float] = set()
        self.pages = 0

    def page_total_form(self, size: float) -> str:
        self.total_sizes.add(size)
        return f"pageTotal{int(size * 10)}"

    def showPage(self) -> None:
        self.pages += 1
        super().showPage()

    def save(self) -> None:
        for size in self.total_sizes:
            self.beginForm(self.page_total_form(size), -200, -5, 200, size + 5)
            of_total(self, 0, 0, size, self.pages, self.report_lang)
            self.endForm()
        super().save()


# --- flowables that talk to the document -----------------------------------------------------


class Marker(Flowable):
    """Zero-size: changes the running header/footer from the page it lands on."""

    def __init__(self, title: str | None = None, note: str | None = None) -> None:
        super().__init__()
        self.title, self.note = title, note
        self.width = self.height = 0

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self) -> None:
        doc = self.canv._doctemplate
        if self.title is not None:
            doc.running_title = self.title
        if self.note is not None:
            doc.running_note = self.note


def bookmark(flowable: Flowable, key: str, title: str, level: int) -> Flowable:
    """Make the flowable an outline entry (and a target for the table of contents)."""
    flowable._bookmark = (key, title, level)  # type: ignore[attr-defined]
    return flowable


class SectionHeading(Flowable):
    """A numbered section title with a rule under it; kept with what follows."""

    def __init__(self, text: str, size: float = 13.5, color=NAVY) -> None:
        super().__init__()
        self.text, self.size, self.color = text, size, color
        self.spaceBefore, self.spaceAfter = 12, 6

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self.height = self.size * 1.35 + 4
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFillColor(self.color)
        c.rect(0, 2.5, 3.2, self.size * 1.05, stroke=0, fill=1)
        draw_text(c, 9, 4 + self.size * 0.22, fit(self.text, self.width - 12, self.size), self.size)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        c.line(0, 0, self.width, 0)


def section(label: str, key: str, level: int, room: float = 60 * mm_) -> list[Flowable]:
    """A section heading that starts a new page when less than ``room`` is left, so it never
    ends a page alone (a heading kept with a long table would push the table away instead)."""
    heading = SectionHeading(label)
    heading.keepWithNext = True  # and with whatever follows it, should that not fit
    return [CondPageBreak(room), bookmark(heading, key, label, level)]


def subsection(
    text: str, style, room: float = 38 * mm_, keep: Flowable | None = None
) -> list[Flowable]:
    """A sub-heading; with ``keep`` (a short table) the two move to the next page together."""
    if keep is not None:
        return [KeepTogether([para(text, style), keep])]
    heading = para(text, style)
    heading.keepWithNext = True
    return [CondPageBreak(room), heading]


class TocEntry(Flowable):
    """One line of a table of contents: title and dot leader. Its page number and link are
    added when the document's parts are put together (``assembly``): its document is a part
    (``ReportDoc(part=True)``), where it leaves a ``TocSlot``."""

    def __init__(self, text: str, key: str, level: int, size: float) -> None:
        super().__init__()
        self.text, self.key, self.level, self.size = text, key, level, size

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self.height = self.size * (1.9 if self.level == 0 else 1.55)
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        indent = 16 * self.level
        number_w = 34
        y = self.height * 0.3
        room = self.width - indent - number_w - 10
        shown = fit(self.text, room, self.size)
        c.setFillColor(NAVY if self.level == 0 else TEXT)
        w = draw_text(c, indent, y, shown, self.size)
        c.setFillColor(MUTED)
        c.setFont(HAN, self.size * 0.8)
        dots_from = indent + w + 5
        dots_to = self.width - number_w
        dot = stringWidth(" .", HAN, self.size * 0.8)
        if dots_to > dots_from + dot:
            c.drawRightString(dots_to, y, " ." * int((dots_to - dots_from) / dot))
        doc = c._doctemplate
        x0, y0 = c.absolutePosition(indent, 0)
        x1, y1 = c.absolutePosition(self.width, self.height)
        doc.toc_slots.append(TocSlot(self.key, doc.page, (x0, y0, x1, y1), y0 + y, self.size))


@dataclass(frozen=True)
class TocSlot:
    """Where a table of contents entry's page number goes: ``rect`` is the entry's line in
    page coordinates (its right edge is where the number ends), ``y`` the number's baseline."""

    key: str
    page: int
    rect: tuple[float, float, float, float]
    y: float
    size: float


@dataclass(frozen=True)
class Mark:
    """An outline entry (bookmark) of a part: ``top`` is the y its view opens at."""

    key: str
    title: str
    level: int
    page: int
    top: float


# --- the document --------------------------------------------------------------------------


@dataclass
class Letterhead:
    center_name: str
    logo: bytes | None  # the image stored in the registry
    generated: str  # the generation date, already formatted


class ReportDoc(BaseDocTemplate):
    def __init__(
        self,
        target: Any,
        *,
        lang: str,
        letterhead: Letterhead,
        title: str,
        note: str,
        subject: str = "",
        progress: Callable[[float], None] | None = None,
        part: bool = False,
    ) -> None:
        # A part of a bigger document (``reports.assembly``): its page numbers, outline and
        # contents numbers are only known once every part is laid out, so they are collected
        # here (``marks``, ``toc_slots``) rather than drawn.
        self.part = part
        self.marks: list[Mark] = []
        self.toc_slots: list[TocSlot] = []
        super().__init__(
            target,
            pagesize=PORTRAIT,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=title,
            author=letterhead.center_name,
            subject=subject,
            creator="Incubator Registry",
            lang="zh-CN" if lang == "zh_CN" else "en",
            initialFontName=HAN,
        )
        self.report_lang = lang
        self.letterhead = letterhead
        self.running_title = title
        self.running_note = note
        self._logo = _logo(letterhead.logo)
        self._progress = progress
        self._size_est = 1
        self._done = 0.0
        self.expected_pages = 1  # set by the report for the progress estimate
        pw, ph = PORTRAIT
        lw, lh = LANDSCAPE
        self.addPageTemplates(
            [
                PageTemplate(
                    "portrait",
                    [
                        Frame(
                            MARGIN_X,
                            MARGIN_BOTTOM,
                            pw - 2 * MARGIN_X,
                            ph - MARGIN_TOP - MARGIN_BOTTOM,
                            id="p",
                        )
                    ],
                    onPageEnd=self._decorate,
                    pagesize=PORTRAIT,
                ),
                PageTemplate(
                    "landscape",
                    [
                        Frame(
                            MARGIN_X,
                            MARGIN_BOTTOM,
                            lw - 2 * MARGIN_X,
                            lh - MARGIN_TOP - MARGIN_BOTTOM,
                            id="l",
                        )
                    ],
                    onPageEnd=self._decorate,
                    pagesize=LANDSCAPE,
                ),
            ]
        )
        if progress is not None:
            self.setProgressCallBack(self._on_progress)

    @property
    def body_width(self) -> float:
        return PORTRAIT[0] - 2 * MARGIN_X

    @property
    def landscape_width(self) -> float:
        return LANDSCAPE[0] - 2 * MARGIN_X

    def _on_progress(self, kind: str, value: int) -> None:
        """Flowables consumed or pages made, whichever says more (a long table is one
        flowable but many pages); cancelling raises from here and stops the build."""
        if kind == "SIZE_EST":
            self._size_est = max(1, value)
            return
        if kind == "PROGRESS":
            fraction = value / self._size_est
        elif kind == "PAGE":
            fraction = min(0.99, value / max(self.expected_pages, 1))
        else:
            return
        self._done = max(self._done, fraction)
        if self._progress is not None:
            self._progress(self._done)

    def afterFlowable(self, flowable: Flowable) -> None:
        mark = getattr(flowable, "_bookmark", None)
        if not mark:
            return
        key, title, level = mark
        c = self.canv
        top = self.frame._y + flowable.height + 6
        if self.part:
            self.marks.append(Mark(key, title, level, self.page, top))
            return
        c.bookmarkPage(key, fit="XYZ", left=0, top=top)
        c.addOutlineEntry(title, key, level=level, closed=level >= 1)

    def _decorate(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        w, h = canvas._pagesize
        lang = self.report_lang
        canvas.saveState()
        # Header: logo and center name left, report title right, a rule under both.
        top = h - 12 * mm_
        x = MARGIN_X
        if self._logo is not None:
            iw, ih = self._logo.getSize()
            lh = 8 * mm_  # sits on the rule, its top in the margin
            lw = min(lh * iw / ih if ih else lh, 30 * mm_)
            canvas.drawImage(self._logo, x, top - 5, lw, lh, mask="auto", preserveAspectRatio=True)
            x += lw + 2.5 * mm_
        canvas.setFillColor(NAVY)
        name = self.letterhead.center_name
        draw_text(canvas, x, top - 2, fit(name, (w - 2 * MARGIN_X) * 0.55, 10.5), 10.5)
        canvas.setFillColor(MUTED)
        room = w - 2 * MARGIN_X - line_width(name, 10.5) - (x - MARGIN_X) - 20
        draw_text(canvas, w - MARGIN_X, top - 2, fit(self.running_title, room, 8.5), 8.5, "right")
        canvas.setStrokeColor(NAVY)
        canvas.setLineWidth(0.9)
        canvas.line(MARGIN_X, top - 7, w - MARGIN_X, top - 7)
        # Footer: generation date left, note centre, page X of Y right.
        y = FOOTER_Y
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, y + 10, w - MARGIN_X, y + 10)
        canvas.setFillColor(MUTED)
        generated = tr("Generated on {date}", lang, date=self.letterhead.generated)
        draw_text(canvas, MARGIN_X, y, generated, FOOTER_SIZE)
        note = fit(self.running_note, (w - 2 * MARGIN_X) * 0.45, FOOTER_SIZE)
        draw_text(canvas, w / 2, y, note, FOOTER_SIZE, "center")
        if not self.part:
            page_number(canvas, w, doc.page, None, lang)
        canvas.restoreState()


def page_number(canvas: Canvas, width: float, page: int, total: int | None, lang: str) -> None:
    """ "Page X of Y" at the right of the footer; without ``total``, "of Y" is the canvas's
    form filled in when it is saved (``ReportCanvas``)."""
    x = width - MARGIN_X - 62
    canvas.setFillColor(MUTED)
    x += draw_text(canvas, x, FOOTER_Y, tr("Page {page}", lang, page=page), FOOTER_SIZE) + 3
    if total is None:
        canvas.saveState()
        canvas.translate(x, FOOTER_Y)
        canvas.doForm(canvas.page_total_form(FOOTER_SIZE))
        canvas.restoreState()
    else:
        of_total(canvas, x, FOOTER_Y, FOOTER_SIZE, total, lang)


def of_total(canvas: Canvas, x: float, y: float, size: float, total: int, lang: str) -> None:
    """The "of Y" after a page's number."""
    canvas.setFillColor(MUTED)
    canvas.setFont(HAN, size)
    canvas.drawString(x, y, tr("of {total}", lang, total=total))


def logo_image(data: bytes, size: float) -> Flowable:
    """The center's logo, ``size`` high and centred, or nothing when it cannot be read."""
    reader = _logo(data)
    if reader is None:
        return Spacer(1, 0)
    w, h = reader.getSize()
    image = Image(io.BytesIO(data), width=size * w / h, height=size)
    image.hAlign = "CENTER"
    return image


def _logo(data: bytes | None) -> ImageReader | None:
    """The center's logo, or None when unset or unreadable (the report prints without it)."""
    if not data:
        return None
    try:
        reader = ImageReader(io.BytesIO(data))
        reader.getSize()
        return reader
    except Exception:  # a moved or broken file must not stop the report
        return None


# --- writing -------------------------------------------------------------------------------

REPORT_TO = T("Cannot write the report to {path}: {reason}")


def check_target(out: str | Path) -> Path:
    """The path a report will be written to, or a ValidationError saying why it can't be."""
    return files.check_target(out, "file", REPORT_TO)


def write_pdf(out: str | Path | IO[bytes], build: Callable[[IO[bytes]], int]) -> ReportResult:
    """Run ``build(file) -> pages`` into ``out`` (a path or a binary file object)."""
    if not isinstance(out, str | Path):
        buffer = io.BytesIO()
        pages = build(buffer)
        data = buffer.getvalue()
        out.write(data)
        return ReportResult(None, pages, len(data))
    with files.replacing(out, "file", REPORT_TO) as part, open(part, "wb") as fh:
        pages = build(fh)
    path = Path(out).expanduser()
    return ReportResult(path, pages, path.stat().st_size)


def build_doc(doc: ReportDoc, story: list[Flowable], lang: str) -> int:
    """Lay out the story in one pass; returns the number of pages."""
    holder: dict[str, ReportCanvas] = {}

    def maker(*args: Any, **kwargs: Any) -> ReportCanvas:
        holder["canvas"] = ReportCanvas(*args, report_lang=lang, **kwargs)
        return holder["canvas"]

    doc.build(story, canvasmaker=maker)
    return holder["canvas"].pages


def letterhead(center_name: str, logo: bytes | None, generated, lang: str) -> Letterhead:
    name = center_name or tr("Social Organization Incubation Center", lang)
    return Letterhead(name, logo, fmt.long_date(generated, lang))
