"""Reading reports back: text, outline, fonts and which font prints each character."""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

import pdfplumber
from fontTools.ttLib import TTCollection, TTFont
from pypdf import PdfReader

from incubator.paths import RESOURCES

FONT_FILES = {
    "WenQuanYiMicroHei": ("wqy-microhei.ttc", 0),
    "UKIJTuz": ("UKIJTuz.ttf", None),
    "UKIJTuz-Bold": ("UKIJTuzBold.ttf", None),
}


def page_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def text(path: Path) -> str:
    return "\n".join(page_texts(path))


def lines(path: Path) -> list[str]:
    return [line for page in page_texts(path) for line in page.splitlines()]


def outline(path: Path) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) in document order."""
    reader = PdfReader(path)
    out: list[tuple[int, str, int]] = []

    def walk(items, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return out


def links(path: Path, page: int) -> list[int]:
    """The 1-based page each link on ``page`` (1-based) leads to, top to bottom."""
    reader = PdfReader(path)
    named = reader.named_destinations
    found = []
    for annot in reader.pages[page - 1].get("/Annots", []):
        annot = annot.get_object()
        if annot.get("/Subtype") != "/Link":
            continue
        dest = annot.get("/Dest")
        if dest is None and "/A" in annot:
            dest = annot["/A"].get_object().get("/D")
        if isinstance(dest, str):
            dest = named[dest]
            number = reader.get_destination_page_number(dest)
        else:
            number = reader.get_page_number(dest[0].get_object())
        top = float(annot["/Rect"][3])
        found.append((-top, number + 1))
    return [number for _, number in sorted(found)]


def fonts(path: Path) -> dict[str, bool]:
    """Base font name (subset prefix removed) -> embedded, over pages and form XObjects."""
    reader = PdfReader(path)
    found: dict[str, bool] = {}

    def visit(resources) -> None:
        if not resources:
            return
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
            desc = font.get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            embedded = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[name] = found.get(name, True) and embedded
        for ref in (resources.get("/XObject") or {}).values():
            xobj = ref.get_object()
            if xobj.get("/Subtype") == "/Form":
                visit(xobj.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return found


def base_font(pdf_font_name: str) -> str:
    """'AAAAAB+WenQuanYiMicroHei-0' -> 'WenQuanYiMicroHei' (ReportLab numbers its subsets)."""
    name = pdf_font_name.split("+")[-1]
    return re.sub(r"-\d+$", "", name)


@cache
def cmap(font: str) -> frozenset[int]:
    filename, index = FONT_FILES[font]
    file = RESOURCES / "fonts" / filename
    tt = TTCollection(str(file)).fonts[index] if index is not None else TTFont(str(file))
    return frozenset(tt.getBestCmap())


def chars(path: Path) -> list[tuple[str, str, int]]:
    """(character, base font, page) for every character drawn, forms included."""
    out = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            out += [(c["text"], base_font(c["fontname"]), number) for c in page.chars]
    return out


def typed_text(path: Path) -> str:
    """The text as poppler (Evince, Okular, pdftotext) reads it: shaped Uyghur comes back as
    typed through its /ActualText, bidi marks removed."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub("[\u202a-\u202e\u200e\u200f]", "", out)
