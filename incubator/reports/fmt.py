"""How numbers, money, dates and phone numbers are printed in reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from incubator.i18n import tr
from incubator.services.contacts import mask_phone  # noqa: F401 (one rule, re-exported)

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
    return f"{Decimal(value or 0).quantize(CENT):,.2f}"


def money_unit(value: Decimal | int | None, lang: str) -> str:
    """With the unit: "1,234,567.50 元" / "1,234,567.50 yuan"."""
    return tr("{amount} yuan", lang, amount=money(value))


def integer(value: int | Decimal | None) -> str:
    return f"{int(value or 0):,}"


def decimal1(value: Decimal | float | int | None) -> str:
    return f"{Decimal(str(value or 0)).quantize(Decimal('0.1')):,.1f}"


def area(value: Decimal | float | int | None) -> str:
    return f"{Decimal(str(value or 0)).quantize(CENT):,.2f}"


def percent(rate: Decimal | float | None) -> str:
    """0.7345 -> "73.5%"."""
    return f"{Decimal(str(rate or 0)) * 100:.1f}%"


def score(value: Decimal | None) -> str:
    return "" if value is None else f"{Decimal(value).quantize(Decimal('0.1')):.1f}"


def date(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def long_date(day: dt.date, lang: str) -> str:
    """ "2026年11月25日" / "25 November 2026"."""
    if lang == "zh_CN":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
