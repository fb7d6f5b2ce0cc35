"""`db check`: the database's own integrity plus the registry's rules, read-only."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.orm import aliased

from incubator import search_index
from incubator.db import Database
from incubator.db_errors import NOT_A_REGISTRY, RegistryDamaged, RegistryError
from incubator.domain import TRANSITIONS, AllocationStatus, FundStatus, PaymentStatus
from incubator.i18n import T
from incubator.models import (
    Document,
    Fund,
    FundPayment,
    LifecycleTransition,
    Organization,
    Space,
    SpaceAllocation,
    StoredFile,
)
from incubator.schema import current_revision, head_revision, schema_differences


@dataclass(frozen=True)
class Finding:
    key: str
    params: dict


def _unreadable_texts(s, most: int = 20) -> list[Finding]:
    """Texts that are no longer UTF-8: damage inside a record, which SQLite's own check
    cannot see (it keeps no checksum of what a page holds). Read as bytes, so the damage is
    found, not tripped over."""
    found: list[Finding] = []
    tables = s.execute(
        text("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ).scalars()
    for table in [t for t in tables if t not in search_index.names()]:  # (the index: no texts)
        for column in [c[1] for c in s.execute(text(f'PRAGMA table_info("{table}")'))]:
            rows = s.execute(
                text(
                    f'SELECT rowid, CAST("{column}" AS BLOB) FROM "{table}" '
                    f"WHERE typeof(\"{column}\") = 'text'"
                )
            )
            for rowid, raw in rows:
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError:
                    found.append(
                        Finding(
                            "Table {table} row {row}: the text of {column} is no longer readable",
                            {"table": table, "row": rowid, "column": column},
                        )
                    )
                    if len(found) >= most:
                        return found
    return found


def check(db: Database) -> list[Finding]:
    """What is wrong with the registry: a damaged file (a broken page or header, a cut-off
    file) is a finding like any other, never a crash."""
    try:
        return _check(db)
    except RegistryDamaged as exc:
        return [Finding(exc.key, exc.params)]
    except RegistryError as exc:
        if exc.key != NOT_A_REGISTRY:
            raise
        return [Finding(exc.key, exc.params)]


def _check(db: Database) -> list[Finding]:
    found: list[Finding] = []
    rev, head = current_revision(db.engine), head_revision()
    if rev != head:
        found.append(
            Finding(
                "Schema is at revision {rev}, newest is {head}: run 'db upgrade'",
                {"rev": rev or "—", "head": head},
            )
        )
        return found  # the rest assumes the current schema
    if schema_differences(db.engine):
        found.append(Finding("Schema differs from what this version expects", {}))
    with db.reading() as s:
        if db.is_sqlite:
            result = s.execute(text("PRAGMA integrity_check")).scalars().all()
            if result != ["ok"]:
                found.append(
                    Finding("SQLite integrity check: {detail}", {"detail": "; ".join(result[:5])})
                )
            found += _unreadable_texts(s)
            for row in s.execute(text("PRAGMA foreign_key_check")).all()[:20]:
                found.append(
                    Finding(
                        "Table {table} row {row} points to a missing {parent}",
                        {"table": row[0], "row": row[1], "parent": row[2]},
                    )
                )

        # Stage must equal the last transition's target.
        last = (
            select(
                LifecycleTransition.organization_id, func.max(LifecycleTransition.id).label("id")
            )
            .group_by(LifecycleTransition.organization_id)
            .subquery()
        )
        rows = s.execute(
            select(Organization.id, Organization.stage, LifecycleTransition.to_stage)
            .outerjoin(last, last.c.organization_id == Organization.id)
            .outerjoin(LifecycleTransition, LifecycleTransition.id == last.c.id)
            .where(
                (LifecycleTransition.to_stage.is_(None))
                | (LifecycleTransition.to_stage != Organization.stage)
            )
            .limit(50)
        )
        for org_id, stage, last_stage in rows:
            found.append(
                Finding(
                    "Organization {id}: stage {stage} but last transition leads to {last}",
                    {
                        "id": org_id,
                        "stage": T(stage.label),
                        "last": T(last_stage.label) if last_stage else "—",
                    },
                )
            )

        # Every recorded transition is a legal move.
        for t in s.scalars(
            select(LifecycleTransition).where(LifecycleTransition.from_stage.is_not(None))
        ):
            if t.to_stage not in TRANSITIONS[t.from_stage]:
                found.append(
                    Finding(
                        "Organization {id}: illegal transition {a} -> {b}",
                        {
                            "id": t.organization_id,
                            "a": T(t.from_stage.label),
                            "b": T(t.to_stage.label),
                        },
                    )
                )

        # Payments within commitments.
        live = (
            select(FundPayment.fund_id, func.sum(FundPayment.amount).label("planned"))
            .where(FundPayment.status != PaymentStatus.CANCELLED)
            .group_by(FundPayment.fund_id)
            .subquery()
        )
        for fund_id, committed, planned in s.execute(
            select(Fund.id, Fund.amount_committed, live.c.planned)
            .join(live, live.c.fund_id == Fund.id)
            .where(
                Fund.status != FundStatus.CANCELLED, live.c.planned > Fund.amount_committed + 0.001
            )
            .limit(50)
        ):
            found.append(
                Finding(
                    "Fund {id}: payments {planned} exceed committed {committed}",
                    {"id": fund_id, "planned": planned, "committed": committed},
                )
            )

        # No overlapping active allocations on a space for one organization at a time (the
        # database holds every space to its capacity since 0015; this finds older rows).
        a, b = aliased(SpaceAllocation), aliased(SpaceAllocation)
        for a_id, b_id, space_id in s.execute(
            select(a.id, b.id, a.space_id)
            .join(b, (a.space_id == b.space_id) & (a.id < b.id))
            .join(Space, Space.id == a.space_id)
            .where(
                Space.capacity == 1,
                a.status == AllocationStatus.ACTIVE,
                b.status == AllocationStatus.ACTIVE,
                a.start_on <= b.end_on,
                b.start_on <= a.end_on,
            )
            .limit(50)
        ):
            found.append(
                Finding(
                    "Space {space}: allocations {a} and {b} overlap",
                    {"space": space_id, "a": a_id, "b": b_id},
                )
            )

        # Stored files (documents, the logo) still hold what their hash names: read one at
        # a time, however large the registry's files.
        for digest in s.scalars(select(StoredFile.sha256).order_by(StoredFile.sha256)):
            data = s.scalar(select(StoredFile.data).where(StoredFile.sha256 == digest))
            if hashlib.sha256(data or b"").hexdigest() != digest:
                titles = s.scalars(
                    select(Document.title).where(Document.sha256 == digest).limit(3)
                ).all()
                found.append(
                    Finding(
                        "Stored file {digest} no longer matches its SHA-256 (documents: {titles})",
                        {"digest": digest[:12] + "…", "titles": "、".join(titles) or "—"},
                    )
                )
    return found
