"""`report org`, `report center`, `report pack`: PDF reports for a period."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from incubator import validation as v
from incubator.cli.common import add_command, enum_arg, open_db
from incubator.domain import DocumentKind, Stage
from incubator.i18n import tr
from incubator.services.periods import parse_period


def register(sub) -> None:
    rep = add_command(sub, "report", tr("write PDF reports for a period"))
    rep_sub = rep.add_subparsers(dest="report_command", metavar="KIND", required=True)

    o = add_command(rep_sub, "org", tr("one organization's progress report"), run_org)
    o.add_argument("ident", metavar="CODE_OR_ID", help=tr("credit code or number"))
    _common(o)

    c = add_command(
        rep_sub,
        "center",
        tr("the center report: key figures, charts and every organization's totals"),
        run_center,
    )
    _common(c)

    p = add_command(
        rep_sub,
        "pack",
        tr(
            "committee pack: the center report, then each organization's progress report, "
            "with a table of contents and bookmarks"
        ),
        run_pack,
    )
    p.add_argument(
        "--stage",
        help=tr(
            "only organizations now in this stage: {values} (default: those incubated "
            "or applying during the period)",
            values=", ".join(s.value for s in Stage),
        ),
    )
    p.add_argument(
        "--all",
        action="store_true",
        dest="everyone",
        help=tr("also organizations with nothing to report in the period (left out by default)"),
    )
    p.add_argument(
        "--with-documents",
        action="store_true",
        help=tr(
            "after each organization's report, its PDF documents, each with a bookmark "
            "(checked against their SHA-256)"
        ),
    )
    p.add_argument(
        "--document-kind",
        action="append",
        type=enum_arg(DocumentKind, "kind"),
        metavar="K",
        help=tr(
            "with --with-documents: only documents of this kind (repeatable): {values}",
            values=", ".join(k.value for k in DocumentKind),
        ),
    )
    _common(p)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--period",
        required=True,
        metavar="P",
        help=tr("2026 (a year), 2026Q3 (a quarter) or 2026-01-01..2026-06-30"),
    )
    parser.add_argument(
        "--out", required=True, type=Path, metavar="FILE.pdf", help=tr("the PDF file to write")
    )


def _progress(done: int, total: int) -> bool:
    if sys.stderr.isatty():
        print(f"\r{done * 100 // total:3d}%", end="", file=sys.stderr, flush=True)
    return True


def _done(result) -> int:
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(tr("Report written to {path} ({pages} pages)", path=result.path, pages=result.pages))
    return 0


def _checked(args: argparse.Namespace):
    """Period and output file checked before the database is opened."""
    from incubator.reports.layout import check_target  # ReportLab loads only when needed

    period = parse_period(args.period)
    check_target(args.out)
    return period


def run_org(args: argparse.Namespace) -> int:
    from incubator import reports

    period = _checked(args)
    db = open_db(args)
    return _done(reports.org_report(db, args.ident, period, args.out, progress=_progress))


def run_center(args: argparse.Namespace) -> int:
    from incubator import reports

    period = _checked(args)
    db = open_db(args)
    return _done(reports.center_report(db, period, args.out, progress=_progress))


def run_pack(args: argparse.Namespace) -> int:
    from incubator import reports

    period = _checked(args)
    stage = v.choice(Stage, args.stage, "stage") if args.stage else None
    db = open_db(args)
    if args.document_kind and not args.with_documents:
        raise v.ValidationError.single("document_kind", "--document-kind needs --with-documents")
    documents = (args.document_kind or True) if args.with_documents else False
    result = reports.committee_pack(
        db,
        period,
        args.out,
        stage=stage,
        everyone=args.everyone,
        progress=_progress,
        with_documents=documents,
    )
    return _done(result)
