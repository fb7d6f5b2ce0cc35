"""The main window: navigation on the left, pages on the right, the database in the status bar."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from incubator.db import Database
from incubator.errors import IncubatorError
from incubator.i18n import T, set_language, tr
from incubator.services import registry
from incubator.services.registry import OrganizationView
from ui import access
from ui.dialogs.record import RecordDialog
from ui.errors import show_error
from ui.pages.compliance import CompliancePage
from ui.pages.dashboard import DashboardPage
from ui.pages.history import HistoryPage
from ui.pages.import_export import ImportExportPage
from ui.pages.organization import OrganizationPage
from ui.pages.organizations import OrganizationsPage
from ui.pages.reports import ReportsPage
from ui.pages.settings import SettingsPage
from ui.pages.spaces import SpacesPage
from ui.qt_setup import use_qt_translations
from ui.record_fields import NEW_ORGANIZATION
from ui.widgets import copy_rows
from ui.workers import Worker, start

PAGES = (
    "dashboard",
    "organizations",
    "compliance",
    "spaces",
    "reports",
    "import_export",
    "history",
    "settings",
)


def nav_item(label: str, key: str) -> QListWidgetItem:
    item = QListWidgetItem(tr(label))
    item.setData(Qt.ItemDataRole.UserRole, key)
    return item


class MainWindow(QMainWindow):
    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.setObjectName("mainWindow")
        self._demo_worker: Worker | None = None
        copy_rows.install(QApplication.instance())
        self._build()
        self._restore_state()
        # Made once, not in _build: a language switch rebuilds the widgets, and a second
        # shortcut on the same keys would make both ambiguous (neither fires).
        self.find_shortcut = QShortcut(QKeySequence.StandardKey.Find, self)
        self.find_shortcut.activated.connect(self.find)
        self.new_shortcut = QShortcut(QKeySequence.StandardKey.New, self)
        if access.may_write(self.db):
            self.new_shortcut.activated.connect(self.new_organization)

    # --- construction ----------------------------------------------------------------------
    def _build(self) -> None:
        title = tr("Incubator Registry")
        self.setWindowTitle(title + (" — " + tr("read-only") if self.db.read_only else ""))
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMinimumWidth(150)
        self.nav.setStyleSheet(
            "QListWidget#navigation { font-size: 11pt; border: none; background: #f3f5f8; }"
            "QListWidget#navigation::item { padding: 9px 14px; }"
            "QListWidget#navigation::item:selected { background: #2f6fb0; color: white; }"
        )
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}

        self.organizations = OrganizationsPage(self.db)
        self.dashboard = DashboardPage(self.db)
        self.spaces = SpacesPage(self.db)
        self.compliance = CompliancePage(self.db)
        self.reports = ReportsPage(self.db)
        self.import_export = ImportExportPage(self.db)
        self.import_export.imported.connect(self.organizations.model.mark_stale)
        for page in (self.dashboard, self.spaces, self.compliance):
            page.organizationActivated.connect(self.open_organization)
        self.history = HistoryPage(self.db)
        self.settings_page = SettingsPage(self.db)
        self.settings_page.languageChanged.connect(self.change_language)
        pages: dict[str, tuple[str, QWidget]] = {
            "dashboard": (T("Dashboard"), self.dashboard),
            "organizations": (T("Organizations"), self.organizations),
            "compliance": (T("Compliance"), self.compliance),
            "spaces": (T("Spaces"), self.spaces),
            "reports": (T("Reports"), self.reports),
            "import_export": (T("Import / Export"), self.import_export),
            "history": (T("History"), self.history),
            "settings": (T("Settings"), self.settings_page),
        }
        for key in PAGES:
            label, page = pages[key]
            self.pages[key] = page
            self.stack.addWidget(page)
            self.nav.addItem(nav_item(label, key))
        self.organization_page = OrganizationPage(self.db)
        self.organization_page.setObjectName("organizationPage")
        self.stack.addWidget(self.organization_page)
        self.organization_page.back.connect(self.back_to_list)
        self.organization_page.changed.connect(self.organizations.model.mark_stale)
        self.organizations.organizationActivated.connect(self.open_organization)
        self.organizations.newRequested.connect(self.new_organization)
        self.nav.currentRowChanged.connect(self._nav_moved)
        self.nav.itemClicked.connect(self._nav_clicked)

        splitter = QSplitter()
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([170, 1100])
        self.splitter = splitter
        self.setCentralWidget(splitter)

        shown = (
            T("Database: {db} (read-only: you can read and print, not change anything)")
            if self.db.read_only
            else T("Database: {db}")
        )
        self.db_label = QLabel(tr(shown, db=self.db.describe()))
        if isinstance(self.db.refusal, IncubatorError):  # read-only, and why (an old schema)
            self.db_label.setText(self.db.refusal.message())
        self.db_label.setObjectName("dbLabel")
        self.statusBar().addPermanentWidget(self.db_label)

    def show_page(self, key: str) -> None:
        self.nav.setCurrentRow(PAGES.index(key))

    def _select_nav_quietly(self, key: str) -> None:
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(PAGES.index(key))
        self.nav.blockSignals(False)

    def may_leave_organization(self) -> bool:
        """Unsaved profile edits are saved, discarded or kept (the user stays) before the
        organization page makes way for anything else."""
        return (
            self.stack.currentWidget() is not self.organization_page
            or self.organization_page.confirm_leave()
        )

    def _nav_moved(self, row: int) -> None:
        if not self.may_leave_organization():
            # The row the organization page is under, once Qt has finished with the click
            # (reverting at once was undone by the click's own selection).
            self._select_nav_quietly("organizations")
            QTimer.singleShot(0, lambda: self._select_nav_quietly("organizations"))
            return
        self.stack.setCurrentIndex(row)
        self._page_shown(row)

    def _nav_clicked(self, item: QListWidgetItem) -> None:
        """“Organizations” clicked while an organization is shown: back to the list (the row
        is already current, so no move is signalled)."""
        on_organization = self.stack.currentWidget() is self.organization_page
        if on_organization and self.nav.row(item) == PAGES.index("organizations"):
            self.back_to_list()

    def _page_shown(self, row: int) -> None:
        """Pages that summarise everything refresh when they come into view."""
        page = self.pages.get(PAGES[row]) if 0 <= row < len(PAGES) else None
        if page in (self.dashboard, self.spaces, self.history, self.compliance):
            page.reload()

    def open_organization(self, org_id: int) -> None:
        """The organization's page, in place of the list (Back returns to it)."""
        if not self.may_leave_organization():
            return
        self._select_nav_quietly("organizations")
        self.organization_page.open(org_id)
        self.stack.setCurrentWidget(self.organization_page)

    def back_to_list(self) -> None:
        if not self.may_leave_organization():
            return
        self._select_nav_quietly("organizations")
        self.stack.setCurrentWidget(self.organizations)
        self.organizations.reload()

    def new_organization(self) -> OrganizationView | None:
        dialog = RecordDialog(
            tr("New organization"),
            NEW_ORGANIZATION,
            lambda values: registry.register(self.db, values),
            parent=self,
            warn=lambda values: registry.warnings_for(self.db, values),
        )
        self.new_dialog = dialog  # reachable from tests while it is open
        if not dialog.exec():
            return None
        org: OrganizationView = dialog.result_value
        self.organizations.reload()
        self.open_organization(org.id)
        return org

    def current_page(self) -> str:
        return PAGES[max(self.nav.currentRow(), 0)]

    def find(self) -> None:
        self.show_page("organizations")
        self.organizations.focus_search()

    # --- state -----------------------------------------------------------------------------
    def _restore_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        splitter = settings.value("main/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        header = settings.value("main/orgColumnsV2")
        if isinstance(header, QByteArray):
            self.organizations.table.horizontalHeader().restoreState(header)
        page = settings.value("main/page", "organizations")
        self.show_page(page if page in PAGES else "organizations")

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.may_leave_organization():
            event.ignore()
            return
        settings = QSettings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/splitter", self.splitter.saveState())
        settings.setValue("main/page", self.current_page())
        settings.setValue(
            "main/orgColumnsV2", self.organizations.table.horizontalHeader().saveState()
        )
        super().closeEvent(event)

    def change_language(self, code: str) -> None:
        """Rebuild the window's widgets in the new language, keeping the page."""
        page = self.current_page()
        use_qt_translations(set_language(code))
        old = self.centralWidget()
        self.statusBar().removeWidget(self.db_label)
        self._build()
        old.deleteLater()
        self.show_page(page)
        self.organizations.reload()
        # The focused combo went with the old widgets: give the keyboard back to its new twin,
        # so the window stays active and its shortcuts keep working.
        self.activateWindow()
        QTimer.singleShot(0, self.settings_page.language.setFocus)

    # --- demo data -------------------------------------------------------------------------
    def offer_demo_if_empty(self) -> None:
        # Never on a shared registry (PostgreSQL): demo rows would mix with every desk's work.
        shared = not self.db.is_sqlite
        if (
            shared
            or not access.may_write(self.db)
            or registry.count(self.db, registry.OrgQuery(include_archived=True))
        ):
            self.organizations.reload()
            return
        answer = QMessageBox.question(
            self,
            tr("Empty registry"),
            tr("The registry has no organizations yet. Add demo data to try the program?"),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.load_demo()
        else:
            self.organizations.reload()

    def load_demo(self, orgs: int = 60) -> Worker:
        from incubator import demo

        dialog = QProgressDialog(tr("Adding demo data…"), tr("Cancel"), 0, orgs, self)
        dialog.setObjectName("demoProgress")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        worker = Worker(demo.generate, self.db, orgs=orgs)
        worker.signals.progress.connect(
            lambda done, total: (dialog.setMaximum(total), dialog.setValue(done))
        )
        dialog.canceled.connect(worker.cancel)

        def finished() -> None:
            dialog.reset()
            self._demo_worker = None
            self.organizations.reload()

        worker.signals.error.connect(
            lambda exc: None if worker.cancelled else show_error(self, exc)
        )
        worker.signals.finished.connect(finished)
        self._demo_worker = worker
        start(worker)
        return worker
