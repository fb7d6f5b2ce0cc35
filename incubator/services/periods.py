"""Reporting periods as staff write them: a year (``2026``), a quarter (``2026Q3``) or a range
of dates (``2026-01-01..2026-06-30``, both days included).

``parse_period`` turns any accepted spelling into a ``Period`` whose ``key`` is the one
canonical spelling: ``2026q3``, ``2026 Q3`` and ``2026-07-01..2026-09-30`` all become
``2026Q3``, so a narrative saved for one spelling is found again under another.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from incubator import validation as v
from incubator.errors import ValidationError
from incubator.i18n import tr

FIELD = "period"
MIN_YEAR = 1990
MAX_YEAR = 2100

_YEAR = re.compile(r"(\d{4})")
_QUARTER = re.compile(r"(\d{4})\s*-?\s*[Qq]\s*(\d)")
_RANGE = re.compile(r"(.+?)\s*(?:\.\.|～|~)\s*(.+)")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    key: str  # canonical spelling: "2026", "2026Q3" or "2026-01-01..2026-06-30"

    @property
    def kind(self) -> str:
        if "Q" in self.key:
            return "quarter"
        return "year" if len(self.key) == 4 else "range"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def label(self, lang: str | None = None) -> str:
        """The period in words: "2026年第3季度" / "Q3 2026", "2026年" / "Year 2026" ..."""
        if self.kind == "year":
            return tr("Year {year}", lang, year=self.start.year)
        if self.kind == "quarter":
            return tr(
                "Q{quarter} {year}", lang, quarter=quarter_of(self.start), year=self.start.year
            )
        return tr("{start} to {end}", lang, start=self.start.isoformat(), end=self.end.isoformat())

    def describe(self, lang: str | None = None) -> str:
        """Label plus the dates: "2026年第3季度（2026-07-01 至 2026-09-30）"."""
        if self.kind == "range":
            return self.label(lang)
        return tr(
            "{label} ({start} to {end})",
            lang,
            label=self.label(lang),
            start=self.start.isoformat(),
            end=self.end.isoformat(),
        )

    def __str__(self) -> str:
        return self.key


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter(year: int, q: int) -> Period:
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return Period(start, end - dt.timedelta(days=1), f"{year}Q{q}")


def year(y: int) -> Period:
    return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), str(y))


def from_dates(start: dt.date, end: dt.date) -> Period:
    """A range, named as a year or quarter when it is exactly one."""
    if end < start:
        raise ValidationError.single(
            FIELD, "End date {end} is before start date {start}", end=end, start=start
        )
    _check_year(start.year)
    _check_year(end.year)
    if start == dt.date(start.year, 1, 1) and end == dt.date(start.year, 12, 31):
        return year(start.year)
    q = quarter(start.year, quarter_of(start))
    if (start, end) == (q.start, q.end):
        return q
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")


def _check_year(y: int) -> None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise ValidationError.single(
            FIELD, "Year {year} is outside {min}–{max}", year=y, min=MIN_YEAR, max=MAX_YEAR
        )


def _bad(value: object) -> ValidationError:
    return ValidationError.single(
        FIELD,
        "Not a period: “{value}” (use 2026, 2026Q3 or 2026-01-01..2026-06-30)",
        value=value,
    )


def parse_period(value: object) -> Period:
    """A Period from "2026", "2026Q3" (or "2026q3") or "2026-01-01..2026-06-30".

    Full-width digits and spaces around the parts are accepted; anything else raises
    ``ValidationError`` on the field "period" with a message that shows the accepted forms.
    """
    if isinstance(value, Period):
        return value
    text = v.fold(str(value)) if value is not None else ""
    if not text:
        raise ValidationError.single(FIELD, "This field is required")
    if m := _YEAR.fullmatch(text):
        _check_year(int(m[1]))
        return year(int(m[1]))
    if m := _QUARTER.fullmatch(text):
        q = int(m[2])
        if not 1 <= q <= 4:
            raise ValidationError.single(
                FIELD, "Quarter must be 1, 2, 3 or 4, not {quarter}", quarter=q
            )
        _check_year(int(m[1]))
        return quarter(int(m[1]), q)
    if m := _RANGE.fullmatch(text):
        try:
            start = v.date(m[1], FIELD, required=True)
            end = v.date(m[2], FIELD, required=True)
        except ValidationError:
            raise _bad(value) from None
        assert start is not None and end is not None
        return from_dates(start, end)
    raise _bad(value)
