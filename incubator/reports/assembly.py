"""One PDF from parts laid out apart (the committee pack's parts are laid out in processes of
their own, ``reports.pack_parts``).

A part is laid out with ``ReportDoc(part=True)``: everything but what depends on the other
parts, which it lists instead: its outline entries (``Mark``) and where its table of contents
puts page numbers (``TocSlot``). ``assemble`` then knows every page's number and adds:
- "page X of Y" in each footer and the contents' page numbers, drawn by ReportLab on an
  overlay page laid over each page as a form XObject (no page's content is parsed or
  rewritten, so a thousand pages take a fraction of a second);
- the outline (bookmarks) and the contents' links, with pypdf.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import IO

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    Fit,
    NameObject,
    TextStringObject,
)
from reportlab.pdfgen.canvas import Canvas

from incubator.reports.layout import Mark, ReportDoc, TocSlot, page_number
from incubator.reports.style import TEXT
from incubator.reports.text import draw_text


@dataclass(frozen=True)
class Part:
    pdf: bytes
    pages: int
    marks: list[Mark]
    toc_slots: list[TocSlot]
    first: int = 0  # the part is ``pages`` pages of ``pdf`` from this one (0-based) on


def split(part: Part, k: int) -> tuple[Part, Part]:
    """The part's first ``k`` pages, and the rest (the same PDF, read once)."""
    head = Part(
        part.pdf,
        k,
        [m for m in part.marks if m.page <= k],
        [s for s in part.toc_slots if s.page <= k],
        part.first,
    )
    tail = Part(
        part.pdf,
        part.pages - k,
        [replace(m, page=m.page - k) for m in part.marks if m.page > k],
        [replace(s, page=s.page - k) for s in part.toc_slots if s.page > k],
        part.first + k,
    )
    return head, tail


_ORG_REPORT = re.compile(r"org\d+")  # the outline key of an organization's report in a pack


def insert_after_reports(parts: list[Part], after: Mapping[str, list[Part]]) -> list[Part]:
    """The parts with ``after[key]`` placed right after the last page of the organization's
    report whose outline key is ``key`` ("org12"): its attached documents."""
    out: list[Part] = []
    for part in parts:
        starts = sorted((m.page, m.key) for m in part.marks if _ORG_REPORT.fullmatch(m.key))
        rest, done = part, 0
        for i, (_page, key) in enumerate(starts):
            if not after.get(key):
                continue
            end = starts[i + 1][0] - 1 if i + 1 < len(starts) else part.pages
            head, rest = split(rest, end - done)
            out.append(head)
            out.extend(after[key])
            done = end
        if rest.pages:
            out.append(rest)
    return out


def pdf_part(pdf: bytes, key: str, title: str, level: int) -> Part:
    """A PDF made elsewhere (an attached document) as a part, with one outline entry."""
    reader = PdfReader(io.BytesIO(pdf))
    height = float(reader.pages[0].mediabox.height) if reader.pages else 0.0
    return Part(pdf, len(reader.pages), [Mark(key, title, level, 1, height)], [])


def finished_part(doc: ReportDoc, pdf: bytes, pages: int) -> Part:
    """The part ``doc`` (built with ``part=True``) wrote as ``pdf``."""
    return Part(pdf, pages, list(doc.marks), list(doc.toc_slots))


def assemble(parts: list[Part], out: IO[bytes], lang: str, show_outline: bool = False) -> int:
    """Write the parts, in order, as one PDF to ``out``; returns its number of pages. The
    document's information (title, author...) and language are the first part's."""
    total = sum(p.pages for p in parts)
    read: dict[int, PdfReader] = {}  # a PDF split in several parts is read once
    for p in parts:
        if id(p.pdf) not in read:
            read[id(p.pdf)] = PdfReader(io.BytesIO(p.pdf))
    readers = [read[id(p.pdf)] for p in parts]
    first = 0
    marks: list[tuple[Mark, int]] = []  # with the mark's page in the whole document
    slots: dict[int, list[TocSlot]] = {}
    for part in parts:
        marks += [(m, first + m.page) for m in part.marks]
        for s in part.toc_slots:
            slots.setdefault(first + s.page, []).append(s)
        first += part.pages
    dest = {m.key: (page, m.top) for m, page in marks}

    writer = PdfWriter()
    for part, reader in zip(parts, readers, strict=True):
        for page in reader.pages[part.first : part.first + part.pages]:
            writer.add_page(page)
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in writer.pages]
    overlay = PdfReader(io.BytesIO(_overlay(sizes, slots, dest, lang)))
    for index, (page, over) in enumerate(zip(writer.pages, overlay.pages, strict=True)):
        _lay_over(writer, page, over)
        for s in slots.get(index + 1, []):
            if s.key in dest:
                target, top = dest[s.key]
                writer.add_annotation(
                    index,
                    Link(
                        rect=s.rect,
                        border=[0, 0, 0],
                        target_page_index=target - 1,
                        fit=Fit.xyz(left=0, top=top),
                    ),
                )
    _outline(writer, marks)
    info = readers[0].metadata
    if info:
        writer.add_metadata({k: str(v) for k, v in info.items()})
    language = readers[0].trailer["/Root"].get("/Lang")
    if language:
        writer._root_object[NameObject("/Lang")] = TextStringObject(str(language))
    if show_outline:
        writer.page_mode = "/UseOutlines"
    writer.write(out)
    return total


def _overlay(
    sizes: list[tuple[float, float]],
    slots: dict[int, list[TocSlot]],
    dest: dict[str, tuple[int, float]],
    lang: str,
) -> bytes:
    """One page per page of the document: its footer's page number and, on contents pages,
    the page numbers of the entries."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=sizes[0] if sizes else (595, 842))
    for number, (w, h) in enumerate(sizes, start=1):
        canvas.setPageSize((w, h))
        page_number(canvas, w, number, len(sizes), lang)
        canvas.setFillColor(TEXT)
        for s in slots.get(number, []):
            page = dest.get(s.key, (None, 0))[0]
            draw_text(canvas, s.rect[2], s.y, str(page) if page else "?", s.size, "right")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _lay_over(writer: PdfWriter, page: PageObject, over: PageObject) -> None:
    """Draw ``over`` on top of ``page``: as a form XObject its resources stay its own."""
    form = DecodedStreamObject()
    contents = over.get_contents()
    form.set_data(contents.get_data() if contents is not None else b"")
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): over.mediabox,
            NameObject("/Resources"): over["/Resources"].clone(writer),
        }
    )
    name = NameObject("/IncubatorOverlay")
    resources = page["/Resources"].get_object()
    if "/XObject" not in resources:
        resources[NameObject("/XObject")] = DictionaryObject()
    resources["/XObject"].get_object()[name] = writer._add_object(form.flate_encode())
    draw = DecodedStreamObject()
    draw.set_data(b"q " + name.encode() + b" Do Q")
    contents = page.get("/Contents")
    kept = contents.get_object() if contents is not None else ArrayObject()
    streams = ArrayObject(kept) if isinstance(kept, ArrayObject) else ArrayObject([contents])
    streams.append(writer._add_object(draw))
    page[NameObject("/Contents")] = streams


def _outline(writer: PdfWriter, marks: list[tuple[Mark, int]]) -> None:
    """Outline entries nested by level, each opening at its heading; deeper levels closed."""
    parents: list = []  # parents[level] is the latest entry of that level
    for mark, page in marks:
        parent = parents[mark.level - 1] if 0 < mark.level <= len(parents) else None
        item = writer.add_outline_item(
            title=mark.title,
            page_number=page - 1,
            parent=parent,
            fit=Fit.xyz(left=0, top=mark.top),
            is_open=mark.level < 1,
        )
        del parents[mark.level :]
        parents.append(item)
