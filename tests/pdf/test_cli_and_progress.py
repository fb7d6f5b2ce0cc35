"""`report org|center|pack` on the command line, progress reports and cancelling."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from incubator import reports
from incubator.cli import main
from incubator.reports import ReportCancelled
from tests.factories import credit_code
from tests.pdf.conftest import HALF, Built

ROOT = Path(__file__).resolve().parents[2]


def url(built: Built) -> str:
    return built.db.url.render_as_string(hide_password=False)


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def test_report_org_by_code_writes_a_pdf(capsys, built: Built, tmp_path: Path) -> None:
    out = tmp_path / "org.pdf"
    rc, stdout, err = run(
        capsys,
        "report",
        "org",
        credit_code(901).lower(),
        "--period",
        "2026q2",
        "--out",
        str(out),
        "--db",
        url(built),
        "--lang",
        "en",
    )
    assert rc == 0 and err == ""
    pages = len(PdfReader(out).pages)
    assert stdout.strip() == f"Report written to {out} ({pages} pages)"


def test_report_center_and_pack(capsys, built: Built, tmp_path: Path) -> None:
    out = tmp_path / "center.pdf"
    rc, _, _ = run(
        capsys, "report", "center", "--period", "2026Q1", "--out", str(out), "--db", url(built)
    )
    assert rc == 0 and out.stat().st_size > 10_000
    out = tmp_path / "pack.pdf"
    rc, stdout, _ = run(
        capsys,
        "report",
        "pack",
        "--period",
        "2026Q2",
        "--stage",
        "mid_term_evaluated",
        "--out",
        str(out),
        "--db",
        url(built),
        "--lang",
        "zh_CN",
    )
    assert rc == 0 and "报告已写入" in stdout
    assert len(PdfReader(out).outline) >= 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["org", "99999", "--period", "2026"], "Error: Organization not found: 99999"),
        (["org", "1", "--period", "2026Q5"], "Error: Period: Quarter must be 1, 2, 3 or 4, not 5"),
        (
            ["center", "--period", "last year"],
            "Error: Period: Not a period: “last year” (use 2026, 2026Q3 or 2026-01-01..2026-06-30)",
        ),
        (["pack", "--period", "2026", "--stage", "done"], "Error: Lifecycle stage: Unknown value"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_1(
    capsys, built: Built, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "x.pdf"
    rc, stdout, err = run(capsys, "report", *args, "--out", str(out), "--db", url(built))
    assert rc == 1 and stdout == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith(message), err
    assert not out.exists()


def test_unwritable_targets_are_refused_before_any_work(capsys, built: Built, tmp_path: Path):
    for target, reason in (
        (tmp_path / "missing" / "x.pdf", "the folder does not exist"),
        (tmp_path, "it is a folder"),
    ):
        rc, _, err = run(
            capsys, "report", "center", "--period", "2026", "--out", str(target), "--db", url(built)
        )
        assert rc == 1 and err.strip() == (
            f"Error: File: Cannot write the report to {target}: {reason}"
        )
    rc, _, err = run(
        capsys,
        "report",
        "center",
        "--period",
        "2026",
        "--out",
        str(tmp_path / "missing" / "x.pdf"),
        "--db",
        url(built),
        "--lang",
        "zh_CN",
    )
    assert rc == 1 and "无法将报告写入" in err and "文件夹不存在" in err
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        rc, _, err = run(
            capsys,
            "report",
            "center",
            "--period",
            "2026",
            "--out",
            str(locked / "x.pdf"),
            "--db",
            url(built),
        )
        assert rc == 1 and "permission denied" in err


def test_every_report_command_has_help_with_db_and_lang(capsys) -> None:
    for sub in (["report"], ["report", "org"], ["report", "center"], ["report", "pack"]):
        with pytest.raises(SystemExit) as info:
            main([*sub, "--help"])
        out = capsys.readouterr().out
        assert info.value.code == 0 and "--db" in out and "--lang" in out, sub
    with pytest.raises(SystemExit) as info:
        main(["report", "org", "1", "--period", "2026"])  # --out missing
    assert info.value.code == 2
    assert "--out" in capsys.readouterr().err


def test_main_py_runs_a_report(built: Built, tmp_path: Path) -> None:
    env = {**os.environ, "INCUBATOR_HOME": str(tmp_path), "INCUBATOR_LANG": "en"}
    out = tmp_path / "org.pdf"
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "report", "org", str(built.special.dotted),
         "--period", "2025", "--out", str(out), "--db", url(built)],
        capture_output=True,
        text=True,
        env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and out.read_bytes().startswith(b"%PDF")


def test_progress_goes_up_to_total_and_cancel_leaves_no_file(built: Built, tmp_path: Path):
    seen: list[tuple[int, int]] = []
    out = tmp_path / "org.pdf"
    reports.org_report(
        built.db, built.special.uyghur, HALF, out, progress=lambda d, t: seen.append((d, t)) or True
    )
    done = [d for d, _ in seen]
    assert done[0] == 0 and done[-1] == 1000 and done == sorted(done)
    assert {t for _, t in seen} == {1000}

    for stop_at in (0, 300, 700):
        target = tmp_path / f"cancelled-{stop_at}.pdf"
        with pytest.raises(ReportCancelled):
            reports.committee_pack(
                built.db,
                "2026Q2",
                target,
                org_ids=[built.special.uyghur, built.special.dotted],
                progress=lambda d, t, s=stop_at: d < s or (s == 0 and d < 0),
            )
        assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["org.pdf"]  # no temporary files left


def test_reports_can_be_written_to_a_file_object(built: Built) -> None:
    import io

    buffer = io.BytesIO()
    result = reports.center_report(built.db, "2026Q2", buffer, lang="en")
    assert result.path is None and result.bytes == len(buffer.getvalue())
    assert buffer.getvalue().startswith(b"%PDF")


def test_pack_in_processes_is_cancelled_with_every_process(built: Built, tmp_path: Path) -> None:
    import multiprocessing

    target = tmp_path / "pack.pdf"
    seen: list[int] = []

    def progress(done: int, total: int) -> bool:
        seen.append(done)
        return done < 300

    with pytest.raises(ReportCancelled):
        reports.committee_pack(
            built.db,
            "2026Q2",
            target,
            org_ids=[built.special.uyghur, built.special.dotted],
            everyone=True,
            processes=2,
            progress=progress,
        )
    assert seen == sorted(seen) and seen[-1] >= 300
    assert list(tmp_path.iterdir()) == []  # nothing written, not even a part
    assert multiprocessing.active_children() == []


def test_an_error_in_a_report_process_reaches_the_caller_whole() -> None:
    """What a part's process raises comes back pickled: the same class, the same words."""
    import pickle

    from incubator.errors import NotFoundError, ValidationError

    for error in (
        ValidationError.single("period", "Unknown period: {text}", text="2026Q5"),
        NotFoundError(what="Organization", ident=42),
        ReportCancelled(),
    ):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error)
        assert back.message("zh_CN") == error.message("zh_CN")
        assert str(back) == str(error)


def test_a_pack_is_cut_into_runs_of_every_organization_in_order() -> None:
    from incubator.reports.pack_parts import MAX_RUN, plan

    for members, processes in ((list(range(200)), 2), (list(range(3800)), 4), ([7], 1), ([], 2)):
        specs = plan(members, processes)
        assert specs[0].org_ids == ()  # the front
        runs = [s.org_ids for s in specs[1:]]
        assert [i for run in runs for i in run] == members
        assert all(0 < len(run) <= MAX_RUN for run in runs)
        assert [s.opens_orgs for s in specs[1:]] == [i == 0 for i in range(len(runs))]
        assert [s.index for s in specs] == list(range(len(specs)))
    assert len(plan(list(range(200)), 2)) == 1 + 6  # three runs for each process
    assert len(plan(list(range(3800)), 2)) == 1 + 38


def test_a_pack_of_an_organization_not_in_the_registry_names_it(built: Built, tmp_path) -> None:
    from incubator.errors import NotFoundError

    target = tmp_path / "pack.pdf"
    with pytest.raises(NotFoundError) as raised:
        reports.committee_pack(
            built.db, "2026Q2", target, org_ids=[built.special.uyghur, 999_999], everyone=True
        )
    assert raised.value.message("en") == "Organization not found: 999999"
    assert raised.value.message("zh_CN") == "未找到社会组织：999999"
    assert not target.exists()
