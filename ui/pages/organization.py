"""One organization: profile, lifecycle, the four kinds of support, evaluations, history."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from incubator import numbers, voiding
from incubator.db import Database
from incubator.domain import PaymentStatus, Stage
from incubator.errors import (
    ConcurrentChangeError,
    ConflictError,
    IncubatorError,
    ValidationError,
)
from incubator.exporting import tables
from incubator.i18n import tr
from incubator.services import (
    audit_trail,
    compliance,
    contacts,
    evaluations,
    funds,
    lifecycle,
    projects,
    registry,
    spaces,
    talent,
)
from incubator.services.registry import PROFILE_FIELDS, OrganizationView
from ui import access
from ui import record_fields as rf
from ui.dialogs.conflict import ConflictDialog
from ui.dialogs.record import RecordDialog
from ui.errors import show_error
from ui.export_runner import ExportRunner
from ui.forms import Form, isolate, reads_rtl
from ui.pages.history import show_changes
from ui.pages.org_documents import DocumentsTab
from ui.widgets.simple_table import SimpleTable


def _button(text: str, name: str, slot: Callable[[], Any]) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.clicked.connect(lambda _checked=False: slot())  # the flag is not the slot's
    return button


_money = numbers.money


# The tabs whose lists export, by their title (the others are forms or short lists).
TAB_EXPORTS = (
    ("Funds", "funds"),
    ("Projects", "projects"),
    ("Talent", "talent"),
    ("Space", "spaces"),
    ("Documents", "documents"),
    ("History", "history"),
)


class OrganizationPage(QWidget):
    back = Signal()
    changed = Signal(int)  # an organization's data changed (lists mark their rows stale)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.org: OrganizationView | None = None
        self.standing: compliance.Standing | None = None  # the organization's, read by reload
        self._shown_profile: dict[str, Any] = {}

        self.title = QLabel()
        self.title.setObjectName("orgTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = QLabel()
        header = QHBoxLayout()
        header.addWidget(_button(tr("← Organizations"), "backButton", self.back.emit))
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        self.export_status = QLabel()
        self.export_status.setObjectName("orgExportStatus")
        self.exporter = ExportRunner(self, self.export_status)
        self.export_button = _button(tr("Export…"), "exportTab", self.export_tab)
        self.export_button.setToolTip(
            tr("This organization's list on the open tab, as .xlsx or .csv")
        )
        header.addWidget(self.export_status)
        header.addWidget(self.export_button)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("orgTabs")
        self._build_profile()
        self.contacts = self._simple_tab(
            "Contacts",
            "contactsTable",
            ["Name", "Role", "Phone", "E-mail", "Main contact"],
            self.add_contact,
            self.edit_contact,
            remove=self.remove_contact,
        )
        self._build_lifecycle()
        self._build_funds()
        self.projects = self._simple_tab(
            "Projects",
            "projectsTable",
            ["Start", "End", "Name", "Funder", "Budget", "Beneficiaries", "Status"],
            self.add_project,
            self.edit_project,
            void="projects",
        )
        self.talent = self._simple_tab(
            "Talent",
            "talentTable",
            ["Start", "Kind", "Title", "Person", "Provider", "People", "Hours"],
            self.add_talent,
            self.edit_talent,
            void="talent_records",
        )
        self._build_space()
        self.evaluations = self._simple_tab(
            "Evaluations",
            "evaluationsTable",
            ["Date", "Kind", "Evaluator", "Governance", "Finance", "Services", "Team", "Total"],
            self.add_evaluation,
            self.edit_evaluation,
            void="evaluations",
        )
        self._build_compliance()
        self.documents = DocumentsTab(self.db, self)
        self.documents.changed.connect(self._documents_changed)
        self.tabs.addTab(self.documents, tr("Documents"))
        self.history = SimpleTable(["When", "By", "What", "Action", "Changes"], "historyTable")
        self.history.setWordWrap(True)
        self.tabs.addTab(self.history, tr("History"))

        self.tabs.currentChanged.connect(self._tab_changed)
        self._tab_changed()
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        if access.may_write(self.db):
            save = QShortcut(QKeySequence.StandardKey.Save, self)
            save.activated.connect(self.save_profile)

    # --- exporting -------------------------------------------------------------------------

    def _tab_kind(self) -> str | None:
        titles = {tr(t): k for t, k in TAB_EXPORTS}
        return titles.get(self.tabs.tabText(self.tabs.currentIndex()))

    def _tab_changed(self) -> None:
        self.export_button.setEnabled(self._tab_kind() is not None)

    def export_tab(self) -> None:
        kind, org = self._tab_kind(), self.org
        if kind is None or org is None:
            return
        db = self.db
        name = f"{org.name}-{self.tabs.tabText(self.tabs.currentIndex())}"
        self.exporter.run(name, lambda: tables.table(db, kind, org_id=org.id))

    # --- tabs ------------------------------------------------------------------------------
    def _build_profile(self) -> None:
        self.profile = Form(rf.PROFILE)
        self.profile.setObjectName("profileForm")
        self.profile.setMaximumWidth(820)  # a phone number needs no full-screen field
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.profile)
        self.save_button = _button(tr("Save"), "saveProfile", self.save_profile)
        self.archive_button = _button(tr("Archive"), "archiveButton", self.toggle_archived)
        self.warnings = QLabel()
        self.warnings.setStyleSheet("color: #8a5a00;")
        access.for_writers(self.db, self.archive_button, self.save_button)
        if not access.may_write(self.db):
            self.profile.set_read_only()
        row = QHBoxLayout()
        row.addWidget(self.warnings, 1)
        row.addWidget(self.archive_button)
        row.addWidget(self.save_button)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(scroll, 1)
        box.addLayout(row)
        self.tabs.addTab(page, tr("Profile"))

    def _build_lifecycle(self) -> None:
        self.timeline = SimpleTable(["Date", "From", "To", "By", "Reason"], "timelineTable")
        self.stage_label = QLabel()
        self.moves = QHBoxLayout()
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(self.stage_label)
        box.addWidget(self.timeline, 1)
        box.addLayout(self.moves)
        self.tabs.addTab(page, tr("Lifecycle"))

    def _build_funds(self) -> None:
        self.funds_table = SimpleTable(
            [
                "Committed on",
                "Title",
                "Source",
                "Funder",
                "Kind",
                "Committed",
                "Disbursed",
                "Remaining",
                "Status",
            ],
            "fundsTable",
        )
        self.payments_table = SimpleTable(
            ["Due date", "Amount", "Status", "Payment date", "Notes"], "paymentsTable"
        )
        self.funds_totals = QLabel()
        self.funds_totals.setObjectName("fundsTotals")
        self.funds_table.itemSelectionChanged.connect(self._show_payments)
        buttons = QHBoxLayout()
        for text, name, slot in (
            (tr("Add fund"), "addFund", self.add_fund),
            (tr("Edit fund"), "editFund", self.edit_fund),
            (tr("Cancel fund…"), "cancelFund", self.cancel_fund),
            (None, None, None),
            (tr("Add payment"), "addPayment", self.add_payment),
            (tr("Edit payment"), "editPayment", self.edit_payment),
            (tr("Record payment"), "recordPayment", self.record_payment),
            (tr("Cancel payment…"), "cancelPayment", self.cancel_payment),
            (None, None, None),
            (tr("Void fund…"), "voidFund", lambda: self._void_selected(self.funds_table, "funds")),
            (
                tr("Void payment…"),
                "voidPayment",
                lambda: self._void_selected(self.payments_table, "fund_payments"),
            ),
        ):
            if slot is None:
                buttons.addSpacing(16)  # fund actions, then the selected instalment's
            else:
                buttons.addWidget(self._writer_button(text, name, slot))
        buttons.addStretch(1)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(self.funds_totals)
        box.addWidget(self.funds_table, 2)
        box.addWidget(QLabel(tr("Payment schedule of the selected fund")))
        box.addWidget(self.payments_table, 1)
        box.addLayout(buttons)
        self.tabs.addTab(page, tr("Funds"))

    def _simple_tab(
        self, title: str, name: str, headers: list[str], add, edit, remove=None, void=None
    ) -> SimpleTable:
        table, page = self._record_section(name, headers, add, edit, remove, void)
        self.tabs.addTab(page, tr(title))
        return table

    def _record_section(
        self, name: str, headers: list[str], add, edit, remove=None, void=None
    ) -> tuple[SimpleTable, QWidget]:
        """A list of records with its buttons: Add, Edit, and Remove or Void."""
        table = SimpleTable(headers, name)
        if access.may_write(self.db):
            table.doubleClicked.connect(edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self._writer_button(tr("Add"), f"add_{name}", add))
        buttons.addWidget(self._writer_button(tr("Edit"), f"edit_{name}", edit))
        if remove is not None:
            buttons.addWidget(self._writer_button(tr("Remove"), f"remove_{name}", remove))
        if void is not None:  # a support record: entered by mistake, voided, never deleted
            buttons.addWidget(
                self._writer_button(
                    tr("Void…"), f"void_{name}", lambda: self._void_selected(table, void)
                )
            )
        buttons.addStretch(1)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(table, 1)
        box.addLayout(buttons)
        return table, page

    def _build_compliance(self) -> None:
        """Where the organization stands with the registration authority (services.compliance)."""
        page = QWidget()
        box = QVBoxLayout(page)
        self.standing_text = QLabel()
        self.standing_text.setObjectName("standingText")
        self.standing_text.setWordWrap(True)
        self.standing_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.standing_text)
        self.reports_table, reports = self._record_section(
            "annualReportsTable",
            ["Year", "Report due", "Submitted on", "Status", "Remarks"],
            self.add_annual_report,
            self.edit_annual_report,
        )
        self.ratings_table, ratings = self._record_section(
            "ratingsTable",
            ["Rating grade", "Awarded on", "Valid until", "Awarding body"],
            self.add_rating,
            self.edit_rating,
            void="ratings",
        )
        self.listings_table, listings = self._record_section(
            "listingsTable",
            ["List", "Listed on", "Listed by", "Reason", "Removed on", "Reason for removal"],
            self.add_listing,
            self.edit_listing,
            void="authority_listings",
        )
        for title, section in (
            ("Annual reports", reports),
            ("Ratings", ratings),
            ("Authority listings", listings),
        ):
            heading = QLabel(f"<b>{tr(title)}</b>")
            box.addWidget(heading)
            box.addWidget(section, 1)
        self.tabs.addTab(page, tr("Compliance"))

    def _show_compliance(self) -> None:
        standing = self.standing
        assert standing is not None
        today = standing.day
        parts = [
            tr("Supervising unit: {unit}", unit=standing.supervising_unit or tr("none")),
            tr("Rating grade: {grade}", grade=standing.grade.value if standing.grade else "—"),
        ]
        if standing.last_report is not None:
            row = standing.last_report
            parts.append(
                tr(
                    "Annual report of {year}: {status}",
                    year=row.year,
                    status=row.status.display(),
                )
            )
        if standing.listed:
            lists = standing.listed_text()
            parts.append(
                f"<span style='color:#b3261e'><b>{tr('Listed: {lists}', lists=lists)}</b></span>"
            )
        self.standing_text.setText(" · ".join(parts))
        self.reports_table.fill(
            [
                (r.year, r.due_on, r.submitted_on, r.status(today).display(), r.remarks)
                for r in standing.reports
            ],
            [(r.id, r.version) for r in standing.reports],
        )
        self.ratings_table.fill(
            [
                (r.grade.value, r.awarded_on, r.valid_until, r.awarding_body)
                for r in standing.ratings
            ],
            [(r.id, r.version) for r in standing.ratings],
        )
        self.listings_table.fill(
            [
                (
                    x.list_kind.display(),
                    x.listed_on,
                    x.authority,
                    x.reason,
                    x.removed_on,
                    x.removal_reason,
                )
                for x in standing.listings
            ],
            [(x.id, x.version) for x in standing.listings],
        )

    def _build_space(self) -> None:
        self.allocations = SimpleTable(
            ["Space", "From", "To", "Area (m²)", "Status"], "allocationsTable"
        )
        buttons = QHBoxLayout()
        buttons.addWidget(
            self._writer_button(
                tr("Void…"),
                "void_allocationsTable",
                lambda: self._void_selected(self.allocations, "space_allocations"),
            )
        )
        buttons.addStretch(1)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(self.allocations)
        box.addLayout(buttons)
        self.tabs.addTab(page, tr("Space"))

    # --- loading ---------------------------------------------------------------------------
    def open(self, org_id: int) -> None:
        try:
            self.org = registry.get(self.db, org_id)
        except IncubatorError as exc:
            show_error(self, exc)
            return
        self.profile.clear_problems()
        self._show_profile(self.org)
        self.warnings.clear()
        self.reload()

    def _show_profile(self, org: OrganizationView) -> None:
        self.profile.set_values({name: getattr(org, name) for name in PROFILE_FIELDS})
        self._shown_profile = self.profile.values()  # what "unsaved edits" compare against

    def reload(self) -> None:
        """Everything but the profile form (which may hold unsaved edits)."""
        if self.org is None:
            return
        org_id = self.org.id
        try:
            self.org = registry.get(self.db, org_id)
            self.standing = compliance.standing(self.db, org_id)
            self._show_header()
            self._show_lifecycle()
            self._show_funds()
            shown = contacts.contacts_of(self.db, org_id)
            self.contacts.fill(
                [
                    (
                        c.name,
                        c.role,
                        c.masked_phone,
                        c.email,
                        tr("Main") if c.is_main else "",
                    )
                    for c in shown
                ],
                [(c.id, c.version) for c in shown],
            )
            _fill_records(
                self.projects,
                projects.list_for(self.db, org_id),
                ("start_on", "end_on", "name", "funder", "budget", "beneficiaries", "status"),
            )
            _fill_records(
                self.talent,
                talent.list_for(self.db, org_id),
                ("start_on", "kind", "title", "person_name", "provider", "people_count", "hours"),
            )
            _fill_records(
                self.evaluations,
                evaluations.list_for(self.db, org_id),
                (
                    "evaluated_on",
                    "kind",
                    "evaluator",
                    "governance",
                    "finance",
                    "services",
                    "team",
                    "total",
                ),
            )
            held = spaces.allocations_of(self.db, org_id)
            self.allocations.fill(
                [
                    (f"{a.space_code} {a.space_name}", a.start_on, a.end_on, a.area_m2, a.status)
                    for a in held
                ],
                [(a.id, a.version) for a in held],
            )
            self._show_compliance()
            self.documents.show_for(org_id)
            self._show_history()
        except IncubatorError as exc:
            show_error(self, exc)

    def _show_header(self) -> None:
        org = self.org
        assert org is not None
        self.title.setText(f"<h2>{org.name}</h2>")
        if reads_rtl(org.name):
            self.title.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
        else:
            self.title.setAlignment(Qt.AlignmentFlag.AlignLeft)
        parts = [
            org.credit_code or tr("no credit code"),
            org.legal_form.display(),
            org.stage.display(),
        ]
        if org.is_overdue():
            parts.append(tr("overdue"))
        if org.archived:
            parts.append(tr("Archived"))
        standing = self.standing  # (read by reload, for the Compliance tab too)
        assert standing is not None
        if standing.grade:
            parts.append(tr("Rated {grade}", grade=standing.grade.value))
        text = " · ".join(parts)
        if standing.listed:  # in red: what a visit from the authority asks first
            flag = tr("Listed: {lists}", lists=standing.listed_text())
            text = f"{html.escape(text)} · <span style='color:#b3261e'><b>⚠ {flag}</b></span>"
        self.subtitle.setText(text)
        self.archive_button.setText(tr("Restore") if org.archived else tr("Archive"))

    def _show_lifecycle(self) -> None:
        org = self.org
        assert org is not None
        history = lifecycle.history(self.db, org.id)
        self.timeline.fill(
            [
                (
                    t.occurred_on,
                    t.from_stage.display() if t.from_stage else "—",
                    t.to_stage,
                    t.actor,
                    t.reason,
                )
                for t in history
            ]
        )
        text = tr(
            "Current stage: {stage} since {date}", stage=org.stage.display(), date=org.stage_since
        )
        if org.agreement_planned_end:
            text += "　" + tr(
                "Incubation agreement: {start} to {end}",
                start=org.agreement_start,
                end=org.agreement_planned_end,
            )
        self.stage_label.setText(text)
        while self.moves.count():
            item = self.moves.takeAt(0)
            if item.widget():
                item.widget().hide()  # gone at once, not at the next turn of the event loop
                item.widget().setParent(None)
                item.widget().deleteLater()
        allowed = lifecycle.allowed_next(org.stage)
        self.move_buttons: dict[Stage, QPushButton] = {}
        if not allowed:
            self.moves.addWidget(QLabel(tr("This lifecycle has ended; no further moves.")))
        for stage in allowed:
            button = self._writer_button(
                tr("Move to “{stage}”…", stage=stage.display()),
                f"move_{stage.value}",
                lambda s=stage: self.transition(s),
            )
            self.move_buttons[stage] = button
            self.moves.addWidget(button)
        self.moves.addStretch(1)

    def _show_funds(self) -> None:
        org = self.org
        assert org is not None
        self._funds = funds.funds_of(self.db, org.id)
        self.funds_table.fill(
            [
                (
                    f.committed_on,
                    f.title,
                    f.source,
                    f.source_name,
                    f.kind,
                    f.amount_committed,
                    f.disbursed,
                    f.remaining,
                    _status(f),
                )
                for f in self._funds
            ],
            [f.id for f in self._funds],
        )
        totals = funds.totals(self.db, org.id)
        self.funds_totals.setText(
            tr(
                "Total committed {committed}, disbursed {disbursed}, remaining {remaining}",
                committed=_money(totals.committed),
                disbursed=_money(totals.disbursed),
                remaining=_money(totals.remaining),
            )
        )
        self._show_payments()

    def _selected_fund(self) -> funds.FundView | None:
        fund_id = self.funds_table.current_key()
        return next((f for f in self._funds if f.id == fund_id), None)

    def _show_payments(self) -> None:
        fund = self._selected_fund()
        payments = fund.payments if fund else ()
        self.payments_table.fill(
            [(p.due_on, p.amount, p.status, p.paid_on, _notes(p)) for p in payments],
            [(p.id, p.version) for p in payments],
        )

    def _show_history(self) -> None:
        org = self.org
        assert org is not None
        entries = audit_trail.for_organization(self.db, org.id, limit=500)
        show_changes(self.history, entries, with_organization=False)

    def _writer_button(self, text: str, name: str, slot: Callable[[], Any]) -> QPushButton:
        """A button that changes the registry: not there for a user who may not."""
        button = _button(text, name, slot)
        access.for_writers(self.db, button)
        return button

    # --- profile ---------------------------------------------------------------------------
    def has_unsaved_edits(self) -> bool:
        return self.org is not None and self.profile.values() != self._shown_profile

    def confirm_leave(self) -> bool:
        """Whether the page may be left: nothing unsaved, or the user saved (successfully) or
        discarded the profile's edits; False means stay."""
        if not self.has_unsaved_edits():
            return True
        assert self.org is not None
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            tr("Unsaved changes"),
            tr(
                "The profile of “{org}” has changes that are not saved.", org=isolate(self.org.name)
            ),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("unsavedChanges")
        box.button(QMessageBox.StandardButton.Save).setText(tr("Save"))
        box.button(QMessageBox.StandardButton.Discard).setText(tr("Discard changes"))
        box.button(QMessageBox.StandardButton.Cancel).setText(tr("Stay on this page"))
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return self.save_profile()  # refused (a problem is shown): stay and fix it
        if answer == QMessageBox.StandardButton.Discard:
            self.profile.clear_problems()
            self._show_profile(self.org)
            return True
        return False

    def save_profile(self) -> bool:
        return self._save_profile(None)

    def _save_profile(self, expected_version: int | None) -> bool:
        if self.org is None:
            return False
        values = self.profile.values()
        self.profile.clear_problems()
        try:
            saved = registry.update(
                self.db, self.org.id, values, expected_version or self.org.version
            )
        except ValidationError as exc:
            self.profile.show_problems(exc)
            return False
        except ConflictError as exc:
            return self._resolve_conflict(exc, values)
        except IncubatorError as exc:
            show_error(self, exc)
            return False
        self.org = saved
        self.warnings.setText("\n".join(w.message() for w in saved.warnings) or tr("Saved."))
        self._show_profile(saved)
        self.reload()
        self.changed.emit(saved.id)
        return True

    def _resolve_conflict(self, error: ConflictError, mine: dict[str, Any]) -> bool:
        if isinstance(error, ConcurrentChangeError):  # nothing to compare: reload and retry
            show_error(self, error)
            if self.org:
                self.open(self.org.id)
            return False
        dialog = ConflictDialog(error, mine, self)
        self.conflict_dialog = dialog  # reachable from tests while it is open
        dialog.exec()
        if dialog.choice == ConflictDialog.KEEP_MINE:
            return self._save_profile(error.params["current"])
        if dialog.choice == ConflictDialog.TAKE_THEIRS and self.org:
            self.open(self.org.id)
            self.changed.emit(self.org.id)
        return False

    def toggle_archived(self) -> None:
        if self.org is None:
            return
        try:
            self.org = registry.set_archived(
                self.db, self.org.id, not self.org.archived, self.org.version
            )
        except IncubatorError as exc:
            show_error(self, exc)
            return
        self.reload()
        self.changed.emit(self.org.id)

    # --- actions ---------------------------------------------------------------------------
    def _dialog(
        self, title: str, form_fields, submit, values=None, version=None, **buttons: str
    ) -> bool:
        dialog = RecordDialog(title, form_fields, submit, values, self, version=version, **buttons)
        self.last_dialog = dialog  # reachable from tests while it is open
        if dialog.exec() and self.org is not None:
            self.reload()
            self.changed.emit(self.org.id)
            return True
        return False

    def transition(self, stage: Stage) -> bool:
        org = self.org
        assert org is not None
        form_fields = list(rf.TRANSITION)
        if stage is Stage.INCUBATING:
            form_fields += rf.INCUBATION_AGREEMENT

        def submit(values: dict[str, Any]):
            return lifecycle.transition(
                self.db,
                org.id,
                stage,
                reason=values["reason"],
                occurred_on=values["occurred_on"],
                expected_version=org.version,
                agreement_start=values.get("agreement_start"),
                agreement_planned_end=values.get("agreement_planned_end"),
            )

        values: dict[str, Any] = {}
        if stage is Stage.INCUBATING:  # a usual agreement: from today, for a year
            today = dt.date.today()
            values = {
                "agreement_start": today,
                "agreement_planned_end": today + dt.timedelta(days=365),
            }
        return self._dialog(
            tr("Move “{org}” to “{stage}”", org=isolate(org.name), stage=stage.display()),
            form_fields,
            submit,
            values,
        )

    def add_fund(self) -> bool:
        org_id = self.org.id if self.org else 0
        return self._dialog(
            tr("Add fund"), rf.FUND, lambda values: funds.add_fund(self.db, org_id, values)
        )

    def edit_fund(self) -> bool:
        fund = self._selected_fund()
        if fund is None:
            return False
        values = {f.name: getattr(fund, f.name) for f in rf.FUND_EDIT}
        return self._dialog(
            tr("Edit fund"),
            rf.FUND_EDIT,
            lambda v, version: funds.update_fund(self.db, fund.id, v, version),
            values,
            fund.version,
        )

    def add_payment(self) -> bool:
        fund = self._selected_fund()
        if fund is None:
            QMessageBox.information(self, tr("Add payment"), tr("Select a fund first."))
            return False
        return self._dialog(
            tr("Add payment"),
            rf.PAYMENT,
            lambda values: funds.add_payment(self.db, fund.id, values),
            {"status": PaymentStatus.SCHEDULED},
        )

    def _selected_payment(self, action: str) -> funds.PaymentView | None:
        fund = self._selected_fund()
        key = self.payments_table.current_key()
        payment = (
            next((p for p in fund.payments if (p.id, p.version) == key), None) if fund else None
        )
        if payment is None:
            QMessageBox.information(self, action, tr("Select a payment first."))
        return payment

    def record_payment(self) -> bool:
        payment = self._selected_payment(tr("Record payment"))
        if payment is None:
            return False
        return self._dialog(
            tr("Record payment"),
            rf.RECORD_PAYMENT,
            lambda v, base: funds.update_payment(
                self.db,
                payment.id,
                {"status": PaymentStatus.PAID, "paid_on": v["paid_on"], "notes": v["notes"]},
                base,
            ),
            {"notes": payment.notes},  # the planned note stays unless the user changes it
            version=payment.version,
        )

    def edit_payment(self) -> bool:
        payment = self._selected_payment(tr("Edit payment"))
        if payment is None:
            return False
        return self._dialog(
            tr("Edit payment"),
            rf.PAYMENT_EDIT,
            lambda v, base: funds.update_payment(self.db, payment.id, v, base),
            {f.name: getattr(payment, f.name) for f in rf.PAYMENT_EDIT},
            payment.version,
        )

    def cancel_payment(self) -> bool:
        payment = self._selected_payment(tr("Cancel payment"))
        if payment is None:
            return False
        return self._dialog(
            tr(
                "Cancel the instalment of {amount} due on {date}",
                amount=_money(payment.amount),
                date=payment.due_on,
            ),
            rf.CANCEL,
            lambda v, base: funds.cancel_payment(self.db, payment.id, v["cancel_reason"], base),
            version=payment.version,
            save_text=tr("Cancel the instalment"),
            cancel_text=tr("Keep it"),
        )

    def cancel_fund(self) -> bool:
        fund = self._selected_fund()
        if fund is None:
            QMessageBox.information(self, tr("Cancel fund"), tr("Select a fund first."))
            return False
        return self._dialog(
            tr("Cancel the fund “{title}”", title=fund.title),
            rf.CANCEL,
            lambda v, base: funds.cancel_fund(self.db, fund.id, v["cancel_reason"], base),
            version=fund.version,
            save_text=tr("Cancel the fund"),
            cancel_text=tr("Keep it"),
        )

    def add_contact(self) -> bool:
        org_id = self.org.id if self.org else 0
        return self._dialog(
            tr("Add contact"), rf.CONTACT, lambda values: contacts.add(self.db, org_id, values)
        )

    def edit_contact(self) -> bool:
        return self._edit_record(
            self.contacts, rf.CONTACT, contacts.contacts_of, contacts.update, tr("Edit contact")
        )

    def remove_contact(self) -> bool:
        key = self.contacts.current_key()
        if key is None or self.org is None:
            return False
        contact_id, version = key
        row = self.contacts.currentRow()
        answer = QMessageBox.question(
            self,
            tr("Remove contact"),
            tr("Remove “{name}” from the contacts?", name=isolate(self.contacts.cell_text(row, 0))),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            contacts.remove(self.db, contact_id, version)
        except IncubatorError as exc:
            show_error(self, exc)
        self.reload()
        self.changed.emit(self.org.id)
        return True

    def add_project(self) -> bool:
        org_id = self.org.id if self.org else 0
        return self._dialog(
            tr("Add project"), rf.PROJECT, lambda values: projects.add(self.db, org_id, values)
        )

    def edit_project(self) -> bool:
        return self._edit_record(
            self.projects, rf.PROJECT, projects.list_for, projects.update, tr("Edit project")
        )

    def add_talent(self) -> bool:
        org_id = self.org.id if self.org else 0
        return self._dialog(
            tr("Add talent support"), rf.TALENT, lambda values: talent.add(self.db, org_id, values)
        )

    def edit_talent(self) -> bool:
        return self._edit_record(
            self.talent, rf.TALENT, talent.list_for, talent.update, tr("Edit talent support")
        )

    def add_evaluation(self) -> bool:
        org_id = self.org.id if self.org else 0
        return self._dialog(
            tr("Add evaluation"),
            rf.EVALUATION,
            lambda values: evaluations.record(self.db, org_id, values),
        )

    def edit_evaluation(self) -> bool:
        return self._edit_record(
            self.evaluations,
            rf.EVALUATION,
            evaluations.list_for,
            evaluations.update,
            tr("Edit evaluation"),
        )

    def add_annual_report(self) -> bool:
        org_id = self.org.id if self.org else 0
        return self._dialog(
            tr("Add annual report"),
            rf.ANNUAL_REPORT,
            lambda values: compliance.record_report(self.db, org_id, values),
            {"year": dt.date.today().year - 1},
        )

    def edit_annual_report(self) -> bool:
        return self._edit_record(
            self.reports_table,
            rf.ANNUAL_REPORT,
            compliance.list_reports,
            compliance.update_report,
            tr("Edit annual report"),
        )

    def add_rating(self) -> bool:
        org_id = self.org.id if self.org else 0
        return self._dialog(
            tr("Add rating"),
            rf.RATING,
            lambda values: compliance.record_rating(self.db, org_id, values),
        )

    def edit_rating(self) -> bool:
        return self._edit_record(
            self.ratings_table,
            rf.RATING,
            compliance.list_ratings,
            compliance.update_rating,
            tr("Edit rating"),
        )

    def add_listing(self) -> bool:
        org_id = self.org.id if self.org else 0
        return self._dialog(
            tr("Add authority listing"),
            rf.LISTING,
            lambda values: compliance.record_listing(self.db, org_id, values),
        )

    def edit_listing(self) -> bool:
        return self._edit_record(
            self.listings_table,
            rf.LISTING,
            compliance.list_listings,
            compliance.update_listing,
            tr("Edit authority listing"),
        )

    def _documents_changed(self) -> None:
        if self.org is not None:
            self._show_history()
            self.changed.emit(self.org.id)

    def _void_selected(self, table: SimpleTable, kind: str) -> bool:
        """Void the selected record, entered by mistake, with a reason: it counts nowhere from
        then on, its history stays, and an administrator may restore it (History page)."""
        key = table.current_key()
        if key is None or self.org is None:
            QMessageBox.information(self, tr("Void"), tr("Select a record first."))
            return False
        record_id = key[0] if isinstance(key, tuple) else key  # (id, version), or a fund's id
        return self._dialog(
            tr("Void this record, entered by mistake"),
            rf.VOID,
            lambda v: voiding.void(self.db, kind, record_id, v["void_reason"]),
            save_text=tr("Void it"),
            cancel_text=tr("Keep it"),
        )

    def _edit_record(self, table: SimpleTable, form_fields, list_for, update, title: str) -> bool:
        key = table.current_key()
        if key is None or self.org is None:
            return False
        record_id, version = key
        record = next(r for r in list_for(self.db, self.org.id) if r.id == record_id)
        values = {f.name: getattr(record, f.name) for f in form_fields}
        return self._dialog(
            title,
            form_fields,
            lambda v, base: update(self.db, record_id, v, base),
            values,
            version,
        )


def _status(record: funds.FundView | funds.PaymentView) -> str:
    text = record.status.display()
    if record.cancel_reason:
        return tr("{status}: {reason}", status=text, reason=record.cancel_reason)
    return text


def _notes(payment: funds.PaymentView) -> str:
    if payment.cancel_reason:
        return " · ".join(filter(None, [payment.notes, _status(payment)]))
    return payment.notes or ""


def _fill_records(table: SimpleTable, records: list, columns: tuple[str, ...]) -> None:
    """Rows of an organization's records; each row's key is (id, version) for editing."""
    table.fill(
        [[getattr(r, c) for c in columns] for r in records], [(r.id, r.version) for r in records]
    )
