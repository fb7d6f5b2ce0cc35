"""Regenerates the sample reports in this folder from demo data (same seed, same date, same
PDFs), and a PNG of each one's first page (pdftoppm, Debian poppler-utils).

    .venv/bin/python docs/reports/make_samples.py
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("INCUBATOR_HOME", tempfile.mkdtemp(prefix="samples-home-"))

from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from incubator import demo, reports  # noqa: E402
from incubator.db import Database  # noqa: E402
from incubator.domain import Stage  # noqa: E402
from incubator.reports.data import center_data  # noqa: E402
from incubator.schema import upgrade  # noqa: E402
from incubator.services import center_summary, narratives, registry, targets  # noqa: E402
from incubator.services.periods import parse_period  # noqa: E402

TODAY = dt.date(2026, 6, 30)
PERIOD = "2026-01-01..2026-06-30"
CENTER = "乌鲁木齐市天山区社会组织孵化基地"
NARRATIVE = (
    "本期该组织完成了理事会换届，修订了财务管理制度，新聘专职社工 2 名。"
    "项目在三个社区开展入户探访 420 人次，居民满意度 96%。\n\n"
    "存在的问题：财务人员为兼职，项目资金使用进度偏慢；志愿者管理仍以微信群为主。"
)
NEXT_STEPS = (
    "1. 7 月底前聘请专职会计，由孵化基地财务导师每月跟进一次；\n"
    "2. 9 月参加社会组织等级评估辅导；\n"
    "3. 建立志愿者服务时长记录制度，年底前完成 3A 等级评估申报。"
)


UYGHUR_NARRATIVE = (
    "该组织本期开展双语法律咨询 36 场，服务居民 410 人次。\n\n"
    "بۇ مەزگىلدە تەشكىلات 36 قېتىم قوش تىللىق قانۇن مەسلىھەت پائالىيىتى ئۆتكۈزۈپ، "
    "410 نەپەر ئاھالىگە مۇلازىمەت قىلدى؛ ئاھالىلەرنىڭ رازىمەنلىك نىسبىتى 87.5% بولدى."
)
# The summary's numbers are the report's own (filled in from the data in main()).
HIGHLIGHTS = (
    "上半年新入驻 {admitted} 家社会组织，{graduated} 家通过出壳评估；"
    "开展财务、项目管理等培训 {trainings} 场。\n\n"
    "“邻里守望”“银龄互助”两个品牌项目覆盖 9 个社区。"
)
PROBLEMS = "部分组织财务人员为兼职，票据管理不规范；{overdue} 笔资助资金拨付逾期。"
ACTIONS = (
    "1. 6 月起由财务导师每月上门核查一次账目；\n"
    "2. 已与资助方沟通逾期拨付事项，约定 7 月 15 日前到账。"
)


def logo(path: Path) -> Path:
    font = ImageFont.truetype(str(ROOT / "resources" / "fonts" / "wqy-microhei.ttc"), 120, index=0)
    im = Image.new("RGB", (200, 200), (255, 255, 255))
    d = ImageDraw.Draw(im)
    d.rounded_rectangle((6, 6, 194, 194), radius=36, fill=(31, 58, 95))
    d.text((100, 104), "孵", font=font, fill=(255, 255, 255), anchor="mm")
    im.save(path)
    return path


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="samples-"))
    db = Database(str(work / "registry.sqlite3"), actor="samples")
    upgrade(db)
    demo.generate(db, orgs=60, seed=2026, today=TODAY)
    narratives.set_center_info(
        db,
        CENTER,
        logo(work / "logo.png"),
        purchaser="乌鲁木齐市天山区民政局",
        operator="新疆益行社会工作服务中心",
        contract_no="TSMZ-GM-2026-017",
    )
    targets.save(
        db,
        2026,
        {
            "incubated": 40,
            "graduation_rate": 80,
            "disbursed": "600万",
            "training_hours": 1200,
            "occupancy_rate": 85,
            "overdue_payments": 0,
        },
        0,
    )
    data = center_data(db, parse_period(PERIOD), TODAY, with_rows=False)
    center_summary.save(
        db,
        PERIOD,
        HIGHLIGHTS.format(
            admitted=data.entered[Stage.ADMITTED],
            graduated=data.entered[Stage.GRADUATED],
            trainings=data.talent_totals.trainings,
        ),
        PROBLEMS.format(overdue=len(data.overdue_payments)),
        ACTIONS,
        0,
    )
    incubating = reports.pack_members(db, PERIOD, "incubating")
    views = registry.get_many(db, incubating)
    # The sample organization: one with a "·" in a name, in incubation.
    sample = next(
        (o for o in views if "·" in (o.contact_person or "") + (o.legal_representative or "")),
        views[0],
    )
    narratives.save(db, sample.id, PERIOD, NARRATIVE, NEXT_STEPS, 0)
    uyghur = [o.id for o in views if any("\u0600" <= c <= "\u06ff" for c in o.name)]
    pack_ids = list(dict.fromkeys([sample.id, *uyghur, *incubating]))[:8]
    if uyghur:
        narratives.save(db, uyghur[0], PERIOD, UYGHUR_NARRATIVE, "", 0)
    made = []
    for lang in ("zh_CN", "en"):
        made.append(
            reports.org_report(
                db, sample.id, PERIOD, HERE / f"org-{lang}.pdf", lang=lang, today=TODAY
            )
        )
        if uyghur:
            made.append(
                reports.org_report(
                    db, uyghur[0], PERIOD, HERE / f"org-uyghur-{lang}.pdf", lang=lang, today=TODAY
                )
            )
        made.append(
            reports.center_report(db, PERIOD, HERE / f"center-{lang}.pdf", lang=lang, today=TODAY)
        )
        made.append(
            reports.committee_pack(
                db, PERIOD, HERE / f"pack-{lang}.pdf", org_ids=pack_ids, lang=lang, today=TODAY
            )
        )
    for result in made:
        assert result.path is not None
        # The first page of each; the center report's summary page too.
        pages = [1, 2] if result.path.name.startswith("center") else [1]
        for page in pages:
            png = result.path.with_name(result.path.stem + ("" if page == 1 else f"-p{page}"))
            subprocess.run(
                [
                    *("pdftoppm", "-r", "60", "-png", "-f", str(page), "-l", str(page)),
                    *("-singlefile", str(result.path), str(png)),
                ],
                check=True,
            )
        print(f"{result.path.name}: {result.pages} pages, {result.bytes / 1024:.0f} KB")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
