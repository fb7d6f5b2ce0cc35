"""How numbers, money, dates and phone numbers are printed in reports (tables and charts alike).

The numbers come from ``incubator.numbers`` (half-up rounding, shared with the screens).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from incubator.i18n import tr
from incubator.numbers import (  # noqa: F401 (one rule for screen and print, re-exported)
    area,
    decimal1,
    integer,
    money,
    percent,
    percent_number,
    score,
)
from incubator.services.contacts import mask_personal_data as free_text  # noqa: F401
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


def money_unit(value: Decimal | int | None, lang: str) -> str:
    """With the unit: "1,234,567.50 元" / "1,234,567.50 yuan"."""
    return tr("{amount} yuan", lang, amount=money(value))


def date(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def long_date(day: dt.date, lang: str) -> str:
    """ "2026年11月25日" / "25 November 2026"."""
    if lang == "zh_CN":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
