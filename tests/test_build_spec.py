"""The installable build's PyInstaller spec takes every folder the program reads files from
at run time (issue 19, point 6): a new folder of resources, or the migrations moved, fails
here, in the quick suite, not in an office after the build (scripts/build.sh)."""

from __future__ import annotations

import ast
import importlib.util
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


def spec_call_keyword(function: str, keyword: str) -> object:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == function:
            for kw in node.keywords:
                if kw.arg == keyword:
                    return ast.literal_eval(kw.value)
    raise AssertionError(f"the spec's {function}() has no {keyword}=")


def imported_modules() -> set[str]:
    """Every module the program's own code imports (import statements, read from the source)."""
    names = set()
    for package in ("incubator", "ui"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names |= {alias.name for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module)
    return names


def test_the_spec_leaves_out_no_module_the_program_imports() -> None:
    """The trimmed build (issue 19, point 5) leaves out Qt modules the program does not use: a
    module put to use later must come off the spec's excludes, or the build would lack it."""
    excluded = set(spec_call_keyword("Analysis", "excludes"))
    used = {
        name
        for name in imported_modules()
        if any(name == e or name.startswith(e + ".") for e in excluded)
    }
    assert not used, f"packaging/incubator.spec excludes {sorted(used)}, which the program imports"
    assert "PySide6.QtNetwork" in excluded  # (the check reads the list it means to)


def test_the_windows_icon_is_drawn_from_the_svg(tmp_path: Path) -> None:
    from PIL import Image

    # Loaded from its file: packaging/ is no package (PyPI's "packaging" has that name).
    spec = importlib.util.spec_from_file_location("make_icon", SPEC.parent / "windows/make_icon.py")
    make_icon = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_icon)
    ico = make_icon.make_icon(tmp_path / "incubator-registry.ico")
    SIZES = make_icon.SIZES
    image = Image.open(ico)
    assert image.format == "ICO"
    assert image.info["sizes"] == {(s, s) for s in SIZES}
    image.size = (256, 256)  # the largest of the icon's pictures
    image.load()
    rgba = image.convert("RGBA")
    # The SVG: a rounded square filled with #2f6fb0 from 8 to 248, transparent around it.
    assert rgba.getpixel((128, 24)) == (0x2F, 0x6F, 0xB0, 255)
    assert rgba.getpixel((2, 2))[3] == 0
    small = Image.open(ico)
    small.size = (16, 16)
    small.load()
    assert small.convert("RGBA").getpixel((0, 0))[3] < 128  # drawn at 16, not a cut-out


def test_the_windows_scripts_read_right_in_windows_powershell() -> None:
    """Windows PowerShell 5.1 reads a script without a byte-order mark in the ANSI code page:
    install.ps1's Chinese Start-menu name must keep its UTF-8 BOM, the rest stay ASCII."""
    install = (SPEC.parent / "windows" / "install.ps1").read_bytes()
    assert install.startswith(b"\xef\xbb\xbf")
    assert "社会组织孵化登记系统" in install.decode("utf-8-sig")
    for script in (ROOT / "scripts" / "build-windows.ps1", SPEC.parent / "windows" / "install.cmd"):
        assert script.read_bytes().isascii(), script
