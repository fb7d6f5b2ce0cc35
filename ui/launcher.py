"""Entry point of `python main.py` and of the `incubator` command installed by pip.

No command: the desktop app (optionally with --db / --lang). A command: the headless CLI,
which never loads Qt.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _app_options(args: list[str]) -> argparse.Namespace | None:
    """The app's options when ``args`` holds nothing but --db / --lang; else None."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    parser.add_argument("--lang")
    try:
        known, rest = parser.parse_known_args(args)
    except SystemExit:
        return None
    return None if rest else known


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    options = _app_options(args)
    if options is not None:
        from ui.app import run

        return run(db_url=options.db, lang=options.lang)
    from incubator.cli import main as cli_main

    return cli_main(args)
