"""Pieces every subcommand shares: --db and --lang, opening the registry, printing tables."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from incubator import validation as v
from incubator.errors import ValidationError
from incubator.i18n import LANGUAGES, tr

if TYPE_CHECKING:  # the database layer loads when a command opens the registry, not for --help
    from incubator.db import Database

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_PROBLEMS = 3
EXIT_INTERRUPTED = 130
E = TypeVar("E", bound=Enum)


def common_options() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help=tr(
            "database: a SQLite file path or sqlite:///FILE or "
            "postgresql://USER@HOST/NAME (default: INCUBATOR_DATABASE_URL, "
            "else the file in the user data folder)"
        ),
    )
    parent.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=argparse.SUPPRESS,
        help=tr("language of messages (default: from the system locale)"),
    )
    return parent


def enum_arg(enum: type[E], field: str) -> Callable[[str], E]:
    """An argparse type: a member named by its code or its label in any language; anything
    else is bad usage (exit 2), like an unknown --sort."""

    def parse(text: str) -> E:
        try:
            return v.choice(enum, text, field)
        except ValidationError as exc:
            raise argparse.ArgumentTypeError(exc.problems[0].message()) from None

    return parse


def add_command(sub, name: str, help_text: str, handler=None) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help_text, description=help_text, parents=[common_options()])
    if handler:
        parser.set_defaults(handler=handler)
    return parser


def open_db(args: argparse.Namespace, migrate: bool = True) -> Database:
    """The registry ``--db`` names; a server asking for a password gets it asked of the user
    at a terminal (never taken from the command line)."""
    from incubator.config import resolve_database_url
    from incubator.db_errors import LoginRefused
    from incubator.registry_db import open_registry

    url = resolve_database_url(getattr(args, "db", None))
    try:
        return open_registry(url, migrate=migrate)[0]
    except LoginRefused as refused:
        if not sys.stdin.isatty():
            raise
        print(refused.message(), file=sys.stderr)
        password = getpass.getpass(tr("Password of {user}: ", user=url.username or ""))
        return open_registry(url.set(password=password), migrate=migrate)[0]


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    from tabulate import tabulate

    # tabulate measures East Asian wide characters with wcwidth, so Chinese columns line up.
    return tabulate(
        list(rows), headers=[tr(h) for h in headers], tablefmt="simple", disable_numparse=True
    )


def money(value: Any) -> str:
    return f"{value:,.2f}"
