""" "Organizations" and "being incubated" mean the same on the dashboard and in the center
report, and both say what they count. Checked against counts made by hand from five
organizations with dated lifecycles, one of them archived."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from incubator import reports
from incubator.domain import Stage
from incubator.services import dashboard, lifecycle, registry
from tests.factories import org

D = dt.date


@pytest.fixture
def center(db):
    def move(o, *steps):
        for stage, day in steps:
            extra = {}
            if stage is Stage.INCUBATING:
                extra = {"agreement_planned_end": day + dt.timedelta(days=365)}
            lifecycle.transition(db, o.id, stage, reason="委员会决定", occurred_on=day, **extra)

    a = org(db, 1, applied_on=D(2025, 1, 10))
    move(a, (Stage.ADMITTED, D(2025, 2, 1)), (Stage.INCUBATING, D(2025, 3, 1)))
    move(a, (Stage.MID_TERM, D(2025, 9, 1)), (Stage.GRADUATED, D(2026, 3, 1)))
    b = org(db, 2, applied_on=D(2025, 5, 1))
    move(b, (Stage.ADMITTED, D(2025, 6, 1)))  # admitted, agreement not started
    c = org(db, 3, applied_on=D(2025, 1, 5))
    move(c, (Stage.ADMITTED, D(2025, 2, 1)), (Stage.INCUBATING, D(2025, 4, 1)))
    move(c, (Stage.MID_TERM, D(2025, 10, 1)))
    registry.set_archived(db, c.id, True, registry.get(db, c.id).version)  # still incubated
    org(db, 4, applied_on=D(2026, 1, 10))  # after 2025
    e = org(db, 5, applied_on=D(2025, 2, 1))
    move(e, (Stage.EXITED, D(2025, 8, 1)))
    return db


# By hand. End of 2025: A (mid-term), B (admitted), C (mid-term, archived), E (exited) had
# applied: 4 organizations; A and C were being incubated: 2.
# Today: A graduated, D applied: 5 organizations; only C is being incubated: 1.


def test_dashboard_counts_today(center) -> None:
    d = dashboard.summary(center)
    assert (d.organizations, d.being_incubated) == (5, 1)


def test_center_report_counts_at_the_end_of_the_period(center, tmp_path: Path) -> None:
    out = tmp_path / "center-2025.pdf"
    reports.center_report(center, "2025", out, lang="en")
    text = PdfReader(out).pages[1].extract_text()  # after the cover
    flat = re.sub(r"\s+", " ", text)
    # The key figures print as a row of values over a row of their labels, in the same order.
    tiles = re.search(
        r"((?:\S+ ){6})Organizations at the end of the period Being incubated at the end of the "
        r"period Admitted",
        flat,
    )
    assert tiles, flat[:800]
    values = tiles.group(1).split()
    assert (values[0], values[1]) == ("4", "2"), values
    assert (
        "Organizations: every organization that had applied by 2025-12-31, in any stage "
        "(graduated, exited and archived ones included)." in flat
    )
    assert "Being incubated: organizations whose stage on 2025-12-31 was incubating" in flat


def test_dashboard_tiles_say_what_they_count(qtbot, center) -> None:
    from ui.pages.dashboard import DashboardPage

    page = DashboardPage(center)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.reload()
    today = dt.date.today()
    assert page.tiles["organizations"].value.text() == "5"
    assert (
        page.tiles["organizations"]
        .toolTip()
        .startswith(f"Organizations: every organization that had applied by {today}")
    )
    assert page.tiles["incubating"].value.text() == "1"
    assert "incubating or mid-term evaluated" in page.tiles["incubating"].toolTip()
