"""`demo`: fill the registry with realistic demo data."""

from __future__ import annotations

import argparse
import sys

from incubator.cli.common import add_command, open_db
from incubator.i18n import tr


def register(sub) -> None:
    p = add_command(sub, "demo", tr("fill the database with realistic demo data"), run)
    p.add_argument(
        "--orgs", type=int, default=60, metavar="N", help=tr("number of organizations (default 60)")
    )
    p.add_argument("--seed", type=int, default=2026, help=tr("random seed (same seed, same data)"))
    p.add_argument(
        "--years",
        type=int,
        default=3,
        metavar="Y",
        help=tr("years of history before today (default 3)"),
    )
    p.add_argument(
        "--force",
        action="store_true",
        help=tr("add demo data even to a registry that holds real organizations"),
    )


def run(args: argparse.Namespace) -> int:
    from incubator import demo  # the generator's name lists load only when asked for

    db = open_db(args)

    def progress(done: int, total: int) -> bool:
        if sys.stderr.isatty():
            print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)
        return True

    summary = demo.generate(
        db, orgs=args.orgs, seed=args.seed, progress=progress, force=args.force, years=args.years
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(tr("Demo data added to {db}:", db=db.describe()))
    counts = [
        (tr("Organizations"), summary.organizations),
        (tr("Lifecycle transitions"), summary.transitions),
        (tr("Funds"), summary.funds),
        (tr("Payments"), summary.payments),
        (tr("Projects"), summary.projects),
        (tr("Talent records"), summary.talent_records),
        (tr("Spaces"), summary.spaces),
        (tr("Space allocations"), summary.allocations),
        (tr("Evaluations"), summary.evaluations),
        (tr("Annual reports"), summary.annual_reports),
        (tr("Ratings"), summary.ratings),
        (tr("Authority listings"), summary.listings),
        (tr("Documents"), summary.documents),
    ]
    for label, value in counts:
        print("  " + tr("{label}: {value}", label=label, value=value))
    return 0
