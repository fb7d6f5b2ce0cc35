"""PDF report tests: one registry with demo data plus hand-made organizations (an Uyghur-script
name, names with "·", a narrative in two scripts), and the reports built from it once per session
so every test reads real PDFs back without building them again."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from incubator import demo, reports
from incubator.db import Database
from incubator.services import (
    evaluations,
    funds,
    lifecycle,
    narratives,
    projects,
    registry,
    spaces,
    talent,
)
from tests.factories import credit_code

TODAY = dt.date(2026, 6, 30)
HALF = "2026-01-01..2026-06-30"
UYGHUR_NAME = "ئۈمىد ياشلار مۇلازىمەت مەركىزى"
UYGHUR_PERSON = "ئابدۇرېھىم ئەمەت"
DOT_NAME = "喀什市阿不都热合曼·艾买提社区调解工作室"
DOT_PERSON = "热孜宛古丽·艾则孜"
PHONE = "13912345678"
CENTER_NAME = "乌鲁木齐市天山区社会组织孵化基地"
NARRATIVE = (
    "该组织本期完成了理事会换届，财务制度进一步健全，服务覆盖三个社区。\n\n"
    "ئۈمىد ياشلار مۇلازىمەت مەركىزى بۇ مەزگىلدە ياشلارغا كەسپىي تەربىيە بېرىش، "
    "مەھەللە پائالىيەتلىرىنى ئۇيۇشتۇرۇش ۋە پىدائىيلار قوشۇنىنى كۈچەيتىش خىزمەتلىرىنى "
    "ئىشلىدى. كېيىنكى باسقۇچتا مالىيە باشقۇرۇشنى تېخىمۇ ياخشىلايدۇ."
)
NEXT_STEPS = "1. 完善财务制度；2. 申请等级评估；3. ئاۋازلىق پىدائىيلار قوشۇنى قۇرۇش"


@dataclass(frozen=True)
class Special:
    uyghur: int  # organization with an Uyghur-script name
    dotted: int  # organization with "·" in its name and contact person


def _add_special(db: Database, logo: Path) -> Special:
    narratives.set_center_info(db, CENTER_NAME, logo)
    ug = registry.register(
        db,
        {
            "name": UYGHUR_NAME,
            "credit_code": credit_code(901),
            "legal_form": "social_group",
            "service_fields": "youth, culture",
            "area_county": "乌鲁木齐市天山区",
            "contact_person": UYGHUR_PERSON,
            "contact_phone": PHONE,
            "legal_representative": UYGHUR_PERSON,
            "staff_count": 4,
            "volunteer_count": 30,
            "applied_on": "2025-01-10",
        },
    )
    lifecycle.transition(db, ug.id, "admitted", reason="评审通过", occurred_on="2025-02-01")
    lifecycle.transition(
        db,
        ug.id,
        "incubating",
        reason="签订孵化协议",
        occurred_on="2025-03-01",
        agreement_planned_end="2027-02-28",
    )
    funds.add_fund(
        db,
        ug.id,
        {
            "title": "2026年公益创投资助",
            "source": "government",
            "source_name": "天山区民政局",
            "kind": "grant",
            "amount_committed": "120000.00",
            "committed_on": "2026-01-15",
            "payments": [
                {
                    "due_on": "2026-02-01",
                    "amount": "60000",
                    "status": "paid",
                    "paid_on": "2026-02-03",
                },
                {"due_on": "2026-08-01", "amount": "60000"},
            ],
        },
    )
    funds.add_fund(
        db,
        ug.id,
        {
            "title": "企业捐赠",
            "source": "enterprise",
            "kind": "award",
            "amount_committed": "8888.88",
            "committed_on": "2025-06-01",
            "payments": [
                {
                    "due_on": "2025-06-10",
                    "amount": "8888.88",
                    "status": "paid",
                    "paid_on": "2026-03-10",
                }
            ],
        },
    )
    projects.add(
        db,
        ug.id,
        {
            "name": "青年职业技能提升项目",
            "funder": "天山区民政局",
            "budget": "98000.50",
            "start_on": "2026-02-01",
            "end_on": "2026-12-31",
            "beneficiaries": 320,
        },
    )
    talent.add(
        db,
        ug.id,
        {
            "kind": "mentor",
            "title": "项目管理导师",
            "person_name": UYGHUR_PERSON,
            "start_on": "2026-03-01",
            "people_count": 1,
            "hours": "12.5",
        },
    )
    talent.add(
        db,
        ug.id,
        {
            "kind": "training",
            "title": "社会组织财务管理培训",
            "provider": "孵化基地",
            "start_on": "2026-04-12",
            "people_count": 3,
            "hours": "9",
        },
    )
    space = spaces.create_space(
        db, {"code": "T901", "name": "测试工位", "kind": "desk", "area_m2": "6.5"}
    )
    spaces.allocate(db, space.id, ug.id, "2026-03-01", "2026-12-31")
    evaluations.record(
        db,
        ug.id,
        {
            "kind": "admission",
            "evaluated_on": "2025-01-28",
            "evaluator": UYGHUR_PERSON,
            "governance": 70,
            "finance": 65.5,
            "services": 72,
            "team": 68,
        },
    )
    evaluations.record(
        db,
        ug.id,
        {
            "kind": "mid_term",
            "evaluated_on": "2026-05-20",
            "evaluator": "孵化基地评估专家组",
            "governance": 82,
            "finance": 78,
            "services": 88.5,
            "team": 80,
            "conclusion": "中期评估良好",
        },
    )
    narratives.save(db, ug.id, HALF, NARRATIVE, NEXT_STEPS, 0)
    dotted = registry.register(
        db,
        {
            "name": DOT_NAME,
            "credit_code": credit_code(902),
            "legal_form": "social_service_org",
            "contact_person": DOT_PERSON,
            "contact_phone": "0991-2345678",
            "applied_on": "2025-09-01",
        },
    )
    return Special(ug.id, dotted.id)


@dataclass(frozen=True)
class Built:
    db: Database
    special: Special
    dir: Path
    results: dict[str, reports.ReportResult]

    def path(self, name: str) -> Path:
        return self.dir / f"{name}.pdf"


@pytest.fixture(scope="session")
def built(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("reports")
    path = folder / "registry.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database(str(path), actor="tester")
    demo.generate(db, orgs=24, seed=11, today=TODAY)
    logo = folder / "logo.png"
    Image.new("RGB", (120, 120), (31, 58, 95)).save(logo)
    special = _add_special(db, logo)
    some = registry.search_ids(db, registry.OrgQuery(), limit=5)
    some = [i for i in some if i not in (special.uyghur, special.dotted)][:3]
    results = {
        "org_zh": reports.org_report(
            db, special.uyghur, HALF, folder / "org_zh.pdf", lang="zh_CN", today=TODAY
        ),
        "org_en": reports.org_report(
            db, special.uyghur, HALF, folder / "org_en.pdf", lang="en", today=TODAY
        ),
        "dotted_zh": reports.org_report(
            db, credit_code(902), "2025", folder / "dotted_zh.pdf", lang="zh_CN", today=TODAY
        ),
        "center_zh": reports.center_report(
            db, HALF, folder / "center_zh.pdf", lang="zh_CN", today=TODAY
        ),
        "center_en": reports.center_report(
            db, "2025", folder / "center_en.pdf", lang="en", today=TODAY
        ),
    }
    # The pack in one process, and its parts laid out in two processes (pack_parts).
    for name, processes in (("pack_zh", 1), ("pack_zh_2", 2)):
        results[name] = reports.committee_pack(
            db,
            "2026Q2",
            folder / f"{name}.pdf",
            org_ids=[special.uyghur, special.dotted, *some],
            everyone=True,
            lang="zh_CN",
            today=TODAY,
            processes=processes,
        )
    yield Built(db, special, folder, results)
    db.dispose()
