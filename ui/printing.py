"""Printing a finished report as the vectors it is made of, off the GUI thread.

QtPdf can only render a page to a picture: at a printer's 1200 dpi that made a 13-page report
140 MB and froze the window for 35 s. The PDF itself is already what a printer wants, so:
- "Print to file" gets the PDF's own pages (the chosen range), written atomically;
- a CUPS printer (Linux, macOS) gets the PDF through ``lp``, which prints it as vectors, with the
  dialog's copies, page range, duplex and colour choices;
- only where neither exists (Windows) are pages drawn as 300-dpi pictures, still in a worker.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from incubator.errors import IncubatorError

FALLBACK_DPI = 300  # pictures only where no vector route exists: sharp text, a sane size
LP_TIMEOUT_S = 60

DUPLEX_SIDES = {
    QPrinter.DuplexMode.DuplexLongSide: "two-sided-long-edge",
    QPrinter.DuplexMode.DuplexShortSide: "two-sided-short-edge",
    QPrinter.DuplexMode.DuplexNone: "one-sided",
}


class PrintFailed(IncubatorError):
    key = "Printing failed: {reason}"


@dataclass(frozen=True)
class PrintJob:
    """What the print dialog asked for, read on the GUI thread."""

    pdf: Path
    title: str
    printer_name: str  # "" for the system's default
    to_file: str  # the file of "Print to file", "" when printing to a printer
    copies: int
    pages: tuple[int, int] | None  # first and last page, counting from 1; None for all
    sides: str | None  # an lp "sides" value, None to leave the printer's default
    grayscale: bool
    printer: QPrinter  # for the picture route only


def job_for(printer: QPrinter, pdf: Path, title: str) -> PrintJob:
    to_file = ""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        to_file = printer.outputFileName()
    first, last = printer.fromPage(), printer.toPage()
    ranged = printer.printRange() == QPrinter.PrintRange.PageRange and first > 0
    return PrintJob(
        pdf=pdf,
        title=title,
        printer_name=printer.printerName(),
        to_file=to_file,
        copies=max(1, printer.copyCount()),
        pages=(first, max(first, last)) if ranged else None,
        sides=DUPLEX_SIDES.get(printer.duplex()),
        grayscale=printer.colorMode() == QPrinter.ColorMode.GrayScale,
        printer=printer,
    )


def lp_command(job: PrintJob, lp: str) -> list[str]:
    command = [lp, "-t", job.title, "-n", str(job.copies)]
    if job.printer_name:
        command += ["-d", job.printer_name]
    if job.pages:
        command += ["-P", f"{job.pages[0]}-{job.pages[1]}"]
    if job.sides:
        command += ["-o", f"sides={job.sides}"]
    if job.grayscale:
        command += ["-o", "print-color-mode=monochrome"]
    return [*command, "--", str(job.pdf)]


def run(job: PrintJob, progress: Callable[[int, int], bool]) -> str:
    """Sends the job; returns where it went (a file path, or lp's request line)."""
    if job.to_file:
        return write_pages(job)
    lp = shutil.which("lp")
    if lp and os.name != "nt":
        return send_to_cups(job, lp)
    return paint_pages(job, progress)


def write_pages(job: PrintJob) -> str:
    """The PDF's own pages (the chosen range) into the file, replaced only once complete."""
    target = Path(job.to_file)
    handle, temporary = tempfile.mkstemp(prefix=".printing-", suffix=".pdf", dir=target.parent)
    os.close(handle)
    try:
        if job.pages is None:
            shutil.copyfile(job.pdf, temporary)
        else:
            from pypdf import PdfReader, PdfWriter

            reader = PdfReader(job.pdf)
            writer = PdfWriter()
            first, last = job.pages
            for index in range(first - 1, min(last, len(reader.pages))):
                writer.add_page(reader.pages[index])
            with open(temporary, "wb") as out:
                writer.write(out)
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise PrintFailed(reason=exc.strerror or str(exc)) from exc
    return str(target)


def send_to_cups(job: PrintJob, lp: str) -> str:
    try:
        done = subprocess.run(
            lp_command(job, lp), capture_output=True, text=True, timeout=LP_TIMEOUT_S
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PrintFailed(reason=str(exc)) from exc
    if done.returncode != 0:
        raise PrintFailed(reason=(done.stderr or done.stdout).strip() or f"lp {done.returncode}")
    return done.stdout.strip()


def paint_pages(job: PrintJob, progress: Callable[[int, int], bool]) -> str:
    """Pages drawn as pictures at FALLBACK_DPI (QPainter may paint a QPrinter in a worker)."""
    document = QPdfDocument()
    document.load(str(job.pdf))
    count = document.pageCount()
    first, last = job.pages or (1, count)
    printer = job.printer
    printer.setResolution(FALLBACK_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed(reason=printer.printerName() or "?")
    try:
        for number in range(first, min(last, count) + 1):
            if not progress(number - first, last - first + 1):
                break
            if number > first:
                printer.newPage()
            points = document.pagePointSize(number - 1)
            size = QSize(
                int(points.width() / 72 * FALLBACK_DPI), int(points.height() / 72 * FALLBACK_DPI)
            )
            painter.drawImage(0, 0, document.render(number - 1, size))
    finally:
        painter.end()
    return printer.printerName()
