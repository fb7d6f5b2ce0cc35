"""The organizations list model: the Anki browser pattern, with nothing on the GUI thread
that waits for the database or runs Python per painted cell.

The search and sort run in SQL, in two worker steps: the first screenful of rows (what a
person typing waits for), then the ids of every match in display order. The model holds those
ids and, for a few thousand rows, their items; the rest are empty. The view tells the model
which rows it shows (``follow``, after every scroll, resize and change); rows not read yet are
read by a worker with their block of 100 and the next block (the one scrolling shows next),
which also works out their cells, and they appear when it reports. After a change the rows are
marked stale: they keep showing until their fresh copy arrives.

Why a QStandardItemModel and not data() in Python: the view asks data() for seven roles of
every visible cell on each paint, thousands of calls into Python a second while scrolling,
which stalled scrolling for 30 to 60 ms a frame (issue 16). Items answer from C++.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict, deque
from dataclasses import replace

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QStandardItemModel
from PySide6.QtWidgets import QTableView

from incubator.db import Database
from incubator.domain import AuthorityList, LegalForm, Stage
from incubator.i18n import tr
from incubator.services import compliance, registry
from incubator.services.registry import ListRow, OrgQuery
from ui.forms import reads_rtl
from ui.workers import Worker, start

BLOCK = 100
CACHE_ROWS = 2000  # rows holding items; the rows seen longest ago lose theirs first
WANTED_BLOCKS = 4  # blocks asked for while a read runs; older ones have scrolled out of view
PUT_AT_ONCE = 40  # rows read put into the model per turn of the event loop

# (key, header source text, sort key in registry.SORTABLE or None)
COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("id", "No.", "id"),
    ("name", "Name", "name"),
    ("short_name", "Short name", "short_name"),
    ("credit_code", "Unified Social Credit Code", "credit_code"),
    ("legal_form", "Legal form", "legal_form"),
    ("stage", "Lifecycle stage", "stage"),
    ("standing", "Rating and listing", None),  # services.compliance.Marks
    ("stage_since", "Since", "stage_since"),
    ("area_county", "County / district", "area_county"),
    ("agreement_planned_end", "Planned end of incubation", "agreement_planned_end"),
)
DISPLAY = Qt.ItemDataRole.DisplayRole.value
ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
RIGHT = (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value
OVERDUE_RED = "#b3261e"

# An organization's id and its row's cells, as {role: value} (None clears a role).
Cells = tuple[int, list[dict[int, object]]]
# Cells read for a row: (row, id, cells, read after the last change so up to date)
Arrival = tuple[int, int, list[dict[int, object]], bool]


class OrganizationTableModel(QStandardItemModel):
    searchStarted = Signal()
    searchFinished = Signal(int)  # number of rows
    searchFailed = Signal(object)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels([tr(title) for _key, title, _sort in COLUMNS])
        self.db = db
        self.query = OrgQuery()
        self.ids: list[int] = []
        self._loaded: OrderedDict[int, int] = OrderedDict()  # id -> row with items, seen last
        self._stale: set[int] = set()  # rows changed since they were read
        self._gone: set[int] = set()  # ids read and not found (deleted since the search)
        self._changes = 0  # counts mark_stale calls: a read started before one may be stale
        self._layout = 0  # counts replacements of the ids: a read for older ones is dropped
        self._shown = (0, -1)  # the rows the view shows
        self._wanted: deque[int] = deque(maxlen=WANTED_BLOCKS)  # newest last
        self._reading: Worker | None = None  # the block read running, at most one
        self._arrivals: list[Arrival] = []  # rows read, to be put
        self._put_timer = QTimer(self, singleShot=True, interval=0)
        self._put_timer.timeout.connect(self._put_some)
        self._generation = 0
        self._worker: Worker | None = None

    # --- searching -------------------------------------------------------------------------
    def set_query(self, query: OrgQuery) -> None:
        """Run the search off the GUI thread; results of an older search are dropped."""
        self.query = query
        self._generation += 1
        self.searchStarted.emit()
        self._run(_first_page, self._on_first_page, query)

    def _run(self, fn, on_result, query: OrgQuery) -> None:
        if self._worker is not None:
            self._worker.cancel()
        worker = Worker(fn, self.db, query)
        worker.signals.generation = self._generation
        # Bound slots (not lambdas): Qt drops the connection if this model is destroyed first.
        worker.signals.result.connect(on_result)
        worker.signals.error.connect(self._on_error)
        self._worker = worker
        start(worker)

    def refresh(self) -> None:
        self.set_query(self.query)

    def _is_current(self) -> bool:
        return getattr(self.sender(), "generation", None) == self._generation

    def _on_first_page(self, rows: list[Cells]) -> None:
        if not self._is_current():
            return
        self._replace_ids([org_id for org_id, _cells in rows])
        self._put_rows([(row, org_id, cells, True) for row, (org_id, cells) in enumerate(rows)])
        if len(rows) < BLOCK:  # every match is shown already
            self.searchFinished.emit(len(rows))
        else:
            self._run(_all_ids, self._on_ids, self.query)

    def _on_ids(self, ids: list[int]) -> None:
        if not self._is_current():
            return
        shown = len(self.ids)
        if ids[:shown] == self.ids and len(ids) > shown:  # the rest, below the rows shown
            self.ids = ids
            self.insertRows(shown, len(ids) - shown)
        elif ids != self.ids:  # the registry changed in between
            self._replace_ids(ids)
        self.searchFinished.emit(len(ids))

    def _replace_ids(self, ids: list[int]) -> None:
        self._layout += 1
        self.setRowCount(0)  # drops every item
        self.ids = ids
        self._loaded.clear()
        self._stale.clear()
        self._gone.clear()
        self._wanted.clear()
        self._arrivals.clear()
        self.setRowCount(len(ids))

    def _on_error(self, exc: BaseException) -> None:
        if self._is_current():
            self.searchFailed.emit(exc)

    def mark_stale(self, org_id: int | None = None) -> None:
        """After a change: read rows (one, or all) again; they show as they were meanwhile."""
        self._changes += 1
        # (A row not read is read fresh when shown: only rows read can be stale.)
        self._stale.update(self._loaded if org_id is None else {org_id} & self._loaded.keys())
        self.show_rows(*self._shown)

    def org_id(self, row: int) -> int | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def row_of(self, org_id: int) -> int:
        try:
            return self.ids.index(org_id)
        except ValueError:
            return -1

    def is_loaded(self, row: int) -> bool:
        """Whether the row is read and current (a row not read yet shows blank)."""
        org_id = self.org_id(row)
        return org_id in self._loaded and org_id not in self._stale

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][2]
        if key is None:
            return
        query = replace(self.query, order_by=key, descending=order == Qt.SortOrder.DescendingOrder)
        if self._generation == 0:
            self.query = query  # the view's initial sort: remembered for the first search
        else:
            self.set_query(query)

    # --- reading rows off the GUI thread ---------------------------------------------------
    def show_rows(self, first: int, last: int) -> None:
        """The view shows these rows: read those not read yet, or stale, and the next block."""
        self._shown = (first, last)
        last = min(last, len(self.ids) - 1)
        for org_id in self.ids[first : last + 1]:
            if org_id in self._loaded:
                self._loaded.move_to_end(org_id)  # seen now: the last to lose its items
        for block in range(first // BLOCK, last // BLOCK + 1):
            self._want(block)

    def texts(self, rows: list[int], columns: list[int]) -> list[list[object]]:
        """The rows' texts in these columns, for a copy of rows the view may never have shown:
        those not read (or stale) are read here and now, and not kept (a copy of thousands of
        rows must not push the rows on screen out of the model)."""
        read = dict(_read_rows(self.db, [self.ids[r] for r in rows if not self.is_loaded(r)]))
        texts = []
        for row in rows:
            cells = read.get(self.ids[row])
            if cells is None:  # read already (or gone since the search: blank)
                texts.append([self.index(row, c).data() for c in columns])
            else:
                texts.append([cells[c][DISPLAY] for c in columns])
        return texts

    def _want(self, block: int) -> None:
        if block in self._wanted:
            return
        self._wanted.append(block)
        if self._reading is None:
            self._read_next()

    def _read_next(self) -> None:
        while self._wanted:
            block = self._wanted.pop()  # the newest first: it is on screen now
            first = block * BLOCK
            rows = {  # the block and the next one, the one scrolling shows next
                org_id: row
                for row, org_id in enumerate(self.ids[first : first + 2 * BLOCK], start=first)
                if (org_id not in self._loaded and org_id not in self._gone)
                or org_id in self._stale
            }
            if rows:
                worker = Worker(_read_rows, self.db, list(rows))
                worker.signals.rows = rows
                worker.signals.changes = self._changes
                worker.signals.layout = self._layout
                worker.signals.result.connect(self._on_rows)
                worker.signals.error.connect(self._on_read_error)
                self._reading = start(worker)
                return

    def _on_rows(self, read: list[Cells]) -> None:
        signals = self.sender()
        self._reading = None
        if getattr(signals, "layout", None) == self._layout:  # else: rows of an older list
            rows: dict[int, int] = getattr(signals, "rows", {})
            current = getattr(signals, "changes", None) == self._changes  # read after the last
            first, last = self._shown
            arrived = [(rows[org_id], org_id, cells, current) for org_id, cells in read]
            arrived.sort(key=lambda a: not first <= a[0] <= last)  # the rows on screen first
            self._arrivals.extend(arrived)
            for org_id in rows.keys() - {org_id for org_id, _cells in read}:
                self._gone.add(org_id)
                self._stale.discard(org_id)
            self._put_some()
        self._read_next()

    def _put_some(self) -> None:
        """Put the rows read, PUT_AT_ONCE per turn of the event loop, so that the view paints
        in between: putting 200 rows at once took 25 ms. Rows scrolled far away meanwhile are
        dropped unput (read again if the view comes back to them): dragging the scroll bar
        reads faster than rows can be put, and they piled up by the thousand."""
        first, last = self._shown
        near = range(first - BLOCK, last + 2 * BLOCK + 1)
        waiting = [arrival for arrival in self._arrivals if arrival[0] in near]
        some, self._arrivals = waiting[:PUT_AT_ONCE], waiting[PUT_AT_ONCE:]
        self._put_rows(some)
        if self._arrivals:
            self._put_timer.start()

    def _put_rows(self, rows: list[Arrival]) -> None:
        """Fill rows' cells, and empty those of the rows seen longest ago.

        The model makes the items itself (setItemData): items made in Python would each keep
        a Python object alive, thousands of them for the garbage collector to walk through,
        in pauses of 50 to 100 ms. Signals are held meanwhile: one repaint of the rows put,
        not one per cell (twice the cost)."""
        if not rows:
            return
        index = self.index
        self.blockSignals(True)
        try:
            for row, org_id, cells, current in rows:
                for column, cell in enumerate(cells):
                    self.setItemData(index(row, column), cell)
                self._loaded[org_id] = row
                self._loaded.move_to_end(org_id)
                if current:
                    self._stale.discard(org_id)
            while len(self._loaded) > CACHE_ROWS:
                org_id, row = self._loaded.popitem(last=False)
                self._stale.discard(org_id)
                for column in range(len(COLUMNS)):
                    item = self.takeItem(row, column)
                    if item is not None:  # taken, it is ours to free (PySide6 keeps it alive)
                        shiboken6.delete(item)
        finally:
            self.blockSignals(False)
        top, bottom = min(a[0] for a in rows), max(a[0] for a in rows)
        self.dataChanged.emit(self.index(top, 0), self.index(bottom, len(COLUMNS) - 1))

    def _on_read_error(self, exc: BaseException) -> None:
        self._reading = None
        self._wanted.clear()  # read again when the view next moves, not in a loop
        self.searchFailed.emit(exc)


class _Follower(QObject):
    """Tells the model which rows its view shows, after every scroll, resize and change (on
    the next turn of the event loop, so that one change asks once). Signals only, no event
    filter: a filter would run Python for each of the view's events, paints included."""

    def __init__(self, view: QTableView, model: OrganizationTableModel) -> None:
        super().__init__(view)
        self.view, self.model = view, model
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._tell)
        bar = view.verticalScrollBar()
        bar.valueChanged.connect(self._soon)
        bar.rangeChanged.connect(self._soon)  # the view's height, or the number of rows
        model.rowsInserted.connect(self._soon)  # (the model is never reset: rows go and come)

    def _soon(self, *_args) -> None:
        self._timer.start()

    def _tell(self) -> None:
        count = self.model.rowCount()
        if count:
            first = max(self.view.rowAt(0), 0)
            last = self.view.rowAt(self.view.viewport().height() - 1)
            self.model.show_rows(first, count - 1 if last < 0 else last)


def follow(view: QTableView, model: OrganizationTableModel) -> None:
    """Have the view tell the model which rows it shows, so that they are read."""
    _Follower(view, model)


def widest_texts(key: str) -> list[str]:
    """The longest texts a column shows, in the current language: a column sized to them is
    never elided ("Mid-term evalua…"). Empty for the name, which takes the spare width."""
    if key == "legal_form":
        return [f.display() for f in LegalForm]
    if key == "stage":
        return [s.display() + " ⚠" for s in Stage]
    if key == "standing":
        return ["5A · ⚠ " + compliance.lists_text(tuple(AuthorityList))]
    return {
        "id": ["0000000"],
        "short_name": ["喀什市阳光青少年服务"],
        "credit_code": ["51650100MJ0000000X"],
        "stage_since": ["2026-12-31"],
        "area_county": ["乌鲁木齐市天山区"],
        "agreement_planned_end": ["2026-12-31"],
    }.get(key, [])


def _display(org: ListRow, key: str, overdue: bool) -> str:
    value = getattr(org, key)
    if value is None:
        return ""
    if key in ("legal_form", "stage"):
        text = value.display()
        return text + (" ⚠" if key == "stage" and overdue else "")
    return str(value)


def _cells(rows: list[ListRow], marks: compliance.Marks) -> list[Cells]:
    """Each row's cells: texts, alignments, the overdue mark, the grade and listing (values
    only: no item, no QObject is made off the GUI thread)."""
    today = dt.date.today()
    red = QColor(OVERDUE_RED)
    made = []
    for row in rows:
        overdue = row.is_overdue(today)
        cells: list[dict[int, object]] = []
        for key, _title, _sort in COLUMNS:
            if key == "standing":
                listed = marks.is_listed(row.id)
                cells.append({DISPLAY: marks.text(row.id), FOREGROUND: red if listed else None})
                continue
            text = _display(row, key, overdue)
            cell: dict[int, object] = {DISPLAY: text}
            if key in ("id", "name", "short_name"):
                # Numbers, and Uyghur script like any right-to-left text, align right.
                cell[ALIGNMENT] = RIGHT if key == "id" or reads_rtl(text) else None
            elif key == "stage":
                cell[FOREGROUND] = red if overdue else None
                cell[TOOLTIP] = (
                    tr("Incubation agreement ended on {date}", date=row.agreement_planned_end)
                    if overdue
                    else None
                )
            cells.append(cell)
        made.append((row.id, cells))
    return made


# The workers' functions: they read, and also work out the cells, off the GUI thread.
def _first_page(db: Database, query: OrgQuery, progress=None) -> list[Cells]:
    return _with_marks(db, registry.list_page(db, query, limit=BLOCK))


def _read_rows(db: Database, ids: list[int], progress=None) -> list[Cells]:
    return _with_marks(db, registry.list_rows(db, ids))


def _with_marks(db: Database, rows: list[ListRow]) -> list[Cells]:
    return _cells(rows, compliance.marks_on(db, dt.date.today(), [r.id for r in rows]))


def _all_ids(db: Database, query: OrgQuery, progress=None) -> list[int]:
    # (A search replaced by the next keystroke stops early: its ids are dropped unseen.)
    return registry.search_ids(db, query, progress=progress)
