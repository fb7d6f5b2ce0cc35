"""Every kind of rows the importer takes, behind one plan / commit pair for the CLI and the
app: organizations, funds with their payments (a ledger), projects, talent, evaluations and
space allocations."""

from __future__ import annotations

from collections.abc import Callable

from incubator.db import Database
from incubator.importing import allocations, funds, records
from incubator.importing import organizations as orgs
from incubator.importing.organizations import ImportPlan, ImportResult
from incubator.importing.sheets import Sheet

KINDS = ("organizations", "funds", "projects", "talent", "evaluations", "spaces")
Progress = Callable[[int, int], bool] | None


def plan(
    db: Database, kind: str, sheet: Sheet, mapping=None, progress: Progress = None
) -> ImportPlan:
    if kind == "organizations":
        return orgs.plan(db, sheet, mapping, progress)
    if kind == "funds":
        return funds.plan(db, sheet, mapping, progress)
    if kind == "spaces":
        return allocations.plan(db, sheet, mapping, progress)
    return records.plan(db, kind, sheet, mapping, progress)


def commit(
    db: Database,
    kind: str,
    plan_: ImportPlan,
    accept_partial: bool = False,
    actor: str | None = None,
    progress: Progress = None,
) -> ImportResult:
    if kind == "organizations":
        return orgs.commit(db, plan_, accept_partial, actor, progress)
    if kind == "funds":
        return funds.commit(db, plan_, accept_partial, actor, progress)
    if kind == "spaces":
        return allocations.commit(db, plan_, accept_partial, actor, progress)
    return records.commit(db, kind, plan_, accept_partial, actor, progress)


def fields(kind: str) -> tuple[str, ...]:
    """What a column can be mapped to, for this kind of rows."""
    if kind == "organizations":
        return orgs.FIELDS
    if kind == "funds":
        return tuple(funds.SYNONYMS)
    if kind == "spaces":
        return tuple(allocations.SYNONYMS)
    return tuple(records.KINDS[kind].synonyms)
