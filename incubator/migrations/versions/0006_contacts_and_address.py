"""Contacts and address

An organization's several contacts (name, role, phone, e-mail, one of them the main contact),
and its address. The contact person and phone of each organization become its main contact.
Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organization_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("is_main", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_organization_contacts_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization_contacts")),
    )
    with op.batch_alter_table("organization_contacts") as batch:
        batch.create_index(
            batch.f("ix_organization_contacts_organization_id"), ["organization_id"], unique=False
        )
    # Each contact person (or a phone without a name) becomes the main contact.
    op.execute(
        "INSERT INTO organization_contacts (organization_id, name, phone, is_main, version,"
        " created_at, updated_at)"
        " SELECT id, COALESCE(contact_person, '—'), contact_phone, TRUE, 1, created_at, updated_at"
        " FROM organizations WHERE contact_person IS NOT NULL OR contact_phone IS NOT NULL"
    )
    with op.batch_alter_table("organizations") as batch:
        batch.add_column(sa.Column("address", sa.String(length=300), nullable=True))
        batch.drop_column("contact_person")
        batch.drop_column("contact_phone")


def downgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.add_column(sa.Column("contact_person", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("contact_phone", sa.String(length=40), nullable=True))
        batch.drop_column("address")
    op.execute(
        "UPDATE organizations SET"
        " contact_person = (SELECT name FROM organization_contacts c"
        "  WHERE c.organization_id = organizations.id AND c.is_main),"
        " contact_phone = (SELECT phone FROM organization_contacts c"
        "  WHERE c.organization_id = organizations.id AND c.is_main)"
    )
    op.drop_table("organization_contacts")
