"""Compliance with the registration authority, and the papers behind the records

Each organization gains its supervising unit (业务主管单位), and the registry gains: annual
reports / annual inspections (年度报告 / 年检) by year, rating grades (1A..5A) with their
validity, entries on the authority's lists (活动异常名录, 严重违法失信名单) with their removal,
and documents attached to an organization or any of its records, their content kept once in
``stored_files`` (0014). Ratings, listings and documents are voided, not deleted (as 0016's
support records, restored by an administrator only); the database keeps their rules (0015).
Revision ID: 0017
Revises: 0016
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

VOIDABLE = ("ratings", "authority_listings", "documents")
RESULTS = ("qualified", "basically_qualified", "unqualified", "not_inspected")
GRADES = ("1A", "2A", "3A", "4A", "5A")
LISTS = ("abnormal", "serious_violation")
DOCUMENT_KINDS = (
    "charter",
    "registration_certificate",
    "incubation_agreement",
    "payment_voucher",
    "acceptance_report",
    "annual_report",
    "rating_certificate",
    "other",
)
# The records a document may belong to (None: the organization itself).
RECORD_KINDS = (
    "funds",
    "fund_payments",
    "projects",
    "talent_records",
    "evaluations",
    "lifecycle_transitions",
    "space_allocations",
    "annual_reports",
    "ratings",
    "authority_listings",
)


def _known(column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IS NULL OR {column} IN ({listed})", name=f"{column}_known")


def _versioned() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def _voidable() -> list[sa.Column]:
    return [
        sa.Column("voided_at", sa.DateTime(), nullable=True),
        sa.Column("voided_by", sa.String(length=100), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
    ]


def _organization() -> sa.Column:
    return sa.Column(
        "organization_id",
        sa.Integer(),
        sa.ForeignKey("organizations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def upgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.add_column(sa.Column("supervising_unit", sa.String(length=200), nullable=True))
    op.create_table(
        "annual_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        _organization(),
        sa.Column("year", sa.Integer(), nullable=False, index=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("result", sa.String(length=32), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        *_versioned(),
        sa.UniqueConstraint("organization_id", "year"),
        sa.CheckConstraint("year >= 1949 AND year <= 2999", name="year"),
        _known("result", RESULTS),
    )
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), primary_key=True),
        _organization(),
        sa.Column("grade", sa.String(length=32), nullable=False),
        sa.Column("awarded_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False, index=True),
        sa.Column("awarding_body", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        *_versioned(),
        *_voidable(),
        sa.CheckConstraint("valid_until >= awarded_on", name="validity"),
        _known("grade", GRADES),
    )
    op.create_table(
        "authority_listings",
        sa.Column("id", sa.Integer(), primary_key=True),
        _organization(),
        sa.Column("list_kind", sa.String(length=32), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=False),
        sa.Column("authority", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("removed_on", sa.Date(), nullable=True),
        sa.Column("removal_reason", sa.Text(), nullable=True),
        *_versioned(),
        *_voidable(),
        sa.CheckConstraint("removed_on IS NULL OR removed_on >= listed_on", name="period"),
        _known("list_kind", LISTS),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        _organization(),
        sa.Column("record_kind", sa.String(length=40), nullable=True),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column(
            "sha256",
            sa.String(length=64),
            sa.ForeignKey("stored_files.sha256", ondelete="RESTRICT"),
            nullable=False,
            index=True,
        ),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("dated_on", sa.Date(), nullable=True),
        sa.Column("added_by", sa.String(length=100), nullable=False),
        *_versioned(),
        *_voidable(),
        sa.Index("ix_documents_record", "record_kind", "record_id"),
        sa.CheckConstraint("size >= 0", name="size"),
        sa.CheckConstraint("(record_kind IS NULL) = (record_id IS NULL)", name="record"),
        _known("kind", DOCUMENT_KINDS),
        _known("record_kind", RECORD_KINDS),
    )
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":  # 0016's function: restoring is the administrators'
        for table in VOIDABLE:
            bind.exec_driver_sql(
                f"CREATE TRIGGER {table}_restore BEFORE UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION voided_records_restore()"
            )


def downgrade() -> None:
    for table in ("documents", "authority_listings", "ratings", "annual_reports"):
        op.drop_table(table)
    with op.batch_alter_table("organizations") as batch:
        batch.drop_column("supervising_unit")
