"""What the program is: its version, the schema it writes, and what it is made of with their
licences (the About box, ``--version``)."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from importlib import metadata

from incubator import __version__
from incubator.paths import RESOURCES

NAME = "Incubator Registry"

# The libraries the program runs on, with their licences as their projects state them (the
# packages' own metadata says this in as many ways as there are packages).
LIBRARIES = (
    ("PySide6", "LGPL-3.0 (Qt for Python)"),
    ("SQLAlchemy", "MIT"),
    ("alembic", "MIT"),
    ("psycopg", "LGPL-3.0"),
    ("reportlab", "BSD"),
    ("rl_accel", "BSD (ReportLab's accelerators)"),
    ("pypdf", "BSD-3-Clause"),
    ("uharfbuzz", "Apache-2.0 (HarfBuzz: MIT)"),
    ("python-bidi", "LGPL-3.0"),
    ("python-stdnum", "LGPL-2.1+"),
    ("pypinyin", "MIT"),
    ("python-calamine", "MIT"),
    ("openpyxl", "MIT"),
    ("charset-normalizer", "MIT"),
    ("keyring", "MIT"),
    ("platformdirs", "MIT"),
    ("tabulate", "MIT"),
    ("wcwidth", "MIT"),
)
# The fonts inside the program (resources/fonts/README.md says where they come from).
FONTS = (
    (
        "WenQuanYi Micro Hei 0.2.0-beta",
        "Apache-2.0 (or GPL-3+ with font exception)",
        "LICENSE-wqy-microhei.txt",
    ),
    ("UKIJ Tuz", "OFL-1.1 (or LGPL-3)", "LICENSE-UKIJ.txt"),
)


@dataclass(frozen=True)
class Part:
    name: str
    version: str  # "" when not installed (a library only some commands load)
    licence: str
    licence_file: str = ""  # of a bundled font, in resources/fonts


def version_line() -> str:
    """ "Incubator Registry 0.1.0 (schema 0017)": what ``--version`` prints."""
    from incubator.schema import HEAD

    return f"{NAME} {__version__} (schema {HEAD})"


def parts() -> list[Part]:
    """Python, every library and every bundled font, with its version and licence."""
    out = [Part("Python", platform.python_version(), "PSF-2.0")]
    for name, licence in LIBRARIES:
        try:
            found = metadata.version(name)
        except metadata.PackageNotFoundError:
            found = ""
        out.append(Part(name, found, licence))
    for name, licence, file in FONTS:
        out.append(Part(name, "", licence, str(RESOURCES / "fonts" / file)))
    return out


def licence_text(part: Part) -> str:
    """A bundled font's licence file, whole ("" for a library: its licence is named)."""
    if not part.licence_file:
        return ""
    with open(part.licence_file, encoding="utf-8") as fh:
        return fh.read()
