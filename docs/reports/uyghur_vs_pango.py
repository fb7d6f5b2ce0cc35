"""Draws uyghur-vs-pango.png: Uyghur lines as our PDF reports print them (left) next to the
same lines as pango lays them out with the same font file (right), one row per line.

The lines come from the shaping tests (tests/pdf/test_uyghur_shaping.py: all of MIXED, every
12th word of its corpus, and three words of the MIXED lines on their own), so the picture
shows what those tests check.

Left: a ReportLab PDF built with ``incubator.reports.text.para`` (one line per page, so each
row is cut cleanly), rasterised with ``pdftoppm -r 100``. Right: ``pango-view --rtl`` with a
fonts.conf that only knows resources/fonts. Each row is cropped to its ink and pango's
rows are scaled to the size the report draws Uyghur at (16 pt x UYGHUR_SCALE at 100 dpi).

    .venv/bin/python docs/reports/uyghur_vs_pango.py

Needs poppler-utils (pdftoppm) and pango-view (Debian pango1.0-tools).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageChops, ImageDraw, ImageFont  # noqa: E402
from reportlab.lib.enums import TA_RIGHT  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.platypus import PageBreak, SimpleDocTemplate  # noqa: E402

from incubator.reports import fonts  # noqa: E402
from incubator.reports.text import para  # noqa: E402
from tests.pdf.test_uyghur_shaping import MIXED, words  # noqa: E402

OUT = HERE / "uyghur-vs-pango.png"
FONT_DIR = ROOT / "resources" / "fonts"
DPI = 100
SIZE, LEADING = 16, 26
PANGO_FONT, PANGO_PT, PANGO_DPI = "UKIJ Tuz", 18, 96  # pango-view's default resolution
PAGE_W, PAGE_H = 620, LEADING + 26  # points: no line wraps; margins 6 + frame padding 6
GAP, PAD, ROW_GAP = 40, 16, 6  # pixels


def lines() -> list[str]:
    return [*MIXED, *words()[::12], "مەركىزى", "ئەركىن", "جەمئىيىتى"]


def reportlab_rows(texts: list[str], tmp: Path) -> list[Image.Image]:
    """One PNG per line: a PDF page each, printed with the app's text module."""
    fonts.register()
    style = ParagraphStyle(
        "ug", fontName=fonts.HAN, fontSize=SIZE, leading=LEADING, alignment=TA_RIGHT
    )
    story = []
    for i, text in enumerate(texts):
        if i:
            story.append(PageBreak())
        story.append(para(text, style))
    pdf = tmp / "reportlab.pdf"
    SimpleDocTemplate(
        str(pdf),
        pagesize=(PAGE_W, PAGE_H),
        leftMargin=6,
        rightMargin=6,
        topMargin=6,
        bottomMargin=6,
    ).build(story)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(tmp / "rl")], check=True)
    pages = sorted(tmp.glob("rl-*.png"), key=lambda p: int(p.stem.split("-")[1]))
    if len(pages) != len(texts):
        raise SystemExit(f"{len(pages)} PDF pages for {len(texts)} lines: a line wrapped?")
    return [Image.open(p).convert("RGB") for p in pages]


def pango_rows(texts: list[str], tmp: Path) -> list[Image.Image]:
    """One PNG per line from pango-view, which only sees the bundled fonts."""
    (tmp / "cache").mkdir()
    (tmp / "home").mkdir()
    conf = tmp / "fonts.conf"
    conf.write_text(
        f"<?xml version='1.0'?>\n<fontconfig><dir>{FONT_DIR}</dir>"
        f"<cachedir>{tmp / 'cache'}</cachedir></fontconfig>\n",
        "utf-8",
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "FONTCONFIG_FILE": str(conf),
        "LANG": "C.UTF-8",
        "HOME": str(tmp / "home"),
    }
    out = []
    for i, text in enumerate(texts):
        src, png = tmp / f"pango-{i}.txt", tmp / f"pango-{i}.png"
        src.write_text(text + "\n", "utf-8")
        subprocess.run(
            [
                "pango-view",
                "-q",
                f"--font={PANGO_FONT} {PANGO_PT}",
                "--rtl",
                "-o",
                str(png),
                str(src),
            ],
            check=True,
            env=env,
        )
        out.append(Image.open(png).convert("RGB"))
    return out


def ink_box(img: Image.Image) -> tuple[int, int, int, int] | None:
    white = Image.new("RGB", img.size, "white")
    return (
        ImageChops.difference(img, white)
        .convert("L")
        .point(lambda v: 255 if v > 16 else 0)
        .getbbox()
    )


def crop_rows(rows: list[Image.Image]) -> list[Image.Image]:
    """Each row cut to its own ink across, and to the ink of all rows up and down, so the
    baselines stay level from row to row."""
    boxes = [ink_box(r) for r in rows]
    top = min(b[1] for b in boxes if b)
    bottom = max(b[3] for b in boxes if b)
    return [
        r.crop((b[0], top, b[2], bottom)) if b else Image.new("RGB", (1, bottom - top), "white")
        for r, b in zip(rows, boxes, strict=True)
    ]


def scale(rows: list[Image.Image], factor: float) -> list[Image.Image]:
    return [
        r.resize((max(1, round(r.width * factor)), max(1, round(r.height * factor))), Image.LANCZOS)
        for r in rows
    ]


def caption_font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size)
    except TypeError:  # Pillow < 10.1
        return ImageFont.load_default()


def compose(left: list[Image.Image], right: list[Image.Image]) -> Image.Image:
    font = caption_font(20)
    captions = ("ReportLab (this app)", "pango (reference)")
    col_w = [max(max(r.width for r in col), 260) for col in (left, right)]
    row_h = [max(a.height, b.height) + ROW_GAP for a, b in zip(left, right, strict=True)]
    head = 44
    width = PAD + col_w[0] + GAP + col_w[1] + PAD
    height = head + sum(row_h) + PAD
    sheet = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(sheet)
    x0 = [PAD, PAD + col_w[0] + GAP]
    for x, w, text in zip(x0, col_w, captions, strict=True):
        draw.text((x + w, 12), text, fill="black", font=font, anchor="ra")
    draw.line((PAD, head - 6, width - PAD, head - 6), fill=(160, 160, 160))
    mid = PAD + col_w[0] + GAP // 2
    draw.line((mid, 6, mid, height - 6), fill=(200, 200, 200))
    y = head
    for a, b, h in zip(left, right, row_h, strict=True):
        # Right-to-left lines: both columns aligned on the right, like the report prints them.
        sheet.paste(a, (x0[0] + col_w[0] - a.width, y))
        sheet.paste(b, (x0[1] + col_w[1] - b.width, y))
        y += h
        draw.line((PAD, y - ROW_GAP // 2, width - PAD, y - ROW_GAP // 2), fill=(235, 235, 235))
    return sheet


def main() -> None:
    texts = lines()
    with tempfile.TemporaryDirectory(prefix="uyghur-vs-pango-") as d:
        tmp = Path(d)
        left = crop_rows(reportlab_rows(texts, tmp))
        right = crop_rows(pango_rows(texts, tmp))
    # The report draws Uyghur at SIZE * UYGHUR_SCALE points at DPI; pango at PANGO_PT at 96.
    factor = (SIZE * fonts.UYGHUR_SCALE * DPI) / (PANGO_PT * PANGO_DPI)
    right = scale(right, factor)
    sheet = compose(left, right)
    sheet = sheet.convert("L")  # both sides are black on white
    sheet.save(OUT, optimize=True)
    print(f"{OUT.relative_to(ROOT)}: {sheet.width}x{sheet.height}, {OUT.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
