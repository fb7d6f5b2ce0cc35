"""The center's targets for a calendar year, set in Settings; the center report sets its key
performance indicators against them (``services.kpis``).

Every target is optional. Rates are typed as percentages ("85", "85%", "85.5％") and kept as
fractions (0.855); the disbursement target is money in yuan (a "万" suffix works, as for any
amount); the overdue-payments target is the most the center accepts at a period's end.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from incubator import validation as v
from incubator.db import Database
from incubator.errors import ValidationError
from incubator.models import AnnualTarget
from incubator.services.common import first_save_race, save_one

WHAT = "Annual targets"
FIELDS = (
    "incubated",
    "graduation_rate",
    "disbursed",
    "training_hours",
    "occupancy_rate",
    "overdue_payments",
)


@dataclass(frozen=True)
class TargetsView:
    year: int
    incubated: int | None
    graduation_rate: Decimal | None  # a fraction: 0.8 is 80 %
    disbursed: Decimal | None
    training_hours: Decimal | None
    occupancy_rate: Decimal | None
    overdue_payments: int | None
    version: int  # 0: nothing saved for the year yet

    @property
    def is_empty(self) -> bool:
        return all(getattr(self, f) is None for f in FIELDS)


def _year(value: Any) -> int:
    year = int(v.number(value, "year", minimum=1990, maximum=2100))
    if not year:
        raise ValidationError.single("year", "This field is required")
    return year


def rate(value: Any, field: str) -> Decimal | None:
    """A percentage as typed ("85", "85%", "85.5％") as a fraction; blank: no target."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = v.fold(str(value)).strip().removesuffix("%").strip()
    percent = v.number(text, field, places=2, minimum=0, maximum=100)
    return (percent / 100).quantize(Decimal("0.0001"))


def _optional(check, value: Any, field: str, **kw: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return check(value, field, **kw)


def clean(data: Mapping[str, Any]) -> dict[str, Any]:
    c = v.Checker()
    out = {
        "incubated": c(v.count, data.get("incubated"), "incubated"),
        "graduation_rate": c(rate, data.get("graduation_rate"), "graduation_rate"),
        "disbursed": c(_optional, v.money, data.get("disbursed"), "disbursed"),
        "training_hours": c(
            _optional,
            v.number,
            data.get("training_hours"),
            "training_hours",
            places=1,
            maximum=10_000_000,
        ),
        "occupancy_rate": c(rate, data.get("occupancy_rate"), "occupancy_rate"),
        "overdue_payments": c(v.count, data.get("overdue_payments"), "overdue_payments"),
    }
    c.raise_if_any()
    return out


def _view(row: AnnualTarget) -> TargetsView:
    return TargetsView(row.year, *(getattr(row, f) for f in FIELDS), row.version)


def get(db: Database, year: int | str) -> TargetsView:
    """The year's targets, or empty ones with version 0."""
    y = _year(year)
    with db.reading() as session:
        row = session.get(AnnualTarget, y)
        return _view(row) if row else TargetsView(y, *(None,) * len(FIELDS), 0)


def save(
    db: Database,
    year: int | str,
    data: Mapping[str, Any],
    expected_version: int,
    actor: str | None = None,
) -> TargetsView:
    """Save the year's targets; ``expected_version`` is what ``get`` returned (0: new).
    A stale version is refused with ConflictError; audited."""
    y = _year(year)
    values = clean(data)
    with first_save_race(WHAT), db.transaction(actor) as session:
        row = session.get(AnnualTarget, y)
        make = lambda: AnnualTarget(year=y, **values)  # noqa: E731
        return _view(save_one(session, row, expected_version, WHAT, make, values))
