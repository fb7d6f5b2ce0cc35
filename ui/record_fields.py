"""The field lists of the app's forms, in the order staff fill them in."""

from __future__ import annotations

from incubator.domain import (
    AuthorityList,
    DocumentKind,
    EvaluationKind,
    FundKind,
    FundSource,
    FundStatus,
    InspectionResult,
    LegalForm,
    PaymentStatus,
    ProjectStatus,
    RatingGrade,
    ServiceField,
    TalentKind,
)
from ui.forms import Field

PROFILE = (
    Field("name", required=True),
    Field("short_name"),
    Field("credit_code"),
    Field("legal_form", "choice", required=True, enum=LegalForm),
    Field("service_fields", "choices", enum=ServiceField),
    Field("area_county"),
    Field("area_township"),
    Field("area_community"),
    Field("founded_on", "date"),
    Field("registered_on", "date"),
    Field("legal_representative"),
    Field("address"),
    Field("registered_capital", "money"),
    Field("business_scope", "multiline"),
    Field("supervising_unit"),
    Field("staff_count", "number"),
    Field("volunteer_count", "number"),
    Field("notes", "multiline"),
)

# A new organization's first contact becomes its main contact (more on its Contacts tab).
NEW_ORGANIZATION = (
    *PROFILE,
    Field("contact_person"),
    Field("contact_phone"),
    Field("applied_on", "date", required=True),
)

CONTACT = (
    Field("name", required=True),
    Field("role"),
    Field("phone"),
    Field("email"),
    Field("is_main", "bool"),
)

FUND = (
    Field("title", required=True),
    Field("source", "choice", required=True, enum=FundSource),
    Field("source_name"),
    Field("kind", "choice", required=True, enum=FundKind),
    Field("amount_committed", "money", required=True),
    Field("committed_on", "date", required=True),
    Field("start_on", "date"),
    Field("end_on", "date"),
    Field("status", "choice", required=True, enum=FundStatus),
    Field("notes", "multiline"),
)

PAYMENT = (
    Field("due_on", "date", required=True),
    Field("amount", "money", required=True),
    Field("status", "choice", required=True, enum=PaymentStatus),
    Field("paid_on", "date"),
    Field("notes"),
)

# Editing adds the reason a cancelled one carries (required when the status becomes cancelled).
FUND_EDIT = (*FUND, Field("cancel_reason", "multiline"))
PAYMENT_EDIT = (*PAYMENT, Field("cancel_reason", "multiline"))
CANCEL = (Field("cancel_reason", "multiline", required=True),)
VOID = (Field("void_reason", "multiline", required=True),)

RECORD_PAYMENT = (
    Field("paid_on", "date", required=True),
    Field("notes"),
)

PROJECT = (
    Field("name", required=True),
    Field("funder"),
    Field("budget", "money", required=True),
    Field("start_on", "date", required=True),
    Field("end_on", "date"),
    Field("status", "choice", required=True, enum=ProjectStatus),
    Field("beneficiaries", "number"),
    Field("outputs", "multiline"),
)

TALENT = (
    Field("kind", "choice", required=True, enum=TalentKind),
    Field("title", required=True),
    Field("person_name"),
    Field("provider"),
    Field("start_on", "date", required=True),
    Field("end_on", "date"),
    Field("people_count", "number"),
    Field("hours", "number"),
    Field("notes", "multiline"),
)

EVALUATION = (
    Field("kind", "choice", required=True, enum=EvaluationKind),
    Field("evaluated_on", "date", required=True),
    Field("evaluator"),
    Field("governance", "number", required=True),
    Field("finance", "number", required=True),
    Field("services", "number", required=True),
    Field("team", "number", required=True),
    Field("conclusion", "multiline"),
)

TRANSITION = (
    Field("occurred_on", "date", required=True),
    Field("reason", "multiline", required=True),
)

INCUBATION_AGREEMENT = (
    Field("agreement_start", "date"),
    Field("agreement_planned_end", "date", required=True),
)

ANNUAL_REPORT = (
    Field("year", "number", required=True),
    Field("due_on", "date"),  # empty: the center's day of the following year
    Field("submitted_on", "date"),
    Field("result", "choice", enum=InspectionResult),
    Field("remarks", "multiline"),
)

RATING = (
    Field("grade", "choice", required=True, enum=RatingGrade),
    Field("awarded_on", "date", required=True),
    Field("valid_until", "date"),  # empty: five years less a day
    Field("awarding_body"),
    Field("notes", "multiline"),
)

LISTING = (
    Field("list_kind", "choice", required=True, enum=AuthorityList),
    Field("listed_on", "date", required=True),
    Field("authority"),
    Field("reason", "multiline"),
    Field("removed_on", "date"),
    Field("removal_reason", "multiline"),
)

DOCUMENT = (
    Field("title", required=True),
    Field("kind", "choice", required=True, enum=DocumentKind),
    Field("dated_on", "date"),
)
