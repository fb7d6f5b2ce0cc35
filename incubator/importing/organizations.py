"""Importing a list of organizations: a dry run that says what every row would do, then one
all-or-nothing, audited commit.

Each data row is matched to the registry by its credit code, else by its exact name (spaces,
full-width forms and "·" variants folded). A match is an update of the fields the file fills
(an empty cell changes nothing) and shows old -> new per field (the registry's lifecycle is
never moved by an import); no match is a new organization, in the stage the list gives, walked
there step by step (``stages``), else "applied". New ones are written by ``BulkWriter``. A row
is rejected with its row number, column, value and reason when the
services refuse it (``registry.check_new`` / ``clean_profile``); what deserves a second look
but may be saved (an enterprise's credit code, a legal form taken from the code) is a warning.

A bureau's list of names and codes alone comes in: a missing legal form is read from the code
(51 social group, 52 social service organization, 53 foundation) or left "unknown", a missing
application date is the earliest date of its lifecycle the list gives, else the day of the
import; both are said as warnings.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from incubator import validation as v
from incubator.bulk import BulkWriter
from incubator.db import Database
from incubator.domain import LegalForm, Stage
from incubator.errors import ConflictError, IncubatorError, Problem, ValidationError
from incubator.i18n import T, field_label, tr
from incubator.importing import mappings, stages, values
from incubator.importing.headers import (
    ORGANIZATION_HEADERS,
    Layout,
    find_layout,
    is_blank,
    is_total_row,
)
from incubator.importing.sheets import Cell, Sheet
from incubator.models import Base, Organization
from incubator.services import registry

CODE_FORMS = {
    "1": LegalForm.SOCIAL_GROUP,
    "2": LegalForm.SOCIAL_SERVICE_ORG,
    "3": LegalForm.FOUNDATION,
}
LEGAL_FORM_WORDS = {
    "社会团体": LegalForm.SOCIAL_GROUP,
    "社团": LegalForm.SOCIAL_GROUP,
    "民办非企业单位": LegalForm.SOCIAL_SERVICE_ORG,
    "民非": LegalForm.SOCIAL_SERVICE_ORG,
    "社会服务机构": LegalForm.SOCIAL_SERVICE_ORG,
    "基金会": LegalForm.FOUNDATION,
    "社区社会组织": LegalForm.COMMUNITY_UNREGISTERED,
    "未登记": LegalForm.COMMUNITY_UNREGISTERED,
}
DATES = ("founded_on", "registered_on", "applied_on", *stages.DATES)
COUNTS = ("staff_count", "volunteer_count")

FORM_FROM_CODE = T("Legal form not given: taken from the credit code ({form})")
FORM_UNKNOWN = T("Legal form not given: recorded as unknown")
APPLIED_TODAY = T("No application date: recorded as applied on {date}")
STAGE_KEPT = T(
    "Stage “{stage}” not applied: an import does not move an organization of the registry "
    "along its lifecycle (it is {current})"
)
SAME_AS_ROW = T("The same organization as row {row}")
PHONE_MASKED = T("The phone number is masked (an export without phones): not imported")
NO_HEADER = T(
    "No header row found: none of the first rows names two known columns "
    "(such as 组织名称 and 统一社会信用代码)"
)
NO_NAME = T("The file has neither a name column nor a credit code column")
FIELDS = tuple(ORGANIZATION_HEADERS)  # what a column can be mapped to


class ImportCancelled(IncubatorError):
    key = T("Import cancelled: nothing was changed")


@dataclass(frozen=True)
class RowProblem:
    column: str  # the header as written in the file ("" for the row as a whole)
    value: str
    message: str  # translated


@dataclass
class RowPlan:
    row: int  # as the spreadsheet numbers it (1 is the first row)
    cells: list[Cell]
    action: str = "create"  # create | update | unchanged | reject
    org_id: int | None = None
    version: int | None = None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field -> (old, new)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    new: registry.NewOrganization | None = None
    clean: dict[str, Any] | None = None  # the whole profile of an update
    read: dict[str, Any] = field(default_factory=dict)  # the row's values as read, by field
    steps: list[stages.Step] = field(default_factory=list)  # a new one's lifecycle after applied


@dataclass
class ImportPlan:
    sheet: str
    layout: Layout
    rows: list[RowPlan]
    skipped: list[tuple[int, str]]  # (row, why): totals rows
    blocking: str = ""  # why no row can be read (no name column ...): map the columns first
    file: str = ""  # the file the sheet was read from

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def rejected(self) -> list[RowPlan]:
        return [r for r in self.rows if r.action == "reject"]

    @property
    def warning_count(self) -> int:
        return sum(len(r.warnings) for r in self.rows)


def locate(
    db: Database,
    kind: str,
    sheet: Sheet,
    synonyms: Mapping[str, tuple[str, ...]],
    mapping: Mapping[str, str] | None,
) -> Layout:
    """The sheet's header row and columns: by ``mapping`` when given, else by the synonyms
    and the columns staff mapped for a file with the same headers (``mappings``)."""
    layout = find_layout(sheet.rows, synonyms, mapping)
    if mapping is None and layout is not None:
        kept = mappings.remembered(db, mappings.signature_for(kind, layout))
        if kept:
            layout = find_layout(sheet.rows, synonyms, kept)
    if layout is None:
        raise ValidationError.single("file", NO_HEADER)
    return layout


def data_rows(
    sheet: Sheet,
    layout: Layout,
    skipped: list[tuple[int, str]],
    progress: Callable[[int, int], bool] | None,
):
    """(row number, cells) of each data row below the header; blank rows left out, totals
    rows noted in ``skipped``; ``progress`` returning False cancels."""
    below = sheet.rows[layout.header_row + 1 :]
    for i, cells in enumerate(below):
        if progress and i % 200 == 0 and not progress(i, len(below)):
            raise ImportCancelled()
        number = layout.header_row + 2 + i
        if is_blank(cells):
            continue
        if is_total_row(cells):
            skipped.append((number, tr("a totals row")))
            continue
        yield number, list(cells)


def ready(plan: ImportPlan, accept_partial: bool) -> None:
    """Refuse to write a plan that cannot be, or has rejected rows not accepted to leave out."""
    if plan.blocking:
        raise ValidationError.single("file", plan.blocking)
    if plan.rejected and not accept_partial:
        raise ValidationError.single(
            "file",
            "{count} rows are rejected: nothing was imported "
            "(fix them, or accept a partial import)",
            count=len(plan.rejected),
        )


def commit_new(
    db: Database,
    plan: ImportPlan,
    build: Callable[[Session, RowPlan], Base],
    accept_partial: bool = False,
    actor: str | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> ImportResult:
    """Write the new record ``build`` makes of each row to create, in one audited transaction
    through ``BulkWriter``, or nothing (``build`` may refuse a row: ValidationError)."""
    ready(plan, accept_partial)
    work = [r for r in plan.rows if r.action == "create"]
    with db.transaction(actor) as session:
        writer = BulkWriter(session, "import", plan.file)
        for i, row in enumerate(work):
            if progress and i % 100 == 0 and not progress(i, len(work)):
                raise ImportCancelled()
            writer.add(build(session, row))
        writer.finish()
    if progress:
        progress(len(work), len(work))
    return ImportResult(len(work), 0, plan.count("unchanged"), len(plan.rejected))


def name_key(name: str | None) -> str:
    """Names compared for matching: full-width folded, spaces and middle dots unified."""
    text = unicodedata.normalize("NFKC", name or "")
    text = text.replace("•", "·").replace("‧", "·").replace("・", "·")
    return "".join(text.split())


def plan(
    db: Database,
    sheet: Sheet,
    mapping: Mapping[str, str] | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> ImportPlan:
    """What importing the sheet would do, row by row; changes nothing. Without ``mapping``,
    the columns staff mapped for a file with the same headers are used (``mappings``)."""
    layout = locate(db, "organizations", sheet, ORGANIZATION_HEADERS, mapping)
    if not {"name", "credit_code"} & set(layout.columns.values()):
        return ImportPlan(sheet.name, layout, [], [], tr(NO_NAME), file=sheet.file)
    by_code, by_name = registry_keys(db)
    rows: list[RowPlan] = []
    skipped: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for number, cells in data_rows(sheet, layout, skipped, progress):
        rows.append(_plan_row(number, cells, layout, by_code, by_name, seen))
    _load_updates(db, [r for r in rows if r.action == "update"], layout)
    return ImportPlan(sheet.name, layout, rows, skipped, file=sheet.file)


def registry_keys(db: Database) -> tuple[dict[str, int], dict[str, int]]:
    """Every organization by credit code and by folded name (``name_key``), for matching."""
    with db.reading() as session:
        found = session.execute(
            select(Organization.id, Organization.credit_code, Organization.name)
        )
        by_code, by_name = {}, {}
        for oid, code, name in found:
            if code:
                by_code[code] = oid
            by_name.setdefault(name_key(name), oid)
    return by_code, by_name


def _plan_row(
    number: int,
    cells: list[Cell],
    layout: Layout,
    by_code: dict[str, int],
    by_name: dict[str, int],
    seen: dict[str, int],
) -> RowPlan:
    row = RowPlan(number, cells)
    data, problems = _read_cells(cells, layout)
    row.read = data
    row.problems += problems
    if "*" in str(data.get("contact_phone") or ""):  # masked, as an export without phones has it
        data = {k: val for k, val in data.items() if k != "contact_phone"}
        row.warnings.append(_at_field("contact_phone", tr(PHONE_MASKED), layout, cells))
    code = data.get("credit_code")
    try:
        code = v.credit_code(code)[0] if code else None
    except ValidationError:
        code = None  # the row's validation below says why
    match = by_code.get(code) if code else None
    if match is None and data.get("name"):
        match = by_name.get(name_key(data["name"]))
    key = code or name_key(data.get("name"))
    if key and key in seen:
        row.problems.append(RowProblem("", "", tr(SAME_AS_ROW, row=seen[key])))
    elif key:
        seen[key] = number
    if match is not None:
        row.action, row.org_id = "update", match
        row.clean = data  # completed with the stored profile in _load_updates
    else:
        _plan_new(row, data, layout)
    if row.problems:
        row.action = "reject"
    return row


def _read_cells(cells: list[Cell], layout: Layout) -> tuple[dict[str, Any], list[RowProblem]]:
    """The row's values by field, converted from what spreadsheets hold."""
    data: dict[str, Any] = {}
    problems: list[RowProblem] = []
    for col, name in layout.columns.items():
        cell = cells[col] if col < len(cells) else None
        if values.is_empty(cell):
            continue
        try:
            if name in DATES:
                data[name] = values.date(cell, name)
            elif name == "registered_capital":
                data[name] = values.amount(cell, name, layout.units.get(col, ""))
            elif name in COUNTS:
                data[name] = values.count(cell)
            elif name == "legal_form":
                text = values.text(cell) or ""
                data[name] = LEGAL_FORM_WORDS.get(v.fold(text), text)
            else:
                data[name] = values.text(cell)
        except ValidationError as exc:
            problems += _located(exc.problems, layout, cells)
    return data, problems


def _plan_new(row: RowPlan, data: dict[str, Any], layout: Layout) -> None:
    data = dict(data)
    text = data.pop("stage", None)
    c = v.Checker()
    dated = {name: c(v.date, data.pop(name, None), name) for name in stages.DATES}
    if not c.ok(*stages.DATES):
        row.problems += _located(c.problems, layout, row.cells)
        return
    target = stages.stage_of(str(text)) if text else Stage.APPLIED
    if target is None:
        row.warnings.append(_whole_row(tr(stages.UNKNOWN, stage=text)))
        target = Stage.APPLIED
    if not data.get("legal_form"):
        form = _form_from_code(data.get("credit_code"))
        data["legal_form"] = form or LegalForm.UNKNOWN
        message = tr(FORM_FROM_CODE, form=form.display()) if form else tr(FORM_UNKNOWN)
        row.warnings.append(RowProblem(field_label("legal_form"), "", message))
    if not data.get("applied_on"):
        # The earliest date of its lifecycle the list gives, else today.
        data["applied_on"] = min([d for d in dated.values() if d] or [dt.date.today()])
        row.warnings.append(_whole_row(tr(APPLIED_TODAY, date=data["applied_on"].isoformat())))
    try:
        row.new = registry.check_new(data)
        row.steps, taken = stages.plan(target, row.new.applied_on, dated)
        if row.steps:  # walked now as at the commit, so that a refusal shows in the preview
            stages.walk(registry.build_new(row.new, ""), row.steps, "")
    except ValidationError as exc:
        row.problems += _located(exc.problems, layout, row.cells)
        return
    row.warnings += _located(row.new.warnings, layout, row.cells)
    row.warnings += [_at_field(name, message, layout, row.cells) for name, message in taken]


def _at_field(name: str, message: str, layout: Layout, cells: list[Cell]) -> RowProblem:
    """A message shown at the column of field ``name`` (its label when the file has none)."""
    (located,) = _located([Problem(name, "")], layout, cells)
    return RowProblem(located.column, located.value, message)


def _form_from_code(code: Any) -> LegalForm | None:
    try:
        clean = v.credit_code(code)[0] if code else None
    except ValidationError:
        return None
    return CODE_FORMS.get(clean[1]) if clean and clean[0] == "5" else None


def _load_updates(db: Database, rows: list[RowPlan], layout: Layout) -> None:
    """Each update's changes against the stored profile, validated as a whole."""
    if not rows:
        return
    stored = {o.id: o for o in registry.get_many(db, [r.org_id for r in rows if r.org_id])}
    for row in rows:
        org = stored[row.org_id]
        current = {name: getattr(org, name) for name in registry.PROFILE_FIELDS}
        given = {k: val for k, val in (row.clean or {}).items() if k in registry.PROFILE_FIELDS}
        try:
            clean, warnings = registry.clean_profile({**current, **given})
        except ValidationError as exc:
            row.problems += _located(exc.problems, layout, row.cells)
            row.action = "reject"
            continue
        row.clean, row.version = clean, org.version
        stage = stages.stage_of(str(row.read["stage"])) if row.read.get("stage") else None
        if stage is not None and stage is not org.stage:
            message = tr(STAGE_KEPT, stage=row.read["stage"], current=org.stage.display())
            row.warnings.append(_at_field("stage", message, layout, row.cells))
        row.warnings += _located(warnings, layout, row.cells)
        for name in given:
            old, new = _comparable(current[name]), _comparable(clean[name])
            if old != new:
                row.changes[name] = (current[name], clean[name])
        if not row.changes:
            row.action = "unchanged"


def _comparable(value: Any) -> Any:
    return tuple(sorted(str(x) for x in value)) if isinstance(value, (list, tuple)) else value


def _whole_row(message: str) -> RowProblem:
    return RowProblem("", "", message)


def _located(problems: list[Problem], layout: Layout, cells: list[Cell]) -> list[RowProblem]:
    """Problems named by the column of the file that holds their field, and its value."""
    columns = {name: col for col, name in layout.columns.items()}
    out = []
    for p in problems:
        col = columns.get(p.field or "")
        header = layout.headers[col] if col is not None else field_label(p.field or "")
        value = values.text(cells[col]) if col is not None and col < len(cells) else ""
        out.append(RowProblem(header.strip(), value or "", p.message()))
    return out


# --- commit -------------------------------------------------------------------------------


def _still_free(session, work: list[RowPlan]) -> None:
    """The credit codes the rows will hold are not held by another organization: checked for
    all rows in a few queries (another desk may have registered one since the dry run)."""
    wanted = {}
    for row in work:
        clean = row.new.clean if row.new is not None else row.clean
        if clean and clean.get("credit_code"):
            wanted[clean["credit_code"]] = row
    for code, holder in registry.codes_taken(session, list(wanted)).items():
        row = wanted[code]
        if row.action == "create" or holder != row.org_id:
            raise ValidationError.single(
                "credit_code",
                "Row {row}: the credit code {code} is already registered",
                row=row.row,
                code=code,
            )


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    rejected: int


def commit(
    db: Database,
    plan: ImportPlan,
    accept_partial: bool = False,
    actor: str | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> ImportResult:
    """Write every accepted row in one audited transaction, or nothing.

    Refused while rows are rejected unless ``accept_partial``; an organization changed by
    someone else since the dry run refuses the whole import (ConflictError). ``progress``
    returning False cancels: nothing is written.
    """
    ready(plan, accept_partial)
    rejected = plan.rejected
    work = [r for r in plan.rows if r.action in ("create", "update")]
    with db.transaction(actor) as session, session.no_autoflush:
        _still_free(session, work)
        writer = BulkWriter(session, "import", plan.file)
        for i, row in enumerate(work):
            if progress and i % 100 == 0 and not progress(i, len(work)):
                raise ImportCancelled()
            if row.action == "create":
                assert row.new is not None
                org = registry.build_new(row.new, writer.actor)
                stages.walk(org, row.steps, writer.actor)
                writer.add(org)
                continue
            org = session.get(Organization, row.org_id)
            assert org is not None and row.clean is not None
            if org.version != row.version:  # changed at another desk since the dry run
                raise ConflictError(what=T("Organization"), current=org.version, yours=row.version)
            registry.set_profile(session, org, row.clean, check_code=False)
            if i % 500 == 499:
                session.flush()  # in batches: many rows per statement
                session.expunge_all()  # written and audited: a big session slows each flush
        writer.finish()
        session.flush()
    if progress:
        progress(len(work), len(work))
    return ImportResult(
        plan.count("create"), plan.count("update"), plan.count("unchanged"), len(rejected)
    )
