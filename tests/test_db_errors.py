"""Database problems in words: each one named with what to do, on the command line in one
line, never "unexpected"; a damaged file is a finding of `db check` (exit 3), never a crash,
and is never written to; `db restore` puts a sound backup back and keeps the damaged file."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from incubator import schema
from incubator.cli import main
from incubator.db import Database
from incubator.db_errors import RegistryDamaged, RegistryError
from incubator.errors import ValidationError
from incubator.services import registry
from tests.factories import damage_a_page, org


@pytest.fixture
def filled(sqlite_db: Database) -> Path:
    for n in range(1, 120):
        org(sqlite_db, n, name=f"第{n}个社区服务中心")
    sqlite_db.dispose()
    path = Path(sqlite_db.url.database)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def damaged(path: Path, how: str) -> Path:
    out = path.with_name(f"{how}.sqlite3")
    shutil.copy(path, out)
    data = bytearray(out.read_bytes())
    if how == "truncated":
        del data[len(data) // 2 :]
    elif how == "emptied":  # a failed copy: SQLite alone would take it for a new database
        del data[:]
    elif how == "header":
        data[:16] = b"not a database!!"
    out.write_bytes(bytes(data))
    if how == "page":
        damage_a_page(out)
    return out


def cli(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.parametrize("how", ["truncated", "emptied", "header", "page"])
def test_db_check_finds_a_damaged_file_and_nothing_writes_to_it(capsys, filled: Path, how: str):
    bad = damaged(filled, how)
    before = bad.read_bytes()
    rc, out, err = cli(capsys, "db", "check", "--db", str(bad))
    assert rc == 3 and "is damaged" in out and "db restore" in out and err == ""
    rc, _, err = cli(capsys, "orgs", "list", "--db", str(bad))
    assert rc == 1 and "is damaged" in err and "Nothing was written" in err
    assert "unexpected" not in err and len(err.strip().splitlines()) == 1
    with pytest.raises(RegistryDamaged):
        registry.register(
            Database(str(bad)), {"name": "新", "legal_form": "community_unregistered"}
        )
    assert bad.read_bytes() == before


def test_paths_that_are_no_registry_are_said_in_words(capsys, tmp_path: Path):
    folder = tmp_path / "folder.sqlite3"
    folder.mkdir()
    tiny = tmp_path / "notes.sqlite3"
    tiny.write_text("my shopping list")
    cases = {
        str(folder): "it is a folder",
        str(tmp_path / "gone" / "r.sqlite3"): "does not exist",
        str(tiny): "not a registry file",
    }
    for path, words in cases.items():
        rc, _, err = cli(capsys, "orgs", "list", "--db", path)
        assert rc == 1 and words in err and "unexpected" not in err, (path, err)
    rc, _, err = cli(capsys, "orgs", "list", "--db", str(tiny), "--lang", "zh_CN")
    assert "不是登记簿文件" in err
    assert tiny.read_text() == "my shopping list"


def test_a_read_only_registry_reads_and_says_it_cannot_change(filled: Path):
    ro = Database(f"sqlite:///file:{filled}?mode=ro&uri=true")
    assert registry.count(ro, registry.OrgQuery()) == 119  # reading works
    with pytest.raises(RegistryError) as refused:
        registry.register(ro, {"name": "新", "legal_form": "community_unregistered"})
    assert "read-only" in refused.value.message("en")
    ro.dispose()


def as_a_plain_user(args: list[str]) -> list[str]:
    """The command run without root's right to write anything (tests run as root on CI):
    file permissions then hold as they do for a member of staff."""
    if os.geteuid() != 0:
        return args
    drop = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    if subprocess.run([*drop, "true"], capture_output=True).returncode:
        pytest.skip("root here cannot give up its right to write (setpriv refused)")
    return [*drop, *args]


@pytest.mark.parametrize("folder_writable", [False, True], ids=["read-only share", "own folder"])
def test_a_registry_file_this_user_may_only_read_lists_prints_and_backs_up(
    tmp_path: Path, filled: Path, folder_writable: bool
):
    share = tmp_path / "share"
    share.mkdir()
    reg = share / "registry.sqlite3"
    shutil.copy(filled, reg)
    reg.chmod(0o444)
    share.chmod(0o755 if folder_writable else 0o555)
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "INCUBATOR_HOME": str(home), "INCUBATOR_LANG": "en"}
    main_py = [sys.executable, str(Path(__file__).resolve().parents[1] / "main.py")]

    def run(*args: str) -> subprocess.CompletedProcess:
        command = as_a_plain_user([*main_py, *args, "--db", str(reg)])
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)

    try:
        listed = run("orgs", "list", "--limit", "200")
        assert listed.returncode == 0, listed.stderr
        assert "119 of 119 organizations" in listed.stdout
        printed = run("report", "org", "5", "--period", "2026", "--out", str(home / "o.pdf"))
        assert printed.returncode == 0 and (home / "o.pdf").read_bytes()[:5] == b"%PDF-"
        saved = run("db", "backup", str(home / "copy.sqlite3"))
        assert saved.returncode == 0, saved.stderr
        with sqlite3.connect(home / "copy.sqlite3") as conn:
            assert conn.execute("SELECT COUNT(*) FROM organizations").fetchone()[0] == 119
        assert run("db", "check").returncode == 0
        refused = run("demo", "--orgs", "2", "--force")
        assert refused.returncode == 1 and "unexpected" not in refused.stderr
        assert "is read-only here: you can read and print" in refused.stderr
        if not folder_writable:
            assert [p.name for p in share.iterdir()] == ["registry.sqlite3"]  # no lock files
    finally:
        share.chmod(0o755)
    with sqlite3.connect(reg) as conn:
        assert conn.execute("SELECT COUNT(*) FROM organizations").fetchone()[0] == 119


def test_a_busy_registry_says_so_after_waiting(filled: Path):
    holder, other = Database(str(filled)), Database(str(filled))
    with holder.transaction():  # a long write elsewhere (an import, demo)
        started = time.monotonic()
        with pytest.raises(RegistryError) as busy:
            registry.register(other, {"name": "新", "legal_form": "community_unregistered"})
        assert time.monotonic() - started >= 4  # it waited for the other write first
    assert "busy" in busy.value.message("en") and "nothing was saved" in busy.value.message("en")
    holder.dispose()
    other.dispose()


def test_a_newer_schema_is_refused_unchanged(capsys, filled: Path):
    with sqlite3.connect(filled) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    before = filled.read_bytes()
    rc, _, err = cli(capsys, "orgs", "list", "--db", str(filled))
    assert rc == 1 and "newer version of the program" in err and "ffff9999" in err
    assert filled.read_bytes() == before


@pytest.mark.postgres
def test_server_problems_are_said_within_seconds(capsys, pg_server):
    socket = pg_server.root
    cases = {
        "postgresql://u@127.0.0.1:1/registry": "does not answer",
        f"postgresql+psycopg://nosuchuser@/postgres?host={socket}": "user name or password",
        pg_server.url("nosuchdb"): "no database named nosuchdb",
    }
    for url, words in cases.items():
        started = time.monotonic()
        rc, _, err = cli(capsys, "orgs", "list", "--db", url)
        assert rc == 1 and words in err and "unexpected" not in err, (url, err)
        assert time.monotonic() - started < 10


def test_restore_puts_a_sound_backup_back_and_keeps_the_damaged_file(capsys, filled: Path):
    good = filled.with_name("good.sqlite3")
    shutil.copy(filled, good)
    live = damaged(filled, "page")
    damaged_bytes = live.read_bytes()
    header = damaged(filled, "header")
    rc, _, err = cli(capsys, "db", "restore", str(header), "--db", str(live))
    assert rc == 1 and "not a sound registry backup" in err
    assert live.read_bytes() == damaged_bytes  # refused: nothing changed
    rc, out, _ = cli(capsys, "db", "restore", str(good), "--db", str(live))
    assert rc == 0 and "restored from" in out
    kept = Path(out.strip().splitlines()[-1].split(" kept in ")[-1])
    assert kept.read_bytes() == damaged_bytes
    assert cli(capsys, "db", "check", "--db", str(live))[0] == 0
    assert registry.count(Database(str(live)), registry.OrgQuery()) == 119
    with pytest.raises(ValidationError):
        schema.restore(Database(str(live)), live.with_name("missing.sqlite3"))


def test_a_server_that_takes_the_call_but_never_answers_is_said_within_seconds(capsys):
    """A host that accepts the connection and then says nothing (a hung server, a firewall
    that swallows the traffic): the connect timeout ends the wait, never a hang."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # the kernel completes the handshake; nobody ever answers
        port = silent.getsockname()[1]
        started = time.monotonic()
        rc, _, err = cli(capsys, "orgs", "list", "--db", f"postgresql://staff@127.0.0.1:{port}/r")
        waited = time.monotonic() - started
    assert rc == 1 and "does not answer" in err and "unexpected" not in err, err
    assert 4 <= waited < 15  # it did wait for the timeout, and no longer


def test_a_text_damaged_inside_its_record_is_found_and_said(capsys, filled: Path):
    """Damage inside a record that SQLite's own check cannot see (no checksums): a name that
    is no longer UTF-8. Listing says the registry is damaged; db check names the row."""
    with sqlite3.connect(filled) as conn:
        conn.execute("UPDATE organizations SET name = CAST(x'e998ff41' AS TEXT) WHERE id = 7")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rc, _, err = cli(capsys, "orgs", "list", "--db", str(filled))
    assert rc == 1 and "is damaged" in err and "unexpected" not in err
    rc, out, _ = cli(capsys, "db", "check", "--db", str(filled))
    assert rc == 3 and "Table organizations row 7: the text of name is no longer readable" in out
