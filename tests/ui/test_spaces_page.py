"""The spaces page on real widgets: holders, the occupancy timeline, allocating (a taken period
is refused inside the dialog, naming the holder), ending and cancelling with version checks."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QCheckBox

from incubator.db import Database
from incubator.domain import AllocationStatus
from incubator.errors import ConflictError
from incubator.i18n import set_language
from incubator.services import spaces
from tests.factories import org
from tests.ui.dialogs import when_modal
from ui.pages.spaces import SpacesPage

pytestmark = pytest.mark.ui

TODAY = dt.date.today()
HOLDER = "阿依古丽·买买提社工服务站"
UYGHUR = "ئۈمىد ياشلار مۇلازىمەت مەركىزى"


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


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


def test_allocating_a_taken_period_names_the_holder_and_saves_nothing(qtbot, page, center) -> None:
    db, room, *_ = center
    before = n_allocations(db, room.id)
    dialog = page.allocate()
    assert dialog.isVisible()
    # Uyghur script typed into the search.
    with qtbot.waitSignal(dialog.searchFinished, timeout=10_000):
        dialog.search.setText(UYGHUR[:5])
        dialog.run_search()
    assert dialog.result_names() == [UYGHUR]  # the only match is picked
    assert dialog.org_id is not None
    dialog.start_on.setDate(qdate(days(50)))  # overlaps the holder's last ten days
    dialog.end_on.setDate(qdate(days(120)))
    with qtbot.waitSignal(dialog.saveFailed, timeout=10_000) as failed:
        dialog.save_button.click()
    message = failed.args[0]
    assert HOLDER in message
    assert message == (
        f"Start date: R1 第一孵化室 is already allocated to “{HOLDER}” "
        f"from {days(-30)} to {days(60)}"
    )
    assert dialog.error_text() == message and dialog.error.isVisible()
    assert dialog.isVisible() and dialog.result() == 0  # still open, to correct the dates
    assert n_allocations(db, room.id) == before


def test_a_valid_allocation_appears_in_the_timeline(qtbot, page, center) -> None:
    db, room, _desk, _holder, other, _held = center
    dialog = page.allocate()
    with qtbot.waitSignal(dialog.searchFinished, timeout=10_000):
        pass  # the first search, started by the dialog (its result is delivered in here)
    # The suggested start is the day after the current holder leaves; everyone is listed.
    assert dialog.start_on.date() == qdate(days(61))
    assert sorted(dialog.result_names()) == sorted([HOLDER, UYGHUR])
    with qtbot.waitSignal(dialog.searchFinished, timeout=10_000):
        qtbot.keyClicks(dialog.search, "xyz")  # typed: searched after a pause, no match
    assert dialog.result_names() == []
    with qtbot.waitSignal(dialog.searchFinished, timeout=10_000):
        dialog.search.clear()
        qtbot.keyClicks(dialog.search, "aygl")  # pinyin initials of 阿依古丽…, as typed
    assert dialog.result_names() == [HOLDER]
    with qtbot.waitSignal(dialog.searchFinished, timeout=10_000):
        dialog.search.setText("")
        dialog.run_search()
    dialog.pick(dialog.result_names().index(UYGHUR))
    dialog.end_on.setDate(qdate(days(150)))
    dialog.notes.setText("续签")
    with (
        qtbot.waitSignal(page.allocationsLoaded, timeout=10_000),
        qtbot.waitSignal(dialog.allocated, timeout=10_000) as saved,
    ):
        dialog.save_button.click()
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
    assert page.end_button.isEnabled() and page.cancel_button.isEnabled()
    with qtbot.waitSignal(page.allocationsLoaded, timeout=10_000):
        page.end_allocation(TODAY)
    [ended] = [a for a in spaces.allocations_on(db, room.id) if a.id == held.id]
    assert ended.end_on == TODAY and ended.version == held.version + 1
    assert page.current_allocation().end_on == TODAY
    with qtbot.waitSignal(page.allocationsLoaded, timeout=10_000):
        page.cancel_allocation(confirm=False)
    [cancelled] = [a for a in spaces.allocations_on(db, room.id) if a.id == held.id]
    assert cancelled.status is AllocationStatus.CANCELLED
    assert not page.cancel_button.isEnabled()  # nothing left to cancel on this one
    assert page.model.index(page.model.row_of(room.id), 4).data() == ""  # nobody holds R1


def test_a_stale_allocation_is_refused_as_a_conflict(qtbot, page, center, monkeypatch) -> None:
    db, room, _desk, _holder, _other, held = center
    shown: list[tuple[BaseException, str | None]] = []
    monkeypatch.setattr(
        "ui.pages.spaces.show_error", lambda parent, exc, title=None: shown.append((exc, title))
    )
    # Another desk changes the allocation after this page read it.
    spaces.change_allocation(db, held.id, {"notes": "另一工位修改"}, held.version)
    with qtbot.waitSignal(page.allocationsLoaded, timeout=10_000):
        page.cancel_allocation(confirm=False)
    [(error, title)] = shown
    assert isinstance(error, ConflictError)
    assert title == "Changed by someone else"
    assert error.message() == (
        "Space allocation was changed by someone else (now version 2, you edited version 1)"
    )
    [still] = [a for a in spaces.allocations_on(db, room.id) if a.id == held.id]
    assert still.status is AllocationStatus.ACTIVE and still.notes == "另一工位修改"
    assert page.current_allocation().version == 2  # the page shows what is saved now


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
        dialog.form.inputs["code"].setText("R1")  # taken
        dialog.form.inputs["name"].setText("第二孵化室")
        dialog.form.inputs["area_m2"].setText("30")
        assert dialog.save() is False  # refused inline, the dialog stays open
        seen["problem"] = dialog.form.problem_text("code")
        dialog.form.inputs["code"].setText("R2")
        dialog.save()

    errors = when_modal(add)
    with qtbot.waitSignal(page.allocationsLoaded, timeout=10_000):
        assert page.add_space() is True
    assert not errors, errors
    assert seen["problem"] == "Another space already has code “R1”"
    assert [r.space.code for r in page.rows] == ["D1", "R1", "R2"]
    assert page.current_space().code == "R2"  # the new space is selected
    assert page.timeline.labels() == []

    def retire(dialog) -> None:
        dialog.findChild(QCheckBox, "field_active").setChecked(False)
        dialog.save()

    errors = when_modal(retire)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        assert page.edit_space() is True
    assert not errors, errors
    assert [r.space.code for r in page.rows] == ["D1", "R1"]  # no longer in use: hidden
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show_inactive.setChecked(True)
    row = page.model.row_of(next(s.id for s in spaces.list_spaces(db, True) if s.code == "R2"))
    assert page.model.index(row, 1).data() == "第二孵化室 (no longer in use)"


def test_allocation_end_follows_the_start(qtbot, sqlite_db) -> None:
    import datetime as dt

    from PySide6.QtCore import QDate

    from incubator.services import spaces
    from ui.dialogs.allocation import AllocationDialog

    space = spaces.create_space(
        sqlite_db, {"code": "R9", "name": "房间", "kind": "room", "area_m2": 10}
    )
    dialog = AllocationDialog(sqlite_db, space, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    qtbot.addWidget(dialog)
    dialog.start_on.setDate(QDate(2026, 3, 1))
    assert dialog.end_on.date() == QDate(2027, 2, 28)  # same length, 364 days after the start
