"""`db upgrade`, `db check`, `db backup`: looking after the database itself."""

from __future__ import annotations

import argparse
from pathlib import Path

from incubator.cli import cmd_db_roles
from incubator.cli.common import EXIT_PROBLEMS, add_command, open_db, table
from incubator.i18n import tr


def register(sub) -> None:
    db = add_command(
        sub, "db", tr("create, upgrade, check and back up the database; its users and roles")
    )
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    add_command(
        db_sub,
        "upgrade",
        tr("create the schema or bring it to the newest version (backs up a SQLite file first)"),
        run_upgrade,
    )
    add_command(
        db_sub,
        "check",
        tr("check integrity and the registry's rules; exit code 3 if problems are found"),
        run_check,
    )
    b = add_command(
        db_sub,
        "backup",
        tr("copy the database to FILE (default: a dated file in the backup folder)"),
        run_backup,
    )
    b.add_argument("file", nargs="?", type=Path, metavar="FILE")
    b.add_argument(
        "--force", action="store_true", help=tr("replace FILE if it exists (never the registry)")
    )
    r = add_command(
        db_sub,
        "restore",
        tr(
            "put the backup FILE in place of the registry, once it proved sound; the registry "
            "as it was is kept in the backup folder (close the app at every desk first)"
        ),
        run_restore,
    )
    r.add_argument("file", type=Path, metavar="FILE")
    c = add_command(
        db_sub,
        "copy",
        tr(
            "copy this registry (a SQLite file), its history included, into the empty "
            "PostgreSQL database at URL, then check that every table's rows and every sum of "
            "money and hours came out the same"
        ),
        run_copy,
    )
    c.add_argument("--to", required=True, metavar="URL", help=tr("the PostgreSQL database"))
    cmd_db_roles.register(db_sub)


def run_upgrade(args: argparse.Namespace) -> int:
    from incubator import schema

    db = open_db(args, migrate=False)
    report = schema.upgrade(db)
    if report.backup:
        print(tr("Backup written to {path}", path=report.backup))
    if report.changed:
        print(
            tr(
                "{db}: schema upgraded from {old} to {new}",
                db=db.describe(),
                old=report.from_revision or tr("empty"),
                new=report.to_revision,
            )
        )
    else:
        print(tr("{db}: schema is up to date ({rev})", db=db.describe(), rev=report.to_revision))
    return 0


def run_check(args: argparse.Namespace) -> int:
    from incubator import integrity

    db = open_db(args, migrate=False)
    findings = integrity.check(db)
    for f in findings:
        print(tr(f.key, **f.params))
    if findings:
        print(tr("{n} problems found in {db}", n=len(findings), db=db.describe()))
        return EXIT_PROBLEMS
    print(tr("{db}: no problems found", db=db.describe()))
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from incubator import schema

    db = open_db(args, migrate=False)
    path = schema.backup(db, args.file, force=args.force)
    print(tr("Backup written to {path}", path=path))
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from incubator import schema

    db = open_db(args, migrate=False)
    kept = schema.restore(db, args.file)
    print(tr("{db} restored from {file}", db=db.describe(), file=args.file))
    if kept:
        print(tr("The registry as it was is kept in {path}", path=kept))
    return 0


def run_copy(args: argparse.Namespace) -> int:
    from incubator.config import parse_database_url
    from incubator.copying import copy_registry
    from incubator.db import Database

    source = open_db(args)
    target = Database(parse_database_url(args.to))
    last = [0]

    def progress(done: int, total: int) -> bool:
        if done - last[0] >= 50_000 or done == total:
            last[0] = done
            print(tr("{done} of {total} rows copied", done=f"{done:,}", total=f"{total:,}"))
        return True

    try:
        report = copy_registry(source, target, progress)
    finally:
        target.dispose()
    print(table(("Table", "Rows"), sorted(report.rows.items())))
    print(
        tr(
            "{db}: {rows} rows copied and checked (every table's rows, {sums} sums of money "
            "and hours the same on both sides)",
            db=target.describe(),
            rows=f"{sum(report.rows.values()):,}",
            sums=len(report.totals),
        )
    )
    return 0
