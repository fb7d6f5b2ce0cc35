"""The center report's figures grouped every way (by organization, source, kind, month) add up
to the same totals (on SQLite and PostgreSQL), and the center report and committee pack read
back right: outline, table of contents, landscape annex."""

from __future__ import annotations

import re
from decimal import Decimal

import pdfplumber
import pytest
from pypdf import PdfReader

from incubator import demo, reports
from incubator.db import Database
from incubator.domain import Stage, TalentKind
from incubator.reports import fmt
from incubator.reports.data import center_data, fund_breakdown
from incubator.services import funds, projects, registry, spaces, talent
from incubator.services.periods import parse_period
from tests.pdf import pdfread
from tests.pdf.conftest import HALF, TODAY, UYGHUR_NAME, Built


@pytest.mark.parametrize("period", ["2025", "2026Q1", "2024-07-01..2026-06-30"])
def test_aggregate_sql_equals_the_services(db: Database, period: str) -> None:
    demo.generate(db, orgs=14, seed=3, today=TODAY)
    p = parse_period(period)
    data = center_data(db, p, TODAY)
    for totals, since in ((data.fund_totals, p.start), (data.fund_totals_to_date, None)):
        assert totals == funds.totals(db, None, since, p.end)
    t = data.funds.total
    assert (t.committed, t.disbursed) == (data.fund_totals.committed, data.fund_totals.disbursed)
    assert (t.committed_to_date, t.disbursed_to_date) == (
        data.fund_totals_to_date.committed,
        data.fund_totals_to_date.disbursed,
    )
    assert sum((m.committed for m in data.funds.by_kind.values()), Decimal(0)) == t.committed
    assert sum((a for _, a in data.disbursed_by_month), Decimal(0)) == t.disbursed
    # Per organization: the table's rows add up to the services' center totals ...
    rows = data.rows
    assert sum((r.committed for r in rows), Decimal(0)) == data.fund_totals.committed
    assert sum((r.disbursed for r in rows), Decimal(0)) == data.fund_totals.disbursed
    pt = projects.totals(db, None, p.start, p.end)
    assert sum(r.projects for r in rows) == pt.count
    assert sum((r.budget for r in rows), Decimal(0)) == pt.budget
    assert sum(r.beneficiaries for r in rows) == pt.beneficiaries
    tt = talent.totals(db, None, p.start, p.end)
    assert sum(r.trainings for r in rows) == tt.trainings
    for kind in TalentKind:
        assert sum(r.talent.exact_hours(kind) for r in rows) == tt.exact_hours(kind)
    # ... and each row equals the services' figures for that organization.
    for r in rows[:6]:
        ft = funds.totals(db, r.id, p.start, p.end)
        assert (r.committed, r.disbursed) == (ft.committed, ft.disbursed)
        assert r.space_days == spaces.occupancy(db, p.start, p.end, r.id).occupied_days
        assert r.training_hours == talent.totals(db, r.id, p.start, p.end).training_hours
        assert fund_breakdown(db, p.start, p.end, r.id).total.committed == ft.committed
    occ = spaces.occupancy(db, p.start, p.end)
    assert sum(k.occupied_days for k in data.occupancy_by_kind.values()) == occ.occupied_days
    assert sum(k.space_days for k in data.occupancy_by_kind.values()) == occ.space_days
    assert sum(n for n, _, _ in data.projects_by_status.values()) == pt.count


def test_stage_counts_at_the_end_of_the_period(db: Database) -> None:
    demo.generate(db, orgs=14, seed=3, today=TODAY)
    far = center_data(db, parse_period("2026"), TODAY)  # ends after every transition
    assert far.stage_at_end == registry.count_by_stage(db, include_archived=True)
    early = center_data(db, parse_period("2024Q1"), TODAY)
    assert early.headcount.organizations <= far.headcount.organizations


def test_center_report_lists_every_organization(built: Built) -> None:
    # The figures themselves are checked against hand-computed numbers in
    # test_period_figures.py; here: the annex has a line per organization, and its count.
    text = pdfread.text(built.path("center_zh"))
    data = center_data(built.db, parse_period(HALF), TODAY)
    assert f"合计：{fmt.integer(len(data.rows))} 家组织" in text
    assert all(r.credit_code in text for r in data.rows if r.credit_code)


def test_center_report_outline_and_landscape_annex(built: Built) -> None:
    path = built.path("center_en")
    entries = pdfread.outline(path)
    assert [t for _, t, _ in entries] == [
        "Center report",
        "Summary",
        "1. Organizations",
        "2. Funds (yuan)",
        "3. Projects",
        "4. Talent",
        "5. Space",
        "6. Overdue at the end of the period",
        "7. Compliance with the registration authority",
        "8. Annex: all organizations",
    ]
    reader = PdfReader(path)
    annex_page = entries[-1][2]
    for number, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        landscape = box.width > box.height
        assert landscape == (number >= annex_page), number


@pytest.mark.parametrize("name", ["pack_zh", "pack_zh_2"])
def test_pack_outline_and_table_of_contents(built: Built, name: str) -> None:
    path = built.path(name)
    entries = pdfread.outline(path)
    top = [(t, pg) for level, t, pg in entries if level == 0]
    assert [t for t, _ in top] == ["评审会议材料", "孵化中心工作报告", "社会组织孵化进展报告"]
    orgs = [(t, pg) for level, t, pg in entries if level == 1 and pg >= top[2][1]]
    assert len(orgs) == 5
    assert orgs[0][0] == UYGHUR_NAME
    assert [pg for _, pg in orgs] == sorted(pg for _, pg in orgs)
    assert len({pg for _, pg in orgs}) == 5  # each report starts on its own page
    # The contents page prints the same page numbers as the bookmarks.
    toc = pdfread.page_texts(path)[0]
    for title, page in orgs[1:]:
        assert re.search(re.escape(title) + r"[ .]*" + str(page) + r"\b", toc), title
    center = dict(top)["孵化中心工作报告"]
    assert re.search(r"孵化中心工作报告[ .]*" + str(center) + r"\b", toc)
    assert len(PdfReader(path).pages) == built.results[name].pages
    # Each entry of the contents links to its page: the center report, its 8 sections, the
    # organizations' part, then each organization.
    leads_to = pdfread.links(path, 1)
    assert len(leads_to) == 1 + 8 + 1 + 5
    assert leads_to[0] == center and leads_to[9] == top[2][1]
    assert leads_to[10:] == [pg for _, pg in orgs]
    # Every page says its number and the total, and each report begins where its entry says.
    texts = pdfread.page_texts(path)
    for number, page_text in enumerate(texts, start=1):
        assert re.search(rf"第 {number} 页\s*共 {len(texts)} 页", page_text), number
    for title, page in orgs[1:]:  # (the first is in Uyghur: pdfplumber reads it reversed)
        assert title.replace("·", "") in texts[page - 1].replace("·", ""), title


def test_pack_in_processes_on_either_database(db: Database, tmp_path) -> None:
    """Each process opens the registry itself, a SQLite file or a PostgreSQL database."""
    demo.generate(db, orgs=14, seed=3, today=TODAY)
    ids = reports.pack_members(db, "2026Q2", everyone=True, today=TODAY)[:4]
    made = [
        reports.committee_pack(
            db, "2026Q2", tmp_path / f"{n}.pdf", org_ids=ids, today=TODAY, processes=n
        )
        for n in (1, 2)
    ]
    assert made[0].pages == made[1].pages > 4
    one, two = (tmp_path / "1.pdf", tmp_path / "2.pdf")
    assert pdfread.page_texts(one) == pdfread.page_texts(two)
    assert pdfread.outline(one) == pdfread.outline(two)


def test_pack_is_the_same_laid_out_in_parts(built: Built) -> None:
    one, two = (pdfread.page_texts(built.path(n)) for n in ("pack_zh", "pack_zh_2"))
    assert one == two
    assert pdfread.outline(built.path("pack_zh")) == pdfread.outline(built.path("pack_zh_2"))


def test_pack_members_by_stage_and_by_period(built: Built) -> None:
    db = built.db
    incubating = reports.pack_members(db, "2026Q2", Stage.INCUBATING)
    assert built.special.uyghur in incubating
    ids = set(incubating)
    assert all(o.stage is Stage.INCUBATING for o in registry.get_many(db, list(ids)))
    worked = reports.pack_members(db, "2026Q2", everyone=True)
    assert built.special.uyghur in worked and built.special.dotted in worked
    assert reports.pack_members(db, "2020") == []  # nobody had applied yet


@pytest.mark.slow
def test_center_report_for_10000_organizations(demo_at_scale, at_scale, tmp_path) -> None:
    out = tmp_path / "center.pdf"
    seen = []
    result = reports.center_report(
        at_scale,
        "2026",
        out,
        lang="zh_CN",
        today=demo_at_scale.today,
        progress=lambda d, t: seen.append(d) or True,
    )
    data = center_data(at_scale, parse_period("2026"), demo_at_scale.today)
    assert len(data.rows) > 5000
    assert result.pages > len(data.rows) // 40
    assert seen == sorted(seen) and seen[-1] == 1000
    with pdfplumber.open(out) as pdf:  # only the last page: reading 300 pages takes minutes
        last = pdf.pages[-1].extract_text()
    assert f"合计：{fmt.integer(len(data.rows))} 家组织" in last
    assert out.stat().st_size < 20_000_000
