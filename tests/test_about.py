"""`--version` and what the About box lists (issue 19, point 4): the version pip installed,
the newest migration file's revision, each library's installed version."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from incubator import about

ROOT = Path(__file__).resolve().parent.parent


def newest_migration() -> str:
    names = (ROOT / "incubator" / "migrations" / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")
    return max(re.match(r"\d{4}", n.name)[0] for n in names)


def test_version_at_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "main.py", "--version"], cwd=ROOT, capture_output=True, text=True
    )
    installed = metadata.version("incubator-registry")  # what pip read from pyproject
    assert (done.returncode, done.stdout) == (
        0,
        f"Incubator Registry {installed} (schema {newest_migration()})\n",
    )


def test_every_part_with_its_installed_version_and_the_fonts_licences() -> None:
    parts = {p.name: p for p in about.parts()}
    import PySide6
    import reportlab
    import sqlalchemy

    assert parts["PySide6"].version == PySide6.__version__
    assert parts["SQLAlchemy"].version == sqlalchemy.__version__
    assert parts["reportlab"].version == reportlab.Version
    fonts = [p for p in parts.values() if p.licence_file]
    assert {Path(p.licence_file).name for p in fonts} == {
        p.name for p in (ROOT / "resources" / "fonts").glob("LICENSE-*")
    }
    for p in fonts:
        assert about.licence_text(p) == Path(p.licence_file).read_text(encoding="utf-8")
    assert all(p.version for p in parts.values() if not p.licence_file)  # all installed


def test_every_dependency_is_in_the_about_box() -> None:
    """A library added to pyproject.toml without its line in incubator.about (its licence
    shown to users) fails here."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {
        re.split(r"[<>=!\[; ]", spec, maxsplit=1)[0].lower() for spec in project["dependencies"]
    }
    listed = {name.lower() for name, _licence in about.LIBRARIES}
    assert wanted == listed
