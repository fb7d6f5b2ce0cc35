"""Importing funds with their payments, from the ledger centers keep: one row per
disbursement, the fund's own columns (title, source, kind, amount, date) repeated on each.

Rows of the same organization and fund title are one fund; each row with an amount paid (or
due) is one instalment: paid when it has a payment date, else scheduled. The fund is checked
by the services' own rules (``funds.clean_fund``, ``clean_payment``, and the schedule never
exceeding what was committed), so a fund is refused, all its rows with it, for what the app's
form would refuse. A fund the registry already holds (same organization, title and
commitment date) is "unchanged": importing the ledger twice adds nothing.

A ledger that does not say the source or kind gets "other" and "grant", each with a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from incubator.db import Database
from incubator.domain import FundKind, FundSource
from incubator.errors import ValidationError
from incubator.i18n import T, field_label, tr
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
from incubator.models import Fund
from incubator.services import funds

SYNONYMS = {
    **OWNER,
    "title": ("资金名称", "资助项目", "项目名称", "合同名称", "项目", "title", "fund"),
    "source": ("资金来源", "来源", "source"),
    "source_name": ("资助方", "出资单位", "拨款单位", "资助单位", "funder"),
    "kind": ("资金类型", "资助类型", "类型", "kind"),
    "amount_committed": ("合同金额", "资助金额", "承诺金额", "批复金额", "amount committed"),
    "committed_on": ("签订日期", "批复日期", "承诺日期", "立项日期", "committed on"),
    "due_on": ("应拨日期", "计划拨付日期", "due on", "due"),
    "amount": ("拨付金额", "到账金额", "本次拨付", "amount paid", "payment"),
    "paid_on": ("拨付日期", "到账日期", "paid on"),
    "notes": ("备注", "notes"),
}
# The words ledgers use for kinds and sources, beside the app's own labels.
KIND_WORDS = {
    "购买服务": FundKind.PURCHASED_SERVICE,
    "政府购买服务": FundKind.PURCHASED_SERVICE,
    "购买服务合同": FundKind.PURCHASED_SERVICE,
    "资助": FundKind.GRANT,
    "项目资助": FundKind.GRANT,
    "公益创投": FundKind.GRANT,
    "补贴": FundKind.SUBSIDY,
    "补助": FundKind.SUBSIDY,
    "奖励": FundKind.AWARD,
    "奖金": FundKind.AWARD,
}
SOURCE_WORDS = {
    "政府": FundSource.GOVERNMENT,
    "财政": FundSource.GOVERNMENT,
    "民政局": FundSource.GOVERNMENT,
    "基金会": FundSource.FOUNDATION,
    "企业": FundSource.ENTERPRISE,
    "援疆省市": FundSource.PARTNER_PROVINCE,
    "对口援疆": FundSource.PARTNER_PROVINCE,
    "其他": FundSource.OTHER,
}
DATES = ("committed_on", "due_on", "paid_on")
MONEY = ("amount_committed", "amount")
FUND_FIELDS = ("title", "source", "source_name", "kind", "amount_committed", "committed_on")
SOURCE_OTHER = T("No source given: recorded as “other”")
KIND_GRANT = T("No kind given: recorded as a grant")
FUND_REFUSED = T("The fund of rows {rows} is refused: {reason}")


def plan(
    db: Database,
    sheet: Sheet,
    mapping: dict[str, str] | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> ImportPlan:
    layout = locate(db, "funds", sheet, SYNONYMS, mapping)
    if not {"org_name", "org_code"} & set(layout.columns.values()):
        return ImportPlan(sheet.name, layout, [], [], tr(NO_OWNER_COLUMN), file=sheet.file)
    owners = registry_keys(db)
    with db.reading() as session:
        held = {
            (oid, name_key(title), day)
            for oid, title, day in session.execute(
                select(Fund.organization_id, Fund.title, Fund.committed_on)
            )
        }
    rows: list[RowPlan] = []
    skipped: list[tuple[int, str]] = []
    groups: dict[tuple[int, str], list[RowPlan]] = {}
    for number, cells in data_rows(sheet, layout, skipped, progress):
        row = RowPlan(number, cells)
        rows.append(row)
        for col, name in layout.columns.items():
            cell = cells[col] if col < len(cells) else None
            if values.is_empty(cell):
                continue
            try:
                if name in DATES:
                    row.read[name] = values.date(cell, name)
                elif name in MONEY:
                    row.read[name] = values.amount(cell, name, layout.units.get(col, ""))
                else:
                    text = values.text(cell)
                    words = {"kind": KIND_WORDS, "source": SOURCE_WORDS}.get(name, {})
                    row.read[name] = words.get("".join((text or "").split()), text)
            except ValidationError as exc:
                row.problems += _located(exc.problems, layout, row.cells)
        owner = _owner(owners, row.read)
        if owner is None:
            row.problems.append(_owner_problem(layout, row.read))
            continue
        row.org_id = owner
        groups.setdefault((owner, name_key(row.read.get("title"))), []).append(row)
    for group in groups.values():
        _plan_fund(group, layout, held)
    for row in rows:
        if row.problems:
            row.action = "reject"
    return ImportPlan(sheet.name, layout, rows, skipped, file=sheet.file)


def _plan_fund(group: list[RowPlan], layout, held: set) -> None:
    """One fund from its rows: its fields from the first row that has each, an instalment
    from each row with an amount."""
    first = group[0]
    data: dict[str, Any] = {}
    for name in FUND_FIELDS:
        data[name] = next((r.read[name] for r in group if r.read.get(name) is not None), None)
    if not data["source"]:
        data["source"] = FundSource.OTHER
        first.warnings.append(RowProblem(field_label("source"), "", tr(SOURCE_OTHER)))
    if not data["kind"]:
        data["kind"] = FundKind.GRANT
        first.warnings.append(RowProblem(field_label("kind"), "", tr(KIND_GRANT)))
    try:
        clean = funds.clean_fund(data)
    except ValidationError as exc:
        first.problems += _located(exc.problems, layout, first.cells)
        _share_refusal(group)
        return
    payments = []
    for row in group:
        amount = row.read.get("amount")
        if amount is None:
            continue
        paid_on = row.read.get("paid_on")
        payment = {
            "due_on": row.read.get("due_on") or paid_on,
            "amount": amount,
            "status": "paid" if paid_on else "scheduled",
            "paid_on": paid_on,
            "notes": row.read.get("notes"),
        }
        try:
            payments.append(funds.clean_payment(payment))
        except ValidationError as exc:
            row.problems += _located(exc.problems, layout, row.cells)
    if any(r.problems for r in group):
        _share_refusal(group)
        return
    try:
        funds.build_fund(first.org_id or 0, dict(clean), payments)  # the schedule's check
    except ValidationError as exc:
        # The sum of the ledger's instalments is too much: blame the amounts column.
        first.problems += _located(exc.problems, layout, first.cells)
        _share_refusal(group)
        return
    key = (first.org_id, name_key(clean["title"]), clean["committed_on"])
    first.clean = {"fund": clean, "payments": payments}
    if key in held:
        for row in group:
            row.action = "unchanged"
    else:
        held.add(key)
        first.action = "create"
        for row in group[1:]:
            row.action = "unchanged"  # its instalment goes in with the first row's fund


def _share_refusal(group: list[RowPlan]) -> None:
    """A fund is refused whole: every one of its rows says why."""
    reasons = "；".join(p.message for r in group for p in r.problems)
    rows = "、".join(str(r.row) for r in group)
    for row in group:
        if not row.problems:
            row.problems.append(RowProblem("", "", tr(FUND_REFUSED, rows=rows, reason=reasons)))


def commit(
    db: Database,
    plan: ImportPlan,
    accept_partial: bool = False,
    actor: str | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> ImportResult:
    """Add every new fund with its instalments in one audited transaction, or nothing."""

    def build(_session, row: RowPlan) -> Fund:
        assert row.clean is not None and row.org_id is not None
        return funds.build_fund(row.org_id, dict(row.clean["fund"]), list(row.clean["payments"]))

    return commit_new(db, plan, build, accept_partial, actor, progress)
