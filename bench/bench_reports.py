"""Benchmark of the PDF reports, each against a raw ReportLab baseline measured in the same run.

    .venv/bin/python bench/bench_reports.py [--orgs 10000] [--pack 200] [--repeat 3]
    .venv/bin/python bench/bench_reports.py --smoke     # 60 organizations: a check

Cases:
- one organization's progress report (median of --repeat runs);
- the same from the command line, process start included (``main.py report org``), beside
  the raw report written by a process of its own (``--raw-org``: Python, ReportLab, sqlite3);
- the center report for a registry of --orgs organizations;
- a committee pack of --pack organizations (the center report first, as the app makes it),
  ours laid out on every core (``reports.pack_parts``), the raw one in one process.

The baseline builds the same tables, charts and text with plain ReportLab platypus from plain
SQL (sqlite3): no services, no script runs or Uyghur shaping, no running header, page totals,
bookmarks or table of contents. The ratio is ours / baseline. Results go to stdout and
bench/results/reports-<time>.json. The demo registry is cached in bench/results/.
"""

# ruff: noqa: E501  (SQL reads better unwrapped)
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"

from reportlab.graphics.charts.barcharts import VerticalBarChart  # noqa: E402
from reportlab.graphics.charts.piecharts import Pie  # noqa: E402
from reportlab.graphics.shapes import Drawing  # noqa: E402
from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate, Frame, PageTemplate  # noqa: E402

TODAY = dt.date(2026, 6, 30)
PERIOD = ("2026-01-01", "2026-06-30")


# --- the registry -------------------------------------------------------------------------


def registry(orgs: int, folder: Path = RESULTS) -> Path:
    """A demo registry of ``orgs`` organizations, made once and kept in bench/results/."""
    from bench.bench_org_list import demo_file

    return demo_file(folder / f"demo-{orgs}.sqlite3", orgs=orgs, seed=2026, today=TODAY)


# --- the raw baseline ----------------------------------------------------------------------


class Raw:
    """The same content with plain platypus: Paragraphs, Tables, Drawings, one font."""

    def __init__(self) -> None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        font = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
        if "RawWQY" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("RawWQY", str(font), subfontIndex=0))
        self.body = ParagraphStyle("b", fontName="RawWQY", fontSize=9.5, leading=14, wordWrap="CJK")
        self.cell = ParagraphStyle(
            "c", fontName="RawWQY", fontSize=8.3, leading=10.8, wordWrap="CJK"
        )
        self.h = ParagraphStyle("h", fontName="RawWQY", fontSize=13.5, leading=18, spaceBefore=10)
        self.title = ParagraphStyle("t", fontName="RawWQY", fontSize=21, leading=28, alignment=1)

    def table(self, header, rows, widths, small=False) -> Table:
        size = 7.4 if small else 8.3
        return Table(
            [header, *rows],
            colWidths=widths,
            repeatRows=1,
            style=TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), "RawWQY", size, size * 1.3),
                    ("BACKGROUND", (0, 0), (-1, 0), "#1F3A5F"),
                    ("TEXTCOLOR", (0, 0), (-1, 0), "white"),
                    ("ROWBACKGROUNDS", (0, 1), (-1, -1), ["white", "#F3F6FA"]),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.35, "#B8C4D2"),
                    ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ]
            ),
        )

    def bars(self, data, names, width=480, height=160) -> Drawing:
        d = Drawing(width, height)
        c = VerticalBarChart()
        c.x, c.y, c.width, c.height = 30, 20, width - 40, height - 40
        c.data = data or [[0]]
        c.categoryAxis.categoryNames = names
        c.categoryAxis.labels.fontName = c.valueAxis.labels.fontName = "RawWQY"
        d.add(c)
        return d

    def pie(self, values) -> Drawing:
        d = Drawing(240, 150)
        p = Pie()
        p.x, p.y, p.width, p.height = 10, 10, 120, 120
        p.data = [v or 0.001 for v in values] or [1]
        d.add(p)
        return d

    def doc(self, target) -> BaseDocTemplate:
        doc = BaseDocTemplate(target, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm)
        pw, ph = A4
        lw, lh = landscape(A4)
        doc.addPageTemplates(
            [
                PageTemplate("p", [Frame(20 * mm, 20 * mm, pw - 40 * mm, ph - 47 * mm)]),
                PageTemplate(
                    "l", [Frame(20 * mm, 20 * mm, lw - 40 * mm, lh - 47 * mm)], pagesize=(lw, lh)
                ),
            ]
        )
        return doc

    def org_story(self, conn: sqlite3.Connection, org_id: int) -> list:
        start, end = PERIOD
        q = conn.execute
        o = q(
            "SELECT o.name, short_name, credit_code, legal_form, area_county, area_township, "
            "area_community, founded_on, registered_on, legal_representative, c.name, "
            "c.phone, staff_count, volunteer_count, stage, stage_since, agreement_start, "
            "agreement_planned_end FROM organizations o LEFT JOIN organization_contacts c "
            "ON c.organization_id = o.id AND c.is_main WHERE o.id = ?",
            (org_id,),
        ).fetchone()
        s = [Paragraph("社会组织孵化进展报告", self.title), Paragraph(o[0], self.title)]
        pairs = [str(v or "—") for v in o]
        s.append(
            self.table(
                ["项", "值", "项", "值"],
                [pairs[i : i + 4] for i in range(0, 16, 4)],
                [60, 180, 60, 180],
            )
        )
        s.append(Paragraph("二、孵化历程", self.h))
        rows = q(
            "SELECT occurred_on, from_stage, to_stage, actor, reason FROM lifecycle_transitions "
            "WHERE organization_id = ? AND occurred_on <= ? ORDER BY occurred_on, id",
            (org_id, end),
        ).fetchall()
        s.append(
            self.table(
                ["日期", "原阶段", "新阶段", "操作人", "原因"],
                [[Paragraph(str(c or ""), self.cell) for c in r] for r in rows],
                [60, 70, 70, 60, 222],
            )
        )
        s.append(Paragraph("三、获得支持情况", self.h))
        rows = q(
            "SELECT f.source, f.kind, "
            "SUM(CASE WHEN f.committed_on BETWEEN ? AND ? THEN f.amount_committed ELSE 0 END), "
            "SUM(f.amount_committed), "
            "(SELECT COALESCE(SUM(p.amount), 0) FROM fund_payments p JOIN funds g ON g.id = p.fund_id "
            " WHERE g.organization_id = f.organization_id AND g.source = f.source AND g.kind = f.kind "
            " AND p.status = 'paid' AND p.paid_on <= ?) "
            "FROM funds f WHERE f.organization_id = ? AND f.status != 'cancelled' AND f.committed_on <= ? "
            "GROUP BY f.source, f.kind",
            (start, end, end, org_id, end),
        ).fetchall()
        s.append(
            self.table(
                ["来源", "类型", "本期承诺", "累计承诺", "累计拨付"],
                [[r[0], r[1], f"{r[2]:,.2f}", f"{r[3]:,.2f}", f"{r[4]:,.2f}"] for r in rows],
                [80, 80, 107, 107, 108],
            )
        )
        rows = q(
            "SELECT committed_on, title, source_name, kind, amount_committed, status FROM funds "
            "WHERE organization_id = ? AND committed_on <= ? ORDER BY committed_on",
            (org_id, end),
        ).fetchall()
        s.append(
            self.table(
                ["日期", "名称", "资助方", "类型", "金额", "状态"],
                [
                    [
                        r[0],
                        Paragraph(r[1], self.cell),
                        Paragraph(r[2] or "", self.cell),
                        r[3],
                        f"{r[4]:,.2f}",
                        r[5],
                    ]
                    for r in rows
                ],
                [55, 130, 120, 60, 67, 50],
                small=True,
            )
        )
        rows = q(
            "SELECT name, funder, budget, start_on, end_on, beneficiaries, status FROM projects "
            "WHERE organization_id = ? AND status != 'cancelled' AND start_on <= ? "
            "AND (end_on IS NULL OR end_on >= ?)",
            (org_id, end, start),
        ).fetchall()
        s.append(
            self.table(
                ["项目", "资助方", "预算", "开始", "结束", "受益", "状态"],
                [
                    [
                        Paragraph(r[0], self.cell),
                        Paragraph(r[1] or "", self.cell),
                        f"{r[2]:,.2f}",
                        r[3],
                        r[4],
                        r[5],
                        r[6],
                    ]
                    for r in rows
                ],
                [110, 100, 60, 55, 55, 50, 52],
            )
        )
        rows = q(
            "SELECT start_on, kind, title, person_name, people_count, hours FROM talent_records "
            "WHERE organization_id = ? AND start_on BETWEEN ? AND ? ORDER BY start_on",
            (org_id, start, end),
        ).fetchall()
        s.append(
            self.table(
                ["日期", "类型", "名称", "人员", "人数", "时长"],
                [[r[0], r[1], Paragraph(r[2], self.cell), r[3] or "", r[4], r[5]] for r in rows],
                [60, 70, 170, 90, 40, 52],
                small=True,
            )
        )
        rows = q(
            "SELECT s.code, s.name, s.area_m2, a.start_on, a.end_on FROM space_allocations a "
            "JOIN spaces s ON s.id = a.space_id WHERE a.organization_id = ? AND a.status = 'active' "
            "AND a.start_on <= ? AND a.end_on >= ?",
            (org_id, end, start),
        ).fetchall()
        s.append(
            self.table(
                ["场地", "名称", "面积", "开始", "结束"],
                [list(r) for r in rows],
                [60, 170, 70, 91, 91],
            )
        )
        s.append(Paragraph("四、评估", self.h))
        rows = q(
            "SELECT evaluated_on, kind, evaluator, governance, finance, services, team FROM evaluations "
            "WHERE organization_id = ? AND evaluated_on <= ? ORDER BY evaluated_on",
            (org_id, end),
        ).fetchall()
        s.append(
            self.bars(
                [[float(x) for x in r[3:]] for r in rows[-4:]], ["治理", "财务", "服务", "团队"]
            )
        )
        s.append(
            self.table(
                ["日期", "类型", "评估人", "治理", "财务", "服务", "团队"],
                [list(r) for r in rows],
                [60, 60, 150, 53, 53, 53, 53],
            )
        )
        s.append(Paragraph("五、工作评价与下一步计划", self.h))
        s.append(Paragraph("工作人员评价", self.body))
        s.append(self.table([""], [[""], [""], [""]], [482]))
        s.append(
            self.table(
                ["填报人", "审核人", "孵化基地（盖章）"],
                [["签字：", "签字：", "签字："], ["日期：", "日期：", "日期："]],
                [160, 161, 161],
            )
        )
        return s

    def center_story(self, conn: sqlite3.Connection) -> list:
        start, end = PERIOD
        q = conn.execute
        s = [Paragraph("孵化中心工作报告", self.title)]
        stages = q(
            "SELECT stage, COUNT(*) FROM (SELECT to_stage AS stage, ROW_NUMBER() OVER ("
            "PARTITION BY organization_id ORDER BY occurred_on DESC, id DESC) AS rn "
            "FROM lifecycle_transitions WHERE occurred_on <= ?) WHERE rn = 1 GROUP BY stage",
            (end,),
        ).fetchall()
        s.append(self.table(["阶段", "期末"], [list(r) for r in stages], [200, 100]))
        s.append(self.bars([[r[1] for r in stages]], [r[0] for r in stages]))
        for col in ("source", "kind"):
            rows = q(
                f"SELECT {col}, SUM(CASE WHEN committed_on BETWEEN ? AND ? THEN amount_committed "
                f"ELSE 0 END), SUM(amount_committed) FROM funds WHERE status != 'cancelled' AND "
                f"committed_on <= ? GROUP BY {col}",
                (start, end, end),
            ).fetchall()
            s.append(
                self.table(
                    [col, "本期承诺", "累计承诺"],
                    [[r[0], f"{r[1]:,.2f}", f"{r[2]:,.2f}"] for r in rows],
                    [160, 160, 162],
                )
            )
        s.append(self.pie([r[1] for r in rows]))
        months = q(
            "SELECT strftime('%Y-%m', p.paid_on), SUM(p.amount) FROM fund_payments p JOIN funds f "
            "ON f.id = p.fund_id WHERE p.status = 'paid' AND p.paid_on BETWEEN ? AND ? GROUP BY 1",
            (start, end),
        ).fetchall()
        s.append(self.bars([[float(r[1]) for r in months]], [r[0] for r in months]))
        rows = q(
            "SELECT status, COUNT(*), SUM(budget), SUM(beneficiaries) FROM projects WHERE "
            "status != 'cancelled' AND start_on <= ? AND (end_on IS NULL OR end_on >= ?) GROUP BY status",
            (end, start),
        ).fetchall()
        s.append(
            self.table(
                ["状态", "项目", "预算", "受益"], [list(r) for r in rows], [120, 120, 120, 122]
            )
        )
        rows = q(
            "SELECT kind, COUNT(*), SUM(people_count), SUM(hours) FROM talent_records WHERE "
            "start_on BETWEEN ? AND ? GROUP BY kind",
            (start, end),
        ).fetchall()
        s.append(
            self.table(
                ["类型", "次数", "人数", "时长"], [list(r) for r in rows], [120, 120, 120, 122]
            )
        )
        rows = q(
            "SELECT s.kind, COUNT(DISTINCT s.id), SUM(s.area_m2) FROM spaces s WHERE s.active = 1 "
            "GROUP BY s.kind"
        ).fetchall()
        s.append(self.table(["类型", "场地", "面积"], [list(r) for r in rows], [160, 160, 162]))
        s.append(self.bars([[r[1] for r in rows]], [r[0] for r in rows]))
        # The annex: one row per organization, the same measures as the app's.
        rows = q(
            """
            SELECT o.name, o.credit_code, o.stage,
              (SELECT COALESCE(SUM(amount_committed), 0) FROM funds f WHERE f.organization_id = o.id
                 AND f.status != 'cancelled' AND f.committed_on BETWEEN :s AND :e),
              (SELECT COALESCE(SUM(p.amount), 0) FROM fund_payments p JOIN funds f ON f.id = p.fund_id
                 WHERE f.organization_id = o.id AND p.status = 'paid' AND p.paid_on BETWEEN :s AND :e),
              (SELECT COUNT(*) FROM projects p WHERE p.organization_id = o.id AND p.start_on <= :e),
              (SELECT COALESCE(SUM(budget), 0) FROM projects p WHERE p.organization_id = o.id
                 AND p.start_on <= :e),
              (SELECT COALESCE(SUM(beneficiaries), 0) FROM projects p WHERE p.organization_id = o.id),
              (SELECT COUNT(*) FROM talent_records t WHERE t.organization_id = o.id
                 AND t.start_on BETWEEN :s AND :e),
              (SELECT COALESCE(SUM(hours), 0) FROM talent_records t WHERE t.organization_id = o.id
                 AND t.start_on BETWEEN :s AND :e),
              (SELECT COUNT(*) FROM space_allocations a WHERE a.organization_id = o.id)
            FROM organizations o ORDER BY o.name_sort
            """,
            {"s": start, "e": end},
        ).fetchall()
        s += [NextPageTemplate("l"), PageBreak(), Paragraph("附表：全部社会组织", self.h)]
        header = [
            "序号",
            "名称",
            "统一社会信用代码",
            "阶段",
            "承诺",
            "拨付",
            "项目",
            "预算",
            "受益",
            "培训",
            "学时",
            "场地",
        ]
        widths = [33, 138, 91, 62, 66, 66, 33, 66, 47, 40, 44, 44]
        body = [
            [
                str(i),
                r[0],
                r[1] or "—",
                r[2],
                f"{r[3]:,.2f}",
                f"{r[4]:,.2f}",
                r[5],
                f"{r[6]:,.2f}",
                r[7],
                r[8],
                r[9],
                r[10],
            ]
            for i, r in enumerate(rows, start=1)
        ]
        for k in range(0, len(body), 30):  # page-sized tables, as one would write it by hand
            s.append(self.table(header, body[k : k + 30], widths, small=True))
        s.append(NextPageTemplate("p"))
        return s


# --- measuring ------------------------------------------------------------------------------


def timed(fn) -> tuple[float, object]:
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def pages_of(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orgs", type=int, default=10_000)
    ap.add_argument("--pack", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--smoke", action="store_true", help="60 organizations, a pack of 3, once")
    ap.add_argument(
        "--raw-org",
        nargs=3,
        metavar=("REGISTRY", "ORG_ID", "OUT"),
        help="only write the raw organization report (the command line case's baseline)",
    )
    args = ap.parse_args(argv)
    if args.raw_org:
        registry_path, org_id, target = args.raw_org
        raw = Raw()
        raw.doc(target).build(raw.org_story(sqlite3.connect(registry_path), int(org_id)))
        return 0
    os.environ.setdefault("INCUBATOR_HOME", tempfile.mkdtemp(prefix="bench-home-"))
    if args.smoke:
        args.orgs, args.pack, args.repeat = 60, 3, 1
        with tempfile.TemporaryDirectory(prefix="bench-reports-") as folder:
            return run(args, Path(folder))
    return run(args, RESULTS)


def run(args: argparse.Namespace, folder: Path) -> int:
    from incubator import reports
    from incubator.db import Database

    path = registry(args.orgs, folder)
    db = Database(str(path))
    conn = sqlite3.connect(path)
    raw = Raw()
    out = Path(tempfile.mkdtemp(prefix="bench-reports-", dir=folder))
    period = f"{PERIOD[0]}..{PERIOD[1]}"
    members = reports.pack_members(db, period)[: args.pack]
    org_id = members[0]
    cases = []

    def record(name: str, ours: list[float], base: list[float], ours_pdf: Path, raw_pdf: Path):
        o, b = statistics.median(ours), statistics.median(base)
        row = {
            "case": name,
            "ours_s": round(o, 3),
            "raw_reportlab_s": round(b, 3),
            "ratio": round(o / b, 2) if b else None,
            "ours_pages": pages_of(ours_pdf),
            "raw_pages": pages_of(raw_pdf),
            "ours_bytes": ours_pdf.stat().st_size,
            "runs": len(ours),
        }
        cases.append(row)
        print(
            f"{name:<34} ours {o:8.2f} s  raw {b:8.2f} s  ratio {row['ratio']:5.2f}  "
            f"pages {row['ours_pages']}/{row['raw_pages']}  {row['ours_bytes'] / 1e6:.2f} MB"
        )

    def turns(ours_fn, raw_fn) -> tuple[list[float], list[float]]:
        """Ours and the raw one in turns, --repeat times each (the machine's speed drifts)."""
        ours, base = [], []
        for _ in range(args.repeat):
            ours.append(timed(ours_fn)[0])
            base.append(timed(raw_fn)[0])
        return ours, base

    # 1. One organization's progress report.
    def raw_org() -> None:
        raw.doc(str(out / "org-raw.pdf")).build(raw.org_story(conn, org_id))

    record(
        "organization report",
        *turns(
            lambda: reports.org_report(
                db, org_id, period, out / "org.pdf", lang="zh_CN", today=TODAY
            ),
            raw_org,
        ),
        out / "org.pdf",
        out / "org-raw.pdf",
    )

    # 1b. The same from the command line: a fresh process each time, as staff run it.
    def process(*command: str) -> None:
        subprocess.run([sys.executable, *command], check=True, cwd=ROOT, capture_output=True)

    ours_cli = [
        "main.py", "report", "org", str(org_id), "--period", period,
        "--out", str(out / "org-cli.pdf"), "--db", str(path), "--lang", "zh_CN",
    ]  # fmt: skip
    raw_cli = ["bench/bench_reports.py", "--raw-org", str(path), str(org_id)]
    record(
        "organization report, command line",
        *turns(lambda: process(*ours_cli), lambda: process(*raw_cli, str(out / "org-cli-raw.pdf"))),
        out / "org-cli.pdf",
        out / "org-cli-raw.pdf",
    )

    # 2. The center report over the whole registry.
    def raw_center() -> None:
        raw.doc(str(out / "center-raw.pdf")).build(raw.center_story(conn))

    record(
        f"center report, {args.orgs:,} orgs",
        *turns(
            lambda: reports.center_report(
                db, period, out / "center.pdf", lang="zh_CN", today=TODAY
            ),
            raw_center,
        ),
        out / "center.pdf",
        out / "center-raw.pdf",
    )

    # 3. A committee pack.
    from incubator.reports.pack_parts import processes_for

    def raw_pack() -> None:
        story = raw.center_story(conn)
        for oid in members:
            story += [PageBreak(), *raw.org_story(conn, oid)]
        raw.doc(str(out / "pack-raw.pdf")).build(story)

    processes = processes_for(db, len(members), None)
    record(
        f"committee pack, {len(members)} orgs, {processes} processes",
        *turns(
            lambda: reports.committee_pack(
                db, period, out / "pack.pdf", org_ids=members, lang="zh_CN", today=TODAY
            ),
            raw_pack,
        ),
        out / "pack.pdf",
        out / "pack-raw.pdf",
    )

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    report = {
        "when": stamp,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "registry_orgs": args.orgs,
        "period": period,
        "cases": cases,
    }
    target = folder / f"reports-{stamp}.json"
    target.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"results written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
