"""Spaces and allocations: inclusive periods, overlap edge cases, cancellation, occupancy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, inspect, select, table

from incubator.domain import AllocationStatus
from incubator.errors import ConflictError, ValidationError
from incubator.services import spaces
from tests.factories import org

D = dt.date


def row_counts(db) -> dict[str, int]:
    with db.reading() as session:
        names = inspect(session.connection()).get_table_names()
        return {
            n: session.scalar(select(func.count()).select_from(table(n)))
            for n in names
            if n != "alembic_version"
        }


@pytest.fixture
def center(db):
    """Room R1 held by 甲 from 2024-01-01 to 2024-03-31 (both days included)."""
    r1 = spaces.create_space(
        db, {"code": "R1", "name": "第一会议室", "kind": "room", "area_m2": "20.5"}
    )
    r2 = spaces.create_space(db, {"code": "D1", "name": "工位一", "kind": "desk", "area_m2": 4})
    holder = org(db, 1, name="甲社工服务中心")
    other = org(db, 2, name="乙志愿者协会")
    held = spaces.allocate(db, r1.id, holder.id, D(2024, 1, 1), D(2024, 3, 31))
    return db, r1, r2, holder, other, held


def test_allocation_view(center):
    db, _r1, _r2, holder, _other, held = center
    assert (held.space_code, held.space_name, held.organization_name) == (
        "R1",
        "第一会议室",
        "甲社工服务中心",
    )
    assert held.area_m2 == Decimal("20.50")
    assert held.status is AllocationStatus.ACTIVE
    assert held.days() == 91  # 2024 is a leap year: 31 + 29 + 31
    assert [a.id for a in spaces.allocations_of(db, holder.id)] == [held.id]


def test_touching_periods_are_allowed(center):
    db, r1, _r2, _holder, other, _held = center
    after = spaces.allocate(db, r1.id, other.id, "2024-04-01", "2024-06-30")
    before = spaces.allocate(db, r1.id, other.id, "2023-10-01", "2023-12-31")
    assert [a.id for a in spaces.allocations_on(db, r1.id)] == [before.id, center[5].id, after.id]


OVERLAPS = [
    (D(2024, 3, 31), D(2024, 4, 30)),  # same-day overlap at the end
    (D(2023, 12, 1), D(2024, 1, 1)),  # same-day overlap at the start
    (D(2024, 2, 1), D(2024, 2, 10)),  # inside
    (D(2023, 12, 1), D(2024, 5, 1)),  # around
    (D(2024, 1, 1), D(2024, 3, 31)),  # identical
    (D(2023, 12, 15), D(2024, 1, 15)),  # overlapping the start
    (D(2024, 3, 15), D(2024, 4, 15)),  # overlapping the end
    (D(2024, 2, 29), D(2024, 2, 29)),  # one day inside
]


def test_overlaps_are_refused_naming_the_holder(center):
    db, r1, _r2, _holder, other, _held = center
    before = row_counts(db)
    for start, end in OVERLAPS:
        with pytest.raises(ValidationError) as info:
            spaces.allocate(db, r1.id, other.id, start, end)
        assert row_counts(db) == before
        err = info.value
        assert err.fields() == {"start_on"}
        msg = err.message("en")
        assert "“甲社工服务中心”" in msg
        assert "R1 第一会议室" in msg
        assert "from 2024-01-01 to 2024-03-31" in msg


def test_a_longer_booking_around_the_holder_is_refused_too(center):
    """A inside B: the new, longer allocation covers the existing one entirely."""
    db, r1, _r2, holder, other, _held = center
    # A short allocation of the holder lies inside the new, long period.
    spaces.allocate(db, r1.id, holder.id, D(2024, 5, 1), D(2024, 5, 2))
    with pytest.raises(ValidationError, match="甲社工服务中心"):
        spaces.allocate(db, r1.id, other.id, D(2024, 4, 1), D(2024, 12, 31))


def test_cancelled_allocations_do_not_block(center):
    db, r1, _r2, _holder, other, held = center
    cancelled = spaces.change_allocation(db, held.id, {"status": "cancelled"}, held.version)
    assert cancelled.status is AllocationStatus.CANCELLED
    taken = spaces.allocate(db, r1.id, other.id, D(2024, 1, 1), D(2024, 3, 31))
    assert taken.organization_name == "乙志愿者协会"
    # Bringing the cancelled one back would now overlap: refused, naming the new holder.
    with pytest.raises(ValidationError, match="乙志愿者协会"):
        spaces.change_allocation(db, held.id, {"status": "active"}, cancelled.version)
    # The timeline still shows the cancelled allocation.
    statuses = [a.status for a in spaces.allocations_on(db, r1.id)]
    assert sorted(statuses) == [AllocationStatus.ACTIVE, AllocationStatus.CANCELLED]


def test_different_spaces_do_not_conflict(center):
    db, _r1, r2, _holder, other, _held = center
    a = spaces.allocate(db, r2.id, other.id, D(2024, 1, 1), D(2024, 3, 31))
    assert a.space_code == "D1"


def test_change_allocation_into_another_is_refused(center):
    db, r1, _r2, _holder, other, held = center
    mine = spaces.allocate(db, r1.id, other.id, D(2024, 4, 1), D(2024, 4, 30))
    before = row_counts(db)
    with pytest.raises(ValidationError, match="甲社工服务中心") as info:
        spaces.change_allocation(db, mine.id, {"start_on": D(2024, 3, 31)}, mine.version)
    assert info.value.fields() == {"start_on"}
    # Extending the holder's own allocation into the next one is refused the same way.
    with pytest.raises(ValidationError, match="乙志愿者协会"):
        spaces.change_allocation(db, held.id, {"end_on": D(2024, 4, 1)}, held.version)
    assert row_counts(db) == before
    again = spaces.allocations_on(db, r1.id)
    assert [(a.start_on, a.end_on) for a in again] == [
        (D(2024, 1, 1), D(2024, 3, 31)),
        (D(2024, 4, 1), D(2024, 4, 30)),
    ]


def test_moving_own_period_is_allowed(center):
    db, _r1, _r2, _holder, _other, held = center
    # The new period overlaps the old one: no clash with itself.
    moved = spaces.change_allocation(
        db, held.id, {"start_on": D(2024, 2, 1), "end_on": D(2024, 5, 31)}, held.version
    )
    assert (moved.start_on, moved.end_on) == (D(2024, 2, 1), D(2024, 5, 31))
    assert moved.version == held.version + 1
    shortened = spaces.change_allocation(db, held.id, {"end_on": "2024-02-29"}, moved.version)
    assert shortened.days() == 29
    with pytest.raises(ValidationError) as info:
        spaces.change_allocation(db, held.id, {"end_on": D(2024, 1, 31)}, shortened.version)
    assert info.value.fields() == {"end_on"}


def test_stale_allocation_change_is_refused(center):
    db, _r1, _r2, _holder, _other, held = center
    spaces.change_allocation(db, held.id, {"notes": "钥匙已交"}, held.version)
    with pytest.raises(ConflictError) as info:
        spaces.change_allocation(db, held.id, {"end_on": D(2024, 2, 1)}, held.version)
    assert info.value.current_values["notes"] == "钥匙已交"


def test_inactive_space_is_refused(center):
    db, r1, _r2, _holder, other, _held = center
    off = spaces.update_space(db, r1.id, {"active": False}, r1.version)
    assert not off.active
    assert [s.code for s in spaces.list_spaces(db)] == ["D1"]
    assert [s.code for s in spaces.list_spaces(db, include_inactive=True)] == ["D1", "R1"]
    before = row_counts(db)
    with pytest.raises(ValidationError) as info:
        spaces.allocate(db, r1.id, other.id, D(2025, 1, 1), D(2025, 1, 31))
    assert info.value.fields() == {"space"}
    assert "第一会议室" in info.value.message("en")
    assert row_counts(db) == before


def test_space_codes_are_unique(center):
    db, _r1, r2, *_ = center
    with pytest.raises(ValidationError) as info:
        spaces.create_space(db, {"code": "R1", "name": "x", "kind": "room"})
    assert info.value.fields() == {"code"}
    with pytest.raises(ValidationError):
        spaces.update_space(db, r2.id, {"code": "R1"}, r2.version)


def test_occupancy_on_a_hand_computed_example(db):
    r1 = spaces.create_space(db, {"code": "R1", "name": "大", "kind": "room", "area_m2": 20})
    r2 = spaces.create_space(db, {"code": "R2", "name": "小", "kind": "room", "area_m2": "10"})
    a = org(db, 1, name="甲")
    b = org(db, 2, name="乙")
    spaces.allocate(db, r1.id, a.id, D(2024, 3, 15), D(2024, 4, 10))  # 10 days in April
    spaces.allocate(db, r1.id, b.id, D(2024, 4, 11), D(2024, 5, 31))  # 20 days in April
    spaces.allocate(db, r2.id, a.id, D(2024, 4, 20), D(2024, 4, 20))  # 1 day
    gone = spaces.allocate(db, r2.id, b.id, D(2024, 4, 1), D(2024, 4, 19))
    spaces.change_allocation(db, gone.id, {"status": "cancelled"}, gone.version)
    spaces.allocate(db, r2.id, b.id, D(2024, 5, 1), D(2024, 5, 31))  # outside the period

    occ = spaces.occupancy(db, D(2024, 4, 1), D(2024, 4, 30))
    assert occ.space_days == 2 * 30
    assert occ.occupied_days == 10 + 20 + 1
    assert occ.area_m2_days == Decimal(20 * 10 + 20 * 20 + 10 * 1)
    assert occ.rate == Decimal("0.5167")  # 31 / 60

    only_a = spaces.occupancy(db, D(2024, 4, 1), D(2024, 4, 30), org_id=a.id)
    assert (only_a.occupied_days, only_a.area_m2_days) == (11, Decimal(210))

    one_day = spaces.occupancy(db, D(2024, 4, 20), D(2024, 4, 20))
    assert (one_day.space_days, one_day.occupied_days, one_day.rate) == (2, 2, Decimal(1))

    with pytest.raises(ValidationError):
        spaces.occupancy(db, D(2024, 4, 30), D(2024, 4, 1))
