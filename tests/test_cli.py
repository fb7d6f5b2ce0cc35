"""The CLI: `python main.py demo|orgs|db ...`, its tables, errors and exit codes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from incubator.cli import main
from incubator.db import Database
from incubator.i18n import field_label
from incubator.services import registry
from tests.factories import credit_code, org

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def filled(sqlite_db: Database) -> Database:
    org(sqlite_db, 1, name="天山区幸福社区服务中心", short_name="幸福社区", area_county="天山区")
    org(sqlite_db, 2, name="阿不都热合曼·艾买提调解工作室", legal_form="social_group")
    org(sqlite_db, 3, name="ئۈمىد ياشلار مۇلازىمەت مەركىزى", legal_form="social_group")
    return sqlite_db


def url(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


def test_orgs_list_prints_a_table_with_counts(capsys, filled: Database) -> None:
    rc, out, err = run(capsys, "orgs", "list", "--db", url(filled), "--lang", "en")
    assert rc == 0 and err == ""
    assert "天山区幸福社区服务中心" in out and "阿不都热合曼·艾买提调解工作室" in out
    assert "ئۈمىد ياشلار مۇلازىمەت مەركىزى" in out
    assert credit_code(1) in out
    assert "3 of 3 organizations shown" in out


def test_orgs_list_search_by_pinyin_initials_and_stage(capsys, filled: Database) -> None:
    rc, out, _ = run(capsys, "orgs", "list", "--db", url(filled), "--search", "xfsq")
    assert rc == 0 and "天山区幸福社区服务中心" in out and "调解" not in out
    rc, out, _ = run(capsys, "orgs", "list", "--db", url(filled), "--stage", "incubating")
    assert rc == 0 and "0 of 0" in out


def test_orgs_show_by_code_in_any_spelling_and_by_id(capsys, filled: Database) -> None:
    code = credit_code(1)
    rc, out, _ = run(capsys, "orgs", "show", code.lower(), "--db", url(filled))
    assert rc == 0
    assert "天山区幸福社区服务中心" in out and code in out and "== Lifecycle ==" in out
    rc, out2, _ = run(capsys, "orgs", "show", "1", "--db", url(filled))
    assert rc == 0 and out2 == out


def test_unknown_organization_is_one_line_and_exit_1(capsys, filled: Database) -> None:
    rc, out, err = run(capsys, "orgs", "show", "99999", "--db", url(filled))
    assert rc == 1 and out == ""
    assert err.strip().splitlines() == ["Error: Organization not found: 99999"]


def test_bad_stage_names_the_field_in_chinese(capsys, filled: Database) -> None:
    with pytest.raises(SystemExit) as usage:  # bad usage, as argparse reports it
        main(["orgs", "list", "--stage", "foo", "--db", url(filled), "--lang", "zh_CN"])
    assert usage.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert "--stage" in last and "foo" in last and field_label("stage", "zh_CN") in last


def test_db_upgrade_check_and_backup(capsys, tmp_path: Path) -> None:
    path = tmp_path / "fresh.sqlite3"
    rc, out, _ = run(capsys, "db", "upgrade", "--db", str(path))
    assert rc == 0 and "schema upgraded" in out
    rc, out, _ = run(capsys, "db", "upgrade", "--db", str(path))
    assert rc == 0 and "up to date" in out
    rc, out, _ = run(capsys, "db", "check", "--db", str(path))
    assert rc == 0 and "no problems found" in out
    target = tmp_path / "copy.sqlite3"
    rc, out, _ = run(capsys, "db", "backup", str(target), "--db", str(path))
    assert rc == 0 and target.exists() and str(target) in out
    rc, _, err = run(capsys, "db", "backup", str(tmp_path / "missing" / "x.db"), "--db", str(path))
    assert rc == 1 and "does not exist" in err


def test_db_check_finds_broken_rules_and_exits_3(capsys, filled: Database) -> None:
    with filled.engine.begin() as conn:  # damage behind the services' back
        conn.execute(text("UPDATE organizations SET stage = 'graduated' WHERE id = 1"))
    rc, out, _ = run(capsys, "db", "check", "--db", url(filled))
    assert rc == 3
    assert "Organization 1: stage Graduated but last transition leads to Applied" in out


def test_default_database_comes_from_environment_then_user_folder(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _user_home: Path
) -> None:
    env_file = tmp_path / "env.sqlite3"
    monkeypatch.setenv("INCUBATOR_DATABASE_URL", f"sqlite:///{env_file}")
    assert run(capsys, "db", "upgrade")[0] == 0
    assert env_file.exists()
    monkeypatch.delenv("INCUBATOR_DATABASE_URL")
    assert run(capsys, "db", "upgrade")[0] == 0
    assert (_user_home / "data" / "registry.sqlite3").exists()


def test_main_py_subprocess_help_usage_and_exit_codes(tmp_path: Path) -> None:
    env = {**os.environ, "INCUBATOR_HOME": str(tmp_path), "INCUBATOR_LANG": "en"}
    py = [sys.executable, str(ROOT / "main.py")]
    done = subprocess.run([*py, "--help"], capture_output=True, text=True, env=env)
    assert done.returncode == 0 and "demo" in done.stdout and "orgs" in done.stdout
    for sub in (["demo"], ["orgs", "list"], ["orgs", "show"], ["db", "backup"]):
        done = subprocess.run([*py, *sub, "--help"], capture_output=True, text=True, env=env)
        assert done.returncode == 0 and "--db" in done.stdout, sub
    done = subprocess.run([*py, "orgs", "frobnicate"], capture_output=True, text=True, env=env)
    assert done.returncode == 2
    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    done = subprocess.run(
        [*py, "orgs", "list", "--db", str(bad)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_demo_command_fills_an_empty_database(capsys, tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    rc, out, _ = run(capsys, "demo", "--orgs", "30", "--db", str(path))
    assert rc == 0 and "Demo data added" in out
    db = Database(str(path))
    assert registry.count(db, registry.OrgQuery(include_archived=True)) == 30
    rc, out, _ = run(capsys, "db", "check", "--db", str(path))
    assert rc == 0, out
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM funds").fetchone()[0] > 30
    rc, _, err = run(capsys, "demo", "--orgs", "0", "--db", str(path))
    assert rc == 1 and "Number of organizations: Must be between 1 and 200000" in err
    # Once staff registered a real one, more demo data needs --force.
    registry.register(db, {"name": "真实的协会", "legal_form": "community_unregistered"})
    rc, _, err = run(capsys, "demo", "--orgs", "5", "--db", str(path))
    assert rc == 1 and "already holds 1 organizations" in err and "--force" in err
    rc, out, _ = run(capsys, "demo", "--orgs", "5", "--force", "--db", str(path))
    assert rc == 0 and registry.count(db, registry.OrgQuery(include_archived=True)) == 36


def test_usage_errors_speak_the_chosen_language(tmp_path: Path) -> None:
    env = {**os.environ, "INCUBATOR_HOME": str(tmp_path)}
    py = [sys.executable, str(ROOT / "main.py")]
    done = subprocess.run(
        [*py, "orgs", "list", "--lang", "zh_CN", "--bogus"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 2
    assert "无法识别的参数：--bogus" in done.stderr and "用法：" in done.stderr
    done = subprocess.run(
        [*py, "orgs", "list", "--lang", "en", "--bogus"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 2 and "unrecognized arguments: --bogus" in done.stderr


def test_small_things_at_the_command_line(sqlite_db: Database, tmp_path: Path) -> None:
    """`orgs list | head` ends quietly; an unknown --stage or --legal-form is bad usage (2),
    named like an unknown --sort."""
    from incubator import demo

    demo.generate(sqlite_db, 1000, seed=1)  # a list longer than a pipe holds (64 KiB)
    env = {**os.environ, "INCUBATOR_HOME": str(tmp_path), "INCUBATOR_LANG": "en"}
    py = [sys.executable, str(ROOT / "main.py"), "orgs", "list", "--db", url(sqlite_db)]
    reader = subprocess.Popen(
        [*py, "--limit", "1000"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert reader.stdout is not None
    reader.stdout.readline()  # the reader takes the first line, then leaves (| head -1)
    reader.stdout.close()
    _, err = reader.communicate(timeout=120)
    assert reader.returncode == 0 and err == b"", err
    for option, value in (("--stage", "bogus"), ("--legal-form", "bogus"), ("--sort", "bogus")):
        done = subprocess.run([*py, option, value], capture_output=True, text=True, env=env)
        assert done.returncode == 2, option
        assert f"argument {option}:" in done.stderr and "bogus" in done.stderr


def test_the_sort_choices_are_the_list_sort_columns():
    """--sort offers domain.ORG_SORTS (light, for --help); each must be a column the list
    sorts by."""
    from incubator.domain import ORG_SORTS

    assert set(ORG_SORTS) == set(registry.SORTABLE)
