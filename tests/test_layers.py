"""The core works without Qt: every incubator module imports with PySide6 made unavailable."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BLOCK_QT_AND_IMPORT_ALL = r"""
import importlib, importlib.abc, pkgutil, sys

class NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "ui"):
            raise ImportError(f"{name} is blocked for this test")
        return None

sys.meta_path.insert(0, NoQt())
import incubator
names = [m.name for m in pkgutil.walk_packages(incubator.__path__, "incubator.")
         if ".migrations" not in m.name]
for name in names:
    importlib.import_module(name)
assert not any(m.startswith("PySide6") for m in sys.modules), "Qt got imported"
print(len(names))
"""


def test_core_imports_without_qt() -> None:
    done = subprocess.run(
        [sys.executable, "-c", BLOCK_QT_AND_IMPORT_ALL], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) >= 20  # every module of the core was imported


def test_cli_runs_without_loading_qt(tmp_path: Path) -> None:
    code = (
        "import sys; from ui.launcher import main;"
        "rc = main(['db', 'upgrade', '--db', sys.argv[1]]);"
        "assert 'PySide6' not in sys.modules; raise SystemExit(rc)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "registry.sqlite3")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_import_contracts_hold() -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is a test dependency"
    done = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
