"""SQLAlchemy 2 typed ORM models: the registry's schema.

Money is ``Numeric(14, 2)`` read back as ``Decimal``; dates are dates; timestamps are stored in
UTC. Editable rows carry a ``version`` column used for optimistic locking.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum as PyEnum

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from incubator.domain import (
    SORT_KEY_LENGTH,
    AllocationStatus,
    AuditAction,
    AuthorityList,
    DocumentKind,
    EvaluationKind,
    FundKind,
    FundSource,
    FundStatus,
    InspectionResult,
    LegalForm,
    PaymentStatus,
    ProjectStatus,
    RatingGrade,
    ServiceField,
    SpaceKind,
    Stage,
    TalentKind,
)

# Stable constraint names, so Alembic migrations (and SQLite batch mode) can refer to them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Money = Numeric(14, 2, asdecimal=True)
Score = Numeric(5, 2, asdecimal=True)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timestamps stored as naive UTC (SQLite keeps no zone) and read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use UTC-aware timestamps")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=dt.UTC)


def enum_column(enum: type[PyEnum]) -> SAEnum:
    # Readable strings in the database; no native enum type, so adding a member needs no DDL.
    return SAEnum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Versioned:
    """Mixin for editable rows: optimistic locking and timestamps."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version}


class Voidable:
    """A support record staff may void when it was entered by mistake: from then on it counts
    nowhere (every query leaves it out: ``incubator.voiding``), its history stays, and an
    administrator may restore it. Nothing is deleted."""

    voided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    voided_by: Mapped[str | None] = mapped_column(String(100))
    void_reason: Mapped[str | None] = mapped_column(Text)


class Organization(Versioned, Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    short_name: Mapped[str | None] = mapped_column(String(100))
    # Search and sort helpers derived from the name (pinyin), kept in step by the service.
    name_sort: Mapped[str] = mapped_column(String(SORT_KEY_LENGTH), nullable=False, index=True)
    # Every way the name may be typed, folded (textkeys.name_keys); searched as a substring.
    search_key: Mapped[str] = mapped_column(Text, nullable=False)  # every reading: unbounded
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    legal_form: Mapped[LegalForm] = mapped_column(enum_column(LegalForm), nullable=False)
    area_county: Mapped[str | None] = mapped_column(String(100), index=True)
    area_township: Mapped[str | None] = mapped_column(String(100))
    area_community: Mapped[str | None] = mapped_column(String(100))
    founded_on: Mapped[dt.date | None] = mapped_column(Date)
    registered_on: Mapped[dt.date | None] = mapped_column(Date)
    legal_representative: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(300))
    registered_capital: Mapped[Decimal | None] = mapped_column(Money)  # 注册资金 / 开办资金, yuan
    business_scope: Mapped[str | None] = mapped_column(Text)  # 业务范围, as registered
    supervising_unit: Mapped[str | None] = mapped_column(String(200))  # 业务主管单位, if any
    staff_count: Mapped[int | None] = mapped_column(Integer)  # None: not known, not zero
    volunteer_count: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    # Current lifecycle stage, kept equal to the last transition's target by the lifecycle service.
    stage: Mapped[Stage] = mapped_column(enum_column(Stage), nullable=False, index=True)
    stage_since: Mapped[dt.date] = mapped_column(Date, nullable=False)
    agreement_start: Mapped[dt.date | None] = mapped_column(Date)
    agreement_planned_end: Mapped[dt.date | None] = mapped_column(Date, index=True)
    archived: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, index=True)

    service_fields: Mapped[list[OrganizationServiceField]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", lazy="selectin"
    )
    contacts: Mapped[list[OrganizationContact]] = relationship(
        order_by=lambda: [OrganizationContact.is_main.desc(), OrganizationContact.id],
        cascade="all, delete-orphan",
        lazy="selectin",
    )
    transitions: Mapped[list[LifecycleTransition]] = relationship(
        back_populates="organization",
        order_by=lambda: [LifecycleTransition.occurred_on, LifecycleTransition.id],
        cascade="all, delete-orphan",
    )


class OrganizationServiceField(Base):
    __tablename__ = "organization_service_fields"

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    field: Mapped[ServiceField] = mapped_column(enum_column(ServiceField), primary_key=True)

    organization: Mapped[Organization] = relationship(back_populates="service_fields")

    __table_args__ = (Index("ix_service_field_field", "field"),)


class LifecycleTransition(Base):
    __tablename__ = "lifecycle_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    from_stage: Mapped[Stage | None] = mapped_column(enum_column(Stage))
    to_stage: Mapped[Stage] = mapped_column(enum_column(Stage), nullable=False)
    occurred_on: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    actor: Mapped[str] = mapped_column(String(100), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    organization: Mapped[Organization] = relationship(back_populates="transitions")


class Fund(Voidable, Versioned, Base):
    """Money committed to an organization: a grant, subsidy, contract or award."""

    __tablename__ = "funds"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    source: Mapped[FundSource] = mapped_column(enum_column(FundSource), nullable=False)
    source_name: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[FundKind] = mapped_column(enum_column(FundKind), nullable=False)
    amount_committed: Mapped[Decimal] = mapped_column(Money, nullable=False)
    committed_on: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    start_on: Mapped[dt.date | None] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[FundStatus] = mapped_column(enum_column(FundStatus), nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)
    cancel_reason: Mapped[str | None] = mapped_column(Text)  # why it was cancelled

    payments: Mapped[list[FundPayment]] = relationship(
        back_populates="fund",
        cascade="all, delete-orphan",
        order_by=lambda: [FundPayment.due_on, FundPayment.id],
        lazy="selectin",
    )


class FundPayment(Voidable, Versioned, Base):
    """One instalment of a fund's payment schedule; disbursed once paid."""

    __tablename__ = "fund_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    fund_id: Mapped[int] = mapped_column(
        ForeignKey("funds.id", ondelete="CASCADE"), nullable=False, index=True
    )
    due_on: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    amount: Mapped[Decimal] = mapped_column(Money, nullable=False)
    status: Mapped[PaymentStatus] = mapped_column(enum_column(PaymentStatus), nullable=False)
    paid_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    cancel_reason: Mapped[str | None] = mapped_column(Text)  # why it was cancelled

    fund: Mapped[Fund] = relationship(back_populates="payments")


class Project(Voidable, Versioned, Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    funder: Mapped[str | None] = mapped_column(String(200))
    budget: Mapped[Decimal] = mapped_column(Money, nullable=False)
    start_on: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    end_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[ProjectStatus] = mapped_column(enum_column(ProjectStatus), nullable=False)
    beneficiaries: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    outputs: Mapped[str | None] = mapped_column(Text)


class TalentRecord(Voidable, Versioned, Base):
    """Talent support: a training session attended, or a mentor / social worker assigned."""

    __tablename__ = "talent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[TalentKind] = mapped_column(enum_column(TalentKind), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    person_name: Mapped[str | None] = mapped_column(String(100))
    provider: Mapped[str | None] = mapped_column(String(200))
    start_on: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    end_on: Mapped[dt.date | None] = mapped_column(Date)
    people_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    hours: Mapped[Decimal] = mapped_column(Numeric(8, 1, asdecimal=True), nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)


class Space(Versioned, Base):
    """A room, desk or shared facility of the center."""

    __tablename__ = "spaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[SpaceKind] = mapped_column(enum_column(SpaceKind), nullable=False)
    area_m2: Mapped[Decimal] = mapped_column(Numeric(8, 2, asdecimal=True), nullable=False)
    capacity: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    notes: Mapped[str | None] = mapped_column(Text)


class SpaceAllocation(Voidable, Versioned, Base):
    """A space given to an organization from start_on to end_on, both days included."""

    __tablename__ = "space_allocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(
        ForeignKey("spaces.id", ondelete="RESTRICT"), nullable=False
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    start_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    end_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[AllocationStatus] = mapped_column(enum_column(AllocationStatus), nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)

    space: Mapped[Space] = relationship()

    __table_args__ = (Index("ix_allocation_space_period", "space_id", "start_on", "end_on"),)


class Evaluation(Voidable, Versioned, Base):
    """A dated scorecard: governance, finance, services and team, each 0..100."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[EvaluationKind] = mapped_column(enum_column(EvaluationKind), nullable=False)
    evaluated_on: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    evaluator: Mapped[str | None] = mapped_column(String(100))
    governance: Mapped[Decimal] = mapped_column(Score, nullable=False)
    finance: Mapped[Decimal] = mapped_column(Score, nullable=False)
    services: Mapped[Decimal] = mapped_column(Score, nullable=False)
    team: Mapped[Decimal] = mapped_column(Score, nullable=False)
    conclusion: Mapped[str | None] = mapped_column(Text)

    @property
    def total(self) -> Decimal:
        return ((self.governance + self.finance + self.services + self.team) / 4).quantize(
            Decimal("0.01")
        )


class AuditEntry(Base):
    """Who changed what, when, from which value to which; written in the change's transaction."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    actor: Mapped[str] = mapped_column(String(100), nullable=False)
    entity: Mapped[str] = mapped_column(String(60), nullable=False)
    entity_id: Mapped[int] = mapped_column(Integer, nullable=False)
    organization_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # Set on a bulk batch's entry only: it is about organizations organization_id..this.
    last_organization_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction), nullable=False)
    # JSON object {field: [old, new]}, values rendered as strings; a batch's is described in
    # incubator.bulk.
    changes: Mapped[str] = mapped_column(Text, nullable=False, default="{}")

    __table_args__ = (
        Index("ix_audit_entity", "entity", "entity_id"),
        Index("ix_audit_log_actor", "actor", "at"),  # the center's history, by user
    )


class StoredFile(Base):
    """A file kept inside the registry, once per content, keyed by its SHA-256 (the center's
    logo): every desk of a shared registry reads the same, and a backup holds it."""

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class Setting(Base):
    """Center-wide settings shared by every desk (center name, logo path ...)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False, default="")


class ReportNarrative(Versioned, Base):
    """Staff narrative and next steps for one organization's progress report in one period."""

    __tablename__ = "report_narratives"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False
    )
    # Period as written by staff: "2026", "2026Q3" or "2026-01-01..2026-06-30".
    period: Mapped[str] = mapped_column(String(40), nullable=False)
    narrative: Mapped[str] = mapped_column(Text, nullable=False, default="")
    next_steps: Mapped[str] = mapped_column(Text, nullable=False, default="")

    __table_args__ = (UniqueConstraint("organization_id", "period"),)


class CenterNarrative(Versioned, Base):
    """The center report's summary for one period, written by staff: highlights, problems, and
    the corrective actions taken or planned."""

    __tablename__ = "center_narratives"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    highlights: Mapped[str] = mapped_column(Text, nullable=False, default="")
    problems: Mapped[str] = mapped_column(Text, nullable=False, default="")
    actions: Mapped[str] = mapped_column(Text, nullable=False, default="")


class AnnualTarget(Versioned, Base):
    """The center's targets for one calendar year (each optional): the center report sets its
    key performance indicators against them."""

    __tablename__ = "annual_targets"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    incubated: Mapped[int | None] = mapped_column(Integer)  # organizations incubated
    graduation_rate: Mapped[Decimal | None] = mapped_column(Numeric(5, 4, asdecimal=True))
    disbursed: Mapped[Decimal | None] = mapped_column(Money)  # yuan
    training_hours: Mapped[Decimal | None] = mapped_column(Numeric(9, 1, asdecimal=True))
    occupancy_rate: Mapped[Decimal | None] = mapped_column(Numeric(5, 4, asdecimal=True))
    overdue_payments: Mapped[int | None] = mapped_column(Integer)  # at most this many


class ReminderMark(Versioned, Base):
    """A reminder marked done, or snoozed until a day: kept in the registry, so every desk
    sees it. A reminder is known by its kind, organization, record and date: when the date
    moves (an agreement extended, an instalment rescheduled), it reminds again."""

    __tablename__ = "reminder_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False
    )
    record_id: Mapped[int] = mapped_column(Integer, nullable=False)  # 0: the organization
    about: Mapped[dt.date] = mapped_column(Date, nullable=False)  # the reminder's date
    snoozed_until: Mapped[dt.date | None] = mapped_column(Date)  # None: done
    marked_by: Mapped[str] = mapped_column(String(100), nullable=False)

    __table_args__ = (UniqueConstraint("kind", "organization_id", "record_id", "about"),)


class OrganizationContact(Versioned, Base):
    """A person to reach at an organization; one per organization is its main contact."""

    __tablename__ = "organization_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    role: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    is_main: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


# --- compliance with the registration authority, and the papers behind the records ---------


class AnnualReport(Versioned, Base):
    """An organization's annual report / annual inspection (年度报告 / 年检) for one year:
    due the following year (``services.compliance``), submitted on a day, judged by the
    registration authority."""

    __tablename__ = "annual_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    year: Mapped[int] = mapped_column(Integer, nullable=False, index=True)  # reported on
    due_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    submitted_on: Mapped[dt.date | None] = mapped_column(Date)
    result: Mapped[InspectionResult | None] = mapped_column(enum_column(InspectionResult))
    remarks: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("organization_id", "year"),)


class Rating(Voidable, Versioned, Base):
    """A rating grade (社会组织评估等级, 1A..5A) awarded to an organization, valid for years."""

    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    grade: Mapped[RatingGrade] = mapped_column(enum_column(RatingGrade), nullable=False)
    awarded_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    valid_until: Mapped[dt.date] = mapped_column(Date, nullable=False, index=True)
    awarding_body: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)


class AuthorityListing(Voidable, Versioned, Base):
    """An organization put on one of the authority's lists (活动异常名录, 严重违法失信名单)
    on a day, and taken off it on another (None: still listed)."""

    __tablename__ = "authority_listings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    list_kind: Mapped[AuthorityList] = mapped_column(enum_column(AuthorityList), nullable=False)
    listed_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    authority: Mapped[str | None] = mapped_column(String(200))  # who listed it
    reason: Mapped[str | None] = mapped_column(Text)
    removed_on: Mapped[dt.date | None] = mapped_column(Date)
    removal_reason: Mapped[str | None] = mapped_column(Text)


class Document(Voidable, Versioned, Base):
    """A file attached to an organization or to one of its records: its content is a
    ``StoredFile`` (kept once however often attached); removing it voids the attachment."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # The record it belongs to, by table ("funds", "annual_reports"...); None: the
    # organization itself.
    record_kind: Mapped[str | None] = mapped_column(String(40))
    record_id: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(
        ForeignKey("stored_files.sha256", ondelete="RESTRICT"), nullable=False, index=True
    )
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)  # bytes
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind), nullable=False)
    dated_on: Mapped[dt.date | None] = mapped_column(Date)
    added_by: Mapped[str] = mapped_column(String(100), nullable=False)

    __table_args__ = (Index("ix_documents_record", "record_kind", "record_id"),)
