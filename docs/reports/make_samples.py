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
from incubator.schema import upgrade  # noqa: E402
from incubator.services import narratives, registry  # noqa: E402

TODAY = dt.date(2026, 6, 30)
PERIOD = "2026-01-01..2026-06-30"
CENTER = "乌鲁木齐市天山区社会组织孵化基地"
NARRATIVE = (
    "本期该组织完成了理事会换届，修订了财务管理制度，专职人员增加到 6 人。"
    "“邻里守望”项目在三个社区开展入户探访 420 人次，居民满意度 96%。\n\n"
    "存在的问题：财务人员为兼职，项目资金使用进度偏慢；志愿者管理仍以微信群为主。"
)
NEXT_STEPS = (
    "1. 7 月底前聘请专职会计，由孵化基地财务导师每月跟进一次；\n"
    "2. 9 月参加社会组织等级评估辅导；\n"
    "3. 建立志愿者服务时长记录制度，年底前完成 3A 等级评估申报。"
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
    narratives.set_center_info(db, CENTER, logo(work / "logo.png"))
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
    made = []
    for lang in ("zh_CN", "en"):
        made.append(
            reports.org_report(
                db, sample.id, PERIOD, HERE / f"org-{lang}.pdf", lang=lang, today=TODAY
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
        png = result.path.with_suffix("")
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "60",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(result.path),
                str(png),
            ],
            check=True,
        )
        print(f"{result.path.name}: {result.pages} pages, {result.bytes / 1024:.0f} KB")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
