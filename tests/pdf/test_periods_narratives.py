"""Reporting periods, the center's letterhead and per-period narratives with optimistic locking."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from sqlalchemy import select

from incubator.db import Database
from incubator.errors import ConflictError, NotFoundError, ValidationError
from incubator.models import AuditEntry
from incubator.services import narratives
from incubator.services.periods import parse_period
from tests.factories import org


@pytest.mark.parametrize(
    ("text", "start", "end", "key"),
    [
        ("2026", "2026-01-01", "2026-12-31", "2026"),
        ("2026Q3", "2026-07-01", "2026-09-30", "2026Q3"),
        ("2026q1", "2026-01-01", "2026-03-31", "2026Q1"),
        (" ２０２６Ｑ４ ", "2026-10-01", "2026-12-31", "2026Q4"),
        ("2024Q1", "2024-01-01", "2024-03-31", "2024Q1"),
        ("2026-01-01..2026-06-30", "2026-01-01", "2026-06-30", "2026-01-01..2026-06-30"),
        ("2026-07-01..2026-09-30", "2026-07-01", "2026-09-30", "2026Q3"),
        ("2025-01-01 .. 2025-12-31", "2025-01-01", "2025-12-31", "2025"),
        ("2026-02-03..2026-02-03", "2026-02-03", "2026-02-03", "2026-02-03..2026-02-03"),
    ],
)
def test_periods_parse_to_dates_and_one_canonical_key(text, start, end, key) -> None:
    p = parse_period(text)
    assert (p.start.isoformat(), p.end.isoformat(), p.key) == (start, end, key)
    assert parse_period(p.key) == p


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2026Q5", "Quarter must be 1, 2, 3 or 4"),
        ("26", "2026Q3"),
        ("2026H1", "2026Q3"),
        ("2026-13-01..2026-12-31", "2026Q3"),
        ("2026-06-30..2026-01-01", "before start date"),
        ("", "required"),
        ("1800", "outside"),
    ],
)
def test_bad_periods_name_the_field_and_the_accepted_forms(text, fragment) -> None:
    with pytest.raises(ValidationError) as info:
        parse_period(text)
    assert info.value.fields() == {"period"}
    assert fragment in info.value.message("en")
    assert info.value.message("zh_CN").startswith("报告期")


def test_period_labels_in_both_languages() -> None:
    assert parse_period("2026Q3").describe("zh_CN") == "2026年第3季度（2026-07-01 至 2026-09-30）"
    assert parse_period("2026Q3").describe("en") == "Q3 2026 (2026-07-01 to 2026-09-30)"
    assert parse_period("2026").label("zh_CN") == "2026年度"
    assert parse_period("2026-01-01..2026-06-30").describe("en") == "2026-01-01 to 2026-06-30"
    assert parse_period("2024Q1").contains(dt.date(2024, 3, 31))
    assert parse_period("2024").days == 366


def test_narrative_save_get_and_conflicts(db: Database) -> None:
    o = org(db, 1)
    empty = narratives.get(db, o.id, "2026q3")
    assert (empty.version, empty.narrative, empty.period) == (0, "", "2026Q3")
    saved = narratives.save(db, o.id, "2026Q3", "  第一段\r\n\r\n\r\n第二段  ", "下一步", 0)
    assert saved.version == 1 and saved.narrative == "第一段\n\n第二段"
    # Another spelling of the same quarter finds it.
    again = narratives.get(db, o.id, "2026-07-01..2026-09-30")
    assert again.narrative == saved.narrative and again.version == 1
    updated = narratives.save(db, o.id, "2026Q3", "改过", "下一步", 1)
    assert updated.version == 2
    with pytest.raises(ConflictError) as info:
        narratives.save(db, o.id, "2026Q3", "stale", "", 1)  # someone saved meanwhile
    assert (info.value.params["current"], info.value.params["yours"]) == (2, 1)
    with pytest.raises(ConflictError):
        narratives.save(db, o.id, "2026Q3", "also new", "", 0)  # thought there was none
    assert narratives.get(db, o.id, "2026Q3").narrative == "改过"
    other = narratives.save(db, o.id, "2026", "年度", "", 0)
    assert other.version == 1 and other.period == "2026"
    with pytest.raises(NotFoundError):
        narratives.get(db, 99999, "2026")
    with pytest.raises(ValidationError):
        narratives.save(db, o.id, "2026", "x" * 10_001, "", 1)
    with pytest.raises(ValidationError):
        narratives.save(db, o.id, "2026Q9", "", "", 0)


def test_center_letterhead_is_saved_and_audited(sqlite_db: Database, tmp_path) -> None:
    assert narratives.center_info(sqlite_db) == narratives.CenterInfo("", None)
    logo = tmp_path / "logo.png"
    image = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    logo.write_bytes(image)
    info = narratives.set_center_info(sqlite_db, "  天山区社会组织孵化基地 ", logo)
    assert info.name == "天山区社会组织孵化基地" and info.logo == image
    logo.unlink()  # kept in the registry, not as a path on this desk
    assert narratives.center_info(sqlite_db) == info
    narratives.set_center_info(sqlite_db, "新名称")  # the logo left as it is
    assert narratives.center_info(sqlite_db).logo == image
    narratives.set_center_info(sqlite_db, "天山区社会组织孵化基地", None)
    assert narratives.center_info(sqlite_db).logo is None
    stored = "sha256:" + hashlib.sha256(image).hexdigest()
    with sqlite_db.reading() as session:
        changes = [
            json.loads(c)
            for c in session.scalars(
                select(AuditEntry.changes)
                .where(AuditEntry.entity == "settings")
                .order_by(AuditEntry.id)
            )
        ]
    assert {"key": [None, "center_name"], "value": [None, "天山区社会组织孵化基地"]} in changes
    assert {"key": ["center_logo", "center_logo"], "value": [stored, ""]} in changes
    with pytest.raises(ValidationError):
        narratives.set_center_info(sqlite_db, "x", tmp_path / "missing.png")
    with pytest.raises(ValidationError):
        narratives.set_center_info(sqlite_db, "x", tmp_path / "logo.svg")
    (tmp_path / "not-an-image.png").write_text("<svg/>")
    with pytest.raises(ValidationError, match="PNG, JPEG or GIF"):
        narratives.set_center_info(sqlite_db, "x", tmp_path / "not-an-image.png")
    (tmp_path / "huge.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(narratives.LOGO_MAX))
    with pytest.raises(ValidationError, match="larger than 2 MB"):
        narratives.set_center_info(sqlite_db, "x", tmp_path / "huge.png")
