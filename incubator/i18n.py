"""One translation mechanism for the core, the CLI, the reports and the UI.

Source strings are English; ``resources/translations/<lang>.json`` maps each to its translation.
``tr(text, lang, **params)`` looks the text up and formats it. Parameters wrapped in ``T`` are
translated too, so an error can say which entity it concerns in the reader's language.
"""

from __future__ import annotations

import json
import locale
import os
from functools import cache
from typing import Any

from incubator.paths import RESOURCES

SOURCE_LANGUAGE = "en"
LANGUAGES = ("zh_CN", "en")

_current: str | None = None


class T(str):
    """A string that is translated when it is used as a message parameter."""

    __slots__ = ()


class TList(tuple):
    """Several strings, each translated, joined in the reader's language's way."""

    def text(self, lang: str | None = None) -> str:
        return _shown(self, normalize_language(lang) if lang else current_language())


def normalize_language(lang: str | None) -> str:
    """Map 'zh', 'zh_CN.UTF-8', 'zh-Hans' ... to zh_CN; everything else to en."""
    if not lang:
        return SOURCE_LANGUAGE
    return "zh_CN" if lang.lower().replace("-", "_").startswith("zh") else SOURCE_LANGUAGE


def system_language() -> str:
    for var in ("INCUBATOR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return normalize_language(value)
    try:
        return normalize_language(locale.getlocale()[0])
    except ValueError:
        return SOURCE_LANGUAGE


def current_language() -> str:
    return _current or system_language()


def set_language(lang: str | None) -> str:
    global _current
    _current = normalize_language(lang) if lang else None
    return current_language()


@cache
def catalog(lang: str) -> dict[str, str]:
    if lang == SOURCE_LANGUAGE:
        return {}
    path = RESOURCES / "translations" / f"{lang}.json"
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def tr(text: str, lang: str | None = None, /, **params: Any) -> str:
    lang = normalize_language(lang) if lang else current_language()
    translated = catalog(lang).get(text, text)
    if not params:
        return translated
    shown = {k: _shown(v, lang) for k, v in params.items()}
    return translated.format(**shown)


def _shown(value: Any, lang: str) -> Any:
    if isinstance(value, T):
        return tr(value, lang)
    if isinstance(value, TList):
        sep = "、" if lang == "zh_CN" else ", "
        return sep.join(tr(v, lang) for v in value)
    return value


# Field names as shown to users; the key is the attribute name used by the core.
FIELD_LABELS: dict[str, str] = {
    "name": "Name",
    "short_name": "Short name",
    "credit_code": "Unified Social Credit Code",
    "legal_form": "Legal form",
    "service_fields": "Service fields",
    "area_county": "County / district",
    "area_township": "Township / street",
    "area_community": "Village / community",
    "founded_on": "Founding date",
    "registered_on": "Registration date",
    "legal_representative": "Legal representative",
    "contact_person": "Contact person",
    "contact_phone": "Contact phone",
    "address": "Address",
    "role": "Role",
    "phone": "Phone",
    "email": "E-mail",
    "is_main": "Main contact",
    "staff_count": "Staff",
    "volunteer_count": "Volunteers",
    "notes": "Notes",
    "stage": "Lifecycle stage",
    "to_stage": "New stage",
    "occurred_on": "Date",
    "reason": "Reason",
    "agreement_start": "Agreement start",
    "agreement_planned_end": "Planned end of incubation",
    "title": "Title",
    "source": "Source",
    "source_name": "Funder",
    "kind": "Kind",
    "status": "Status",
    "amount_committed": "Amount committed",
    "committed_on": "Commitment date",
    "amount": "Amount",
    "due_on": "Due date",
    "paid_on": "Payment date",
    "cancel_reason": "Reason for cancelling",
    "stage_since": "Stage since",
    "archived": "Archived",
    "active": "In use",
    "from_stage": "Previous stage",
    "actor": "By",
    "field": "Service field",
    "funder": "Funder",
    "budget": "Budget",
    "start_on": "Start date",
    "end_on": "End date",
    "beneficiaries": "Beneficiaries",
    "outputs": "Outputs",
    "person_name": "Person",
    "provider": "Provider",
    "people_count": "People",
    "hours": "Hours",
    "code": "Code",
    "area_m2": "Area (m²)",
    "capacity": "Capacity",
    "space": "Space",
    "evaluated_on": "Evaluation date",
    "evaluator": "Evaluator",
    "governance": "Governance score",
    "finance": "Finance score",
    "services": "Services score",
    "team": "Team score",
    "conclusion": "Conclusion",
    "version": "Version",
    "period": "Period",
    "applied_on": "Application date",
    "admitted_on": "Admission date",
    "file": "File",
    "user": "User",
    "void_reason": "Reason for voiding",
    "voided_by": "Voided by",
    "server": "Server",
    "port": "Port",
    "database": "Database",
    "tls": "TLS",
    "ca_file": "CA file",
    "organization": "Organization",
    "since": "From",
    "until": "To",
    "user_role": "User's role",
    "password": "Password",
    "db": "Database",
    "orgs": "Number of organizations",
    "years": "Years of history",
    "limit": "Row limit",
    "order_by": "Sort column",
    "center_name": "Center name",
    "center_logo": "Logo",
    "narrative": "Progress in the period",
    "next_steps": "Next steps",
    "org_name": "Organization name",
    "org_code": "Organization's credit code",
    "registered_capital": "Registered capital (yuan)",
    "business_scope": "Business scope",
    "supervising_unit": "Supervising unit",
    "purchaser": "Purchaser",
    "operator": "Operator",
    "contract_no": "Contract number",
    "highlights": "Highlights",
    "problems": "Problems found",
    "actions": "Corrective actions",
    "year": "Year",
    "incubated": "Organizations incubated",
    "graduation_rate": "Graduation rate",
    "disbursed": "Funds disbursed (yuan)",
    "training_hours": "Training hours",
    "occupancy_rate": "Space occupancy",
    "overdue_payments": "Overdue payments at most",
    "submitted_on": "Submitted on",
    "result": "Result",
    "remarks": "Remarks",
    "grade": "Rating grade",
    "awarded_on": "Awarded on",
    "valid_until": "Valid until",
    "awarding_body": "Awarding body",
    "list_kind": "List",
    "listed_on": "Listed on",
    "authority": "Listed by",
    "removed_on": "Removed on",
    "removal_reason": "Reason for removal",
    "dated_on": "Document date",
    "record": "Attached to",
    "filename": "File name",
    "size": "Size",
    "sha256": "SHA-256",
    "added_by": "Added by",
    "center_annual_report_due": "Annual reports due on (month-day)",
    "center_document_max_mb": "Largest document (MB)",
}

# Table names as shown in the audit trail.
ENTITY_LABELS: dict[str, str] = {
    "organizations": "Organization",
    "organization_service_fields": "Service field",
    "lifecycle_transitions": "Lifecycle transition",
    "funds": "Fund",
    "fund_payments": "Payment",
    "projects": "Project",
    "talent_records": "Talent record",
    "spaces": "Space",
    "space_allocations": "Space allocation",
    "evaluations": "Evaluation",
    "settings": "Setting",
    "report_narratives": "Report narrative",
    "organization_contacts": "Contact",
    "reminder_marks": "Reminder",
    "center_narratives": "Center report summary",
    "annual_targets": "Annual targets",
    "batch": "New records in bulk",
    "annual_reports": "Annual report",
    "ratings": "Rating",
    "authority_listings": "Authority listing",
    "documents": "Document",
    "stored_files": "Stored file",
}


def entity_label(table: str, lang: str | None = None) -> str:
    return tr(ENTITY_LABELS.get(table, table), lang)


def field_label(field: str, lang: str | None = None) -> str:
    return tr(FIELD_LABELS.get(field, field), lang)
