"""Importing projects, talent records and evaluations: each row finds its organization by
credit code or name, is checked by the service's own rules, and importing twice adds
nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from incubator.cli import main as cli_main
from incubator.db import Database
from incubator.domain import EvaluationKind, ProjectStatus, TalentKind
from incubator.importing import records, sheets
from incubator.services import evaluations, projects, registry, talent
from tests import importing_files as files
from tests.factories import credit_code


@pytest.fixture
def orgs(db: Database) -> tuple[int, int]:
    a = registry.register(
        db,
        {
            "name": "天山区阳光助老服务中心",
            "credit_code": credit_code(1),
            "legal_form": "social_group",
        },
    )
    b = registry.register(
        db, {"name": "米东区 邻里 合唱队", "legal_form": "community_unregistered"}
    )
    return a.id, b.id


def test_projects_find_their_organization_and_come_in_once(
    db: Database, orgs: tuple[int, int], tmp_path: Path
) -> None:
    a, b = orgs
    rows = [
        ["2025年项目汇总表"],
        [
            "组织名称",
            "统一社会信用代码",
            "项目名称",
            "资助方",
            "预算（万元）",
            "开始日期",
            "结束日期",
            "状态",
            "受益人次",
        ],
        [
            "",
            credit_code(1).lower(),
            "社区助餐",
            "民政局",
            20,
            "2025/3/1",
            "2025年12月31日",
            "进行中",
            320,
        ],
        ["米东区邻里合唱队", "", "合唱进社区", "", "0.5", 45748, "", "", ""],
        ["不存在的组织", "", "某项目", "", "1", "2025-01-01", "", "", ""],
        ["天山区阳光助老服务中心", "", "", "", "1", "2025-01-01", "", "", ""],
        ["合计", "", "", "", 21.5, "", "", "", 320],
    ]
    path = files.xlsx(tmp_path / "projects.xlsx", rows)
    plan = records.plan(db, "projects", sheets.read(path))
    assert [(r.row, r.action) for r in plan.rows] == [
        (3, "create"),
        (4, "create"),
        (5, "reject"),
        (6, "reject"),
    ]
    first, second = plan.rows[0], plan.rows[1]
    assert first.org_id == a and second.org_id == b  # by code (lower case), by folded name
    assert first.clean["budget"] == Decimal("200000.00")  # 20 万
    assert first.clean["status"] is ProjectStatus.ONGOING
    assert first.clean["end_on"] == dt.date(2025, 12, 31)
    assert second.clean["start_on"] == dt.date(2025, 4, 1)  # Excel's serial 45748
    (problem,) = plan.rows[2].problems
    assert (problem.column, problem.value) == ("组织名称", "不存在的组织")
    assert plan.rows[3].problems[0].column == "项目名称"  # required by the service
    result = records.commit(db, "projects", plan, accept_partial=True)
    assert (result.created, result.rejected) == (2, 2)
    assert [p.name for p in projects.list_for(db, a)] == ["社区助餐"]
    again = records.plan(db, "projects", sheets.read(path))
    assert [r.action for r in again.rows][:2] == ["unchanged", "unchanged"]


def test_talent_and_evaluations(db: Database, orgs: tuple[int, int], tmp_path: Path) -> None:
    a, _ = orgs
    t_rows = [
        ["信用代码", "类别", "培训名称", "日期", "人数", "学时"],
        [credit_code(1), "培训", "财务管理培训", "2025-05-10", 3, 6.5],
        [credit_code(1), "mentor", "项目导师", "2025-03-01", 1, 40],
        [credit_code(1), "厨师", "？", "2025-03-01", 1, "很多"],
    ]
    plan = records.plan(
        db, "talent", sheets.read(files.csv_file(tmp_path / "t.csv", t_rows, "gbk"))
    )
    assert [r.action for r in plan.rows] == ["create", "create", "reject"]
    assert {p.column for p in plan.rows[2].problems} == {"类别", "学时"}
    records.commit(db, "talent", plan, accept_partial=True)
    kinds = [r.kind for r in talent.list_for(db, a)]
    assert sorted(k.value for k in kinds) == sorted(
        [TalentKind.MENTOR.value, TalentKind.TRAINING.value]
    )
    assert talent.totals(db, a).training_hours == Decimal("6.5")

    e_rows = [
        ["组织名称", "评估类型", "评估日期", "内部治理", "财务管理", "服务成效", "团队建设"],
        ["天山区阳光助老服务中心", "中期评估", "2025-09-01", 84.5, 70, 75, 80],
        ["天山区阳光助老服务中心", "年度评估", "2025-12-01", 101, 70, 75, 80],
    ]
    plan = records.plan(db, "evaluations", sheets.read(files.ods(tmp_path / "e.ods", e_rows)))
    assert [r.action for r in plan.rows] == ["create", "reject"]
    assert plan.rows[1].problems[0].column == "内部治理"
    with pytest.raises(Exception, match="1 rows are rejected"):
        records.commit(db, "evaluations", plan)
    assert evaluations.list_for(db, a) == []  # nothing half-written
    records.commit(db, "evaluations", plan, accept_partial=True)
    (saved,) = evaluations.list_for(db, a)
    assert (saved.kind, saved.governance) == (EvaluationKind.MID_TERM, Decimal("84.5"))


def test_cli_imports_records(sqlite_db: Database, tmp_path: Path, capsys) -> None:
    registry.register(
        sqlite_db, {"name": "甲协会", "credit_code": credit_code(5), "legal_form": "social_group"}
    )
    url = sqlite_db.url.render_as_string(hide_password=False)
    path = files.xlsx(
        tmp_path / "p.xlsx",
        [
            ["信用代码", "项目名称", "预算", "开始日期"],
            [credit_code(5), "项目一", "1000", "2025-01-01"],
        ],
    )
    assert cli_main(["import", str(path), "--kind", "projects", "--db", url]) == 0
    assert "Imported: 1 new" in capsys.readouterr().out
    assert cli_main(["import", str(path), "--kind", "projects", "--db", url]) == 0
    assert "0 new, 0 updated, 1 unchanged" in capsys.readouterr().out
    no_owner = files.xlsx(tmp_path / "n.xlsx", [["项目名称", "预算"], ["项目二", "1"]])
    assert cli_main(["import", str(no_owner), "--kind", "projects", "--db", url]) == 1
    assert "no column naming the organization" in capsys.readouterr().err


def test_a_funds_ledger_becomes_funds_with_their_payments(
    db: Database, orgs: tuple[int, int], tmp_path: Path
) -> None:
    from incubator.importing import kinds
    from incubator.services import funds

    a, b = orgs
    code = credit_code(1)
    header = ["统一社会信用代码", "组织名称", "资金名称", "资金来源", "资金类型"]
    header += ["合同金额（万元）", "签订日期", "拨付金额", "拨付日期", "应拨日期"]
    meals = [code, "", "社区助餐购买服务"]
    choir = ["", "米东区邻里合唱队"]
    rows = [
        ["2025年资金拨付台账"],
        header,
        [*meals, "政府部门", "购买服务合同", 10, "2025-01-10", "40,000", "2025-02-01", ""],
        [*meals, "", "", "", "", "30000", "2025/6/1", ""],
        [*meals, "", "", "", "", "30000", "", "2025-12-01"],  # scheduled
        [*choir, "合唱队活动经费", "", "", "0.5", "2025-03-01", "6000", "2025-03-05", ""],  # 5,000
        [*choir, "设备补贴", "", "", "0.2", "2025-04-01", "", "", ""],
    ]
    path = files.xlsx(tmp_path / "ledger.xlsx", rows)
    plan = kinds.plan(db, "funds", sheets.read(path))
    assert [(r.row, r.action) for r in plan.rows] == [
        (3, "create"),
        (4, "unchanged"),
        (5, "unchanged"),
        (6, "reject"),
        (7, "create"),
    ]
    # 6,000 paid of 5,000 committed: the service's own rule, on the amount column.
    assert "would exceed the committed" in plan.rows[3].problems[0].message
    # No source nor kind for the equipment subsidy: defaults, said as warnings.
    assert len(plan.rows[4].warnings) == 2
    kinds.commit(db, "funds", plan, accept_partial=True)
    (fund,) = funds.funds_of(db, a)
    assert fund.amount_committed == Decimal("100000.00")  # 10 万
    assert [(p.amount, p.status.value, p.paid_on) for p in fund.payments] == [
        (Decimal("40000.00"), "paid", dt.date(2025, 2, 1)),
        (Decimal("30000.00"), "paid", dt.date(2025, 6, 1)),
        (Decimal("30000.00"), "scheduled", None),
    ]
    assert fund.disbursed == Decimal("70000.00")
    (subsidy,) = funds.funds_of(db, b)
    assert (subsidy.title, subsidy.source.value, subsidy.kind.value) == (
        "设备补贴",
        "other",
        "grant",
    )
    # The ledger imported again adds nothing.
    again = kinds.plan(db, "funds", sheets.read(path))
    assert {r.action for r in again.rows} == {"unchanged", "reject"}


def test_space_allocations_come_in_without_overlaps(
    db: Database, orgs: tuple[int, int], tmp_path: Path
) -> None:
    from incubator.importing import kinds
    from incubator.services import spaces

    a, b = orgs
    desk = spaces.create_space(
        db, {"code": "D01", "name": "一号工位", "kind": "desk", "area_m2": "6"}
    )
    room = spaces.create_space(
        db, {"code": "R01", "name": "活动室", "kind": "room", "area_m2": "40"}
    )
    spaces.allocate(db, room.id, b, "2025-01-01", "2025-03-31")
    rows = [
        ["场地编号", "统一社会信用代码", "组织名称", "开始日期", "结束日期"],
        ["d01", credit_code(1), "", "2025-01-01", "2025-06-30"],  # the code in lower case
        ["活动室", "", "米东区邻里合唱队", "2025-01-01", "2025-03-31"],  # already held
        ["R01", credit_code(1), "", "2025-03-01", "2025-04-30"],  # overlaps the registry's
        ["D01", "", "米东区邻里合唱队", "2025-06-01", "2025-07-31"],  # overlaps row 2
        ["X99", credit_code(1), "", "2025-01-01", "2025-01-31"],  # no such space
        ["D01", credit_code(1), "", "2025-09-01", "2025-08-01"],  # ends before it starts
    ]
    plan = kinds.plan(db, "spaces", sheets.read(files.xlsx(tmp_path / "s.xlsx", rows)))
    assert [r.action for r in plan.rows] == [
        "create",
        "unchanged",
        "reject",
        "reject",
        "reject",
        "reject",
    ]
    assert "already allocated from 2025-01-01 to 2025-03-31" in plan.rows[2].problems[0].message
    assert "Overlaps row 2" in plan.rows[3].problems[0].message
    assert plan.rows[4].problems[0].value == "X99"
    # Booked at another desk between the dry run and the import: refused whole, row named.
    spaces.allocate(db, desk.id, b, "2025-06-15", "2025-06-20")
    with pytest.raises(Exception, match=r"Row 2: .*already allocated"):
        kinds.commit(db, "spaces", plan, accept_partial=True)
    assert spaces.allocations_of(db, a) == []  # nothing half-written
    plan = kinds.plan(db, "spaces", sheets.read(files.xlsx(tmp_path / "s2.xlsx", rows[:2])))
    assert plan.rows[0].action == "reject"  # the dry run now sees the new booking
    spaces.allocate(db, desk.id, b, "2025-07-01", "2025-07-02")
    fresh = [rows[0], ["D01", credit_code(1), "", "2025-01-01", "2025-06-14"]]
    plan = kinds.plan(db, "spaces", sheets.read(files.xlsx(tmp_path / "s3.xlsx", fresh)))
    result = kinds.commit(db, "spaces", plan)
    assert result.created == 1
    assert [(x.space_code, x.start_on) for x in spaces.allocations_of(db, a)] == [
        ("D01", dt.date(2025, 1, 1))
    ]
