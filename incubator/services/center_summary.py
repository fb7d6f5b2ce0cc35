"""The center report's one-page summary for a period, written by staff: highlights, problems
found, and the corrective actions taken or planned. Edited per period like an organization's
narrative (``services.narratives``), under the same optimistic locking."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from incubator import validation as v
from incubator.db import Database
from incubator.models import CenterNarrative
from incubator.services.common import first_save_race, save_one
from incubator.services.narratives import clean_long_text
from incubator.services.periods import Period, parse_period

WHAT = "Center report summary"
TEXTS = ("highlights", "problems", "actions")


@dataclass(frozen=True)
class CenterSummaryView:
    period: str  # canonical key
    highlights: str
    problems: str
    actions: str
    version: int  # 0: nothing saved yet

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, t).strip() for t in TEXTS)


def _view(row: CenterNarrative) -> CenterSummaryView:
    return CenterSummaryView(row.period, row.highlights, row.problems, row.actions, row.version)


def get(db: Database, period: Period | str) -> CenterSummaryView:
    key = parse_period(period).key
    with db.reading() as session:
        row = session.scalars(select(CenterNarrative).where(CenterNarrative.period == key)).first()
        return _view(row) if row else CenterSummaryView(key, "", "", "", 0)


def save(
    db: Database,
    period: Period | str,
    highlights: str | None,
    problems: str | None,
    actions: str | None,
    expected_version: int,
    actor: str | None = None,
) -> CenterSummaryView:
    """Save the three texts; refused with ConflictError when someone saved meanwhile."""
    key = parse_period(period).key
    c = v.Checker()
    texts = {
        name: c(clean_long_text, value, name) or ""
        for name, value in zip(TEXTS, (highlights, problems, actions), strict=True)
    }
    c.raise_if_any()
    with first_save_race(WHAT), db.transaction(actor) as session:
        row = session.scalars(select(CenterNarrative).where(CenterNarrative.period == key)).first()
        make = lambda: CenterNarrative(period=key, **texts)  # noqa: E731
        return _view(save_one(session, row, expected_version, WHAT, make, texts))
