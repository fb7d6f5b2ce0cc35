"""A damaged registry at start: the app says so, writes nothing to it, and offers to put the
newest good backup in its place; staff click the choice."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

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
    """A registry with 40 organizations, its backup of 30, and then a broken header: found
    while the registry is opened (damage elsewhere is found by the check that follows the
    window, below)."""
    path = tmp_path / "registry.sqlite3"
    db, _ = open_registry(str(path))
    for n in range(1, 31):
        org(db, n, name=f"第{n}个社区服务中心")
    good = schema.backup(db)
    for n in range(31, 41):
        org(db, n, name=f"第{n}个社区服务中心")
    db.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[:16] = b"not a database!!"
    path.write_bytes(bytes(data))
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


def is_problem_box(w) -> bool:
    return w.objectName() == "registryProblem"


def test_a_folder_given_as_registry_is_said_and_another_file_can_be_opened(qtbot, tmp_path: Path):
    folder = tmp_path / "registry.sqlite3"
    folder.mkdir()
    other = tmp_path / "other.sqlite3"
    good, _ = open_registry(str(other))
    org(good, 1, name="另一个登记簿里的协会")
    good.dispose()
    seen: list[str] = []

    def open_another(box: QMessageBox) -> None:
        seen.append(box.text())
        person.click(qtbot, box.findChild(QPushButton, "openAnother"))

    errors = when_modal(open_another, match=is_problem_box)
    chosen = when_modal(lambda d: person.choose_file(qtbot, d, str(other)), match=QFileDialog)
    db = open_or_recover(str(folder))
    assert not errors and not chosen
    assert "cannot be opened" in seen[0] and "it is a folder" in seen[0] and str(folder) in seen[0]
    assert db is not None and Path(db.url.database) == other
    assert [o.name for o in registry.search(db, registry.OrgQuery())] == ["另一个登记簿里的协会"]
    db.dispose()


def test_try_again_opens_the_registry_once_its_folder_is_there(qtbot, tmp_path: Path):
    path = tmp_path / "share" / "registry.sqlite3"
    seen: list[str] = []

    def mount_then_retry(box: QMessageBox) -> None:
        seen.append(box.text())
        path.parent.mkdir()  # the network share is back
        person.click(qtbot, box.findChild(QPushButton, "tryAgain"))

    errors = when_modal(mount_then_retry, match=is_problem_box)
    db = open_or_recover(str(path))
    assert not errors and "does not exist" in seen[0]
    assert db is not None and path.is_file()
    db.dispose()


def test_quit_at_a_server_that_does_not_answer(qtbot):
    seen: list[str] = []

    def quit_(box: QMessageBox) -> None:
        seen.append(box.text())
        person.click(qtbot, box.findChild(QPushButton, "quit"))

    errors = when_modal(quit_, match=is_problem_box)
    assert open_or_recover("postgresql://staff@127.0.0.1:1/registry") is None
    assert not errors and "does not answer" in seen[0] and "unexpected" not in seen[0]


def test_a_read_only_registry_shows_its_list_and_offers_no_edit(qtbot, tmp_path: Path):
    from incubator.i18n import set_language
    from ui.main_window import MainWindow

    set_language("en")
    path = tmp_path / "registry.sqlite3"
    writable, _ = open_registry(str(path))
    org(writable, 1, name="第一个社区服务中心")
    writable.dispose()
    db = Database(f"sqlite:///file:{path}?mode=ro&uri=true")
    win = MainWindow(db)
    win.show()
    qtbot.waitExposed(win)
    win.offer_demo_if_empty()  # never offered on a read-only registry: no dialog comes up
    assert "read-only" in win.windowTitle() and "read-only" in win.db_label.text()
    win.show_page("organizations")
    qtbot.waitUntil(lambda: win.organizations.model.rowCount() == 1)
    # Nothing can be changed, so nothing offers to: no New button, and Ctrl+N opens nothing.
    # (A change refused anyway keeps what was typed: tests/ui/test_roles_ui.py.)
    assert win.organizations.new_button.isHidden()
    qtbot.keyClick(win, Qt.Key.Key_N, person.CTRL)
    assert QApplication.activeModalWidget() is None
    win.close()
    db.dispose()


def test_damage_found_after_the_window_opens_stops_writes_and_offers_the_backup(qtbot, tmp_path):
    """The whole file is checked once the window is there (seconds at 100,000 organizations):
    damage where the first screens do not read (the history) is found then; from that moment
    nothing is written, and the newest good backup opens in a new window."""
    from PySide6.QtWidgets import QApplication

    from incubator.db_errors import RegistryDamaged
    from ui.app import start_window

    path = tmp_path / "registry.sqlite3"
    db, _ = open_registry(str(path))
    for n in range(1, 31):
        org(db, n, name=f"第{n}个社区服务中心")
    schema.backup(db)
    org(db, 31, name="备份之后的协会")
    db.dispose()
    damage_a_page(path, table="audit_log")
    opened: dict[str, object] = {}

    def try_a_save_then_restore(box: QMessageBox) -> None:
        try:
            new = {"name": "新", "legal_form": "community_unregistered"}
            registry.register(opened["window"].db, new)
        except RegistryDamaged as refused:
            opened["refused"] = refused.message()
        person.click(qtbot, box.findChild(QPushButton, "restoreBackup"))

    errors = when_modal(try_a_save_then_restore, match=is_damaged_box, attempts=2000)
    done = when_modal(
        lambda box: person.click(qtbot, box.button(QMessageBox.StandardButton.Ok)),
        match=lambda w: isinstance(w, QMessageBox) and "backup is in place" in w.text(),
        attempts=2000,
    )
    opened["window"] = start_window(str(path))
    app = QApplication.instance()
    qtbot.waitUntil(lambda: app.main_window is not opened["window"], timeout=20_000)
    assert not errors and not done
    assert "is damaged" in str(opened["refused"])
    restored = app.main_window
    assert registry.count(restored.db, registry.OrgQuery()) == 30 and restored.isVisible()
    restored.close()
    restored.db.dispose()


def test_a_sound_registry_opens_and_a_save_waits_for_the_check(qtbot, tmp_path: Path):
    from PySide6.QtWidgets import QApplication

    from ui.app import start_window

    path = tmp_path / "registry.sqlite3"
    db, _ = open_registry(str(path))
    org(db, 1, name="第一个社区服务中心")
    db.dispose()
    window = start_window(str(path))
    # Saved at once, on the GUI thread, while the check may still run: it waits, then saves.
    new = {"name": "第二个协会", "legal_form": "community_unregistered"}
    saved = registry.register(window.db, new)
    assert registry.count(window.db, registry.OrgQuery()) == 2 and saved.id == 2
    assert QApplication.instance().main_window is window
    window.close()
    window.db.dispose()


def test_quitting_at_damage_found_after_the_window_opens_closes_it_unwritten(qtbot, tmp_path):
    from PySide6.QtWidgets import QApplication

    from ui.app import start_window

    path = tmp_path / "registry.sqlite3"
    db, _ = open_registry(str(path))
    for n in range(1, 6):
        org(db, n, name=f"第{n}个社区服务中心")
    schema.backup(db)
    db.dispose()
    damage_a_page(path, table="audit_log")
    damaged = path.read_bytes()
    errors = when_modal(
        lambda box: person.click(qtbot, box.findChild(QPushButton, "quit")),
        match=is_damaged_box,
        attempts=2000,
    )
    window = start_window(str(path))
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20_000)
    assert not errors and QApplication.instance().main_window is window
    window.db.dispose()
    assert path.read_bytes() == damaged
