"""Files the program writes (exports, reports, error reports): never through a link, a
device or a folder; whole or not at all; with the permissions of the file they replace, or
the umask's."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from incubator import files, reports
from incubator.db import Database
from incubator.errors import ValidationError
from incubator.exporting import tables, writers
from incubator.services import registry
from tests.factories import org


def export(db: Database, path: Path, progress=None) -> int:
    t = tables.table(db, "organizations", query=registry.OrgQuery(), include_phones=False)
    return writers.write(path, t.columns, t.rows, t.sheet, progress)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def one(sqlite_db: Database) -> Database:
    org(sqlite_db, 1)
    return sqlite_db


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder of the user's files (the registry lives beside it)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_a_link_a_device_or_a_folder_is_never_written_through(one: Database, out: Path):
    precious = out / "registry-notes.txt"
    precious.write_text("keep me")
    link = out / "list.csv"
    link.symlink_to(precious)
    with pytest.raises(ValidationError) as refused:
        export(one, link)
    assert "not a regular file" in refused.value.message("en")
    assert precious.read_text() == "keep me" and link.is_symlink()
    with pytest.raises(ValidationError) as refused:
        reports.org_report(one, 1, "2025", "/dev/null")
    assert "not a regular file" in refused.value.message("en")
    folder = out / "folder.csv"
    folder.mkdir()
    with pytest.raises(ValidationError) as refused:
        export(one, folder)
    assert "it is a folder" in refused.value.message("en")
    assert sorted(p.name for p in out.iterdir()) == [
        "folder.csv",
        "list.csv",
        "registry-notes.txt",
    ]


def test_a_replaced_file_keeps_its_permissions_a_new_one_follows_the_umask(
    one: Database, out: Path
):
    kept = out / "shared.xlsx"
    kept.write_bytes(b"old")
    os.chmod(kept, 0o640)
    export(one, kept)
    assert mode(kept) == 0o640 and kept.read_bytes()[:2] == b"PK"
    old = os.umask(0o027)
    try:
        new = out / "new.csv"
        export(one, new)
        pdf = out / "new.pdf"
        reports.org_report(one, 1, "2025", str(pdf))
    finally:
        os.umask(old)
    assert mode(new) == 0o640 and mode(pdf) == 0o640


def test_a_write_that_fails_halfway_leaves_the_old_file_and_nothing_else(out: Path):
    target = out / "list.csv"
    target.write_text("the list of last week")
    with pytest.raises(RuntimeError), files.replacing(target) as part:
        part.write_text("half a li")
        raise RuntimeError("the disk went away")
    assert target.read_text() == "the list of last week"
    assert [p.name for p in out.iterdir()] == ["list.csv"]
