"""Importing space allocations: which organization held which of the center's spaces, from
when to when (a space named by its code or name, an organization by credit code or name).

The services' own rules apply: both dates, the end not before the start, an active space,
and no overlap with another allocation of the same space, already in the registry or earlier
in the file; an allocation the registry already holds is "unchanged".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from incubator.db import Database
from incubator.domain import AllocationStatus
from incubator.errors import ValidationError
from incubator.i18n import T, tr
from incubator.importing import values
from incubator.importing.organizations import (
    ImportPlan,
    ImportResult,
    RowPlan,
    RowProblem,
    _located,
    commit_new,
    data_rows,
    locate,
    name_key,
    registry_keys,
)
from incubator.importing.records import NO_OWNER_COLUMN, OWNER, _owner, _owner_problem
from incubator.importing.sheets import Sheet
from incubator.models import Space, SpaceAllocation
from incubator.services import spaces

SYNONYMS = {
    **OWNER,
    "space": ("场地编号", "场地", "工位", "房间", "场地名称", "space", "space code"),
    "start_on": ("开始日期", "入驻日期", "起始日期", "start", "from"),
    "end_on": ("结束日期", "到期日期", "截止日期", "end", "to"),
    "notes": ("备注", "notes"),
}
NO_SPACE = T("No space of the center has this code or name")
SPACE_RETIRED = T("This space is no longer in use")
CLASH_IN_FILE = T("Overlaps row {row}, which allocates the same space")
HELD = T("The space is already allocated from {start} to {end}")


def plan(
    db: Database,
    sheet: Sheet,
    mapping: dict[str, str] | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> ImportPlan:
    layout = locate(db, "spaces", sheet, SYNONYMS, mapping)
    if not {"org_name", "org_code"} & set(layout.columns.values()):
        return ImportPlan(sheet.name, layout, [], [], tr(NO_OWNER_COLUMN), file=sheet.file)
    owners = registry_keys(db)
    with db.reading() as session:
        by_key: dict[str, tuple[int, bool]] = {}
        for sid, code, name, active in session.execute(
            select(Space.id, Space.code, Space.name, Space.active)
        ):
            by_key[name_key(code).lower()] = (sid, active)
            by_key.setdefault(name_key(name).lower(), (sid, active))
        held = [
            (a.space_id, a.organization_id, a.start_on, a.end_on)
            for a in session.scalars(
                select(SpaceAllocation).where(SpaceAllocation.status == AllocationStatus.ACTIVE)
            )
        ]
    columns = {name: col for col, name in layout.columns.items()}
    taken: list[tuple[int, dt.date, dt.date, int]] = []  # (space, start, end, row) in the file
    rows: list[RowPlan] = []
    skipped: list[tuple[int, str]] = []
    for number, cells in data_rows(sheet, layout, skipped, progress):
        row = RowPlan(number, cells)
        rows.append(row)
        data: dict[str, Any] = {}
        for col, name in layout.columns.items():
            cell = cells[col] if col < len(cells) else None
            if values.is_empty(cell):
                continue
            try:
                data[name] = values.date(cell, name) if name.endswith("_on") else values.text(cell)
            except ValidationError as exc:
                row.problems += _located(exc.problems, layout, row.cells)
        row.read = data
        owner = _owner(owners, data)
        if owner is None:
            row.problems.append(_owner_problem(layout, data))
        space = by_key.get(name_key(data.get("space")).lower()) if data.get("space") else None
        col = columns.get("space")
        header = layout.headers[col].strip() if col is not None else tr("Space")
        if space is None:
            row.problems.append(RowProblem(header, str(data.get("space") or ""), tr(NO_SPACE)))
        elif not space[1]:
            row.problems.append(RowProblem(header, str(data.get("space")), tr(SPACE_RETIRED)))
        try:
            start, end = spaces.clean_period(data)
        except ValidationError as exc:
            row.problems += _located(exc.problems, layout, row.cells)
            continue
        if row.problems or space is None or owner is None:
            continue
        sid = space[0]
        if (sid, owner, start, end) in held:
            row.action = "unchanged"
            continue
        booked = next((h for h in held if h[0] == sid and h[2] <= end and h[3] >= start), None)
        if booked is not None:
            row.problems.append(
                RowProblem(
                    header,
                    str(data["space"]),
                    tr(HELD, start=booked[2].isoformat(), end=booked[3].isoformat()),
                )
            )
            continue
        clash = next((t for t in taken if t[0] == sid and t[1] <= end and t[2] >= start), None)
        if clash is not None:
            row.problems.append(
                RowProblem(header, str(data["space"]), tr(CLASH_IN_FILE, row=clash[3]))
            )
            continue
        taken.append((sid, start, end, number))
        row.org_id = owner
        row.clean = {"space_id": sid, "start_on": start, "end_on": end, "notes": data.get("notes")}
    for row in rows:
        if row.problems:
            row.action = "reject"
    return ImportPlan(sheet.name, layout, rows, skipped, file=sheet.file)


def commit(
    db: Database,
    plan: ImportPlan,
    accept_partial: bool = False,
    actor: str | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> ImportResult:
    """Every new allocation in one audited transaction, each checked against the registry
    there (another desk may have booked the space since the dry run), or nothing. The rows
    do not overlap each other: the dry run refused those that would."""

    def build(session, row: RowPlan) -> SpaceAllocation:
        c = row.clean or {}
        space = session.get(Space, c["space_id"])
        try:
            spaces.check_free(session, space, c["start_on"], c["end_on"], None)
        except ValidationError as exc:
            raise ValidationError.single(
                "start_on", "Row {row}: {reason}", row=row.row, reason=exc.message()
            ) from None
        return SpaceAllocation(
            space_id=c["space_id"],
            organization_id=row.org_id,
            start_on=c["start_on"],
            end_on=c["end_on"],
            status=AllocationStatus.ACTIVE,
            notes=c.get("notes"),
        )

    return commit_new(db, plan, build, accept_partial, actor, progress)
