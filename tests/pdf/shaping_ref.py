"""Independent references for Uyghur shaping: uharfbuzz's glyphs for a text, pango's glyphs for a
laid-out line (bidi by fribidi), with the very font files the reports embed; and the glyphs a
PDF really draws, read back with pdfplumber and the font's own cmap (fontTools)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections import defaultdict
from functools import cache
from pathlib import Path

import pdfplumber
import uharfbuzz as hb
from fontTools.ttLib import TTFont

from incubator.paths import RESOURCES
from tests.pdf.pdfread import base_font

FONT_FILES = {"UKIJTuz": "UKIJTuz.ttf", "UKIJTuz-Bold": "UKIJTuzBold.ttf"}


@cache
def glyph_ids(font: str) -> dict[int, int]:
    """Code point -> glyph id, from the font file's own cmap."""
    tt = TTFont(str(RESOURCES / "fonts" / FONT_FILES[font]))
    return {cp: tt.getGlyphID(name) for cp, name in tt.getBestCmap().items()}


def harfbuzz(text: str, font: str) -> list[int]:
    face = hb.Face(hb.Blob.from_file_path(str(RESOURCES / "fonts" / FONT_FILES[font])))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(hb.Font(face), buf, {})
    return [g.codepoint for g in buf.glyph_infos]


def printed_lines(path: Path) -> list[list[tuple[str, str]]]:
    """Each printed line, left to right: (character, base font)."""
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            rows: dict[int, list] = defaultdict(list)
            for c in page.chars:
                rows[round(c["top"])].append(c)
            for top in sorted(rows):
                row = sorted(rows[top], key=lambda c: c["x0"])
                out.append([(c["text"], base_font(c["fontname"])) for c in row])
    return out


def printed_glyphs(line: list[tuple[str, str]]) -> list[int]:
    """Glyph ids of a printed line (spaces are drawn as glyphs but not reported as chars by
    every reader, so they are left out on both sides)."""
    return [glyph_ids(font)[ord(ch)] for ch, font in line if not ch.isspace()]


def without_spaces(ids: list[int], font: str) -> list[int]:
    space = glyph_ids(font)[0x20]
    return [g for g in ids if g != space]


PANGO = shutil.which("pango-view")


@cache
def fontconfig(tmp: Path) -> Path:
    """A fontconfig setup that offers pango only the bundled fonts."""
    conf = tmp / "fonts.conf"
    conf.write_text(
        f"""<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{RESOURCES / "fonts"}</dir><cachedir>{tmp / "cache"}</cachedir></fontconfig>""",
        "utf-8",
    )
    return conf


def pango(text: str, tmp: Path) -> list[int]:
    """Glyph ids of ``text`` laid out by pango as one right-to-left line, left to right."""
    out, source = tmp / "layout.json", tmp / "line.txt"
    source.write_text(text, "utf-8")
    env = {"FONTCONFIG_FILE": str(fontconfig(tmp)), "HOME": str(tmp), "LANG": "C.UTF-8"}
    subprocess.run(
        [PANGO, "-q", "--font=UKIJ Tuz 20", "--rtl", f"--serialize-to={out}", str(source)],
        check=True,
        env=env,
        timeout=60,
    )
    layout = json.loads(out.read_text("utf-8"))
    (line,) = layout["output"]["lines"]
    font_file = RESOURCES / "fonts" / "UKIJTuz.ttf"
    ids = []
    for run in line["runs"]:
        # The same file as the report embeds, not a look-alike.
        assert run["font"]["checksum"] == hashlib.sha256(font_file.read_bytes()).hexdigest()
        ids += [g["glyph"] for g in run["glyphs"]]
    return ids
