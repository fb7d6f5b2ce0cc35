"""initial schema


The registry's first schema: organizations and their lifecycle, the four kinds of support
(funds with payment schedules, projects, talent, spaces and allocations), evaluations, the
audit log and center settings. Timestamps are stored as naive UTC (see models.UTCDateTime).
Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column(
            "action",
            sa.Enum("create", "update", "delete", name="auditaction", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entity", ["entity", "entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_log_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "organizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("short_name", sa.String(length=100), nullable=True),
        sa.Column("name_sort", sa.String(length=600), nullable=False),
        sa.Column("name_initials", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column(
            "legal_form",
            sa.Enum(
                "social_group",
                "social_service_org",
                "foundation",
                "community_unregistered",
                name="legalform",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("area_county", sa.String(length=100), nullable=True),
        sa.Column("area_township", sa.String(length=100), nullable=True),
        sa.Column("area_community", sa.String(length=100), nullable=True),
        sa.Column("founded_on", sa.Date(), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=True),
        sa.Column("legal_representative", sa.String(length=100), nullable=True),
        sa.Column("contact_person", sa.String(length=100), nullable=True),
        sa.Column("contact_phone", sa.String(length=40), nullable=True),
        sa.Column("staff_count", sa.Integer(), nullable=False),
        sa.Column("volunteer_count", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "stage",
            sa.Enum(
                "applied",
                "admitted",
                "incubating",
                "mid_term_evaluated",
                "graduated",
                "exited",
                name="stage",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("stage_since", sa.Date(), nullable=False),
        sa.Column("agreement_start", sa.Date(), nullable=True),
        sa.Column("agreement_planned_end", sa.Date(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_organizations_credit_code")),
    )
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organizations_agreement_planned_end"),
            ["agreement_planned_end"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_organizations_archived"), ["archived"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_organizations_area_county"), ["area_county"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_organizations_name_initials"), ["name_initials"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_organizations_name_sort"), ["name_sort"], unique=False)
        batch_op.create_index(batch_op.f("ix_organizations_stage"), ["stage"], unique=False)

    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "spaces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("room", "desk", "shared", name="spacekind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("area_m2", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spaces")),
        sa.UniqueConstraint("code", name=op.f("uq_spaces_code")),
    )
    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "admission",
                "mid_term",
                "annual",
                "graduation",
                name="evaluationkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("evaluated_on", sa.Date(), nullable=False),
        sa.Column("evaluator", sa.String(length=100), nullable=True),
        sa.Column("governance", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("finance", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("services", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("team", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("conclusion", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_evaluations_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluations")),
    )
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluations_evaluated_on"), ["evaluated_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evaluations_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "funds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "government",
                "foundation",
                "enterprise",
                "partner_province",
                "other",
                name="fundsource",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("source_name", sa.String(length=200), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "grant",
                "subsidy",
                "purchased_service",
                "award",
                name="fundkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("amount_committed", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("committed_on", sa.Date(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "active",
                "completed",
                "cancelled",
                name="fundstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_funds_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funds")),
    )
    with op.batch_alter_table("funds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_funds_committed_on"), ["committed_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_funds_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "lifecycle_transitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_stage",
            sa.Enum(
                "applied",
                "admitted",
                "incubating",
                "mid_term_evaluated",
                "graduated",
                "exited",
                name="stage",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_stage",
            sa.Enum(
                "applied",
                "admitted",
                "incubating",
                "mid_term_evaluated",
                "graduated",
                "exited",
                name="stage",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_lifecycle_transitions_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lifecycle_transitions")),
    )
    with op.batch_alter_table("lifecycle_transitions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lifecycle_transitions_occurred_on"), ["occurred_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lifecycle_transitions_organization_id"),
            ["organization_id"],
            unique=False,
        )

    op.create_table(
        "organization_service_fields",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column(
            "field",
            sa.Enum(
                "elderly",
                "youth",
                "children",
                "disability",
                "community",
                "mediation",
                "employment",
                "education",
                "health",
                "women",
                "culture",
                "environment",
                "rural",
                "legal_aid",
                name="servicefield",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_organization_service_fields_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "organization_id", "field", name=op.f("pk_organization_service_fields")
        ),
    )
    with op.batch_alter_table("organization_service_fields", schema=None) as batch_op:
        batch_op.create_index("ix_service_field_field", ["field"], unique=False)

    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("funder", sa.String(length=200), nullable=True),
        sa.Column("budget", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "ongoing",
                "completed",
                "cancelled",
                name="projectstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("beneficiaries", sa.Integer(), nullable=False),
        sa.Column("outputs", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_projects_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
    )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_projects_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_projects_start_on"), ["start_on"], unique=False)

    op.create_table(
        "space_allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("active", "cancelled", name="allocationstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_space_allocations_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["space_id"],
            ["spaces.id"],
            name=op.f("fk_space_allocations_space_id_spaces"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_space_allocations")),
    )
    with op.batch_alter_table("space_allocations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_allocation_space_period", ["space_id", "start_on", "end_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_space_allocations_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "talent_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "training",
                "mentor",
                "social_worker",
                name="talentkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("person_name", sa.String(length=100), nullable=True),
        sa.Column("provider", sa.String(length=200), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("people_count", sa.Integer(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=8, scale=1), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_talent_records_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_records")),
    )
    with op.batch_alter_table("talent_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_talent_records_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_talent_records_start_on"), ["start_on"], unique=False)

    op.create_table(
        "fund_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fund_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "scheduled", "paid", "cancelled", name="paymentstatus", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fund_id"],
            ["funds.id"],
            name=op.f("fk_fund_payments_fund_id_funds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_payments")),
    )
    with op.batch_alter_table("fund_payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fund_payments_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_payments_fund_id"), ["fund_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_payments_paid_on"), ["paid_on"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("fund_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fund_payments_paid_on"))
        batch_op.drop_index(batch_op.f("ix_fund_payments_fund_id"))
        batch_op.drop_index(batch_op.f("ix_fund_payments_due_on"))

    op.drop_table("fund_payments")
    with op.batch_alter_table("talent_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_talent_records_start_on"))
        batch_op.drop_index(batch_op.f("ix_talent_records_organization_id"))

    op.drop_table("talent_records")
    with op.batch_alter_table("space_allocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_space_allocations_organization_id"))
        batch_op.drop_index("ix_allocation_space_period")

    op.drop_table("space_allocations")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_start_on"))
        batch_op.drop_index(batch_op.f("ix_projects_organization_id"))

    op.drop_table("projects")
    with op.batch_alter_table("organization_service_fields", schema=None) as batch_op:
        batch_op.drop_index("ix_service_field_field")

    op.drop_table("organization_service_fields")
    with op.batch_alter_table("lifecycle_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lifecycle_transitions_organization_id"))
        batch_op.drop_index(batch_op.f("ix_lifecycle_transitions_occurred_on"))

    op.drop_table("lifecycle_transitions")
    with op.batch_alter_table("funds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_funds_organization_id"))
        batch_op.drop_index(batch_op.f("ix_funds_committed_on"))

    op.drop_table("funds")
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluations_organization_id"))
        batch_op.drop_index(batch_op.f("ix_evaluations_evaluated_on"))

    op.drop_table("evaluations")
    op.drop_table("spaces")
    op.drop_table("settings")
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organizations_stage"))
        batch_op.drop_index(batch_op.f("ix_organizations_name_sort"))
        batch_op.drop_index(batch_op.f("ix_organizations_name_initials"))
        batch_op.drop_index(batch_op.f("ix_organizations_area_county"))
        batch_op.drop_index(batch_op.f("ix_organizations_archived"))
        batch_op.drop_index(batch_op.f("ix_organizations_agreement_planned_end"))

    op.drop_table("organizations")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_organization_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
        batch_op.drop_index("ix_audit_entity")

    op.drop_table("audit_log")
