"""Connecting to a shared registry without secrets on disk or on a command line (issue 17,
point 5), against a real server that needs passwords and speaks TLS (``pg_secure_server``)."""

from __future__ import annotations

import fcntl
import os
import select
import stat
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy import text
from sqlalchemy.engine import make_url

from incubator import credentials
from incubator.cli import main
from incubator.db import Database
from incubator.db_errors import LoginRefused
from incubator.errors import IncubatorError
from incubator.registry_db import open_registry
from incubator.services import registry
from tests.conftest import SECURE_PASSWORD
from tests.file_keyring import FileKeyring

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def a_keyring(tmp_path: Path) -> Iterator[FileKeyring]:
    before = keyring.get_keyring()
    kept = FileKeyring(tmp_path / "keyring.json")
    keyring.set_keyring(kept)
    yield kept
    keyring.set_keyring(before)


def connected(url) -> int:
    db, _ = open_registry(url)
    try:
        return registry.count(db, registry.OrgQuery())
    finally:
        db.dispose()


def test_the_password_is_asked_for_then_taken_from_the_keyring(secure_url, a_keyring) -> None:
    with pytest.raises(LoginRefused, match="asks for the password of postgres"):
        connected(secure_url)
    wrong = make_url(secure_url).set(password="not it")
    with pytest.raises(LoginRefused, match="refused the user name or password"):
        connected(wrong)
    assert connected(make_url(secure_url).set(password=SECURE_PASSWORD)) == 1
    assert credentials.remember(make_url(secure_url), SECURE_PASSWORD)
    assert connected(secure_url) == 1  # the keyring's, asked for by the program itself
    for kept in Path(os.environ["INCUBATOR_HOME"]).rglob("*"):  # no file of ours holds it
        assert not kept.is_file() or SECURE_PASSWORD.encode() not in kept.read_bytes()
    credentials.forget(make_url(secure_url))
    with pytest.raises(LoginRefused):
        connected(secure_url)


def test_without_a_keyring_nothing_is_kept(secure_url) -> None:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert not credentials.has_keyring()
        assert not credentials.remember(make_url(secure_url), SECURE_PASSWORD)
        with pytest.raises(LoginRefused):
            connected(secure_url)
    finally:
        keyring.set_keyring(before)


def test_a_backup_gets_the_password_through_its_environment(
    secure_url, tmp_path, monkeypatch, capsys
) -> None:
    """pg_dump, seen from the inside: a wrapper first in PATH writes down what it was given
    (its command line is what ``ps`` shows every user), then runs the real one."""
    real = subprocess.run(["which", "pg_dump"], capture_output=True, text=True).stdout.strip()
    spy = tmp_path / "bin" / "pg_dump"
    spy.parent.mkdir()
    seen = tmp_path / "seen"
    spy.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$@" > {seen}/argv\n'
        f'printf "%s" "$PGPASSWORD" > {seen}/password\nexec {real} "$@"\n'
    )
    spy.chmod(stat.S_IRWXU)
    seen.mkdir()
    monkeypatch.setenv("PATH", f"{spy.parent}{os.pathsep}{os.environ['PATH']}")
    with_password = make_url(secure_url).set(password=SECURE_PASSWORD)
    out = tmp_path / "registry.pgdump"
    rc = main(["db", "backup", str(out), "--db", with_password.render_as_string(False)])
    assert rc == 0, capsys.readouterr().err
    argv = (seen / "argv").read_text()
    assert "secret" not in argv and "postgres@" in argv
    assert (seen / "password").read_text() == SECURE_PASSWORD
    listed = subprocess.run(["pg_restore", "--list", str(out)], capture_output=True, text=True)
    assert listed.returncode == 0 and "TABLE DATA public organizations" in listed.stdout


def run_at_a_terminal(args: list[str], answer: str, home: Path) -> tuple[int, str]:
    """The program in a pseudo-terminal of its own (its controlling terminal, as a console
    window gives): a password prompt is answered once it shows."""
    leader, follower = os.openpty()

    def own_terminal() -> None:
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    env = {**os.environ, "INCUBATOR_HOME": str(home), "INCUBATOR_LANG": "en"}
    proc = subprocess.Popen(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        preexec_fn=own_terminal,
    )
    os.close(follower)
    said, answered, deadline = b"", False, time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the program ended and closed its terminal
                break
            if not chunk:
                break
            said += chunk
        if not answered and b"Password of postgres" in said:
            os.write(leader, answer.encode() + b"\n")
            answered = True
        if proc.poll() is not None and not ready:
            break
    os.close(leader)
    return proc.wait(timeout=30), said.decode(errors="replace")


def test_the_terminal_asks_for_the_password(secure_url, tmp_path) -> None:
    rc, said = run_at_a_terminal(["orgs", "list", "--db", secure_url], SECURE_PASSWORD, tmp_path)
    assert "asks for the password of postgres" in said
    assert rc == 0, said
    assert "天山区幸福社区服务中心" in said
    assert SECURE_PASSWORD not in said  # not echoed
    rc, said = run_at_a_terminal(["orgs", "list", "--db", secure_url], "wrong", tmp_path)
    assert rc == 1 and "refused the user name or password" in said


def test_tls_with_the_server_s_certificate_checked(pg_secure_server, secure_url) -> None:
    server = pg_secure_server
    database = make_url(secure_url).database
    base = f"postgresql+psycopg://postgres@localhost:{server.tls_port}/{database}"
    checked = make_url(f"{base}?sslmode=verify-full&sslrootcert={server.ca_file}")
    db = Database(checked.set(password=SECURE_PASSWORD))
    try:
        with db.engine.connect() as conn:
            tls = conn.execute(
                text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            ).scalar()
        assert tls is True
        assert registry.count(db, registry.OrgQuery()) == 1
    finally:
        db.dispose()
    # The name on the certificate is localhost: reached as 127.0.0.1 it is refused, in words.
    mismatched = make_url(
        f"postgresql+psycopg://postgres@127.0.0.1:{server.tls_port}/{database}"
        f"?sslmode=verify-full&sslrootcert={server.ca_file}"
    ).set(password=SECURE_PASSWORD)
    with pytest.raises(IncubatorError, match="certificate") as refused:
        connected(mismatched)
    assert "unexpected" not in str(refused.value)
