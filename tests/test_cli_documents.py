"""`docs add|list|get`, `compliance list` and their exports at the command line (issue 18,
point 6): what they print, the files they write back byte for byte, their exit codes."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from incubator.cli import main
from incubator.services import compliance, funds
from tests.factories import fund_data, org

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def registry(sqlite_db, tmp_path: Path):
    a = org(sqlite_db, 1, name="幸福社区服务中心", registered_on="2024-05-01")
    b = org(sqlite_db, 2, name="阳光助老协会", registered_on="2025-02-01")
    fund = funds.add_fund(sqlite_db, a.id, fund_data(title="公益创投"))
    (tmp_path / "协议.pdf").write_bytes(PDF)
    return str(sqlite_db.url.database), a, b, fund


def test_add_list_and_get_a_document(capsys, registry, tmp_path: Path) -> None:
    db, a, _b, fund = registry
    rc, out, err = run(
        capsys,
        "docs", "add", a.credit_code, str(tmp_path / "协议.pdf"),
        "--kind", "付款凭证", "--on", f"fund:{fund.id}", "--date", "2026年3月5日", "--db", db,
    )  # fmt: skip
    assert rc == 0, err
    digest = hashlib.sha256(PDF).hexdigest()
    assert f"Document 1 attached to 幸福社区服务中心: 协议 ({len(PDF)} B, SHA-256 {digest})" in out
    rc, out, _ = run(capsys, "docs", "list", str(a.id), "--db", db)
    assert rc == 0
    line = next(x for x in out.splitlines() if x.startswith("1 "))
    assert line.split() == [
        "1", "2026-03-05", "Payment", "voucher", "协议", "Fund", str(fund.id), "协议.pdf",
        f"{len(PDF)}", "B", db_actor(),
    ]  # fmt: skip
    target = tmp_path / "out" / "copy.pdf"
    target.parent.mkdir()
    rc, out, _ = run(capsys, "docs", "get", "1", "--out", str(target), "--db", db)
    assert rc == 0 and target.read_bytes() == PDF


def db_actor() -> str:
    import getpass

    return getpass.getuser()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--kind", "charter", "--on", "fund"], "Not a record: “fund”"),
        (["--kind", "charter", "--on", "budget:1"], "Not a record: “budget:1”"),
        (["--kind", "charter", "--on", "payment:99"], "Payment not found: 99"),
    ],
)
def test_a_wrong_record_is_one_line_and_exit_1(capsys, registry, tmp_path, args, says) -> None:
    db, a, _b, _fund = registry
    rc, out, err = run(
        capsys, "docs", "add", str(a.id), str(tmp_path / "协议.pdf"), *args, "--db", db
    )
    assert (rc, out) == (1, "")
    assert says in err and len(err.strip().splitlines()) == 1


def test_an_unknown_kind_is_bad_usage(capsys, registry, tmp_path) -> None:
    db, a, _b, _fund = registry
    with pytest.raises(SystemExit) as caught:
        main(["docs", "add", str(a.id), str(tmp_path / "协议.pdf"), "--kind", "合同", "--db", db])
    assert caught.value.code == 2


def test_a_damaged_document_is_not_written_out(capsys, registry, tmp_path) -> None:
    db, a, _b, _fund = registry
    run(capsys, "docs", "add", str(a.id), str(tmp_path / "协议.pdf"), "--kind", "other", "--db", db)
    from incubator.db import Database

    raw = Database(db)
    with raw.engine.begin() as conn:
        conn.execute(text("UPDATE stored_files SET data = :d"), {"d": PDF[:-2]})
    raw.dispose()
    target = tmp_path / "copy.pdf"
    rc, _out, err = run(capsys, "docs", "get", "1", "--out", str(target), "--db", db)
    assert rc == 1 and "is damaged" in err and not target.exists()


def test_compliance_list_and_its_exports(capsys, registry, tmp_path, sqlite_db) -> None:
    db, a, b, _fund = registry
    compliance.record_report(sqlite_db, a.id, {"year": 2025, "submitted_on": "2026-04-01"})
    compliance.record_rating(sqlite_db, a.id, {"grade": "3A", "awarded_on": "2025-09-01"})
    rc, out, _ = run(capsys, "compliance", "list", "--year", "2025", "--db", db)
    assert rc == 0
    rows = {line.split()[1]: line for line in out.splitlines() if line[:1].isdigit()}
    assert "Submitted, awaiting the result" in rows[a.name] and " 3A" in rows[a.name]
    assert "2026-05-31" in rows[b.name]
    rc, out, _ = run(
        capsys, "compliance", "list", "--year", "2025", "--status", "submitted", "--db", db
    )
    assert a.name in out and b.name not in out
    assert "1 organizations, annual reports of 2025" in out
    xlsx = tmp_path / "年报.xlsx"
    rc, out, err = run(
        capsys, "export", "compliance", "--year", "2025", "--out", str(xlsx), "--db", db
    )
    assert rc == 0, err
    sheet = openpyxl.load_workbook(xlsx).active
    values = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Annual reports of 2025"
    late = "Overdue" if "Overdue" in rows[b.name] else "Due soon"  # (after 31 May 2026)
    assert [(r[0], r[5], r[7]) for r in values[1:]] == [  # by pinyin: xing, yang
        (a.name, "Submitted, awaiting the result", "3A"),
        (b.name, late, None),
    ]
    run(
        capsys,
        "docs",
        "add",
        str(a.id),
        str(tmp_path / "协议.pdf"),
        "--kind",
        "charter",
        "--db",
        db,
    )
    out_csv = tmp_path / "docs.csv"
    rc, _out, _ = run(capsys, "export", "documents", "--out", str(out_csv), "--db", db)
    with out_csv.open(encoding="utf-8-sig") as fh:
        [row] = list(csv.DictReader(fh))
    assert (row["Organization"], row["Kind"], row["SHA-256"]) == (
        a.name,
        "Charter",
        hashlib.sha256(PDF).hexdigest(),
    )
