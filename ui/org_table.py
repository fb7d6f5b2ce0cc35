"""The organizations list model: the Anki browser pattern.

The search and sort run in SQL, in two worker steps: the first screenful of rows (what a
person typing waits for), then the ids of every match in display order. The model holds only
those ids and fetches the visible rows lazily, a block at a time, into a small cache. After a
change the cache is marked stale instead of reloading everything.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from incubator.db import Database
from incubator.domain import LegalForm, Stage
from incubator.i18n import tr
from incubator.services import registry
from incubator.services.registry import ListRow, OrgQuery
from ui.forms import reads_rtl
from ui.workers import Worker, start

BLOCK = 100
CACHE_ROWS = 2000

# (key, header source text, sort key in registry.SORTABLE or None)
COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("id", "No.", "id"),
    ("name", "Name", "name"),
    ("short_name", "Short name", "short_name"),
    ("credit_code", "Unified Social Credit Code", "credit_code"),
    ("legal_form", "Legal form", "legal_form"),
    ("stage", "Lifecycle stage", "stage"),
    ("stage_since", "Since", "stage_since"),
    ("area_county", "County / district", "area_county"),
    ("agreement_planned_end", "Planned end of incubation", "agreement_planned_end"),
)


class OrganizationTableModel(QAbstractTableModel):
    searchStarted = Signal()
    searchFinished = Signal(int)  # number of rows
    searchFailed = Signal(object)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.query = OrgQuery()
        self.ids: list[int] = []
        self._cache: OrderedDict[int, ListRow] = OrderedDict()
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
        self._cache.clear()
        self.set_query(self.query)

    def _is_current(self) -> bool:
        return getattr(self.sender(), "generation", None) == self._generation

    def _on_first_page(self, rows: list[ListRow]) -> None:
        if not self._is_current():
            return
        self.beginResetModel()
        self.ids = [row.id for row in rows]
        self._cache.clear()
        self._cache.update((row.id, row) for row in rows)
        self.endResetModel()
        if len(rows) < BLOCK:  # every match is shown already
            self.searchFinished.emit(len(rows))
        else:
            self._run(_all_ids, self._on_ids, self.query)

    def _on_ids(self, ids: list[int]) -> None:
        if not self._is_current():
            return
        shown = len(self.ids)
        if ids[:shown] == self.ids and len(ids) > shown:  # the rest, below the rows shown
            self.beginInsertRows(QModelIndex(), shown, len(ids) - 1)
            self.ids = ids
            self.endInsertRows()
        elif ids != self.ids:  # the registry changed in between
            self.beginResetModel()
            self.ids = ids
            self._cache.clear()
            self.endResetModel()
        self.searchFinished.emit(len(ids))

    def _on_error(self, exc: BaseException) -> None:
        if self._is_current():
            self.searchFailed.emit(exc)

    def mark_stale(self, org_id: int | None = None) -> None:
        """After a change: forget cached rows (one, or all) and repaint."""
        if org_id is None:
            self._cache.clear()
        else:
            self._cache.pop(org_id, None)
        if self.ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, len(COLUMNS) - 1))

    def org_id(self, row: int) -> int | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def row_of(self, org_id: int) -> int:
        try:
            return self.ids.index(org_id)
        except ValueError:
            return -1

    # --- Qt model --------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return tr(COLUMNS[section][1])
            return None
        return None

    def _row(self, row: int) -> ListRow | None:
        org_id = self.ids[row]
        view = self._cache.get(org_id)
        if view is None:
            start_row = (row // BLOCK) * BLOCK
            block = [i for i in self.ids[start_row : start_row + BLOCK] if i not in self._cache]
            for fetched in registry.list_rows(self.db, block):
                self._cache[fetched.id] = fetched
            while len(self._cache) > CACHE_ROWS:
                self._cache.popitem(last=False)
            view = self._cache.get(org_id)
        return view

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        org = self._row(index.row())
        if org is None:
            return None
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(org, key)
        if role == Qt.ItemDataRole.ToolTipRole and key == "stage" and org.is_overdue():
            return tr("Incubation agreement ended on {date}", date=org.agreement_planned_end)
        if role == Qt.ItemDataRole.ForegroundRole and key == "stage" and org.is_overdue():
            from PySide6.QtGui import QColor

            return QColor("#b3261e")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if key == "id":
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if key in ("name", "short_name") and reads_rtl(_display(org, key)):
                # Uyghur script: right-aligned like any right-to-left text.
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return org.id
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][2]
        if key is None:
            return
        query = replace(self.query, order_by=key, descending=order == Qt.SortOrder.DescendingOrder)
        if self._generation == 0:
            self.query = query  # the view's initial sort: remembered for the first search
        else:
            self.set_query(query)


def widest_texts(key: str) -> list[str]:
    """The longest texts a column shows, in the current language: a column sized to them is
    never elided ("Mid-term evalua…"). Empty for the name, which takes the spare width."""
    if key == "legal_form":
        return [f.display() for f in LegalForm]
    if key == "stage":
        return [s.display() + " ⚠" for s in Stage]
    return {
        "id": ["0000000"],
        "short_name": ["喀什市阳光青少年服务"],
        "credit_code": ["51650100MJ0000000X"],
        "stage_since": ["2026-12-31"],
        "area_county": ["乌鲁木齐市天山区"],
        "agreement_planned_end": ["2026-12-31"],
    }.get(key, [])


def _display(org: ListRow, key: str) -> str:
    value = getattr(org, key)
    if value is None:
        return ""
    if key in ("legal_form", "stage"):
        text = value.display()
        return text + (" ⚠" if key == "stage" and org.is_overdue() else "")
    return str(value)


def _first_page(db: Database, query: OrgQuery, progress=None) -> list[ListRow]:
    return registry.list_page(db, query, limit=BLOCK)


def _all_ids(db: Database, query: OrgQuery, progress=None) -> list[int]:
    # (A search replaced by the next keystroke stops early: its ids are dropped unseen.)
    return registry.search_ids(db, query, progress=progress)
