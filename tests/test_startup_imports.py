"""What starting costs: nothing is imported before it is needed. Each start runs in a fresh
interpreter and lists the modules it loaded; a heavy library showing up where it is not
needed (Alembic on an up-to-date registry, ReportLab without a report, pypinyin without a
name to read, psycopg on SQLite, openpyxl without a spreadsheet...) fails here, so the
start-up cost measured in bench/ cannot grow back unnoticed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from incubator.db import Database
from tests.factories import org

ROOT = Path(__file__).resolve().parents[1]
# Loaded only by the work that needs them.
HEAVY = {
    "alembic": "schema changes",
    "reportlab": "PDF reports",
    "uharfbuzz": "PDF reports (Uyghur shaping)",
    "pypinyin": "reading a name in pinyin",
    "psycopg": "PostgreSQL",
    "openpyxl": "writing spreadsheets",
    "python_calamine": "reading spreadsheets",
    "charset_normalizer": "reading CSV files",
    "PIL": "images in reports and spreadsheets",
}


def loaded_by(code: str, tmp_path: Path) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``, and their top-level
    packages."""
    listing = (
        "import sys\n"
        "print('\\n'.join(sorted({*sys.modules, *(m.split('.')[0] for m in sys.modules)})))"
    )
    script = f"{code}\n{listing}"
    env = {**os.environ, "INCUBATOR_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-c", script]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def too_early(loaded: set[str], allowed: set[str] = frozenset()) -> dict[str, str]:
    return {name: why for name, why in HEAVY.items() if name in loaded and name not in allowed}


@pytest.fixture
def registry_file(sqlite_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "registry.sqlite3"
    shutil.copy(sqlite_template, path)  # at the newest schema revision
    db = Database(str(path))
    for n in range(1, 4):
        org(db, n, name=f"第{n}个社区服务中心")
    db.dispose()
    return path


def test_help_loads_neither_the_database_layer_nor_any_heavy_library(tmp_path: Path):
    loaded = loaded_by(
        "from incubator.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass",
        tmp_path,
    )
    assert not too_early(loaded)
    assert not {"sqlalchemy", "PySide6", "tabulate"} & loaded


def test_listing_organizations_loads_only_the_database_layer(tmp_path: Path, registry_file):
    loaded = loaded_by(
        f"from incubator.cli import main\nmain(['orgs', 'list', '--limit', '20', '--db', "
        f"{str(registry_file)!r}])",
        tmp_path,
    )
    assert "sqlalchemy" in loaded and not too_early(loaded)
    assert "PySide6" not in loaded


def test_the_desktop_window_with_its_list_loads_no_heavy_library(tmp_path: Path, registry_file):
    loaded = loaded_by(
        "from ui.app import make_app, start_window\n"
        "app = make_app()\n"
        f"window = start_window({str(registry_file)!r})\n"
        "window.show_page('organizations')\n"
        "import time\n"
        "deadline = time.monotonic() + 30\n"
        "while window.organizations.model.rowCount() < 3 and time.monotonic() < deadline:\n"
        "    app.processEvents()\n"
        "assert window.organizations.model.rowCount() == 3",
        tmp_path,
    )
    assert "PySide6" in loaded and not too_early(loaded)
    # A desk on a SQLite file loads no PostgreSQL dialect (5 MiB of SQLAlchemy's).
    assert "sqlalchemy.dialects.sqlite" in loaded
    assert "sqlalchemy.dialects.postgresql" not in loaded


def test_the_start_up_probe_reports_the_list_shown_and_quits(tmp_path: Path, registry_file):
    """What bench/bench_build.py times the built program with: ``main.py`` as staff start it,
    told by INCUBATOR_STARTUP_PROBE to say when its list shows the registry's organizations."""
    env = {
        **os.environ,
        "INCUBATOR_HOME": str(tmp_path / "home"),
        "QT_QPA_PLATFORM": "offscreen",
        "INCUBATOR_STARTUP_PROBE": "1",
    }
    launched = time.time()
    done = subprocess.run(
        [sys.executable, "main.py", "--db", str(registry_file)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    ended = time.time()
    assert done.returncode == 0, done.stderr
    [line] = [line for line in done.stdout.splitlines() if line.startswith("shown ")]
    _, shown, rows = line.split()
    assert launched < float(shown) < ended
    assert rows == "3"  # the three organizations the fixture registered
