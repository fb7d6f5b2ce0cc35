"""Exporting lists: read back with openpyxl and csv, never a formula, phones only when asked,
and an exported list of organizations imports back without a single change."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from incubator import demo
from incubator.cli import main as cli_main
from incubator.db import Database
from incubator.exporting import tables, writers
from incubator.i18n import set_language
from incubator.importing import organizations as importer
from incubator.importing import sheets
from incubator.services import funds, registry
from tests.factories import credit_code

NASTY = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def export(db: Database, kind: str, path: Path, **kw) -> int:
    t = tables.table(db, kind, **kw)
    return writers.write(path, t.columns, t.rows, t.sheet)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_an_exported_list_imports_back_unchanged(
    sqlite_db: Database, tmp_path: Path, suffix: str, lang: str
) -> None:
    set_language(lang)
    try:
        demo.generate(sqlite_db, orgs=30, seed=5)
        path = tmp_path / f"orgs{suffix}"
        everyone = registry.OrgQuery(include_archived=True)
        n = export(sqlite_db, "organizations", path, query=everyone, include_phones=True)
        assert n == 30
        plan = importer.plan(sqlite_db, sheets.read(path))
        assert len(plan.rows) == 30
        changed = [
            (r.row, r.action, r.changes, r.problems) for r in plan.rows if r.action != "unchanged"
        ]
        assert not changed
    finally:
        set_language("en")


def test_xlsx_cells_are_typed_frozen_filtered_and_never_formulas(
    sqlite_db: Database, tmp_path: Path
) -> None:
    org = registry.register(
        sqlite_db,
        {
            "name": NASTY[0],
            "credit_code": credit_code(7),
            "legal_form": "social_group",
            "founded_on": "2002-01-06",
            "registered_capital": "30000.5",
            "staff_count": 4,
            "notes": NASTY[1],
            "contact_person": "@张三",
            "contact_phone": "13912345678",
            "applied_on": "2025-01-01",
        },
    )
    funds.add_fund(
        sqlite_db,
        org.id,
        {
            "title": NASTY[2],
            "source": "government",
            "kind": "grant",
            "amount_committed": "1234.5",
            "committed_on": "2025-02-01",
        },
    )
    path = tmp_path / "orgs.xlsx"
    export(sqlite_db, "organizations", path)
    ws = load_workbook(path).active
    header = [c.value for c in ws[1]]
    row = {h: c for h, c in zip(header, ws[2], strict=True)}
    assert (
        ws.freeze_panes == "A2"
        and ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}2"
    )
    assert row["Name"].value == NASTY[0] and row["Name"].data_type == "s"
    assert row["Notes"].value == NASTY[1] and row["Notes"].data_type == "s"
    assert row["Founding date"].value == dt.datetime(2002, 1, 6)  # a date, not text
    assert row["Registered capital (yuan)"].value == pytest.approx(30000.5)
    assert "元" in row["Registered capital (yuan)"].number_format
    assert row["Staff"].value == 4
    assert row["Contact phone"].value == "139****5678"  # masked: not ticked
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)
    assert ws.column_dimensions["A"].width >= len(NASTY[0])  # sized to the text

    export(sqlite_db, "organizations", tmp_path / "phones.xlsx", include_phones=True)
    ws = load_workbook(tmp_path / "phones.xlsx").active
    assert "13912345678" in [c.value for c in ws[2]]

    export(sqlite_db, "funds", tmp_path / "funds.xlsx")
    ws = load_workbook(tmp_path / "funds.xlsx").active
    values = [c.value for c in ws[2]]
    assert NASTY[2] in values and Decimal(str(values[6])) == Decimal("1234.5")
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)


def test_csv_is_utf8_with_bom_and_neutralises_formulas(sqlite_db: Database, tmp_path: Path):
    stored = {}
    for i, nasty in enumerate(NASTY[:4]):  # tabs and returns are trimmed when a note is saved
        registry.register(
            sqlite_db,
            {"name": f"组织{i}", "notes": nasty, "legal_form": "community_unregistered"},
        )
        stored[f"组织{i}"] = nasty
    path = tmp_path / "orgs.csv"
    export(sqlite_db, "organizations", path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    notes = rows[0].index("Notes")
    written = {r[0]: r[notes] for r in rows[1:]}
    assert written == {name: "'" + note for name, note in stored.items()}
    # A plain cell is written as it is.
    t = writers.Column("x")
    writers.write(tmp_path / "plain.csv", [t], [["2-3"], ["a=b"]])
    assert (tmp_path / "plain.csv").read_text("utf-8-sig").splitlines() == ["x", "2-3", "a=b"]


def test_cli_export_takes_the_list_filters(sqlite_db: Database, tmp_path: Path, capsys) -> None:
    demo.generate(sqlite_db, orgs=30, seed=5)
    url = sqlite_db.url.render_as_string(hide_password=False)
    out = tmp_path / "incubating.xlsx"
    code = cli_main(
        ["export", "organizations", "--out", str(out), "--stage", "incubating", "--db", url]
    )
    assert code == 0
    wanted = registry.count(sqlite_db, registry.OrgQuery(stage="incubating"))
    assert f"{wanted} rows written" in capsys.readouterr().out
    assert load_workbook(out).active.max_row == wanted + 1
    for kind in ("funds", "payments", "projects", "talent", "spaces", "history"):
        assert cli_main(["export", kind, "--out", str(tmp_path / f"{kind}.csv"), "--db", url]) == 0
    assert cli_main(["export", "funds", "--out", str(tmp_path / "x.pdf"), "--db", url]) == 1
    assert not (tmp_path / "x.pdf").exists()


def test_a_cancelled_export_leaves_no_file(sqlite_db: Database, tmp_path: Path) -> None:
    demo.generate(sqlite_db, orgs=40, seed=5)
    t = tables.table(sqlite_db, "talent")
    path = tmp_path / "talent.xlsx"
    rows = (["a"] * len(t.columns) for _ in range(5000))
    with pytest.raises(writers.ExportCancelled):
        writers.write(path, t.columns, rows, t.sheet, progress=lambda n: n < 1000)
    assert not path.exists() and not (tmp_path / "talent.xlsx.part").exists()


def test_an_exported_registry_imports_into_an_empty_one_with_its_stages(
    sqlite_db: Database, sqlite_template: Path, tmp_path: Path
) -> None:
    """A registry moving to a new desk: every organization arrives in its stage, since the
    same day, with the same agreement dates (the steps between are dated by the list)."""
    demo.generate(sqlite_db, orgs=40, seed=11)
    path = tmp_path / "orgs.xlsx"
    everyone = registry.OrgQuery(include_archived=True)
    # Phones not ticked: they go out masked (138****5163) and are left out, with a warning.
    export(sqlite_db, "organizations", path, query=everyone, include_phones=False)
    empty_path = tmp_path / "empty.sqlite3"
    empty_path.write_bytes(sqlite_template.read_bytes())
    empty = Database(str(empty_path), actor="t")
    try:
        plan = importer.plan(empty, sheets.read(path))
        assert [r.action for r in plan.rows] == ["create"] * 40, [r.problems for r in plan.rows]
        masked = [w for r in plan.rows for w in r.warnings if "masked" in w.message]
        assert len(masked) == 40 and "****" in masked[0].value
        importer.commit(empty, plan)

        def lifecycles(db: Database) -> dict:
            return {
                o.credit_code or o.name: (
                    o.stage,
                    o.stage_since,
                    o.agreement_start,
                    o.agreement_planned_end,
                )
                for o in registry.get_many(db, registry.search_ids(db, everyone))
            }

        before, after = lifecycles(sqlite_db), lifecycles(empty)
        assert len({s for s, *_ in before.values()}) == 6  # every stage is in the list
        assert after == before
    finally:
        empty.dispose()
