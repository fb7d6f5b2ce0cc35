"""Spreadsheet files written by the tests, in every format the importer reads: .xlsx
(openpyxl), legacy .xls (xlwt), .ods (its XML written here: a zip with content.xml) and .csv
in UTF-8, UTF-8 with a BOM, GBK and GB18030."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import xlwt
from openpyxl import Workbook

Rows = Sequence[Sequence[object]]


def xlsx(path: Path, rows: Rows, sheet: str = "名录") -> Path:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    book.save(path)
    return path


def xls(path: Path, rows: Rows, sheet: str = "名录") -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                ws.write(r, c, value, dates)
            elif value is not None:
                ws.write(r, c, value)
    book.save(str(path))
    return path


def ods(path: Path, rows: Rows, sheet: str = "名录") -> Path:
    def cell(value: object) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        if isinstance(value, dt.date):
            day = value.isoformat()
            return (
                f'<table:table-cell office:value-type="date" office:date-value="{day}">'
                f"<text:p>{day}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
            "</text:p></table:table-cell>"
        )

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path


def csv_file(path: Path, rows: Rows, encoding: str = "utf-8") -> Path:
    out = io.StringIO()
    csv.writer(out).writerows([["" if v is None else v for v in row] for row in rows])
    data = out.getvalue()
    if encoding == "utf-8-sig":
        path.write_bytes(b"\xef\xbb\xbf" + data.encode("utf-8"))
    else:
        path.write_bytes(data.encode(encoding))
    return path
