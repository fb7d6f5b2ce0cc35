"""`compliance list`: every organization's annual report of a year, with its grade and any
listing by the authority."""

from __future__ import annotations

import argparse

from incubator.cli.common import add_command, enum_arg, open_db, table
from incubator.domain import AnnualReportStatus
from incubator.i18n import tr


def register(sub) -> None:
    comp = add_command(
        sub, "compliance", tr("annual reports, rating grades and the authority's lists")
    )
    comp_sub = comp.add_subparsers(dest="compliance_command", metavar="ACTION", required=True)
    ls = add_command(
        comp_sub,
        "list",
        tr("every organization's annual report of a year: due date, submission, result"),
        run_list,
    )
    ls.add_argument(
        "--year",
        required=True,
        type=int,
        metavar="Y",
        help=tr("the year reported on (its report is due the following year)"),
    )
    ls.add_argument(
        "--status",
        type=enum_arg(AnnualReportStatus, "status"),
        help=", ".join(s.value for s in AnnualReportStatus),
    )


def run_list(args: argparse.Namespace) -> int:
    from incubator.services import compliance

    db = open_db(args)
    _year, rows = compliance.year_list(db, args.year, args.status)
    print(
        table(
            [
                "No.",
                "Name",
                "Unified Social Credit Code",
                "Report due",
                "Submitted on",
                "Status",
                "Rating grade",
                "Listed",
            ],
            [
                (
                    row.report.organization_id,
                    row.report.name,
                    row.report.credit_code or "—",
                    row.report.due_on,
                    row.report.submitted_on or "",
                    row.report.status.display(),
                    row.grade,
                    row.listed,
                )
                for row in rows
            ],
        )
    )
    print()
    print(tr("{count} organizations, annual reports of {year}", count=len(rows), year=args.year))
    return 0
