"""The installable build's PyInstaller spec takes every folder the program reads files from
at run time (issue 19, point 6): a new folder of resources, or the migrations moved, fails
here, in the quick suite, not in an office after the build (scripts/build.sh)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "incubator.spec"


def spec_folders() -> set[str]:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "RESOURCE_DIRS" for t in node.targets
        ):
            return set(ast.literal_eval(node.value))
    raise AssertionError("the spec names no RESOURCE_DIRS")


def folders_read_at_run_time() -> set[str]:
    """Every folder of resources/ that holds files, and Alembic's migration scripts."""
    resources = {
        str(path.parent.relative_to(ROOT))
        for path in (ROOT / "resources").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    # (resources/ itself holds no file of its own today; its subfolders do.)
    return {*resources, "incubator/migrations"}


def test_the_spec_takes_every_resource_folder() -> None:
    wanted = folders_read_at_run_time()
    listed = spec_folders()
    missing = {w for w in wanted if not any(w == f or w.startswith(f + "/") for f in listed)}
    assert not missing, f"packaging/incubator.spec lacks {sorted(missing)}"
    assert all((ROOT / f).is_dir() for f in listed)  # nothing listed that is gone


def test_the_paths_the_program_uses_are_those_folders() -> None:
    from incubator.paths import RESOURCES
    from incubator.schema import MIGRATIONS

    assert {
        str(MIGRATIONS.relative_to(ROOT)),
        *(str(p.relative_to(ROOT)) for p in RESOURCES.iterdir() if p.is_dir()),
    } <= spec_folders()
