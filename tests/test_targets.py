"""The year's targets and the center report's summary: typed as staff type them, refused with
the field named, never half-saved, and guarded against two desks saving at once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from incubator.db import Database
from incubator.errors import ConflictError, ValidationError
from incubator.services import center_summary, targets


def test_targets_are_typed_as_percentages_money_and_counts(db: Database) -> None:
    assert targets.get(db, 2026).version == 0 and targets.get(db, 2026).is_empty
    saved = targets.save(
        db,
        2026,
        {
            "incubated": "３０",
            "graduation_rate": "80%",
            "disbursed": "2,500,000.50",
            "training_hours": "480.5",
            "occupancy_rate": "85.25",
            "overdue_payments": "0",
        },
        0,
    )
    assert (saved.incubated, saved.graduation_rate, saved.disbursed) == (
        30,
        Decimal("0.8"),
        Decimal("2500000.50"),
    )
    assert (saved.training_hours, saved.occupancy_rate, saved.overdue_payments) == (
        Decimal("480.5"),
        Decimal("0.8525"),
        0,
    )
    again = targets.save(db, "2026", {"disbursed": "300万"}, saved.version)
    assert again.disbursed == Decimal("3000000.00") and again.incubated is None  # cleared
    assert targets.get(db, 2025).is_empty  # another year


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("graduation_rate", "120", "Must be at most 100"),
        ("occupancy_rate", "lots", "Not a number"),
        ("incubated", "2.5", "Must be a whole number"),
        ("disbursed", "-5", "Must not be negative"),
        ("training_hours", "1.25", "At most 1 decimal places"),
    ],
)
def test_bad_targets_name_the_field_and_save_nothing(
    sqlite_db: Database, field: str, typed: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        targets.save(sqlite_db, 2026, {"incubated": "10", field: typed}, 0)
    assert [p.field for p in caught.value.problems] == [field]
    assert message in caught.value.message()
    assert targets.get(sqlite_db, 2026).version == 0


def test_a_stale_save_of_targets_is_refused(db: Database) -> None:
    first = targets.save(db, 2026, {"incubated": 10}, 0)
    targets.save(db, 2026, {"incubated": 12}, first.version)
    with pytest.raises(ConflictError):
        targets.save(db, 2026, {"incubated": 11}, first.version)
    with pytest.raises(ConflictError):
        targets.save(db, 2026, {"incubated": 11}, 0)  # someone created it meanwhile
    assert targets.get(db, 2026).incubated == 12


def test_the_center_summary_is_kept_per_period(db: Database) -> None:
    assert center_summary.get(db, "2026Q2").is_empty
    s = center_summary.save(db, "2026 q2", "亮点\r\n\r\n\r\n第二段", "问题", "", 0)
    assert s.period == "2026Q2" and s.highlights == "亮点\n\n第二段"
    assert center_summary.get(db, "2026-04-01..2026-06-30").problems == "问题"
    assert center_summary.get(db, "2026Q3").version == 0
    with pytest.raises(ConflictError):
        center_summary.save(db, "2026Q2", "", "", "", 0)
    with pytest.raises(ValidationError) as caught:
        center_summary.save(db, "2026Q2", "x" * 10_001, "", "", s.version)
    assert caught.value.problems[0].field == "highlights"
