"""`export`: a list of the registry to .xlsx or .csv."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from incubator.cli.cmd_orgs import add_filters, query_from
from incubator.cli.common import add_command, enum_arg, open_db
from incubator.domain import AnnualReportStatus
from incubator.i18n import tr


def register(sub) -> None:
    from incubator.exporting import KINDS

    p = add_command(
        sub,
        "export",
        tr("export a list to .xlsx or .csv (organizations take the filters of 'orgs list')"),
        run,
    )
    p.add_argument("kind", choices=KINDS, help=tr("which list"))
    p.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="FILE.xlsx|FILE.csv",
        help=tr("the file to write"),
    )
    p.add_argument(
        "--with-phones",
        action="store_true",
        help=tr("include contact phone numbers in full (masked otherwise)"),
    )
    p.add_argument(
        "--year",
        type=int,
        metavar="Y",
        help=tr("compliance: the year reported on (default: the one whose report fell due last)"),
    )
    p.add_argument(
        "--status",
        type=enum_arg(AnnualReportStatus, "status"),
        help=tr(
            "compliance: only this status: {values}",
            values=", ".join(s.value for s in AnnualReportStatus),
        ),
    )
    add_filters(p)


def run(args: argparse.Namespace) -> int:
    from incubator.exporting import tables, writers

    db = open_db(args)
    found = tables.table(
        db,
        args.kind,
        query_from(args),
        include_phones=args.with_phones,
        year=args.year,
        status=args.status,
    )

    def progress(done: int) -> bool:
        if sys.stderr.isatty():
            print(f"\r{done}/{found.count}", end="", file=sys.stderr, flush=True)
        return True

    n = writers.write(args.out, found.columns, found.rows, found.sheet, progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(tr("{count} rows written to {path}", count=n, path=args.out))
    return 0
