"""The center-wide history: every change to the registry, who made it (on a shared registry,
the login the server saw), when, and from which value to which; filtered by user,
organization and days. Read off the GUI thread, the newest first, a page at a time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from incubator import validation as v
from incubator import voiding
from incubator.db import Database
from incubator.errors import IncubatorError
from incubator.i18n import entity_label, field_label, tr
from incubator.services import audit_trail, registry
from incubator.services.audit_trail import AuditQuery, AuditView
from ui import access
from ui.errors import show_error
from ui.widgets.date_field import DateField
from ui.widgets.simple_table import SimpleTable
from ui.workers import Worker, start

PAGE = 500  # entries shown at a time; "More" shows the next ones


def local_minute(moment: dt.datetime) -> str:
    """A stored (UTC) moment as this computer's clock shows it."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def show_changes(table: SimpleTable, entries: list[AuditView], with_organization: bool) -> None:
    """Audit entries as every history lists them (this page; an organization's History tab):
    when, who, the organization where it is not the page's own, what, the action and the
    change in words, its whole text on hover."""
    table.fill(
        [
            (
                local_minute(e.at),
                e.actor,
                *((e.organization,) if with_organization else ()),
                entity_label(e.entity),
                e.action,
                audit_trail.describe(e),
            )
            for e in entries
        ]
    )
    changes = table.columnCount() - 1
    for row in range(table.rowCount()):
        item = table.item(row, changes)
        item.setToolTip(item.text())
    table.resizeRowsToContents()


@dataclass(frozen=True)
class Found:
    query: AuditQuery
    total: int
    entries: list[AuditView]


def _find(
    db: Database, actor: str, organization: str, since, until, offset: int, progress=None
) -> Found:
    """The query the filters say (refused in words where one says nothing sensible), and a
    page of its entries."""
    c = v.Checker()  # a date typed as no date: the forms' own check and message
    since, until = c(v.date, since, "since"), c(v.date, until, "until")
    c.raise_if_any()
    org_id = registry.one_named(db, organization).id if organization.strip() else None
    query = AuditQuery(actor=actor, organization_id=org_id, since=since, until=until)
    total = audit_trail.count(db, query)
    return Found(query, total, audit_trail.search(db, query, offset, PAGE))


class HistoryPage(QWidget):
    loaded = Signal()  # a search's entries are on screen
    voidedLoaded = Signal()  # the voided records are on screen

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._worker: Worker | None = None
        self._generation = 0
        self._shown: list[AuditView] = []
        self._build()

    def _build(self) -> None:
        self.who = QComboBox()
        self.who.setObjectName("historyWho")
        self.who.addItem(tr("Everyone"), "")
        self.organization = QLineEdit()
        self.organization.setObjectName("historyOrganization")
        self.organization.setPlaceholderText(tr("name or credit code"))
        self.organization.setClearButtonEnabled(True)
        self.organization.returnPressed.connect(self.search)
        self.since = DateField()
        self.since.setObjectName("historySince")
        self.until = DateField()
        self.until.setObjectName("historyUntil")
        self.search_button = QPushButton(tr("Search"))
        self.search_button.setObjectName("searchHistory")
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(lambda _checked=False: self.search())
        self.more_button = QPushButton(tr("More"))
        self.more_button.setObjectName("moreHistory")
        self.more_button.clicked.connect(lambda _checked=False: self.search(more=True))
        self.more_button.hide()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.busy.hide()
        filters = QGridLayout()
        for column, (label, widget) in enumerate(
            (
                (tr("Who"), self.who),
                (field_label("organization"), self.organization),
                (field_label("since"), self.since),
                (field_label("until"), self.until),
            )
        ):
            filters.addWidget(QLabel(label), 0, column)
            filters.addWidget(widget, 1, column)
        filters.setColumnStretch(1, 1)
        filters.addWidget(self.search_button, 1, 4)
        self.status = QLabel()
        self.status.setObjectName("historyStatus")
        self.status.setWordWrap(True)
        self.table = SimpleTable(
            ["When", "By", "Organization", "What", "Action", "Changes"], "centerHistory"
        )
        self.table.setWordWrap(True)
        foot = QHBoxLayout()
        foot.addWidget(self.status, 1)
        foot.addWidget(self.busy)
        foot.addWidget(self.more_button)
        changes = QWidget()
        layout = QVBoxLayout(changes)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(foot)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("historyTabs")
        self.tabs.addTab(changes, tr("Changes"))
        self.tabs.addTab(self._build_voided(), tr("Voided records"))
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs)

    def _build_voided(self) -> QWidget:
        """Records voided as entered by mistake: counted nowhere, restored by an
        administrator (the server refuses anyone else)."""
        self.voided_table = SimpleTable(
            ["Voided on", "By", "Organization", "What", "Record", "Reason"], "voidedRecords"
        )
        self.voided_table.setWordWrap(True)
        self.restore_button = QPushButton(tr("Restore"))
        self.restore_button.setObjectName("restoreVoided")
        self.restore_button.setToolTip(tr("Count the selected record again"))
        self.restore_button.clicked.connect(lambda _checked=False: self.restore_selected())
        if not access.rights(self.db).center:  # administrators restore
            self.restore_button.hide()
        self.voided_status = QLabel()
        self.voided_status.setObjectName("voidedStatus")
        self.voided_status.setWordWrap(True)
        foot = QHBoxLayout()
        foot.addWidget(self.voided_status, 1)
        foot.addWidget(self.restore_button)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(self.voided_table, 1)
        box.addLayout(foot)
        return page

    # --- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Who has made changes (for the filter), then the newest entries; the voided
        records."""
        worker = Worker(lambda db, progress=None: audit_trail.actors(db), self.db)
        worker.signals.result.connect(self._on_actors)
        start(worker)
        self.search()
        self.load_voided()

    def load_voided(self) -> None:
        worker = Worker(lambda db, progress=None: voiding.voided(db), self.db)
        worker.signals.result.connect(self._on_voided)
        worker.signals.error.connect(self._on_voided_error)
        start(worker)

    def _on_voided(self, records: list[voiding.VoidedView]) -> None:
        self.voided_table.fill(
            [
                (
                    local_minute(r.voided_at),
                    r.voided_by,
                    r.organization,
                    entity_label(r.kind),
                    r.what,
                    r.reason,
                )
                for r in records
            ],
            [(r.kind, r.id) for r in records],
        )
        self.voided_table.resizeRowsToContents()
        self.voided_status.setText(tr("{n} voided records", n=len(records)))
        self.voidedLoaded.emit()

    def _on_voided_error(self, exc: BaseException) -> None:
        self.voided_status.setText(exc.message() if isinstance(exc, IncubatorError) else str(exc))
        self.voidedLoaded.emit()

    def restore_selected(self) -> None:
        key = self.voided_table.current_key()
        if key is None:
            self.voided_status.setText(tr("Select a record first."))
            return
        kind, record_id = key
        try:
            voiding.restore(self.db, kind, record_id)
        except IncubatorError as exc:
            self.voided_status.setText(exc.message())
            return
        self.load_voided()

    def _on_actors(self, names: list[str]) -> None:
        chosen = self.who.currentData()
        self.who.blockSignals(True)
        self.who.clear()
        self.who.addItem(tr("Everyone"), "")
        for name in names:
            self.who.addItem(name, name)
        self.who.setCurrentIndex(max(0, self.who.findData(chosen)))
        self.who.blockSignals(False)

    def search(self, more: bool = False) -> None:
        """The entries the filters select, newest first (``more``: the next page of them)."""
        self._generation += 1
        if self._worker is not None:
            self._worker.cancel()
        offset = len(self._shown) if more else 0
        worker = Worker(
            _find,
            self.db,
            self.who.currentData() or "",
            self.organization.text(),
            self.since.value(),
            self.until.value(),
            offset,
        )
        worker.signals.generation = self._generation
        worker.signals.more = more
        worker.signals.result.connect(self._on_found)
        worker.signals.error.connect(self._on_error)
        self._worker = worker
        self.busy.show()
        start(worker)

    def _is_current(self) -> bool:
        return getattr(self.sender(), "generation", None) == self._generation

    def _on_found(self, found: Found) -> None:
        if not self._is_current():
            return
        more = getattr(self.sender(), "more", False)
        self._worker = None
        self.busy.hide()
        self._shown = (self._shown if more else []) + found.entries
        show_changes(self.table, self._shown, with_organization=True)
        shown, total = len(self._shown), found.total
        if shown < total:
            self.status.setText(
                tr("The newest {shown} of {total} changes", shown=f"{shown:,}", total=f"{total:,}")
            )
        else:
            self.status.setText(tr("{n} changes", n=f"{total:,}"))
        self.more_button.setVisible(shown < total)
        self.loaded.emit()

    def _on_error(self, exc: BaseException) -> None:
        if not self._is_current():
            return
        self._worker = None
        self.busy.hide()
        if isinstance(exc, IncubatorError):
            self.status.setText(exc.message())
        else:
            show_error(self, exc)
        self.table.fill([])
        self._shown = []
        self.more_button.hide()
        self.loaded.emit()
