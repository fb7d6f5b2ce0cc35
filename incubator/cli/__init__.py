"""Headless command line over the same services as the desktop app.

    python main.py demo | orgs | docs | compliance | import | export | report | db
        [--db URL] [--lang zh_CN|en] ...

Exit codes: 0 done; 1 an error (one line on stderr), or rows rejected by ``import``; 2 bad
command-line usage, or a file ``import`` cannot read; 3 ``db check`` found problems; 130
interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from incubator.cli import (
    cmd_compliance,
    cmd_db,
    cmd_demo,
    cmd_docs,
    cmd_export,
    cmd_import,
    cmd_orgs,
    cmd_report,
)
from incubator.cli.common import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, common_options
from incubator.errors import IncubatorError
from incubator.i18n import T, set_language, tr
from incubator.logs import log_unexpected
from incubator.validation import BIDI_CONTROLS

# argparse's own messages, translated like every other text (argparse looks `_` up at call time).
ARGPARSE_TEXTS = (
    T("usage: "),
    T("options"),
    T("positional arguments"),
    T("show this help message and exit"),
    T("the following arguments are required: %s"),
    T("unrecognized arguments: %s"),
    T("invalid choice: %(value)r (choose from %(choices)s)"),
    T("%(prog)s: error: %(message)s\n"),
    T("argument %(argument_name)s: %(message)s"),
    T("expected one argument"),
    T("invalid %(type)s value: %(value)r"),
    T("ambiguous option: %(option)s could match %(matches)s"),
    T("unknown parser %(parser_name)r (choices: %(choices)s)"),
)
argparse._ = lambda text: tr(text)  # type: ignore[attr-defined]

COMMANDS = (
    cmd_demo,
    cmd_orgs,
    cmd_docs,
    cmd_compliance,
    cmd_import,
    cmd_export,
    cmd_report,
    cmd_db,
)


class _ShowVersion(argparse.Action):
    """``--version``: the program's version and the schema it writes (loaded only then)."""

    def __init__(
        self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None
    ):
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from incubator.about import version_line

        print(version_line())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="main.py",
        description=tr(
            "Incubator Registry: organizations, their incubation and the support "
            "they receive. Without a command the desktop app starts."
        ),
        epilog=tr(
            "Exit codes: 0 done; 1 an error, or rows rejected by 'import'; 2 bad usage, or a "
            "file 'import' cannot read; 3 problems found by 'db check'; 130 interrupted."
        ),
        parents=[common_options()],
    )
    parser.add_argument(
        "--version",
        action=_ShowVersion,
        help=tr("show the program's version and the schema version it writes, and exit"),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def _language_from(argv: Sequence[str]) -> None:
    # --lang must apply to --help and argparse's own messages too, so read it first.
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            set_language(argv[i + 1])
        elif arg.startswith("--lang="):
            set_language(arg.split("=", 1)[1])


# Control characters (but line ends and tabs) as their visible symbols, ESC as ␛; C1 controls
# and direction overrides as �: text from a registry file can never drive the terminal.
_SHOWN = {
    **{c: 0x2400 + c for c in range(0x20) if chr(c) not in "\n\r\t"},
    0x7F: 0x2421,
    **dict.fromkeys(range(0x80, 0xA0), 0xFFFD),
    **dict.fromkeys(map(ord, BIDI_CONTROLS), 0xFFFD),
}


class _Printable:
    """A text stream that prints ``_SHOWN`` characters as symbols; the rest as it is."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(text.translate(_SHOWN))

    def __getattr__(self, name: str):  # flush, fileno, isatty, encoding ...
        return getattr(self._stream, name)


@contextmanager
def _printable_output() -> Iterator[None]:
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Printable(sys.stdout), _Printable(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = streams


def main(argv: Sequence[str] | None = None) -> int:
    with _printable_output():
        return _main(argv)


def _main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _language_from(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return int(args.handler(args) or 0)
    except IncubatorError as exc:
        print(tr("Error: {message}", message=exc.message()), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(tr("Interrupted."), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader left (`orgs list | head`): end quietly. What Python would still flush at
        # exit goes nowhere instead of raising again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # last resort: never a traceback for the user
        path = log_unexpected(exc)
        print(
            tr(
                "Sorry, something unexpected went wrong ({kind}). Details are in {path}",
                kind=type(exc).__name__,
                path=path,
            ),
            file=sys.stderr,
        )
        return EXIT_ERROR
