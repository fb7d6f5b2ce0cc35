"""The demo's compliance records and documents (``incubator.demo`` calls this for each
organization): its supervising unit, its annual reports since it registered, a rating grade
for some (few 5A, many 3A), the abnormal-activities list for a few that missed a report, and
small generated documents (a charter, a registration certificate, the signed incubation
agreement, annual reports, rating certificates).

Every record passes the cleaners a form's save uses. Each organization draws from its own
random generator, so the rest of the demo (drawn from the main one) stays what it was for a
seed. The documents are a handful of one-page PDFs made once per run and attached many times:
the registry keeps each once (``stored_files``).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from incubator import stored_files
from incubator.bulk import BulkWriter
from incubator.domain import (
    AuthorityList,
    DocumentKind,
    InspectionResult,
    LegalForm,
    RatingGrade,
    ServiceField,
    Stage,
)
from incubator.i18n import tr
from incubator.models import (
    AnnualReport,
    AuthorityListing,
    Document,
    Organization,
    Rating,
)
from incubator.services import compliance, documents

# The government department that supervises organizations of a field (业务主管单位).
SUPERVISORS = {
    ServiceField.ELDERLY: "{county}民政局",
    ServiceField.YOUTH: "共青团{county}委员会",
    ServiceField.CHILDREN: "{county}妇女联合会",
    ServiceField.WOMEN: "{county}妇女联合会",
    ServiceField.DISABILITY: "{county}残疾人联合会",
    ServiceField.EDUCATION: "{county}教育局",
    ServiceField.HEALTH: "{county}卫生健康委员会",
    ServiceField.CULTURE: "{county}文化体育广电和旅游局",
    ServiceField.MEDIATION: "{county}司法局",
    ServiceField.LEGAL_AID: "{county}司法局",
    ServiceField.EMPLOYMENT: "{county}人力资源和社会保障局",
    ServiceField.RURAL: "{county}农业农村局",
}
GRADES = (
    (RatingGrade.A1, 4),
    (RatingGrade.A2, 16),
    (RatingGrade.A3, 48),
    (RatingGrade.A4, 24),
    (RatingGrade.A5, 8),
)
RESULTS = (
    (InspectionResult.QUALIFIED, 82),
    (InspectionResult.BASICALLY_QUALIFIED, 13),
    (InspectionResult.UNQUALIFIED, 5),
)
LISTING_REASONS = ("未按规定报送年度工作报告", "通过登记的住所无法取得联系")
REMOVAL_REASONS = ("已补报年度工作报告，申请移出", "已更正住所信息，申请移出")
RESULT_AFTER_DAYS = 60  # the authority's conclusion comes about two months after submission


def supervising_unit(org_id: int, form: LegalForm, fields: Sequence[ServiceField], county: str):
    """The supervising unit of a social group or service organization, for about a third."""
    rng = random.Random(f"supervisor-{org_id}")
    if form not in (LegalForm.SOCIAL_GROUP, LegalForm.SOCIAL_SERVICE_ORG) or rng.random() > 0.35:
        return None
    return SUPERVISORS.get(fields[0], "{county}民政局").format(county=county)


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


class ComplianceDemo:
    def __init__(self, session: Session, writer: BulkWriter, today: dt.date, actor: str):
        self.session, self.w, self.today, self.actor = session, writer, today, actor
        self.rules = compliance.session_rules(session)
        self.files: dict[DocumentKind, tuple[str, str, int]] = {}  # sha256, name, size
        self.counts = dict.fromkeys(("annual_reports", "ratings", "listings", "documents"), 0)

    def organization(self, org: Organization, city: str, exited: dt.date | None) -> None:
        """The compliance records of an organization just queued (its ids are given)."""
        if org.registered_on is None or org.legal_form is LegalForm.COMMUNITY_UNREGISTERED:
            return
        rng = random.Random(f"compliance-{org.id}")
        registered = org.registered_on
        if rng.random() < 0.7:
            self.document(org.id, DocumentKind.CHARTER, registered)
        if rng.random() < 0.6:
            self.document(org.id, DocumentKind.REGISTRATION_CERTIFICATE, registered)
        for step in org.transitions:
            if step.to_stage is Stage.INCUBATING and rng.random() < 0.6:
                self.document(
                    org.id,
                    DocumentKind.INCUBATION_AGREEMENT,
                    step.occurred_on,
                    ("lifecycle_transitions", step.id),
                )
        for year in range(registered.year, self.today.year):
            self.annual_report(rng, org.id, year, exited)
        if registered <= self.today - dt.timedelta(days=365) and rng.random() < 0.4:
            self.rating(rng, org.id, registered, city)

    def annual_report(
        self, rng: random.Random, org_id: int, year: int, exited: dt.date | None
    ) -> None:
        today, due = self.today, self.rules.due_on(year)
        if exited is not None and exited < due:
            return
        if rng.random() < 0.9:  # submitted, mostly in the two months before the due date
            submitted = due - dt.timedelta(days=rng.randint(3, 75))
            if submitted > today:
                return  # not yet
            result = None
            if submitted + dt.timedelta(days=RESULT_AFTER_DAYS) <= today:
                result = _weighted(rng, RESULTS)
            data = {"year": year, "due_on": due, "submitted_on": submitted, "result": result}
            report_id = self.record(AnnualReport, org_id, compliance.clean_report(data), submitted)
            self.counts["annual_reports"] += 1
            if rng.random() < 0.4:
                record = ("annual_reports", report_id)
                self.document(org_id, DocumentKind.ANNUAL_REPORT, submitted, record)
            return
        if due + dt.timedelta(days=RESULT_AFTER_DAYS) > today or rng.random() < 0.5:
            return  # missed, and nothing recorded yet: the dashboard reminds it
        judged = due + dt.timedelta(days=RESULT_AFTER_DAYS)
        data = {"year": year, "due_on": due, "result": InspectionResult.NOT_INSPECTED}
        self.record(AnnualReport, org_id, compliance.clean_report(data), judged)
        self.counts["annual_reports"] += 1
        listed = judged + dt.timedelta(days=rng.randint(10, 60))
        if listed > today or rng.random() > 0.7:
            return
        removed = listed + dt.timedelta(days=rng.randint(60, 300))
        kept = removed > today or rng.random() < 0.4  # still listed
        data = {
            "list_kind": AuthorityList.ABNORMAL,
            "listed_on": listed,
            "authority": "县级民政部门",
            "reason": LISTING_REASONS[0] if rng.random() < 0.8 else LISTING_REASONS[1],
            "removed_on": None if kept else removed,
            "removal_reason": None if kept else rng.choice(REMOVAL_REASONS),
        }
        self.record(AuthorityListing, org_id, compliance.clean_listing(data), listed)
        self.counts["listings"] += 1

    def rating(self, rng: random.Random, org_id: int, registered: dt.date, city: str) -> None:
        awarded = _day(rng, registered + dt.timedelta(days=300), self.today)
        grade = _weighted(rng, GRADES)
        high = grade in (RatingGrade.A4, RatingGrade.A5)
        body = "新疆维吾尔自治区民政厅" if high else f"{city}民政局"
        data = {"grade": grade, "awarded_on": awarded, "awarding_body": body}
        rating_id = self.record(Rating, org_id, compliance.clean_rating(data), awarded)
        self.counts["ratings"] += 1
        if rng.random() < 0.6:
            self.document(org_id, DocumentKind.RATING_CERTIFICATE, awarded, ("ratings", rating_id))

    def record(self, model: type, org_id: int, clean: dict[str, Any], day: dt.date) -> int:
        at = dt.datetime.combine(day, dt.time(10, 0), dt.UTC)
        return self.w.add(model(organization_id=org_id, **clean, created_at=at, updated_at=at))

    def document(
        self,
        org_id: int,
        kind: DocumentKind,
        day: dt.date,
        record: tuple[str, int] | None = None,
    ) -> None:
        digest, name, size = self.file(kind)
        clean = documents.clean({"title": kind.display("zh_CN"), "kind": kind, "dated_on": day})
        at = dt.datetime.combine(min(day, self.today), dt.time(11, 0), dt.UTC)
        self.w.add(
            Document(
                organization_id=org_id,
                record_kind=record[0] if record else None,
                record_id=record[1] if record else None,
                sha256=digest,
                filename=name,
                size=size,
                added_by=self.actor,
                created_at=at,
                updated_at=at,
                **clean,
            )
        )
        self.counts["documents"] += 1

    def file(self, kind: DocumentKind) -> tuple[str, str, int]:
        """The one-page PDF standing for every document of a kind, stored once."""
        if kind not in self.files:
            data = _sample_pdf(kind)
            digest = stored_files.put_digest(self.session, data)
            self.files[kind] = (digest, f"{kind.display('zh_CN')}（示例）.pdf", len(data))
        return self.files[kind]


def _sample_pdf(kind: DocumentKind) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from incubator.reports import fonts

    fonts.register()
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, invariant=True)  # the same bytes every run
    page.setTitle(kind.display("zh_CN"))
    width, height = A4
    page.setFont(fonts.HAN, 28)
    page.drawCentredString(width / 2, height - 160, kind.display("zh_CN"))
    page.setFont(fonts.HAN, 12)
    page.drawCentredString(width / 2, height - 200, tr("Demo document", "zh_CN"))
    page.rect(60, 80, width - 120, height - 200)
    page.showPage()
    page.save()
    return out.getvalue()
