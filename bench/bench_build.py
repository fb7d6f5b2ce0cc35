"""The installable program (issue 19): its size, and its start beside the source's, measured
in the same run.

    scripts/build.sh && .venv/bin/python bench/bench_build.py [--orgs 20000] [--runs 7]
    .venv/bin/python bench/bench_build.py --against OLD_BUILD   # what a change of the spec saved
    .venv/bin/python bench/bench_build.py --smoke               # 100 organizations, one run

Size: the build's folder and archive (``dist/``, newest), and its parts: Qt's libraries,
plugins and translations, the Qt bindings, Python itself, the other packages, the project's
resources.

Start: the wall time of a fresh process from its start to its window painted with its first
organizations, printed by the app itself when ``INCUBATOR_STARTUP_PROBE`` is set
(``ui.app``), for

- the built program, ``incubator --db FILE``;
- the source, ``python main.py --db FILE`` (the same path through the code);
- the baseline: a bare PySide6 window with a 20-row table, painted (``bench_startup``'s);
- with ``--against``, the other build too;

every one with nothing of this machine's Python around it (``env -i``-like: a PATH of the
system's own folders, a home of its own), offscreen, in turns (A B C A B C ...), median of
``--runs``, after a first round that warms the caches and takes the day's backup.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_org_list import RESULTS, registry_file  # noqa: E402
from bench.bench_startup import BARE_WINDOW, wall  # noqa: E402

DIST = ROOT / "dist"


def newest_build() -> Path:
    builds = [p for p in DIST.glob("incubator-registry-*") if p.is_dir()]
    if not builds:
        raise SystemExit("no build in dist/: run scripts/build.sh first")
    return max(builds, key=lambda p: p.stat().st_mtime)


def size(path: Path) -> int:
    """Bytes in the files under ``path`` (links not followed)."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def parts(build: Path) -> dict[str, int]:
    """The build's size by part, in bytes; every file counted once, "other" takes the rest."""
    internal = build / "_internal"
    pyside = internal / "PySide6"
    # Qt's own files sit in PySide6/Qt/ on Linux, in PySide6/ itself on Windows.
    qt = pyside / "Qt" if (pyside / "Qt").is_dir() else pyside
    named = {
        "Qt libraries": [qt / "lib", *internal.glob("PySide6/*.dll")],
        "Qt plugins": [qt / "plugins"],
        "Qt translations": [qt / "translations"],
        "Qt bindings (PySide6, shiboken6)": [
            *internal.glob("PySide6/*.so*"),
            *internal.glob("PySide6/*.pyd"),
            internal / "shiboken6",
        ],
        "Python": [
            *internal.glob("libpython*"),
            *internal.glob("python3*"),
            internal / "base_library.zip",
        ],
        "resources and migrations": [internal / "resources", internal / "incubator"],
    }
    sizes = {name: sum(size(p) for p in paths if p.exists()) for name, paths in named.items()}
    sizes["other packages and libraries"] = size(build) - sum(sizes.values())
    return sizes


def archive_of(build: Path) -> Path | None:
    for suffix in (".tar.gz", ".zip"):
        archive = build.with_name(build.name + suffix)
        if archive.exists():
            return archive
    return None


def program(build: Path) -> Path:
    return build / ("incubator.exe" if os.name == "nt" else "incubator")


def clean_env(home: Path) -> dict[str, str]:
    """Nothing of this machine's Python: the system's own PATH, a home of its own."""
    env = {
        "PATH": os.pathsep.join(["/usr/bin", "/bin"]) if os.name != "nt" else os.environ["PATH"],
        "HOME": str(home),
        "INCUBATOR_HOME": str(home / "incubator"),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "INCUBATOR_STARTUP_PROBE": "1",
    }
    if os.name == "nt":
        env |= {k: os.environ[k] for k in ("SYSTEMROOT", "TEMP", "TMP") if k in os.environ}
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, help="the build's folder (default: newest in dist/)")
    parser.add_argument("--against", type=Path, help="another build's folder, measured beside")
    parser.add_argument("--orgs", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--smoke", action="store_true", help="100 organizations, one run")
    args = parser.parse_args(argv)
    args.build = args.build or newest_build()
    if args.smoke:
        args.orgs, args.runs = 100, 1
    with tempfile.TemporaryDirectory(prefix="bench-build-") as scratch:
        data = Path(scratch) if args.smoke else RESULTS
        return run(args, data, Path(scratch) / "home")


def run(args: argparse.Namespace, data: Path, home: Path) -> int:
    builds = {"built program": args.build}
    if args.against:
        builds["other build (--against)"] = args.against
    sizes = {}
    for label, build in builds.items():
        archive = archive_of(build)
        sizes[label] = {
            "folder": build.name,
            "folder_bytes": size(build),
            "archive_bytes": archive and size(archive),
            "parts": parts(build),
        }
    print_sizes(sizes)

    registry = str(registry_file(args.orgs, data))
    home.mkdir(parents=True, exist_ok=True)
    env = clean_env(home)
    commands = {
        "bare PySide6 window (baseline)": [sys.executable, "-c", BARE_WINDOW],
        "source: python main.py": [sys.executable, str(ROOT / "main.py"), "--db", registry],
        **{label: [str(program(build)), "--db", registry] for label, build in builds.items()},
    }
    runs: dict[str, list[float]] = {label: [] for label in commands}
    for round_ in range(args.runs + 1):
        for label, command in commands.items():
            took = wall(command, env)
            if round_:  # the first round warms the caches and takes the day's backup
                runs[label].append(took)
    base = statistics.median(runs["bare PySide6 window (baseline)"])
    starts = {}
    for label, times in runs.items():
        median = statistics.median(times)
        starts[label] = {"s": round(median, 3), "ratio": round(median / base, 2)}
        print(f"{label:34} {median:6.3f} s  ratio to the bare window {median / base:5.2f}")
    source = starts["source: python main.py"]["s"]
    built = starts["built program"]["s"]
    print(f"built program / source: {built / source:.2f}")

    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    out = data / "build.json"
    result = {"orgs": args.orgs, "runs": args.runs, "machine": machine}
    out.write_text(json.dumps({**result, "sizes": sizes, "starts": starts}, indent=2))
    print(f"({args.orgs} organizations; {machine}; written to {out})")
    return 0


def print_sizes(sizes: dict[str, dict]) -> None:
    mb = 1 / 1_000_000
    for label, info in sizes.items():
        archive = info["archive_bytes"]
        archive_text = f"{archive * mb:.1f} MB" if archive else "no archive beside it"
        print(f"{label}: {info['folder']}: {info['folder_bytes'] * mb:.1f} MB, {archive_text}")
        for part, n in info["parts"].items():
            print(f"    {part:34} {n * mb:7.1f} MB")


if __name__ == "__main__":
    sys.exit(main())
