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


# --- the canvas: deferred page totals and TOC page numbers -----------------------------------


class ReportCanvas(Canvas):
    def __init__(self, *args: Any, report_lang: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.report_lang = report_lang
        self.dest_pages: dict[str, int] = {}  # bookmark key -> page number
        self.page_refs: dict[str, tuple[float, str]] = {}  # form name -> (font size, align)
        self.pages = 0

    def page_total_form(self, size: float) -> str:
        name = f"pageTotal{int(size * 10)}"
        self.page_refs[name] = (size, "left")
        return name

    def page_number_form(self, key: str, size: float) -> str:
        name = f"pageOf_{key}"
        self.page_refs[name] = (size, "right")
        return name

    def showPage(self) -> None:
        self.pages += 1
        super().showPage()

    def save(self) -> None:
        for name, (size, align) in self.page_refs.items():
            if name.startswith("pageTotal"):
                text = tr("of {total}", self.report_lang, total=self.pages)
            else:
                page = self.dest_pages.get(name.removeprefix("pageOf_"))
                text = str(page) if page else "?"
            self.beginForm(name, -200, -5, 200, size + 5)
            self.setFillColor(MUTED if name.startswith("pageTotal") else TEXT)
            self.setFont(HAN, size)
            if align == "right":
                self.drawRightString(0, 0, text)
            else:
                self.drawString(0, 0, text)
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
    """One line of a table of contents: title, dot leader, page number (filled in at save)."""

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
        c.saveState()
        c.translate(self.width, y)
        c.doForm(self.canv.page_number_form(self.key, self.size))
        c.restoreState()
        c.linkRect("", self.key, (indent, 0, self.width, self.height), relative=1)


# --- the document --------------------------------------------------------------------------


@dataclass
class Letterhead:
    center_name: str
    logo: str | None
    generated: str  # the generation date, already formatted


class ReportDoc(BaseDocTemplate):
    def beforeDocument(self) -> None:
        if self.show_outline:
            self.canv.showOutline()  # the viewer opens with its bookmarks panel shown

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
        show_outline: bool = False,
    ) -> None:
        self.show_outline = show_outline
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
        self.toc_pages: dict[str, int] = {}
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
        c.bookmarkPage(key, fit="XYZ", left=0, top=top)
        c.addOutlineEntry(title, key, level=level, closed=level >= 1)
        c.dest_pages[key] = self.page
        self.toc_pages[key] = self.page

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
        y = MARGIN_BOTTOM - 10 * mm_
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, y + 10, w - MARGIN_X, y + 10)
        canvas.setFillColor(MUTED)
        generated = tr("Generated on {date}", lang, date=self.letterhead.generated)
        draw_text(canvas, MARGIN_X, y, generated, 7.5)
        draw_text(
            canvas, w / 2, y, fit(self.running_note, (w - 2 * MARGIN_X) * 0.45, 7.5), 7.5, "center"
        )
        page_text = tr("Page {page}", lang, page=doc.page)
        box = 62
        px = w - MARGIN_X - box
        pw_ = draw_text(canvas, px, y, page_text, 7.5)
        canvas.saveState()
        canvas.translate(px + pw_ + 3, y)
        canvas.doForm(canvas.page_total_form(7.5))
        canvas.restoreState()
        canvas.restoreState()


def logo_image(path: str, size: float) -> Flowable:
    """The center's logo, ``size`` high and centred, or nothing when it cannot be read."""
    reader = _logo(path)
    if reader is None:
        return Spacer(1, 0)
    w, h = reader.getSize()
    image = Image(path, width=size * w / h, height=size)
    image.hAlign = "CENTER"
    return image


def _logo(path: str | None) -> ImageReader | None:
    """The center's logo, or None when unset or unreadable (the report prints without it)."""
    if not path:
        return None
    try:
        reader = ImageReader(path)
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


def letterhead(center_name: str, logo: str | None, generated, lang: str) -> Letterhead:
    name = center_name or tr("Social Organization Incubation Center", lang)
    return Letterhead(name, logo, fmt.long_date(generated, lang))
