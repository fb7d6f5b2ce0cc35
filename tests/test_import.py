"""Importing organizations from the spreadsheets centers really have: every format and
encoding, title rows and totals, header synonyms, messy values, a dry run that says what each
row would do, an all-or-nothing audited commit, an error report, and the CLI's exit codes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import func, select

from incubator.cli import main as cli_main
from incubator.db import Database
from incubator.domain import LegalForm, Stage
from incubator.importing import error_report, sheets
from incubator.importing import organizations as importer
from incubator.models import AuditEntry, Organization
from incubator.services import registry
from tests import importing_files as files
from tests.factories import credit_code

TITLE = ["2025年天山区社会组织名录（截至12月31日）"]
HEADER = [
    "序号",
    "社会组织名称",
    "统一社会信用代码",
    "法人代表",
    "成立日期",
    "注册资金（万元）",
    "业务范围",
    "住所",
    "上级主管单位",
]


def bureau_rows() -> list[list[object]]:
    """A bureau's list: a title, a note, a blank row, the header, data, a totals row."""
    return [
        TITLE,
        ["制表单位：天山区民政局"],
        [],
        HEADER,
        [
            1,
            "天山区阳光助老服务中心",
            credit_code(1),
            "张三",
            "2002-01-06",
            50,
            "助老服务",
            "天山区",
            "民政局",
        ],
        [2, "水磨沟区青年志愿者协会", credit_code(2), "N/A", "2002/1/6", "3", "-", "无", ""],
        [3, "沙依巴克区邻里互助会", credit_code(3), "李四", "2002.1.6", "0.5", "", "", ""],
        [4, "米东区调解工作室", credit_code(4), "王五", "2002年1月6日", None, "", "", ""],
        [],
        ["合计", "", "", "", "", 53.5, "", "", ""],
    ]


def counted(db: Database) -> tuple[int, int]:
    with db.reading() as session:
        orgs = session.scalar(select(func.count()).select_from(Organization))
        audit = session.scalar(select(func.count()).select_from(AuditEntry))
    return int(orgs or 0), int(audit or 0)


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods", "csv-utf-8", "csv-utf-8-sig", "csv-gbk"])
def test_a_bureau_list_comes_in_from_every_format(sqlite_db: Database, tmp_path: Path, fmt: str):
    rows = bureau_rows()
    if fmt.startswith("csv"):
        path = files.csv_file(tmp_path / "list.csv", rows, fmt.removeprefix("csv-"))
    else:
        path = getattr(files, fmt)(tmp_path / f"list.{fmt}", rows)
    sheet = sheets.read(path)
    plan = importer.plan(sqlite_db, sheet)
    assert plan.layout.header_row == 3  # the title, the note and the blank row are skipped
    assert plan.layout.ignored == ["序号", "上级主管单位"]
    assert [r.row for r in plan.rows] == [5, 6, 7, 8]
    assert [s[0] for s in plan.skipped] == [10]  # the totals row
    assert [r.action for r in plan.rows] == ["create"] * 4, [r.problems for r in plan.rows]
    new = [r.new.clean for r in plan.rows]
    assert [n["name"] for n in new][:2] == ["天山区阳光助老服务中心", "水磨沟区青年志愿者协会"]
    # Every spelling of 6 January 2002.
    assert {n["founded_on"] for n in new} == {dt.date(2002, 1, 6)}
    # "注册资金（万元）": 50 -> 500,000.00, "3" -> 30,000.00, "0.5" -> 5,000.00.
    assert [n["registered_capital"] for n in new] == [
        Decimal("500000.00"),
        Decimal("30000.00"),
        Decimal("5000.00"),
        None,
    ]
    assert new[1]["legal_representative"] is None and new[1]["address"] is None  # N/A, 无
    # No legal form in the list: read from the codes (51...: social group), with a warning.
    assert {n["legal_form"] for n in new} == {LegalForm.SOCIAL_GROUP}
    assert all("credit code" in " ".join(w.message for w in r.warnings) for r in plan.rows)

    before = counted(sqlite_db)
    result = importer.commit(sqlite_db, plan, actor="importer")
    assert (result.created, result.updated, result.rejected) == (4, 0, 0)
    orgs, audit = counted(sqlite_db)
    assert orgs == before[0] + 4 and audit > before[1]  # written and audited
    # Imported again: every row matched by its code, nothing to change.
    again = importer.plan(sqlite_db, sheets.read(path))
    assert [r.action for r in again.rows] == ["unchanged"] * 4


def test_messy_values_are_read_as_meant_or_rejected_with_row_column_value_and_reason(
    sqlite_db: Database, tmp_path: Path
) -> None:
    code = credit_code(11)
    spaced = f"{code[:6]} {code[6:12]} {code[12:]}".lower()
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in credit_code(12))
    wrong_check = credit_code(13)[:-1] + ("0" if credit_code(13)[-1] != "0" else "1")
    enterprise = "91650100MA7769100B"  # a company's code: not issued by civil affairs
    rows = [
        ["组织名称", "信用代码", "成立日期", "开办资金", "类型", "备注"],
        ["空格小写代码协会", spaced, 37262, "2,814.9780(万元人民币)", "社会团体", ""],
        ["全角代码服务中心", fullwidth, "2002-01-06", "50(万)", "民办非企业单位", ""],
        ["校验位错误协会", wrong_check, "", "¥1,200.50", "", ""],
        ["企业代码公司", enterprise, "", "１２００", "", ""],
        ["乱码协会", "9165ï¼\x8c0100", "", "", "", ""],
        ["过长备注协会", credit_code(15), "", "", "", "长" * 4001],
        ["", "", "昨天", "", "", ""],
    ]
    plan = importer.plan(sqlite_db, sheets.read(files.xlsx(tmp_path / "messy.xlsx", rows)))
    by_row = {r.row: r for r in plan.rows}
    first, second = by_row[2].new.clean, by_row[3].new.clean
    assert first["credit_code"] == code and second["credit_code"] == credit_code(12)
    assert first["founded_on"] == dt.date(2002, 1, 6)  # Excel's serial 37262
    assert first["registered_capital"] == Decimal("28149780.00")
    assert second["registered_capital"] == Decimal("500000.00")
    assert first["legal_form"] is LegalForm.SOCIAL_GROUP
    assert second["legal_form"] is LegalForm.SOCIAL_SERVICE_ORG

    def problem(row: int) -> tuple[str, str, str]:
        (p,) = by_row[row].problems
        return p.column, p.value, p.message

    column, value, message = problem(4)
    assert (column, value) == ("信用代码", wrong_check) and "Check character" in message
    # An enterprise's code comes in, with a warning; its amount in full-width digits too.
    assert by_row[5].action == "create"
    assert by_row[5].new.clean["registered_capital"] == Decimal("1200.00")
    assert any("civil affairs" in w.message for w in by_row[5].warnings)
    assert by_row[5].new.clean["legal_form"] is LegalForm.UNKNOWN
    assert problem(6)[0] == "信用代码" and by_row[6].action == "reject"  # mojibake
    column, value, message = problem(7)
    assert column == "备注" and "at most 4000" in message  # refused, never cut
    names = {p.column for p in by_row[8].problems}
    assert names == {"组织名称", "成立日期"}  # no name, and "昨天" is no date
    assert [r.row for r in plan.rejected] == [4, 6, 7, 8]

    # Rejected rows refuse the whole import; nothing is written.
    before = counted(sqlite_db)
    with pytest.raises(Exception, match="4 rows are rejected"):
        importer.commit(sqlite_db, plan)
    assert counted(sqlite_db) == before
    # The error report: the file's own columns, the row number and the reason.
    report = tmp_path / "errors.xlsx"
    assert error_report.write(plan, report) == 4
    sheet = load_workbook(report).active
    assert [c.value for c in sheet[1]][:6] == rows[0]
    assert [c.value for c in sheet[2]][:2] == ["校验位错误协会", wrong_check]
    assert sheet.cell(2, 7).value == 4 and "信用代码" in sheet.cell(2, 8).value
    # A partial import takes the accepted rows only.
    result = importer.commit(sqlite_db, plan, accept_partial=True)
    assert (result.created, result.rejected) == (3, 4)


def test_rows_matching_the_registry_update_it_showing_old_and_new(
    sqlite_db: Database, tmp_path: Path
) -> None:
    org = registry.register(
        sqlite_db,
        {
            "name": "天山区阳光助老服务中心",
            "credit_code": credit_code(21),
            "legal_form": "social_service_org",
            "address": "旧地址",
            "applied_on": "2025-01-01",
        },
    )
    other = registry.register(
        sqlite_db,
        {"name": "无代码 社区 合唱队", "legal_form": "community_unregistered"},
    )
    rows = [
        ["单位名称", "USCC", "地址", "法定代表人"],
        ["新名字也行", credit_code(21), "新地址", ""],  # matched by its code
        ["无代码社区合唱队", "", "和平路1号", "阿依古丽"],  # matched by its name, spaces aside
    ]
    plan = importer.plan(sqlite_db, sheets.read(files.xlsx(tmp_path / "u.xlsx", rows)))
    first, second = plan.rows
    assert (first.action, first.org_id) == ("update", org.id)
    assert first.changes == {
        "name": ("天山区阳光助老服务中心", "新名字也行"),
        "address": ("旧地址", "新地址"),
    }
    assert (second.action, second.org_id) == ("update", other.id)
    assert second.changes["legal_representative"] == (None, "阿依古丽")
    importer.commit(sqlite_db, plan)
    updated = registry.get(sqlite_db, org.id)
    assert (updated.name, updated.address, updated.legal_form) == (
        "新名字也行",
        "新地址",
        LegalForm.SOCIAL_SERVICE_ORG,  # not in the file: kept
    )
    assert updated.stage is Stage.APPLIED and updated.version == org.version + 1


def test_a_row_repeated_in_the_file_is_rejected(sqlite_db: Database, tmp_path: Path) -> None:
    rows = [["名称", "信用代码"], ["甲协会", credit_code(31)], ["甲协会（重复）", credit_code(31)]]
    plan = importer.plan(sqlite_db, sheets.read(files.xlsx(tmp_path / "d.xlsx", rows)))
    assert [r.action for r in plan.rows] == ["create", "reject"]
    assert "row 2" in plan.rows[1].problems[0].message


def test_a_cancelled_import_of_2000_rows_changes_nothing(sqlite_db: Database, tmp_path: Path):
    rows = [["组织名称", "统一社会信用代码"]] + [
        [f"测试组织{i:04d}", credit_code(1000 + i)] for i in range(2000)
    ]
    plan = importer.plan(sqlite_db, sheets.read(files.xlsx(tmp_path / "big.xlsx", rows)))
    assert plan.count("create") == 2000
    before = counted(sqlite_db)
    seen: list[int] = []

    def halfway(done: int, total: int) -> bool:
        seen.append(done)
        return done < total // 2

    with pytest.raises(importer.ImportCancelled):
        importer.commit(sqlite_db, plan, progress=halfway)
    assert max(seen) >= 1000
    assert counted(sqlite_db) == before


def test_the_cli_exit_codes(sqlite_db: Database, tmp_path: Path, capsys) -> None:
    url = sqlite_db.url.render_as_string(hide_password=False)
    good = files.xlsx(tmp_path / "good.xlsx", [["名称", "信用代码"], ["甲协会", credit_code(41)]])
    bad = files.xlsx(
        tmp_path / "bad.xlsx", [["名称", "信用代码"], ["乙协会", credit_code(42)], ["", "x"]]
    )
    before = counted(sqlite_db)
    assert cli_main(["import", str(good), "--dry-run", "--db", url]) == 0
    assert counted(sqlite_db) == before  # a dry run writes nothing
    assert "1 new" in capsys.readouterr().out
    errors = tmp_path / "errors.xlsx"
    assert cli_main(["import", str(bad), "--errors", str(errors), "--db", url]) == 1
    out = capsys.readouterr().out
    assert "Row 3:" in out and "Nothing was imported" in out and errors.exists()
    assert counted(sqlite_db) == before
    assert cli_main(["import", str(bad), "--accept-partial", "--db", url]) == 1
    assert counted(sqlite_db)[0] == before[0] + 1
    assert cli_main(["import", str(good), "--db", url]) == 0
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    assert cli_main(["import", str(broken), "--db", url]) == 2
    assert "Cannot read broken.xlsx" in capsys.readouterr().err


def test_gb18030_names_with_rare_characters(sqlite_db: Database, tmp_path: Path) -> None:
    rows = [["组织名称", "统一社会信用代码"], ["䶮堃喆社区服务社", credit_code(51)]]
    path = files.csv_file(tmp_path / "gb.csv", rows, "gb18030")
    plan = importer.plan(sqlite_db, sheets.read(path))
    assert plan.rows[0].new.clean["name"] == "䶮堃喆社区服务社"


cells = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(-(10**6), 10**9),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.sampled_from(["N/A", "-", "无", "合计", "2002年1月6日", "50(万)", credit_code(61)]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.lists(st.lists(cells, min_size=0, max_size=7), max_size=25),
    width=st.integers(2, 7),
)
def test_any_cells_never_crash_the_importer_and_every_row_is_accounted_for(
    sqlite_db: Database, body: list[list[object]], width: int
) -> None:
    header = ["组织名称", "统一社会信用代码", "成立日期", "注册资金", "法定代表人", "备注", "x"]
    rows = [header[:width], *body]
    plan = importer.plan(sqlite_db, sheets.Sheet("s", rows))
    planned = {r.row for r in plan.rows} | {row for row, _ in plan.skipped}
    blank = {i + 2 for i, row in enumerate(body) if all(values_empty(c) for c in row)}
    assert planned | blank == set(range(2, len(body) + 2))
    assert all(r.action in ("create", "update", "unchanged", "reject") for r in plan.rows)
    assert all(r.problems for r in plan.rejected)


def values_empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def test_a_code_registered_at_another_desk_since_the_dry_run_refuses_the_import(
    sqlite_db: Database, tmp_path: Path
) -> None:
    rows = [["名称", "信用代码"], ["甲协会", credit_code(71)], ["乙协会", credit_code(72)]]
    plan = importer.plan(sqlite_db, sheets.read(files.xlsx(tmp_path / "r.xlsx", rows)))
    registry.register(
        sqlite_db,
        {
            "name": "乙协会（另一窗口）",
            "credit_code": credit_code(72),
            "legal_form": "social_group",
        },
    )
    before = counted(sqlite_db)
    with pytest.raises(Exception, match=r"Row 3: the credit code .* is already registered"):
        importer.commit(sqlite_db, plan)
    assert counted(sqlite_db) == before


def test_columns_mapped_by_staff_are_remembered_for_the_same_headers(
    sqlite_db: Database, tmp_path: Path
) -> None:
    from incubator.importing import mappings

    rows = [
        ["单位全称", "证照号码", "法定代表人", "住所"],
        ["甲协会", credit_code(81), "张三", "和平路"],
    ]
    path = files.xlsx(tmp_path / "odd.xlsx", rows)
    plan = importer.plan(sqlite_db, sheets.read(path))
    assert plan.blocking and not plan.rows  # neither a name nor a code column it knows
    assert plan.layout.ignored == ["单位全称", "证照号码"]
    with pytest.raises(Exception, match="neither a name column"):
        importer.commit(sqlite_db, plan)
    mappings.remember(
        sqlite_db, plan.layout.signature(), {"单位全称": "name", "证照号码": "credit_code"}
    )
    # The next file with the same headers (another year's list) is read with the mapping.
    again = files.xlsx(tmp_path / "next.xlsx", [rows[0], ["乙协会", credit_code(82), "李四", ""]])
    plan = importer.plan(sqlite_db, sheets.read(again))
    assert not plan.blocking and plan.rows[0].new.clean["name"] == "乙协会"
    assert plan.rows[0].new.clean["credit_code"] == credit_code(82)


CENTER = [
    "组织名称",
    "统一社会信用代码",
    "申请日期",
    "孵化状态",
    "入驻日期",
    "协议到期日期",
    "出壳日期",
]


def center_rows() -> list[list[object]]:
    """A center's own list: the stage each organization is in, and the dates it keeps."""
    return [
        CENTER,
        [
            "阳光助老服务中心",
            credit_code(1),
            "2024-01-10",
            "孵化中",
            "2024-03-01",
            "2026-02-28",
            "",
        ],
        ["青年志愿者协会", credit_code(2), "", "已出壳", "2023-01-05", "", "2024-06-30"],
        ["邻里互助会", credit_code(3), "2024-02-01", "在孵", "2024-03-01", "", ""],
        ["调解工作室", credit_code(4), "2024-05-01", "正常", "", "", ""],
        ["社工服务站", credit_code(5), "2024-01-01", "中期评估", "2024-02-01", "2025-12-31", ""],
        ["就业服务社", credit_code(6), "2024-01-01", "已入驻", "2023-12-01", "", ""],
    ]


def transitions(db: Database, org_id: int) -> list[tuple]:
    from incubator.services import lifecycle

    return [(t.from_stage, t.to_stage, t.occurred_on) for t in lifecycle.history(db, org_id)]


def test_a_centers_list_brings_each_organization_in_its_stage(db: Database, tmp_path: Path):
    D = dt.date
    plan = importer.plan(db, sheets.read(files.xlsx(tmp_path / "center.xlsx", center_rows())))
    actions = {r.row: r.action for r in plan.rows}
    assert actions == {2: "create", 3: "create", 4: "reject", 5: "create", 6: "create", 7: "reject"}
    (no_end,) = plan.rows[2].problems  # 在孵 without the agreement's end: overdue needs it
    assert no_end.column == "协议到期日期" and "overdue" in no_end.message
    (too_early,) = plan.rows[5].problems  # admitted before it applied
    assert too_early.column == "入驻日期" and "2024-01-01" in too_early.message
    unknown = " ".join(w.message for w in plan.rows[3].warnings)
    assert "正常" in unknown  # a bureau's "状态": not a stage, the organization starts applied
    graduated = {(w.column, w.message) for w in plan.rows[1].warnings}
    assert any(c == "协议到期日期" and "2024-06-30" in m for c, m in graduated)
    assert any("2023-01-05" in m for c, m in graduated if c != "协议到期日期")  # applied on

    importer.commit(db, plan, accept_partial=True, actor="importer")
    by_name = {
        o.name: o
        for o in registry.get_many(
            db, registry.search_ids(db, registry.OrgQuery(include_archived=True))
        )
    }
    A, AD, INC, M, G = (
        Stage.APPLIED,
        Stage.ADMITTED,
        Stage.INCUBATING,
        Stage.MID_TERM,
        Stage.GRADUATED,
    )
    sun = by_name["阳光助老服务中心"]
    assert (sun.stage, sun.stage_since) == (INC, D(2024, 3, 1))
    assert (sun.agreement_start, sun.agreement_planned_end) == (D(2024, 3, 1), D(2026, 2, 28))
    assert transitions(db, sun.id) == [
        (None, A, D(2024, 1, 10)),
        (A, AD, D(2024, 3, 1)),
        (AD, INC, D(2024, 3, 1)),
    ]
    youth = by_name["青年志愿者协会"]
    assert (youth.stage, youth.stage_since) == (G, D(2024, 6, 30))
    assert (youth.agreement_start, youth.agreement_planned_end) == (D(2023, 1, 5), D(2024, 6, 30))
    assert [t[1:] for t in transitions(db, youth.id)] == [
        (A, D(2023, 1, 5)),
        (AD, D(2023, 1, 5)),
        (INC, D(2023, 1, 5)),
        (G, D(2024, 6, 30)),
    ]
    mid = by_name["社工服务站"]
    assert (mid.stage, mid.stage_since, mid.agreement_planned_end) == (
        M,
        D(2024, 2, 1),
        D(2025, 12, 31),
    )
    assert by_name["调解工作室"].stage is A
    assert "邻里互助会" not in by_name and "就业服务社" not in by_name

    # Imported again with another stage: the registry's lifecycle is not moved, and says so.
    rows = center_rows()
    rows[1][3] = "已出壳"
    again = importer.plan(db, sheets.read(files.xlsx(tmp_path / "again.xlsx", rows)))
    first = again.rows[0]
    assert first.action == "unchanged"
    assert [w.column for w in first.warnings] == ["孵化状态"]
    assert "Incubating" in first.warnings[0].message  # what the registry has
