"""`import`: bring a center's spreadsheet into the registry, after a dry run.

Exit codes: 0 every row imported (or would be, with --dry-run); 1 some rows rejected (then
nothing is written unless --accept-partial); 2 the file cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from incubator.cli.common import EXIT_ERROR, EXIT_OK, EXIT_USAGE, add_command, open_db
from incubator.errors import ValidationError
from incubator.i18n import tr

KINDS = ("organizations", "funds", "projects", "talent", "evaluations", "spaces")
SHOWN_PROBLEMS = 20  # rejected rows listed on the terminal; all go to --errors


def register(sub) -> None:
    p = add_command(
        sub,
        "import",
        tr("import a spreadsheet (.xlsx, .xls, .ods, .csv): a dry run first, then all or nothing"),
        run,
    )
    p.add_argument("file", type=Path, metavar="FILE", help=tr("the spreadsheet to import"))
    p.add_argument(
        "--kind",
        choices=KINDS,
        default="organizations",
        help=tr(
            "what the rows are (default: organizations); funds (a ledger, one row per "
            "payment), projects, talent and evaluations name their organization by credit "
            "code or name; spaces: allocations of the center's spaces"
        ),
    )
    p.add_argument("--sheet", metavar="NAME", help=tr("the sheet to read (default: the first)"))
    p.add_argument(
        "--dry-run", action="store_true", help=tr("only say what would be imported; change nothing")
    )
    p.add_argument(
        "--errors",
        type=Path,
        metavar="OUT.xlsx",
        help=tr("write the rejected rows, with the reason for each, to this file"),
    )
    p.add_argument(
        "--accept-partial",
        action="store_true",
        help=tr("import the accepted rows even when some are rejected"),
    )


def run(args: argparse.Namespace) -> int:
    from incubator.importing import error_report, kinds, sheets

    try:
        sheet = sheets.read(args.file, args.sheet)
    except ValidationError as exc:
        print(exc.message(), file=sys.stderr)
        return EXIT_USAGE
    db = open_db(args)
    plan = kinds.plan(db, args.kind, sheet)
    if plan.blocking:
        print(plan.blocking, file=sys.stderr)
        return EXIT_ERROR
    rejected = plan.rejected
    print(
        tr(
            "{file} ({sheet}), header on row {header}: {create} new, {update} updated, "
            "{same} unchanged, {rejected} rejected, {warnings} warnings",
            file=args.file.name,
            sheet=plan.sheet,
            header=plan.layout.header_row + 1,
            create=plan.count("create"),
            update=plan.count("update"),
            same=plan.count("unchanged"),
            rejected=len(rejected),
            warnings=plan.warning_count,
        )
    )
    if plan.layout.ignored:
        print(tr("Columns ignored: {names}", names="、".join(plan.layout.ignored)))
    for row, why in plan.skipped:
        print(tr("Row {row} skipped: {why}", row=row, why=why))
    for row in rejected[:SHOWN_PROBLEMS]:
        print(tr("Row {row}: {reason}", row=row.row, reason=error_report.reason(row.problems)))
    if len(rejected) > SHOWN_PROBLEMS:
        print(tr("… and {count} more rejected rows", count=len(rejected) - SHOWN_PROBLEMS))
    if args.errors and rejected:
        error_report.write(plan, args.errors)
        print(tr("Rejected rows written to {path}", path=args.errors))
    if args.dry_run:
        print(tr("Dry run: nothing was changed."))
    elif rejected and not args.accept_partial:
        print(tr("Nothing was imported: {count} rows are rejected.", count=len(rejected)))
    else:
        result = kinds.commit(db, args.kind, plan, accept_partial=args.accept_partial)
        print(
            tr(
                "Imported: {created} new, {updated} updated.",
                created=result.created,
                updated=result.updated,
            )
        )
    return EXIT_ERROR if rejected else EXIT_OK
