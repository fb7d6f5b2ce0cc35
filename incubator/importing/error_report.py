"""The rejected rows of an import as an .xlsx file to fix and import again: the file's own
header and cells, with a last column saying what is wrong with each row."""

from __future__ import annotations

from pathlib import Path

from incubator import files
from incubator.i18n import tr
from incubator.importing.organizations import ImportPlan, RowProblem


def reason(problems: list[RowProblem]) -> str:
    """ "组织名称 “”：此项必填；统一社会信用代码 “9165…”：校验位错误" """
    parts = []
    for p in problems:
        where = f"{p.column} “{p.value}”" if p.column else ""
        parts.append(
            tr("{where}: {message}", where=where, message=p.message) if where else p.message
        )
    return "; ".join(parts)


def write(plan: ImportPlan, path: Path) -> int:
    """Write the rejected rows; returns how many."""
    from openpyxl import Workbook  # (loads when a report of rejected rows is written)
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = (plan.sheet or "rows")[:31]
    header = [*plan.layout.headers, tr("Row in the file"), tr("Why it was rejected")]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    red = PatternFill("solid", fgColor="FDE7E9")
    rejected = plan.rejected
    for row in rejected:
        cells = list(row.cells) + [None] * (len(plan.layout.headers) - len(row.cells))
        sheet.append(
            [*(_safe(c) for c in cells[: len(plan.layout.headers)]), row.row, reason(row.problems)]
        )
        sheet.cell(sheet.max_row, len(header)).fill = red
    sheet.freeze_panes = "A2"
    sheet.column_dimensions[sheet.cell(1, len(header)).column_letter].width = 60
    with files.replacing(path) as part:
        book.save(part)
    return len(rejected)


def _safe(value):
    # A cell that starts like a formula is written as text, never run by the spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
