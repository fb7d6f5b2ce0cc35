"""The spaces page on real widgets: holders, the occupancy timeline, allocating (a taken period
is refused inside the dialog, naming the holder), ending and cancelling with version checks."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox

from incubator.db import Database
from incubator.domain import AllocationStatus
from incubator.i18n import set_language
from incubator.services import spaces
from tests.factories import org
from tests.ui import person
from tests.ui.dialogs import when_modal
from ui.pages.spaces import SpacesPage

pytestmark = pytest.mark.ui

TODAY = dt.date.today()
HOLDER = "阿依古丽·买买提社工服务站"
UYGHUR = "ئۈمىد ياشلار مۇلازىمەت مەركىزى"


def refresh_dates() -> None:
    """Run before each test (tests/conftest.py): a run that crosses midnight sees the new day,
    as the code under test does."""
    global TODAY
    TODAY = dt.date.today()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def center(sqlite_db: Database):
    db = sqlite_db
    room = spaces.create_space(
        db, {"code": "R1", "name": "第一孵化室", "kind": "room", "area_m2": "24.5"}
    )
    desk = spaces.create_space(
        db, {"code": "D1", "name": "共享工位D1", "kind": "desk", "area_m2": 4}
    )
    holder = org(db, 1, name=HOLDER)
    other = org(db, 2, name=UYGHUR, legal_form="social_group")
    held = spaces.allocate(db, room.id, holder.id, days(-30), days(60))
    old = spaces.allocate(db, room.id, other.id, days(-200), days(-100))
    spaces.change_allocation(db, old.id, {"status": "cancelled"}, old.version)
    return db, room, desk, holder, other, held


@pytest.fixture
def page(qtbot, center):
    set_language("en")
    db, room, *_ = center
    widget = SpacesPage(db)
    qtbot.addWidget(widget)
    widget.resize(1200, 780)
    widget.show()
    with qtbot.waitSignal(widget.allocationsLoaded, timeout=10_000):
        widget.reload()  # the first space (D1, by code) is selected
    with qtbot.waitSignal(widget.allocationsLoaded, timeout=10_000) as loaded:
        assert widget.select_space(room.id)
    assert loaded.args == [room.id]
    return widget


def n_allocations(db: Database, space_id: int) -> int:
    return len(spaces.allocations_on(db, space_id))


def test_spaces_list_names_todays_holder(page, center) -> None:
    model = page.model
    rows = {model.index(r, 0).data(): r for r in range(model.rowCount())}
    assert list(rows) == ["D1", "R1"]
    r = rows["R1"]
    assert [model.index(r, c).data() for c in range(6)] == [
        "R1",
        "第一孵化室",
        "Room",
        "24.50",
        HOLDER,
        str(days(60)),
    ]
    assert model.index(rows["D1"], 4).data() == ""
    assert page.count.text() == "2 spaces, 1 in use today"


def test_timeline_shows_active_and_cancelled_allocations(page, center) -> None:
    _db, _room, _desk, _holder, _other, held = center
    assert page.space_title.text() == "R1  第一孵化室"
    assert page.timeline.labels() == [HOLDER, UYGHUR]
    bars = {b.allocation.organization_name: b for b in page.timeline.bars}
    assert bars[HOLDER].lane == 0 and bars[UYGHUR].lane == 1  # the cancelled one below
    assert bars[UYGHUR].allocation.status is AllocationStatus.CANCELLED
    # Today's allocation is selected, in the list and on the timeline.
    assert page.current_allocation().id == held.id
    assert page.timeline.selected_id == held.id
    table = page.allocation_table
    assert [[table.cell_text(r, c) for c in (0, 1, 4)] for r in range(table.rowCount())] == [
        [UYGHUR, str(days(-200)), "Cancelled"],
        [HOLDER, str(days(-30)), "Active"],
    ]
    assert table.currentRow() == 1
    # Bars sit where their dates are: today's line falls inside the held bar.
    rect = page.timeline.bar_rect(bars[HOLDER])
    assert rect.left() < page.timeline.x_of(TODAY) < rect.right()


def test_double_click_on_a_bar_opens_the_organization(qtbot, page, center) -> None:
    *_, holder, _other, _held = center
    bar = next(b for b in page.timeline.bars if b.allocation.organization_id == holder.id)
    centre = page.timeline.bar_rect(bar).center()
    pos = QPoint(int(centre.x()), int(centre.y()))
    with qtbot.waitSignal(page.organizationActivated, timeout=5_000) as signal:
        qtbot.mouseClick(page.timeline, Qt.MouseButton.LeftButton, pos=pos)
        qtbot.mouseDClick(page.timeline, Qt.MouseButton.LeftButton, pos=pos)
    assert signal.args == [holder.id]


def open_allocation(qtbot, page):
    """Click Allocate…; the dialog's first search (everyone) has come back."""
    person.press(qtbot, page, "allocateSpace")  # opens window-modal, without blocking
    dialog = page.allocation_dialog
    qtbot.waitUntil(lambda: dialog.results.topLevelItemCount() > 0, timeout=10_000)
    return dialog


def search_for(qtbot, dialog, text: str) -> None:
    with qtbot.waitSignal(dialog.searchFinished, timeout=10_000):
        person.type_into(qtbot, dialog.search, text)  # searched after a typing pause


def test_allocating_a_taken_period_names_the_holder_and_saves_nothing(qtbot, page, center) -> None:
    db, room, *_ = center
    before = n_allocations(db, room.id)
    dialog = open_allocation(qtbot, page)
    search_for(qtbot, dialog, UYGHUR[:5])  # Uyghur script, as an input method commits it
    assert dialog.result_names() == [UYGHUR]  # the only match is picked
    assert dialog.org_id is not None
    person.type_into(qtbot, dialog.start_on, str(days(50)))  # overlaps the holder's last days
    person.type_into(qtbot, dialog.end_on, str(days(120)))
    with qtbot.waitSignal(dialog.saveFailed, timeout=10_000) as failed:
        person.click(qtbot, dialog.save_button)
    message = failed.args[0]
    assert message == (
        f"Start date: R1 第一孵化室 is already allocated to “{HOLDER}” "
        f"from {days(-30)} to {days(60)}"
    )
    assert dialog.error_text() == message and dialog.error.isVisible()
    assert dialog.isVisible() and dialog.result() == 0  # still open, to correct the dates
    assert n_allocations(db, room.id) == before


def test_a_valid_allocation_appears_in_the_timeline(qtbot, page, center) -> None:
    db, room, _desk, _holder, other, _held = center
    dialog = open_allocation(qtbot, page)
    # The suggested start is the day after the current holder leaves; everyone is listed.
    assert dialog.start_on.date() == days(61)
    assert sorted(dialog.result_names()) == sorted([HOLDER, UYGHUR])
    search_for(qtbot, dialog, "xyz")
    assert dialog.result_names() == []
    search_for(qtbot, dialog, "aygl")  # pinyin initials of 阿依古丽…
    assert dialog.result_names() == [HOLDER]
    search_for(qtbot, dialog, "")
    row = dialog.result_names().index(UYGHUR)
    person.click_row(qtbot, dialog.results, row)
    assert dialog.chosen.text() == f"Chosen: \u2068{UYGHUR}\u2069"  # isolated, see ui.forms
    person.type_into(qtbot, dialog.end_on, days(150).strftime("%Y/%-m/%-d"))
    person.type_into(qtbot, dialog.notes, "续签")
    with (
        qtbot.waitSignal(page.allocationsLoaded, timeout=10_000),
        qtbot.waitSignal(dialog.allocated, timeout=10_000) as saved,
    ):
        person.click(qtbot, dialog.save_button)
    assert page.allocation_dialog is None  # closed
    [allocation] = saved.args
    assert (allocation.start_on, allocation.end_on) == (days(61), days(150))
    assert allocation.notes == "续签"
    assert page.timeline.labels() == [HOLDER, UYGHUR, UYGHUR]
    new = next(b for b in page.timeline.bars if b.allocation.id == allocation.id)
    assert new.lane == 0 and new.allocation.organization_id == other.id
    assert n_allocations(db, room.id) == 3


def test_end_early_and_cancel(qtbot, page, center) -> None:
    db, room, _desk, _holder, _other, held = center

    def before_start(dialog) -> None:
        person.type_into(qtbot, dialog.last_day, str(days(-31)))
        person.answer(qtbot, dialog, person.Ok)
        assert dialog.isVisible()
        assert dialog.error.text() == f"The last day cannot be before the start ({days(-30)})"
        person.type_into(qtbot, dialog.last_day, str(TODAY))
        person.answer(qtbot, dialog, person.Ok)

    errors = when_modal(before_start)
    with qtbot.waitSignal(page.allocationsLoaded, timeout=10_000):
        person.press(qtbot, page, "endAllocation")
    assert not errors, errors
    [ended] = [a for a in spaces.allocations_on(db, room.id) if a.id == held.id]
    assert ended.end_on == TODAY and ended.version == held.version + 1
    assert page.current_allocation().end_on == TODAY

    errors = when_modal(lambda box: person.answer(qtbot, box, person.Yes))
    with qtbot.waitSignal(page.allocationsLoaded, timeout=10_000):
        person.click(qtbot, page.cancel_button)
    assert not errors, errors
    [cancelled] = [a for a in spaces.allocations_on(db, room.id) if a.id == held.id]
    assert cancelled.status is AllocationStatus.CANCELLED
    assert not page.cancel_button.isEnabled()  # nothing left to cancel on this one
    assert page.model.index(page.model.row_of(room.id), 4).data() == ""  # nobody holds R1


def test_a_stale_allocation_is_refused_as_a_conflict(qtbot, page, center) -> None:
    db, room, _desk, _holder, _other, held = center
    # Another desk changes the allocation after this page read it.
    spaces.change_allocation(db, held.id, {"notes": "另一工位修改"}, held.version)
    shown: dict[str, str] = {}

    def read_and_close(box) -> None:
        shown["title"], shown["text"] = box.windowTitle(), box.text()
        person.answer(qtbot, box, person.Ok)

    def confirm(box) -> None:
        person.answer(qtbot, box, person.Yes)
        shown["error"] = when_modal(read_and_close, match=lambda w: w.objectName() == "errorBox")

    errors = when_modal(confirm)
    with qtbot.waitSignal(page.allocationsLoaded, timeout=10_000):
        person.click(qtbot, page.cancel_button)
    qtbot.waitUntil(lambda: "text" in shown, timeout=10_000)
    assert not errors and not shown["error"], (errors, shown["error"])
    assert shown["title"] == "Changed by someone else"
    assert shown["text"] == (
        "Space allocation was changed by someone else (now version 2, you edited version 1)"
    )
    [still] = [a for a in spaces.allocations_on(db, room.id) if a.id == held.id]
    assert still.status is AllocationStatus.ACTIVE and still.notes == "另一工位修改"
    qtbot.waitUntil(lambda: page.current_allocation().version == 2, timeout=10_000)


def test_in_chinese_with_the_uyghur_name_right_aligned(qtbot, center) -> None:
    set_language("zh_CN")
    db, room, _desk, _holder, other, _held = center
    spaces.allocate(db, room.id, other.id, days(61), days(90))
    widget = SpacesPage(db)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.reload()
    assert widget.model.headerData(4, Qt.Orientation.Horizontal) == "当前使用组织"
    assert widget.model.index(0, 2).data() == "工位"
    with qtbot.waitSignal(widget.allocationsLoaded, timeout=10_000):
        widget.select_space(room.id)
    assert widget.timeline.labels() == [HOLDER, UYGHUR, UYGHUR]
    assert widget.space_details.text().startswith("房间 · 24.50平方米")
    row = widget.allocation_table.keys.index(
        next(a.id for a in widget.allocations if a.start_on == days(61))
    )
    item = widget.allocation_table.item(row, 0)
    assert item.text() == UYGHUR
    assert item.textAlignment() & Qt.AlignmentFlag.AlignRight


def test_add_and_edit_a_space_with_inline_problems(qtbot, page, center) -> None:
    db, *_ = center
    seen: dict[str, object] = {}

    def add(dialog) -> None:
        person.fill(qtbot, dialog, code="R1", name="第二孵化室", area_m2="30")  # R1 is taken
        seen["problem"] = person.save_refused(qtbot, dialog, "code")
        person.fill(qtbot, dialog, code="R2")
        person.save(qtbot, dialog)

    errors = when_modal(add)
    with qtbot.waitSignal(page.allocationsLoaded, timeout=10_000):
        person.press(qtbot, page, "addSpace")
    assert not errors, errors
    assert seen["problem"] == "Another space already has code “R1”"
    assert [r.space.code for r in page.rows] == ["D1", "R1", "R2"]
    assert page.current_space().code == "R2"  # the new space is selected
    assert page.timeline.labels() == []

    def retire(dialog) -> None:
        person.click(qtbot, dialog.findChild(QCheckBox, "field_active"))
        person.save(qtbot, dialog)

    errors = when_modal(retire)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        person.press(qtbot, page, "editSpace")
    assert not errors, errors
    assert [r.space.code for r in page.rows] == ["D1", "R1"]  # no longer in use: hidden
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        person.click(qtbot, page.show_inactive)
    row = page.model.row_of(next(s.id for s in spaces.list_spaces(db, True) if s.code == "R2"))
    assert page.model.index(row, 1).data() == "第二孵化室 (no longer in use)"


def test_allocation_end_follows_the_start(qtbot, sqlite_db) -> None:
    from ui.dialogs.allocation import AllocationDialog

    space = spaces.create_space(
        sqlite_db, {"code": "R9", "name": "房间", "kind": "room", "area_m2": 10}
    )
    dialog = AllocationDialog(sqlite_db, space, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    qtbot.addWidget(dialog)
    dialog.show()
    person.type_into(qtbot, dialog.start_on, "2026/3/1")
    assert dialog.end_on.date() == dt.date(2027, 2, 28)  # same length, 364 days after the start
    person.leave(qtbot, dialog.start_on)
    assert dialog.start_on.text() == "2026-03-01"
