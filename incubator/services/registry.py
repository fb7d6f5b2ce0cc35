"""Register, update, archive, find and search organizations."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    Text,
    and_,
    column,
    false,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from incubator import search_index
from incubator import validation as v
from incubator.db import Database
from incubator.domain import ACTIVE_STAGES, LegalForm, ServiceField, Stage
from incubator.errors import ConflictError, NotFoundError, Problem, ValidationError
from incubator.i18n import T
from incubator.models import (
    LifecycleTransition,
    Organization,
    OrganizationContact,
    OrganizationServiceField,
)
from incubator.services import contacts
from incubator.services.common import apply, check_version, load, view
from incubator.textkeys import fold_for_search, name_keys

WHAT = "Organization"

# Editable profile fields, in form order.
PROFILE_FIELDS = (
    "name",
    "short_name",
    "credit_code",
    "legal_form",
    "service_fields",
    "area_county",
    "area_township",
    "area_community",
    "founded_on",
    "registered_on",
    "legal_representative",
    "address",
    "registered_capital",
    "business_scope",
    "supervising_unit",
    "staff_count",
    "volunteer_count",
    "notes",
)


@dataclass(frozen=True)
class OrganizationView:
    id: int
    name: str
    short_name: str | None
    credit_code: str | None
    legal_form: LegalForm
    service_fields: tuple[ServiceField, ...]
    area_county: str | None
    area_township: str | None
    area_community: str | None
    founded_on: dt.date | None
    registered_on: dt.date | None
    legal_representative: str | None
    address: str | None
    registered_capital: Decimal | None
    business_scope: str | None
    supervising_unit: str | None  # 业务主管单位
    staff_count: int | None
    volunteer_count: int | None
    notes: str | None
    stage: Stage
    stage_since: dt.date
    agreement_start: dt.date | None
    agreement_planned_end: dt.date | None
    archived: bool
    version: int
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    # The main contact (services.contacts keeps one per organization that has any).
    contact_person: str | None = field(default=None, compare=False)
    contact_phone: str | None = field(default=None, compare=False)

    @property
    def area(self) -> str:
        return " ".join(p for p in (self.area_county, self.area_township, self.area_community) if p)

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return _is_overdue(self.stage, self.agreement_planned_end, today)


@dataclass(frozen=True, slots=True)
class ListRow:
    """An organization as lists show it: read without the ORM, one query a screenful, so a
    list costs what the database takes to read it (``list_page``, ``list_rows``)."""

    id: int
    name: str
    short_name: str | None
    credit_code: str | None
    legal_form: LegalForm
    stage: Stage
    stage_since: dt.date
    area_county: str | None
    agreement_planned_end: dt.date | None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return _is_overdue(self.stage, self.agreement_planned_end, today)


def _is_overdue(stage: Stage, planned_end: dt.date | None, today: dt.date | None) -> bool:
    """The rule of ``overdue_condition``, for a row already read."""
    today = today or dt.date.today()
    return stage in ACTIVE_STAGES and planned_end is not None and planned_end < today


def overdue_condition(today: dt.date, within_days: int = 0) -> Any:
    """Incubation overdue: still incubating (or mid-term evaluated) after the agreement's
    planned end. With ``within_days``, also those ending by ``today + within_days`` (that day
    included): the ones about to be overdue."""
    end = Organization.agreement_planned_end
    return and_(
        Organization.stage.in_(ACTIVE_STAGES),
        end.is_not(None),
        end < today if within_days == 0 else end <= today + dt.timedelta(days=within_days),
    )


def to_view(org: Organization, warnings: tuple[Problem, ...] = ()) -> OrganizationView:
    fields_ = tuple(sorted((f.field for f in org.service_fields), key=list(ServiceField).index))
    main = next((c for c in org.contacts if c.is_main), None)
    return view(
        OrganizationView,
        org,
        service_fields=fields_,
        warnings=warnings,
        contact_person=main.name if main else None,
        contact_phone=main.phone if main else None,
    )


def _service_fields(value: Any, name: str) -> tuple[ServiceField, ...]:
    if value is None or value == "":
        return ()
    items = (
        value.replace("，", ",").replace("、", ",").split(",") if isinstance(value, str) else value
    )
    out: list[ServiceField] = []
    for item in items:
        if isinstance(item, str) and not item.strip():
            continue
        member = v.choice(ServiceField, item, name)
        if member not in out:
            out.append(member)
    return tuple(out)


def _optional_money(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return v.money(value, "registered_capital")


def clean_profile(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Validate a whole profile; raise one ValidationError listing every problem. Returns the
    clean values and the warnings (what deserves a second look but may be saved)."""
    c = v.Checker()
    out: dict[str, Any] = {
        "name": c(v.clean_text, data.get("name"), "name", required=True),
        "short_name": c(v.clean_text, data.get("short_name"), "short_name", max_len=100),
        "legal_form": c(v.choice, LegalForm, data.get("legal_form"), "legal_form"),
        "service_fields": c(_service_fields, data.get("service_fields"), "service_fields"),
        "founded_on": c(v.date, data.get("founded_on"), "founded_on"),
        "registered_on": c(v.date, data.get("registered_on"), "registered_on"),
        "address": c(v.clean_text, data.get("address"), "address", max_len=300),
        "registered_capital": c(_optional_money, data.get("registered_capital")),
        "business_scope": c(
            v.clean_text, data.get("business_scope"), "business_scope", max_len=2000
        ),
        "supervising_unit": c(
            v.clean_text, data.get("supervising_unit"), "supervising_unit", max_len=200
        ),
        "staff_count": c(v.count, data.get("staff_count"), "staff_count"),
        "volunteer_count": c(v.count, data.get("volunteer_count"), "volunteer_count"),
        "notes": c(v.clean_text, data.get("notes"), "notes", max_len=4000),
    }
    for name in (
        "area_county",
        "area_township",
        "area_community",
        "legal_representative",
    ):
        out[name] = c(v.clean_text, data.get(name), name, max_len=100)
    code_and_warnings = c(v.credit_code, data.get("credit_code"), "credit_code")
    out["credit_code"], code_warnings = code_and_warnings or (None, [])
    warnings = [Problem("credit_code", w) for w in code_warnings]
    if _type_digit_disagrees(out["credit_code"], out.get("legal_form")):
        warnings.append(Problem("credit_code", TYPE_DIGIT_WARNING))
    if c.ok("founded_on", "registered_on"):
        c(v.period, out["founded_on"], out["registered_on"], "registered_on")
    today = dt.date.today()
    for name in ("founded_on", "registered_on"):
        if out.get(name) and out[name] > today:
            c.add(name, "Date {date} is in the future", date=out[name])
    if (
        out.get("legal_form") is not None
        and out["legal_form"] not in (LegalForm.COMMUNITY_UNREGISTERED, LegalForm.UNKNOWN)
        and not out["credit_code"]
        and c.ok("credit_code")
    ):
        c.add("credit_code", "Required for a registered organization")
    c.raise_if_any()
    return out, warnings


# GB 32100: after the registration authority 5 (civil affairs), the organization type.
TYPE_DIGITS = {
    LegalForm.SOCIAL_GROUP: "1",
    LegalForm.SOCIAL_SERVICE_ORG: "2",
    LegalForm.FOUNDATION: "3",
}
TYPE_DIGIT_WARNING = T(
    "The code's second character does not match the legal form "
    "(51 social group, 52 social service organization, 53 foundation)"
)


def _type_digit_disagrees(code: str | None, form: LegalForm | None) -> bool:
    expected = TYPE_DIGITS.get(form) if form else None
    return bool(code and expected and code[0] == "5" and code[1] != expected)


def _same_name(session: Session, name: str, own_id: int | None) -> list[Problem]:
    """Another organization registered under the same name (dots and spaces aside)."""
    folded = fold_for_search(name)
    others = session.execute(
        select(Organization.id, Organization.name)
        .where(
            or_(
                Organization.search_key == folded,
                Organization.search_key.like(f"{_escape_like(folded)} %", escape="\\"),
            ),
            Organization.id != (own_id or 0),
        )
        .order_by(Organization.id)
        .limit(3)
    ).all()
    return [
        Problem("name", "“{name}” is already registered (no. {id})", {"name": n, "id": i})
        for i, n in others
    ]


def warnings_for(db: Database, data: Mapping[str, Any], own_id: int | None = None) -> list[Problem]:
    """What a save of this profile would warn about, asked before saving (so the user can look
    again); raises ValidationError if the profile cannot be saved at all."""
    _clean, warnings = clean_profile(data)
    with db.reading() as session:
        return warnings + _same_name(session, _clean["name"], own_id)


def _first_contact(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """A contact person and phone given with a new organization (an import, a quick entry)
    become its main contact; their problems name those two fields."""
    person = v.clean_text(data.get("contact_person"), "contact_person")
    number = data.get("contact_phone")
    if not (person or v.clean_text(number, "contact_phone")):
        return None
    # A phone without a name (lists often have only a phone column): the legal representative's,
    # else a dash, until somebody fills it in.
    person = person or data.get("legal_representative") or "—"
    try:
        return contacts.clean_contact({"name": person, "phone": number, "is_main": True})
    except ValidationError as exc:
        names = {"name": "contact_person", "phone": "contact_phone"}
        raise ValidationError(
            [Problem(names.get(p.field or "", p.field), p.key, p.params) for p in exc.problems]
        ) from None


def _check_unique_code(session: Session, code: str | None, own_id: int | None) -> None:
    if not code:
        return
    other = session.execute(
        select(Organization.id, Organization.name).where(Organization.credit_code == code)
    ).first()
    if other and other.id != own_id:
        raise ValidationError.single(
            "credit_code", "Already registered to “{name}” (no. {id})", name=other.name, id=other.id
        )


def _set_profile(org: Organization, clean: dict[str, Any]) -> None:
    fields_ = clean.pop("service_fields")
    apply(org, clean)
    org.name_sort, org.search_key = name_keys(org.name, org.short_name, org.credit_code)
    wanted = set(fields_)
    for item in list(org.service_fields):
        if item.field not in wanted:
            org.service_fields.remove(item)
    have = {item.field for item in org.service_fields}
    for f in fields_:
        if f not in have:
            org.service_fields.append(OrganizationServiceField(field=f))


@dataclass(frozen=True)
class NewOrganization:
    """A registration checked as far as it can be without the database."""

    clean: dict[str, Any]
    warnings: list[Problem]
    applied_on: dt.date
    first_contact: dict[str, Any] | None
    reason: str


def check_new(data: Mapping[str, Any]) -> NewOrganization:
    """Validate a registration; one ValidationError lists every problem of the form."""
    c = v.Checker()
    applied_on = c(v.date, data.get("applied_on"), "applied_on") or dt.date.today()
    if applied_on > dt.date.today():
        # A future stage start would block every later (never future-dated) transition.
        c.add("applied_on", "Date {date} is in the future", date=applied_on)
    first_contact = c(_first_contact, data)
    try:
        clean, warnings = clean_profile(data)
    except ValidationError as exc:  # every problem of the form at once
        raise ValidationError(exc.problems + c.problems) from None
    c.raise_if_any()
    return NewOrganization(
        clean, warnings, applied_on, first_contact, str(data.get("reason") or "")
    )


def build_new(new: NewOrganization, actor: str) -> Organization:
    """A checked registration as a new organization in stage 'applied', with its first
    contact and its first lifecycle step; not yet added to a session (``add_new`` does, and
    ``incubator.bulk`` writes many at once)."""
    org = Organization(stage=Stage.APPLIED, stage_since=new.applied_on, archived=False)
    _set_profile(org, dict(new.clean))
    if new.first_contact:
        org.contacts.append(OrganizationContact(**new.first_contact))
    org.transitions.append(
        LifecycleTransition(
            from_stage=None,
            to_stage=Stage.APPLIED,
            occurred_on=new.applied_on,
            actor=actor,
            reason=new.reason,
        )
    )
    return org


def add_new(session: Session, new: NewOrganization) -> Organization:
    """Insert a checked registration in the session's unit of work, in stage 'applied'."""
    _check_unique_code(session, new.clean["credit_code"], None)
    org = build_new(new, session.info["actor"])
    session.add(org)
    return org


def register(db: Database, data: Mapping[str, Any], actor: str | None = None) -> OrganizationView:
    """A new organization, in stage 'applied' from its application date (default today)."""
    new = check_new(data)
    with db.transaction(actor) as session:
        warnings = new.warnings + _same_name(session, new.clean["name"], None)
        org = add_new(session, new)
        session.flush()
        return to_view(org, tuple(warnings))


def set_profile(
    session: Session, org: Organization, clean: dict[str, Any], check_code: bool = True
) -> None:
    """Apply a checked profile (``clean_profile``) to an organization in the session."""
    if check_code:
        _check_unique_code(session, clean["credit_code"], org.id)
    _set_profile(org, dict(clean))


def codes_taken(session: Session, codes: list[str]) -> dict[str, int]:
    """Which of these credit codes the registry holds, and by whom (in chunks of 500)."""
    found: dict[str, int] = {}
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        rows = session.execute(
            select(Organization.credit_code, Organization.id).where(
                Organization.credit_code.in_(chunk)
            )
        )
        found.update({code: oid for code, oid in rows})
    return found


def update(
    db: Database,
    org_id: int,
    changes: Mapping[str, Any],
    expected_version: int,
    actor: str | None = None,
) -> OrganizationView:
    """Change profile fields; refused when the row changed since ``expected_version``."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError.single(sorted(unknown)[0], "This field cannot be changed here")
    with db.transaction(actor) as session:
        org = load(session, Organization, org_id, WHAT)
        current = {name: getattr(org, name) for name in PROFILE_FIELDS if name != "service_fields"}
        current["service_fields"] = [f.field for f in org.service_fields]
        if org.version != expected_version:
            # The whole saved profile, service fields included, for a side-by-side comparison.
            raise ConflictError(
                what=T(WHAT),
                current=org.version,
                yours=expected_version,
                current_values={**current, "version": org.version},
            )
        clean, warnings = clean_profile({**current, **changes})
        _check_unique_code(session, clean["credit_code"], org.id)
        warnings += _same_name(session, clean["name"], org.id)
        _set_profile(org, clean)
        session.flush()
        return to_view(org, tuple(warnings))


def set_archived(
    db: Database, org_id: int, archived: bool, expected_version: int, actor: str | None = None
) -> OrganizationView:
    """Archive (hide from daily lists, keep all history) or bring back an organization."""
    with db.transaction(actor) as session:
        org = load(session, Organization, org_id, WHAT)
        check_version(org, expected_version, WHAT)
        org.archived = archived
        session.flush()
        return to_view(org)


def get(db: Database, org_id: int) -> OrganizationView:
    with db.reading() as session:
        return to_view(load(session, Organization, org_id, WHAT))


def find(db: Database, code_or_id: str) -> OrganizationView:
    """By credit code (any spelling a person might type) or by number."""
    text = v.fold(str(code_or_id))
    with db.reading() as session:
        org = None
        if text.isdigit() and len(text) < 18:
            org = session.get(Organization, int(text))
        else:
            code = text.replace(" ", "").replace("-", "").upper()
            org = session.scalars(
                select(Organization).where(Organization.credit_code == code)
            ).first()
        if org is None:
            raise NotFoundError(what=T(WHAT), ident=code_or_id)
        return to_view(org)


def one_named(db: Database, text: str, field: str = "organization") -> OrganizationView:
    """The one organization ``text`` names: its credit code, its number, its exact name, or
    a search (``OrgQuery.text``) that finds it alone; refused naming ``field`` when none or
    several match."""
    text = text.strip()
    with contextlib.suppress(NotFoundError):
        return find(db, text)
    found = search(db, OrgQuery(text=text, include_archived=True), 0, 6)
    exact = [o for o in found if o.name == text]
    if len(exact) == 1 or len(found) == 1:
        return (exact or found)[0]
    if not found:
        raise ValidationError.single(field, "No organization matches “{text}”", text=text)
    raise ValidationError.single(
        field,
        "Several organizations match “{text}” ({names}…): type more of the name, or the "
        "credit code",
        text=text,
        names="、".join(o.name for o in found[:3]),
    )


# --- search -------------------------------------------------------------------------------

SORTABLE = {
    "name": Organization.name_sort,
    "short_name": Organization.short_name,
    "credit_code": Organization.credit_code,
    "legal_form": Organization.legal_form,
    "stage": Organization.stage,
    "stage_since": Organization.stage_since,
    "area_county": Organization.area_county,
    "agreement_planned_end": Organization.agreement_planned_end,
    "id": Organization.id,
}


@dataclass(frozen=True)
class OrgQuery:
    text: str = ""
    stage: Stage | None = None
    legal_form: LegalForm | None = None
    service_field: ServiceField | None = None
    area: str | None = None
    include_archived: bool = False
    overdue: bool = False  # only incubations past their planned end
    order_by: str = "name"
    descending: bool = False


def _escape_like(text: str) -> str:
    """A LIKE pattern's literal text. Control characters are dropped: no stored text holds
    one (``validation.clean_text``), and PostgreSQL refuses a NUL outright."""
    text = v.CONTROLS.sub("", text)
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(query: OrgQuery, columns: Any, ids: Any = None, sqlite: bool = False) -> Select:
    """The query's conditions; ``ids`` (a list or a subquery) narrows the rows first: the text
    index's candidates, which the ``LIKE`` then confirms, so results are those of a plain scan."""
    stmt = select(*columns) if isinstance(columns, tuple) else select(columns)
    conditions = []
    if not query.include_archived:
        conditions.append(Organization.archived.is_(False))
    if query.stage:
        conditions.append(Organization.stage == query.stage)
    if query.overdue:
        conditions.append(overdue_condition(dt.date.today()))
    if query.legal_form:
        conditions.append(Organization.legal_form == query.legal_form)
    if query.service_field:
        conditions.append(
            Organization.id.in_(
                select(OrganizationServiceField.organization_id).where(
                    OrganizationServiceField.field == query.service_field
                )
            )
        )
    if query.area:
        pattern = f"%{_escape_like(v.fold(query.area))}%"
        conditions.append(
            or_(
                Organization.area_county.like(pattern, escape="\\"),
                Organization.area_township.like(pattern, escape="\\"),
                Organization.area_community.like(pattern, escape="\\"),
            )
        )
    text = fold_for_search(query.text)
    if text:
        column_, pattern = _text_match(text, sqlite)
        conditions.append(column_.like(pattern, escape="\\"))
    if ids is None:
        return stmt.where(*conditions)
    if isinstance(ids, list) and sqlite:  # thousands of ids, as one JSON parameter
        ids = select(column("value")).select_from(func.json_each(json.dumps(ids)))
    stmt = stmt.where(Organization.id.in_(ids))
    if sqlite and conditions:
        # Inside coalesce() no condition can pick an index: SQLite, without statistics, would
        # otherwise read an index of every row in display order rather than look up the few ids.
        return stmt.where(func.coalesce(and_(*conditions), False))
    return stmt.where(*conditions)


def _text_match(text: str, sqlite: bool) -> tuple[Any, str]:
    """The column and ``LIKE`` pattern that find a folded text: the key itself (name, short
    name, their full pinyin and initials, the credit code: one folded column), or on
    PostgreSQL, for one or two characters, the key's pairs of characters as words, where a
    word "天山" stands exactly where the key holds 天山 and a word starting with 天 where it
    holds 天, and pg_trgm has trigrams to look up (``search_index.PAIRS_COLUMN``)."""
    if sqlite or len(text) >= search_index.MIN_CHARS:
        return Organization.search_key, f"%{_escape_like(text)}%"
    pairs = literal_column(f"organizations.{search_index.PAIRS_COLUMN}", Text)
    if len(text) == 2:
        return pairs, f"% {_escape_like(text)} %"
    return pairs, f"% {_escape_like(text)}%"


def _ordered(stmt: Select, query: OrgQuery) -> Select:
    if query.order_by not in SORTABLE:
        raise ValidationError.single("order_by", "Cannot sort by “{value}”", value=query.order_by)
    col = SORTABLE[query.order_by]
    key = col.desc() if query.descending else col.asc()
    tie = Organization.id.desc() if query.descending else Organization.id.asc()
    return stmt.order_by(key, tie)


# --- the text index (incubator.search_index) ---
# A search for text common to many names finds a screenful soonest by reading rows in display
# order; a rarer one by sorting what the index found (bench/bench_search.py: up to a few
# thousand rows, sorting them beats reading names in order when the matches are all near the
# end, such as names in Uyghur script). More candidates than this: the text is common.
CANDIDATES = 5000


def _index_ids(session: Session, db: Database, query: OrgQuery) -> Any:
    """Ids of the rows whose key may hold the query's text, as a subquery, from SQLite's FTS5
    index; None where it does not serve: no text, text too common, or PostgreSQL (whose
    pg_trgm index serves the ``LIKE`` itself)."""
    text = v.CONTROLS.sub("", fold_for_search(query.text))
    if not text or not db.is_sqlite:
        return None
    match = search_index.fts_match(session.connection(), text)
    if match is None:
        return None
    if not match:  # no row holds it
        return select(Organization.id).where(false())
    table = search_index.FTS_TABLE
    return (
        sql_text(f"SELECT rowid FROM {table} WHERE {table} MATCH :match")
        .bindparams(match=match)
        .columns(rowid=Integer)
    )


def _candidates(session: Session, db: Database, query: OrgQuery) -> list[int] | None:
    """SQLite: the few rows that can match a rare text, from the index; None when the text is
    too common for it (more than ``CANDIDATES`` rows, or a short text starting too many
    trigrams)."""
    sub = _index_ids(session, db, query)
    if sub is None:
        return None
    ids = list(session.scalars(select(sub.subquery().c[0]).limit(CANDIDATES + 1)))
    return ids if len(ids) <= CANDIDATES else None


def _all_matching(session: Session, db: Database, query: OrgQuery, columns: Any) -> Select:
    return _filtered(query, columns, _index_ids(session, db, query), db.is_sqlite)


def search_ids(
    db: Database,
    query: OrgQuery,
    limit: int | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> list[int]:
    """Ids of matching organizations in display order (the list view fetches rows lazily).

    ``progress(done, 0)`` is called after each ``IDS_AT_ONCE`` ids; when it returns False the
    reading stops there and what was read is returned: a search replaced by the next
    keystroke stops within milliseconds instead of holding the database and Python's lock
    while the new one runs."""
    with db.reading() as session:
        stmt = _ordered(_all_matching(session, db, query, Organization.id), query)
        if limit is not None:
            stmt = stmt.limit(limit)
        ids: list[int] = []
        for part in session.connection().execute(stmt).scalars().partitions(IDS_AT_ONCE):
            ids += part
            if progress is not None and progress(len(ids), 0) is False:
                break
        return ids


IDS_AT_ONCE = 5000


def count(db: Database, query: OrgQuery) -> int:
    with db.reading() as session:
        sub = _all_matching(session, db, query, Organization.id).subquery()
        return session.scalar(select(func.count()).select_from(sub)) or 0


def _page_ids(
    session: Session, db: Database, query: OrgQuery, offset: int, limit: int
) -> list[int]:
    """Ids of a page, in display order. The first page of a text search is what a person
    typing waits for, and each way of finding it fits some texts:
    - SQLite: a rare text is sorted from the index's candidates (``_candidates``); a common
      one is read in display order until the page is full;
    - PostgreSQL: the first rows in display order are read (``WALK`` of them, from the
      sorted index); when fewer than a page of them match (a rare text, or one whose names
      sort late), every match is found (pg_trgm) and sorted, computed apart so that the
      planner cannot turn it into a long read in display order."""
    if offset or not query.text:
        stmt = _all_matching(session, db, query, Organization.id)
    elif db.is_sqlite:
        ids = _candidates(session, db, query)  # None: read in display order
        stmt = _filtered(query, Organization.id, ids, sqlite=True)
    else:
        found = list(session.scalars(_walk_first(query, limit)))
        if len(found) == limit:
            return found
        return list(session.scalars(_sorted_apart(query, limit)))
    return list(session.scalars(_ordered(stmt, query).offset(offset).limit(limit)))


WALK = 2000  # PostgreSQL: rows read in display order before every match is sorted instead


def _sort_columns(query: OrgQuery, source: Any) -> list[Any]:
    """``_ordered``'s keys over a subquery's columns ``k`` (the sort key) and ``id``."""
    if query.descending:
        return [source.c.k.desc(), source.c.id.desc()]
    return [source.c.k.asc(), source.c.id.asc()]


def _walk_first(query: OrgQuery, limit: int) -> Select:
    key = SORTABLE[query.order_by]
    column_, pattern = _text_match(fold_for_search(query.text), sqlite=False)
    rows = _filtered(replace(query, text=""), (Organization.id, key.label("k"), column_.label("t")))
    first = _ordered(rows, query).limit(WALK).subquery()
    return (
        select(first.c.id)
        .where(first.c.t.like(pattern, escape="\\"))
        .order_by(*_sort_columns(query, first))
        .limit(limit)
    )


def _sorted_apart(query: OrgQuery, limit: int) -> Select:
    key = SORTABLE[query.order_by]
    matching = _filtered(query, (Organization.id, key.label("k"))).cte("matching")
    matching = matching.prefix_with("MATERIALIZED")
    return select(matching.c.id).order_by(*_sort_columns(query, matching)).limit(limit)


def search(
    db: Database, query: OrgQuery, offset: int = 0, limit: int = 100
) -> list[OrganizationView]:
    with db.reading() as session:
        return _views(session, _page_ids(session, db, query, offset, limit))


_LIST_COLUMNS = tuple(getattr(Organization, name) for name in ListRow.__slots__)


def list_page(db: Database, query: OrgQuery, offset: int = 0, limit: int = 100) -> list[ListRow]:
    """``search``'s page as list rows: what the organizations list, the CLI and pickers show."""
    with db.reading() as session:
        return _list_rows(session, _page_ids(session, db, query, offset, limit))


def list_rows(db: Database, ids: list[int]) -> list[ListRow]:
    """List rows for these ids, in the order given (missing ids are skipped)."""
    with db.reading() as session:
        return _list_rows(session, ids)


def _list_rows(session: Session, ids: list[int]) -> list[ListRow]:
    stmt = select(*_LIST_COLUMNS).where(Organization.id.in_(ids))
    found = {row.id: ListRow(*row) for row in session.execute(stmt)}
    return [found[i] for i in ids if i in found]


def get_many(db: Database, ids: list[int]) -> list[OrganizationView]:
    """Rows for these ids, in the order given (missing ids are skipped)."""
    with db.reading() as session:
        return _views(session, ids)


def get_each(db: Database, ids: Sequence[int]) -> list[OrganizationView]:
    """Rows for these ids, in the order given; NotFoundError for an id not in the registry."""
    with db.reading() as session:
        views = _views(session, list(ids))
    found = {v.id for v in views}
    for org_id in ids:
        if org_id not in found:
            raise NotFoundError(what=T(WHAT), ident=org_id)
    return views


def _views(session: Session, ids: list[int]) -> list[OrganizationView]:
    found = {o.id: o for o in session.scalars(select(Organization).where(Organization.id.in_(ids)))}
    return [to_view(found[i]) for i in ids if i in found]


def count_by_stage(db: Database, include_archived: bool = False) -> dict[Stage, int]:
    with db.reading() as session:
        stmt = select(Organization.stage, func.count()).group_by(Organization.stage)
        if not include_archived:
            stmt = stmt.where(Organization.archived.is_(False))
        counts = {stage: n for stage, n in session.execute(stmt)}
        return {stage: counts.get(stage, 0) for stage in Stage}
