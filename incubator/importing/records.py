"""Importing support records that belong to one organization each: projects, talent records
and evaluations (the services' ``RecordKind``s).

Each row names its organization by credit code or name (the columns of an organizations list)
and carries the record's fields; the service's own ``clean`` checks it, so a row is refused
for exactly what the app's form would refuse. A record the registry already holds (same
organization and same key: a project's name and start, a talent record's kind, title and
start, an evaluation's kind and date) is "unchanged": importing a file twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from incubator import validation as v
from incubator.db import Database
from incubator.errors import ValidationError
from incubator.i18n import T, field_label, tr
from incubator.importing import values
from incubator.importing.headers import ORGANIZATION_HEADERS
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
from incubator.importing.sheets import Sheet
from incubator.services import evaluations, projects, talent
from incubator.services.evaluations import INDICATORS
from incubator.services.records import RecordKind

NO_OWNER = T("No organization in the registry has this credit code or name")
NO_OWNER_COLUMN = T("The file has no column naming the organization (name or credit code)")


@dataclass(frozen=True)
class Kind:
    service: RecordKind
    synonyms: Mapping[str, tuple[str, ...]]
    key: tuple[str, ...]  # the fields that say "the same record"
    dates: tuple[str, ...] = ()
    money: tuple[str, ...] = ()
    counts: tuple[str, ...] = ()


OWNER = {"org_name": ORGANIZATION_HEADERS["name"], "org_code": ORGANIZATION_HEADERS["credit_code"]}

KINDS: dict[str, Kind] = {
    "projects": Kind(
        projects.KIND,
        {
            **OWNER,
            "name": ("项目名称", "项目", "project", "project name"),
            "funder": ("资助方", "资助单位", "出资方", "funder"),
            "budget": ("项目预算", "预算", "预算金额", "资助金额", "budget"),
            "start_on": ("开始日期", "起始日期", "项目开始", "start"),
            "end_on": ("结束日期", "截止日期", "项目结束", "end"),
            "status": ("项目状态", "状态", "status"),
            "beneficiaries": ("受益人数", "受益人次", "服务人次", "beneficiaries"),
            "outputs": ("项目成果", "成果", "产出", "outputs"),
        },
        ("name", "start_on"),
        dates=("start_on", "end_on"),
        money=("budget",),
        counts=("beneficiaries",),
    ),
    "talent": Kind(
        talent.KIND,
        {
            **OWNER,
            "kind": ("类别", "支持类型", "人才支持类型", "kind"),
            "title": ("培训名称", "内容", "主题", "title"),
            "person_name": ("导师", "社工", "人员", "姓名", "person"),
            "provider": ("提供方", "培训机构", "provider"),
            "start_on": ("开始日期", "日期", "培训日期", "start"),
            "end_on": ("结束日期", "end"),
            "people_count": ("参加人数", "人数", "people"),
            "hours": ("时长", "学时", "小时数", "hours"),
            "notes": ("备注", "notes"),
        },
        ("kind", "title", "start_on"),
        dates=("start_on", "end_on"),
        counts=("people_count",),
    ),
    "evaluations": Kind(
        evaluations.KIND,
        {
            **OWNER,
            "kind": ("评估类型", "类型", "kind"),
            "evaluated_on": ("评估日期", "日期", "evaluated on", "date"),
            "evaluator": ("评估人", "评估机构", "evaluator"),
            "governance": ("内部治理", "治理", "governance"),
            "finance": ("财务管理", "财务", "finance"),
            "services": ("服务成效", "服务", "services"),
            "team": ("团队建设", "团队", "team"),
            "conclusion": ("评估结论", "结论", "conclusion"),
        },
        ("kind", "evaluated_on"),
        dates=("evaluated_on",),
    ),
}
assert set(INDICATORS) <= set(KINDS["evaluations"].synonyms)


def plan(
    db: Database,
    kind_name: str,
    sheet: Sheet,
    mapping: Mapping[str, str] | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> ImportPlan:
    """What importing the sheet's records would do, row by row; changes nothing."""
    kind = KINDS[kind_name]
    layout = locate(db, kind_name, sheet, kind.synonyms, mapping)
    if not {"org_name", "org_code"} & set(layout.columns.values()):
        return ImportPlan(sheet.name, layout, [], [], tr(NO_OWNER_COLUMN), file=sheet.file)
    owners = registry_keys(db)
    existing = _existing(db, kind)
    rows: list[RowPlan] = []
    skipped: list[tuple[int, str]] = []
    for number, cells in data_rows(sheet, layout, skipped, progress):
        row = RowPlan(number, cells)
        data: dict[str, Any] = {}
        for col, name in layout.columns.items():
            cell = cells[col] if col < len(cells) else None
            if values.is_empty(cell):
                continue
            try:
                if name in kind.dates:
                    data[name] = values.date(cell, name)
                elif name in kind.money:
                    data[name] = values.amount(cell, name, layout.units.get(col, ""))
                elif name in kind.counts:
                    data[name] = values.count(cell)
                else:
                    data[name] = values.text(cell) if not isinstance(cell, float) else cell
            except ValidationError as exc:
                row.problems += _located(exc.problems, layout, row.cells)
        row.read = data
        owner = _owner(owners, data)
        if owner is None:
            row.problems.append(_owner_problem(layout, data))
        record = {k: val for k, val in data.items() if k not in OWNER}
        try:
            clean = kind.service.clean(record)
        except ValidationError as exc:
            row.problems += _located(exc.problems, layout, row.cells)
            clean = None
        if row.problems or clean is None:
            row.action = "reject"
        else:
            row.org_id, row.clean = owner, clean
            key = (owner, *(_comparable(clean.get(k)) for k in kind.key))
            row.action = "unchanged" if key in existing else "create"
            existing.add(key)  # a second identical row in the file adds nothing either
        rows.append(row)
    return ImportPlan(sheet.name, layout, rows, skipped, file=sheet.file)


def _comparable(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


def _owner(owners, data: dict[str, Any]) -> int | None:
    by_code, by_name = owners
    code = data.get("org_code")
    if code:
        try:
            found = by_code.get(v.credit_code(code)[0] or "")
        except ValidationError:
            found = None
        if found is not None:
            return found
    return by_name.get(name_key(data.get("org_name"))) if data.get("org_name") else None


def _owner_problem(layout, data: dict[str, Any]) -> RowProblem:
    columns = {name: col for col, name in layout.columns.items()}
    which = "org_code" if data.get("org_code") else "org_name"
    col = columns.get(which)
    header = layout.headers[col].strip() if col is not None else field_label("name")
    return RowProblem(header, str(data.get(which) or ""), tr(NO_OWNER))


def _existing(db: Database, kind: Kind) -> set[tuple]:
    model = kind.service.model
    cols = [model.organization_id, *(getattr(model, k) for k in kind.key)]  # type: ignore[attr-defined]
    with db.reading() as session:
        return {
            (oid, *(_comparable(x) for x in rest)) for oid, *rest in session.execute(select(*cols))
        }


def commit(
    db: Database,
    kind_name: str,
    plan: ImportPlan,
    accept_partial: bool = False,
    actor: str | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> ImportResult:
    """Add every new record in one audited transaction, or nothing."""
    model = KINDS[kind_name].service.model
    return commit_new(
        db,
        plan,
        lambda _session, row: model(organization_id=row.org_id, **(row.clean or {})),
        accept_partial,
        actor,
        progress,
    )
