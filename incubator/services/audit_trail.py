"""Reading the audit trail: what changed, who changed it, when, from which value to which."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from incubator.db import Database
from incubator.domain import AuditAction
from incubator.models import AuditEntry


@dataclass(frozen=True)
class AuditView:
    id: int
    at: dt.datetime
    actor: str
    entity: str
    entity_id: int
    organization_id: int | None
    action: AuditAction
    changes: dict[str, list[Any]]


def _view(e: AuditEntry) -> AuditView:
    return AuditView(
        e.id,
        e.at,
        e.actor,
        e.entity,
        e.entity_id,
        e.organization_id,
        e.action,
        json.loads(e.changes),
    )


def for_organization(db: Database, org_id: int, limit: int = 1000) -> list[AuditView]:
    """Newest first: every change to the organization and to its support records."""
    with db.reading() as session:
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.organization_id == org_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
        return [_view(e) for e in rows]


def for_entity(db: Database, entity: str, entity_id: int) -> list[AuditView]:
    with db.reading() as session:
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id)
        )
        return [_view(e) for e in rows]
