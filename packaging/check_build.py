"""Checks a built folder before it is tried (scripts/build.sh, scripts/build-windows.ps1):

- Qt's catalogs that the program loads (``ui.qt_setup.QT_CATALOGS``) are inside;
- every library the About box lists has its metadata inside, so its version shows;
- on Linux, nothing kept links a Qt library that the spec left out.

    python packaging/check_build.py dist/incubator-registry-<version>-<system>-<arch>

Prints what is wrong and exits 1, or exits 0 silently.
"""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from incubator.about import LIBRARIES  # noqa: E402
from ui.qt_setup import QT_CATALOGS  # noqa: E402


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def problems(build: Path) -> list[str]:
    internal = build / "_internal"
    found = []
    pyside = internal / "PySide6"
    # Qt's own files sit in PySide6/Qt/ on Linux, in PySide6/ itself on Windows.
    qt = pyside / "Qt" if (pyside / "Qt").is_dir() else pyside
    translations = qt / "translations"
    for names in QT_CATALOGS.values():
        found += [
            f"Qt's catalog {n}.qm is missing"
            for n in names
            if not (translations / f"{n}.qm").exists()
        ]
    inside = {normal(d.metadata["Name"]) for d in metadata.distributions(path=[str(internal)])}
    lacking = [name for name, _licence in LIBRARIES if normal(name) not in inside]
    if lacking:
        found.append(f"the metadata of {', '.join(lacking)} is missing (the About box's versions)")
    if sys.platform.startswith("linux"):
        qt_lib = qt / "lib"
        for lib in sorted(needed_qt_libraries(internal)):
            if not (qt_lib / lib).exists():
                found.append(f"{lib} is missing, and a library kept in the build needs it")
    return found


def needed_qt_libraries(internal: Path) -> set[str]:
    """The Qt libraries that the build's own shared libraries link (readelf's NEEDED)."""
    files = [str(p) for p in internal.rglob("*.so*") if p.is_file() and not p.is_symlink()]
    out = subprocess.run(["readelf", "-d", *files], capture_output=True, text=True).stdout
    return set(re.findall(r"Shared library: \[(libQt6[^\]]*)\]", out))


if __name__ == "__main__":
    wrong = problems(Path(sys.argv[1]))
    for line in wrong:
        print(f"{sys.argv[1]}: {line}", file=sys.stderr)
    sys.exit(1 if wrong else 0)
