"""Shared shape of the simple per-organization records (projects, talent, evaluations):
validate a whole record, add it, update it under optimistic locking, list it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import select

from incubator.db import Database
from incubator.models import Base, Organization
from incubator.services.common import apply, by_organization, check_version, edited, load, view

V = TypeVar("V")


class RecordKind:
    def __init__(
        self,
        model: type[Base],
        view_cls: type[V],
        what: str,
        clean: Callable[[Mapping[str, Any]], dict[str, Any]],
        fields: tuple[str, ...],
        order: tuple[str, ...],
    ) -> None:
        self.model, self.view_cls, self.what = model, view_cls, what
        self.clean, self.fields, self.order = clean, fields, order

    def add(self, db: Database, org_id: int, data: Mapping[str, Any], actor: str | None = None):
        clean = self.clean(data)
        with db.transaction(actor) as session:
            load(session, Organization, org_id, "Organization")
            obj = self.model(organization_id=org_id, **clean)
            session.add(obj)
            session.flush()
            return view(self.view_cls, obj)

    def update(
        self,
        db: Database,
        record_id: int,
        changes: Mapping[str, Any],
        expected_version: int,
        actor: str | None = None,
    ):
        with db.transaction(actor) as session:
            obj = load(session, self.model, record_id, self.what)
            check_version(obj, expected_version, self.what)
            apply(obj, self.clean(edited(obj, self.fields, changes)))
            session.flush()
            return view(self.view_cls, obj)

    def list_for(self, db: Database, org_id: int) -> list:
        with db.reading() as session:
            load(session, Organization, org_id, "Organization")
            return self.listed(session, [org_id])[org_id]

    def list_many(self, db: Database, org_ids: Sequence[int]) -> dict[int, list]:
        """``list_for`` of each organization, in one query."""
        with db.reading() as session:
            return self.listed(session, org_ids)

    def listed(self, session: Any, org_ids: Sequence[int]) -> dict[int, list]:
        """``list_many`` within a unit of work already open."""
        cols = [getattr(self.model, name) for name in self.order]
        rows = session.scalars(
            select(self.model)
            .where(self.model.organization_id.in_(org_ids))  # type: ignore[attr-defined]
            .order_by(*cols, self.model.id)  # type: ignore[attr-defined]
        )
        found = by_organization(org_ids, rows)
        return {i: [view(self.view_cls, r) for r in found[i]] for i in found}
