"""Writing a table to .xlsx or .csv the way a bureau or funder opens it.

- .xlsx (openpyxl, write-only: flat memory at 100,000 rows): dates as dates, money as numbers
  in a yuan format, counts as numbers, the header row frozen and filtered, columns as wide as
  their Chinese text (wcwidth: a Han character is two columns wide);
- .csv: UTF-8 with a BOM, so Excel shows Chinese without asking for an encoding.

A text cell that starts with = + - @, a tab or a carriage return is never run as a formula:
in .xlsx it is stored as text (never as a formula), in .csv it is prefixed with an apostrophe,
as OWASP advises for files opened by spreadsheets.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from wcwidth import wcswidth

from incubator import files
from incubator.errors import IncubatorError, ValidationError
from incubator.i18n import T, tr

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = '#,##0.00"元"'
DATE_FORMAT = "yyyy-mm-dd"
WIDTH_SAMPLE = 2000  # rows looked at to size the columns
MAX_WIDTH = 60


class ExportCancelled(IncubatorError):
    key = T("Export cancelled: no file was written")


@dataclass(frozen=True)
class Column:
    label: str  # the header, already translated
    kind: str = "text"  # text | date | money | int | decimal


def dangerous(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(DANGEROUS)


def write(
    path: Path,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    sheet: str = "Sheet1",
    progress: Callable[[int], bool] | None = None,
) -> int:
    """Write to ``path`` (.xlsx or .csv, by its suffix); returns the number of data rows.
    ``progress(rows_done)`` returning False cancels: no file is left behind."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValidationError.single("out", "Export to .xlsx or .csv, not {suffix}", suffix=suffix)
    with files.replacing(path) as part:  # a whole file or none, never half an export
        if suffix == ".xlsx":
            return _xlsx(part, columns, rows, sheet, progress)
        return _csv(part, columns, rows, progress)


def _tick(progress: Callable[[int], bool] | None, n: int) -> None:
    if progress and n % 1000 == 0 and not progress(n):
        raise ExportCancelled()


def _csv(path: Path, columns, rows, progress) -> int:
    n = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow([c.label for c in columns])
        for row in rows:
            out.writerow([_csv_value(v) for v in row])
            n += 1
            _tick(progress, n)
    return n


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if dangerous(value):
        return "'" + value
    return value


def _xlsx(path: Path, columns, rows, sheet, progress) -> int:
    # openpyxl loads when a spreadsheet is written, not with every page that can export
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    rows = iter(rows)
    head: list[Sequence[Any]] = []
    for row in rows:  # the first rows, to size the columns before any is written
        head.append(row)
        if len(head) >= WIDTH_SAMPLE:
            break
    book = Workbook(write_only=True)
    ws = book.create_sheet(_sheet_title(sheet))
    for i, col in enumerate(columns):
        width = max([_width(col.label)] + [_width(_shown(r[i], col)) for r in head])
        ws.column_dimensions[get_column_letter(i + 1)].width = min(MAX_WIDTH, width + 2)
    ws.freeze_panes = "A2"
    bold, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F3A5F")
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=col.label)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="center")
        header.append(cell)
    ws.append(header)
    n = 0
    try:
        for row in _chain(head, rows):
            cells = zip(row, columns, strict=True)
            ws.append([_xlsx_cell(WriteOnlyCell, ws, v, c) for v, c in cells])
            n += 1
            _tick(progress, n)
    except BaseException:
        ws.close()  # the sheet's temporary file, before the caller removes what was written
        raise
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A1:{last}{n + 1}"
    book.save(path)
    return n


def _chain(head, rows):
    yield from head
    yield from rows


def _xlsx_cell(cell_type, ws, value: Any, col: Column) -> Any:
    if value is None:
        return None
    if col.kind == "money" and value is not None:
        cell = cell_type(ws, value=Decimal(value))
        cell.number_format = MONEY_FORMAT
        return cell
    if col.kind == "date" and isinstance(value, (dt.date, dt.datetime)):
        cell = cell_type(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str):
        cell = cell_type(ws, value=value)
        cell.data_type = "s"  # text, even when it starts with "=": never a formula
        return cell
    return value


def _shown(value: Any, col: Column) -> str:
    if value is None:
        return ""
    if col.kind == "money":
        return f"{Decimal(value):,.2f}元"
    if isinstance(value, (dt.date, dt.datetime)):
        return "2026-01-01"
    return str(value)


def _width(text: str) -> int:
    w = wcswidth(text)
    return w if w >= 0 else len(text) * 2


def _sheet_title(name: str) -> str:
    clean = "".join("_" if c in "[]:*?/\\" else c for c in name)
    return clean[:31] or tr("Sheet")
