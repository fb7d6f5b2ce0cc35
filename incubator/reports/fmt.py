"""How numbers, money, dates and phone numbers are printed in reports (tables and charts alike).

Every rounding is half up (``figures.round_half_up``), as Chinese readers expect: a score of
84.5 prints 84.5, a rate of 0.8445 prints 84.5%, never 84 or 84.4.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from incubator.i18n import tr
from incubator.services.contacts import mask_personal_data as free_text  # noqa: F401
from incubator.services.contacts import mask_phone  # noqa: F401 (one rule, re-exported)
from incubator.services.figures import round_half_up

CENT = Decimal("0.01")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def money(value: Decimal | int | None) -> str:
    """1234567.5 -> "1,234,567.50" (the unit is in the column header)."""
    return f"{round_half_up(Decimal(value or 0), 2):,.2f}"


def money_unit(value: Decimal | int | None, lang: str) -> str:
    """With the unit: "1,234,567.50 元" / "1,234,567.50 yuan"."""
    return tr("{amount} yuan", lang, amount=money(value))


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


def date(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def long_date(day: dt.date, lang: str) -> str:
    """ "2026年11月25日" / "25 November 2026"."""
    if lang == "zh_CN":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
