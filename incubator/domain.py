"""Domain vocabulary: the enumerations the registry stores as readable strings.

Each member's value is what the database stores; ``label`` is the English source text that
``incubator.i18n.tr`` translates for display.
"""

from __future__ import annotations

from enum import StrEnum

from incubator.i18n import tr

# organizations.name_sort's width; a sort key is cut there. The longest name validation
# allows (200 Han characters) reads as about 1,400 letters; names alike in their first
# hundred characters are rare enough to sort in any order after that.
SORT_KEY_LENGTH = 600

# The columns the organizations list sorts by (registry.SORTABLE maps each to its column).
ORG_SORTS = (
    "name",
    "short_name",
    "credit_code",
    "legal_form",
    "stage",
    "stage_since",
    "area_county",
    "agreement_planned_end",
    "id",
)


class LabelledEnum(StrEnum):
    label: str

    def __new__(cls, value: str, label: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    def display(self, lang: str | None = None) -> str:
        return tr(self.label, lang)


class LegalForm(LabelledEnum):
    SOCIAL_GROUP = "social_group", "Social group"
    SOCIAL_SERVICE_ORG = "social_service_org", "Social service organization"
    FOUNDATION = "foundation", "Foundation"
    COMMUNITY_UNREGISTERED = "community_unregistered", "Unregistered community organization"
    # Imported from a list that did not say (a bureau's list of names and codes).
    UNKNOWN = "unknown", "Legal form unknown"


class ServiceField(LabelledEnum):
    ELDERLY = "elderly", "Elderly care"
    YOUTH = "youth", "Youth"
    CHILDREN = "children", "Children"
    DISABILITY = "disability", "Disability support"
    COMMUNITY = "community", "Community service"
    MEDIATION = "mediation", "Mediation"
    EMPLOYMENT = "employment", "Employment"
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    WOMEN = "women", "Women and families"
    CULTURE = "culture", "Culture and sports"
    ENVIRONMENT = "environment", "Environment"
    RURAL = "rural", "Rural revitalization"
    LEGAL_AID = "legal_aid", "Legal aid"


class Stage(LabelledEnum):
    APPLIED = "applied", "Applied"
    ADMITTED = "admitted", "Admitted"
    INCUBATING = "incubating", "Incubating"
    MID_TERM = "mid_term_evaluated", "Mid-term evaluated"
    GRADUATED = "graduated", "Graduated"
    EXITED = "exited", "Exited"


# The incubation state machine: stage -> stages it may move to next.
TRANSITIONS: dict[Stage, tuple[Stage, ...]] = {
    Stage.APPLIED: (Stage.ADMITTED, Stage.EXITED),
    Stage.ADMITTED: (Stage.INCUBATING, Stage.EXITED),
    Stage.INCUBATING: (Stage.MID_TERM, Stage.GRADUATED, Stage.EXITED),
    Stage.MID_TERM: (Stage.GRADUATED, Stage.EXITED),
    Stage.GRADUATED: (),
    Stage.EXITED: (),
}

# Stages in which an organization is being incubated (can be overdue).
ACTIVE_STAGES = (Stage.INCUBATING, Stage.MID_TERM)


class FundSource(LabelledEnum):
    GOVERNMENT = "government", "Government department"
    FOUNDATION = "foundation", "Foundation"
    ENTERPRISE = "enterprise", "Enterprise"
    PARTNER_PROVINCE = "partner_province", "Partner province"
    OTHER = "other", "Other"


class FundKind(LabelledEnum):
    GRANT = "grant", "Grant"
    SUBSIDY = "subsidy", "Subsidy"
    PURCHASED_SERVICE = "purchased_service", "Purchased-service contract"
    AWARD = "award", "Award"


class FundStatus(LabelledEnum):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class PaymentStatus(LabelledEnum):
    SCHEDULED = "scheduled", "Scheduled"
    PAID = "paid", "Paid"
    CANCELLED = "cancelled", "Cancelled"


class ProjectStatus(LabelledEnum):
    PLANNED = "planned", "Planned"
    ONGOING = "ongoing", "Ongoing"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class TalentKind(LabelledEnum):
    TRAINING = "training", "Training session"
    MENTOR = "mentor", "Mentor assigned"
    SOCIAL_WORKER = "social_worker", "Social worker assigned"


class SpaceKind(LabelledEnum):
    ROOM = "room", "Room"
    DESK = "desk", "Desk"
    SHARED = "shared", "Shared facility"


class AllocationStatus(LabelledEnum):
    ACTIVE = "active", "Active"
    CANCELLED = "cancelled", "Cancelled"


class EvaluationKind(LabelledEnum):
    ADMISSION = "admission", "Admission"
    MID_TERM = "mid_term", "Mid-term"
    ANNUAL = "annual", "Annual"
    GRADUATION = "graduation", "Graduation"


class AuditAction(LabelledEnum):
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"


# Evaluation indicators, each scored 0..100.
INDICATORS = ("governance", "finance", "services", "team")


# --- compliance with the registration authority (民政登记管理机关) ---------------------------


class InspectionResult(LabelledEnum):
    """The authority's conclusion on a year's annual report / annual inspection (年检)."""

    QUALIFIED = "qualified", "Qualified"  # 合格
    BASICALLY_QUALIFIED = "basically_qualified", "Basically qualified"  # 基本合格
    UNQUALIFIED = "unqualified", "Unqualified"  # 不合格
    NOT_INSPECTED = "not_inspected", "Not inspected"  # 未参检


class AnnualReportStatus(LabelledEnum):
    """Where an organization stands with one year's annual report (``services.compliance``):
    not submitted yet (by its due date), submitted awaiting the result, or the result."""

    NOT_DUE = "not_due", "Not yet due"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    SUBMITTED = "submitted", "Submitted, awaiting the result"
    QUALIFIED = "qualified", "Qualified"
    BASICALLY_QUALIFIED = "basically_qualified", "Basically qualified"
    UNQUALIFIED = "unqualified", "Unqualified"
    NOT_INSPECTED = "not_inspected", "Not inspected"


class RatingGrade(LabelledEnum):
    """社会组织评估等级: 1A (lowest) to 5A."""

    A1 = "1A", "1A grade"
    A2 = "2A", "2A grade"
    A3 = "3A", "3A grade"
    A4 = "4A", "4A grade"
    A5 = "5A", "5A grade"


class AuthorityList(LabelledEnum):
    """The lists of the registration authority an organization may be put on."""

    ABNORMAL = "abnormal", "Abnormal-activities list"  # 活动异常名录
    SERIOUS_VIOLATION = "serious_violation", "Serious-violation list"  # 严重违法失信名单


class DocumentKind(LabelledEnum):
    CHARTER = "charter", "Charter"  # 章程
    REGISTRATION_CERTIFICATE = "registration_certificate", "Registration certificate"
    INCUBATION_AGREEMENT = "incubation_agreement", "Signed incubation agreement"
    PAYMENT_VOUCHER = "payment_voucher", "Payment voucher"
    ACCEPTANCE_REPORT = "acceptance_report", "Acceptance report"
    ANNUAL_REPORT = "annual_report", "Annual report"
    RATING_CERTIFICATE = "rating_certificate", "Rating certificate"
    OTHER = "other", "Other"
