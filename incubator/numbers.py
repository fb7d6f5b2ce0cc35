"""How numbers are shown, on screen and in print alike: money, counts, hours, rates, scores.

Every rounding is half up (``figures.round_half_up``), as Chinese readers expect: a score of
84.5 shows 84.5, a rate of 0.8445 shows 84.5%, never 84 or 84.4. The dashboard, the lists, the
reports and their charts all call these, so a figure reads the same everywhere.
"""

from __future__ import annotations

from decimal import Decimal

from incubator.services.figures import round_half_up


def money(value: Decimal | int | None) -> str:
    """1234567.5 -> "1,234,567.50" (the unit is in the column header)."""
    return f"{round_half_up(Decimal(value or 0), 2):,.2f}"


def integer(value: int | Decimal | None) -> str:
    return f"{int(value or 0):,}"


def decimal1(value: Decimal | float | int | None) -> str:
    return f"{round_half_up(Decimal(str(value or 0)), 1):,.1f}"


def area(value: Decimal | float | int | None) -> str:
    return f"{round_half_up(Decimal(str(value or 0)), 2):,.2f}"


def percent_number(rate: Decimal | float | None) -> str:
    """0.73455 -> "73.5" (a chart's bar label; the axis says "%")."""
    return f"{round_half_up(Decimal(str(rate or 0)) * 100, 1):.1f}"


def percent(rate: Decimal | float | None) -> str:
    """0.7345 -> "73.5%"."""
    return percent_number(rate) + "%"


def score(value: Decimal | None) -> str:
    return "" if value is None else f"{round_half_up(Decimal(value), 1):.1f}"


def file_size(size: int) -> str:
    """812 -> "812 B", 52_428_800 -> "50.0 MB" (binary units, as file managers show)."""
    if size < 1024:
        return f"{size} B"
    value, unit = Decimal(size) / 1024, "KB"
    for bigger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{round_half_up(value, 1):,.1f} {unit}"
