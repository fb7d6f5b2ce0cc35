"""Reading the spreadsheets centers keep: .xlsx, legacy .xls and .ods through python-calamine
(an order of magnitude faster than openpyxl, and it reads .xls too), .csv in UTF-8, UTF-8 with
a BOM or GBK/GB18030, the encoding detected by charset-normalizer without asking.

Cells come back as Python values: str, int, float, bool, datetime.date / datetime.datetime
(calamine turns date-formatted cells into dates), or None for an empty cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incubator.errors import ValidationError

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
SUFFIXES = (*SPREADSHEETS, ".csv", ".txt")
Cell = str | int | float | bool | dt.date | dt.datetime | None


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[Cell]]
    file: str = ""  # the file's name, for the import's audit entry ("" when made in memory)


def sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook (a CSV file is one sheet named after the file)."""
    path = Path(path)
    _check(path)
    if path.suffix.lower() not in SPREADSHEETS:
        return [path.stem]
    from python_calamine import CalamineWorkbook  # (readers load when a file is read)

    try:
        return list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception as exc:  # calamine raises its own errors for damaged files
        raise unreadable(path, exc) from None


def read(path: Path, sheet: str | None = None) -> Sheet:
    """One sheet (the first when ``sheet`` is None) with every row, as typed in the file."""
    path = Path(path)
    _check(path)
    if path.suffix.lower() not in SPREADSHEETS:
        return Sheet(path.stem, read_csv(path.read_bytes()), path.name)
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        if sheet is not None and sheet not in names:
            raise ValidationError.single(
                "sheet",
                "No sheet named “{sheet}” (the file has: {names})",
                sheet=sheet,
                names="、".join(names),
            )
        name = sheet if sheet is not None else names[0]
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except ValidationError:
        raise
    except Exception as exc:
        raise unreadable(path, exc) from None
    return Sheet(name, [[_cell(c) for c in row] for row in rows], path.name)


def _cell(value: Any) -> Cell:
    # calamine gives "" for an empty cell, and whole numbers of float cells as floats.
    if value == "" or value is None:
        return None
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


def read_csv(data: bytes) -> list[list[Cell]]:
    """Rows of a CSV file in whatever encoding Chinese offices save them in."""
    text = decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [
        [c if c.strip() else None for c in row] for row in csv.reader(io.StringIO(text), dialect)
    ]


def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM) first, since it is never wrong when it decodes; else the
    encoding charset-normalizer finds (GBK and GB18030 saved by Excel, mostly)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ValidationError.single("file", "The file is not text in any known encoding")
    encoding = best.encoding
    if encoding.replace("_", "").lower() in ("gb2312", "gbk", "hz"):
        encoding = "gb18030"  # the superset: rare characters in names decode too
    return data.decode(encoding, errors="strict")


def _check(path: Path) -> None:
    if path.suffix.lower() not in SUFFIXES:
        raise ValidationError.single(
            "file",
            "Not a spreadsheet: {path} (use .xlsx, .xls, .ods or .csv)",
            path=path.name,
        )
    if not path.is_file():
        raise ValidationError.single("file", "File not found: {path}", path=path)


def unreadable(path: Path, exc: Exception) -> ValidationError:
    return ValidationError.single(
        "file",
        "Cannot read {path}: {reason}",
        path=path.name,
        reason=str(exc) or type(exc).__name__,
    )
