"""A damaged registry at start: the app says so, writes nothing to it, and offers to put the
newest good backup in its place; staff click the choice."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QPushButton

from incubator import schema
from incubator.db import Database
from incubator.paths import backup_dir
from incubator.registry_db import open_registry
from incubator.services import registry
from tests.factories import damage_a_page, org
from tests.ui import person
from tests.ui.dialogs import when_modal
from ui.recovery import open_or_recover


def damaged_registry(tmp_path: Path) -> tuple[Path, Path]:
    """A registry with 40 organizations, its backup of 30, and then a damaged page."""
    path = tmp_path / "registry.sqlite3"
    db, _ = open_registry(str(path))
    for n in range(1, 31):
        org(db, n, name=f"第{n}个社区服务中心")
    good = schema.backup(db)
    for n in range(31, 41):
        org(db, n, name=f"第{n}个社区服务中心")
    db.dispose()
    damage_a_page(path)
    return path, good


def is_damaged_box(w) -> bool:
    return w.objectName() == "damagedRegistry"


def test_the_newest_good_backup_is_offered_and_put_in_place(qtbot, tmp_path: Path):
    path, good = damaged_registry(tmp_path)
    damaged = path.read_bytes()
    seen: list[str] = []

    def restore(box: QMessageBox) -> None:
        seen.append(box.text())
        person.click(qtbot, box.findChild(QPushButton, "restoreBackup"))

    errors = when_modal(restore, match=is_damaged_box)

    def ok(box: QMessageBox) -> None:
        seen.append(box.text())
        person.click(qtbot, box.button(QMessageBox.StandardButton.Ok))

    done = when_modal(
        ok, match=lambda w: isinstance(w, QMessageBox) and "backup is in place" in w.text()
    )
    db = open_or_recover(str(path))
    assert not errors and not done
    assert "is damaged" in seen[0] and good.name in seen[0]
    assert db is not None and registry.count(db, registry.OrgQuery()) == 30
    kept = [p for p in backup_dir().glob("*before-restore*.sqlite3")]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged and str(kept[0]) in seen[1]
    db.dispose()


def test_quitting_leaves_the_damaged_file_as_it_was(qtbot, tmp_path: Path):
    path, _ = damaged_registry(tmp_path)
    damaged = path.read_bytes()
    errors = when_modal(
        lambda box: person.click(qtbot, box.findChild(QPushButton, "quit")),
        match=is_damaged_box,
    )
    assert open_or_recover(str(path)) is None and not errors
    assert path.read_bytes() == damaged
    assert Database(str(path)).is_sqlite
