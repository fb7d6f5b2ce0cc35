"""Printing to a CUPS printer hands the report's own PDF to `lp`, with the dialog's choices.

No print server runs in the test machine, so `lp` here is a stand-in script on PATH that
records its arguments and keeps the file it was given; what is checked is what the program
hands over: the PDF's exact bytes (vectors, not pictures) and the options CUPS documents for
`lp` (-d, -n, -P, -o sides=..., -o print-color-mode=...). The file route and the real print
dialog are tested in test_reports_page.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter
from reportlab.pdfgen import canvas

from ui import printing

pytestmark = pytest.mark.ui

RECORDER = """#!/usr/bin/env python3
import json, shutil, sys
args = sys.argv[1:]
if "-d" in args and args[args.index("-d") + 1] == "Missing":
    print("lp: The printer or class does not exist.", file=sys.stderr)
    sys.exit(1)
shutil.copyfile(args[-1], {kept!r})
json.dump(args, open({log!r}, "w"))
print("request id is Office-7 (1 file(s))")
"""


@pytest.fixture
def lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    folder = tmp_path / "bin"
    folder.mkdir()
    kept, log = tmp_path / "kept.pdf", tmp_path / "args.json"
    script = folder / "lp"
    script.write_text(RECORDER.format(kept=str(kept), log=str(log)))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return kept, log


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "center-2026Q3.pdf"
    page = canvas.Canvas(str(path))
    for number in range(1, 5):
        page.drawString(72, 720, f"Page {number}")
        page.showPage()
    page.save()
    return path


def job(pdf: Path, printer_name: str) -> printing.PrintJob:
    """What job_for reads from the dialog when a CUPS printer is chosen (Qt lists only the
    printers the print server knows, and none runs here)."""
    return printing.PrintJob(
        pdf=pdf,
        title="Center report",
        printer_name=printer_name,
        to_file="",
        copies=2,
        pages=(2, 3),
        sides="two-sided-long-edge",
        grayscale=True,
        printer=QPrinter(),
    )


@pytest.mark.skipif(os.name == "nt", reason="CUPS route: Linux and macOS")
def test_a_cups_printer_gets_the_pdf_itself_with_the_chosen_options(lp, pdf, qapp) -> None:
    kept, log = lp
    sent = printing.run(job(pdf, "Office"), lambda done, total: True)
    assert sent == "request id is Office-7 (1 file(s))"
    assert kept.read_bytes() == pdf.read_bytes()
    assert json.loads(log.read_text()) == [
        "-t", "Center report", "-n", "2", "-d", "Office", "-P", "2-3",
        "-o", "sides=two-sided-long-edge", "-o", "print-color-mode=monochrome",
        "--", str(pdf),
    ]  # fmt: skip


@pytest.mark.skipif(os.name == "nt", reason="CUPS route: Linux and macOS")
def test_what_cups_refuses_is_said_in_words(lp, pdf, qapp) -> None:
    with pytest.raises(printing.PrintFailed) as failed:
        printing.run(job(pdf, "Missing"), lambda done, total: True)
    assert failed.value.message("en") == (
        "Printing failed: lp: The printer or class does not exist."
    )
