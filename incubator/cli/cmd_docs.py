"""`docs add`, `docs list`, `docs get`: the files attached to an organization and its records."""

from __future__ import annotations

import argparse
from pathlib import Path

from incubator.cli.common import add_command, enum_arg, open_db, table
from incubator.domain import DocumentKind
from incubator.errors import ValidationError
from incubator.i18n import entity_label, tr

# ``--on KIND:ID``: the words a user types for the records a document may belong to.
RECORD_WORDS = {
    "fund": "funds",
    "payment": "fund_payments",
    "project": "projects",
    "talent": "talent_records",
    "evaluation": "evaluations",
    "transition": "lifecycle_transitions",
    "agreement": "lifecycle_transitions",
    "allocation": "space_allocations",
    "annual-report": "annual_reports",
    "rating": "ratings",
    "listing": "authority_listings",
}


def register(sub) -> None:
    docs = add_command(sub, "docs", tr("attach, list and fetch documents"))
    docs_sub = docs.add_subparsers(dest="docs_command", metavar="ACTION", required=True)

    a = add_command(
        docs_sub,
        "add",
        tr("attach a file (PDF, image, office file) to an organization or one of its records"),
        run_add,
    )
    a.add_argument("ident", metavar="ORG", help=tr("credit code or number"))
    a.add_argument("file", type=Path, metavar="FILE")
    a.add_argument(
        "--kind",
        required=True,
        type=enum_arg(DocumentKind, "kind"),
        help=", ".join(k.value for k in DocumentKind),
    )
    a.add_argument(
        "--on",
        metavar="RECORD",
        help=tr(
            "the record it belongs to, as KIND:NUMBER ({kinds}); the numbers are in "
            "'orgs show' (default: the organization itself)",
            kinds=", ".join(RECORD_WORDS),
        ),
    )
    a.add_argument("--title", help=tr("default: the file's name"))
    a.add_argument("--date", metavar="YYYY-MM-DD", help=tr("the document's own date"))

    ls = add_command(docs_sub, "list", tr("list an organization's documents"), run_list)
    ls.add_argument("ident", metavar="ORG", help=tr("credit code or number"))

    g = add_command(
        docs_sub, "get", tr("write a document's file, checked against its SHA-256"), run_get
    )
    g.add_argument("doc_id", type=int, metavar="ID", help=tr("the document's number"))
    g.add_argument("--out", required=True, type=Path, metavar="FILE")


def parse_record(text: str) -> tuple[str, int]:
    word, _, number = text.partition(":")
    kind = RECORD_WORDS.get(word.strip().lower())
    if kind is None or not number.strip().isdigit():
        raise ValidationError.single(
            "record",
            "Not a record: “{value}” (use KIND:NUMBER, KIND one of {kinds})",
            value=text,
            kinds=", ".join(RECORD_WORDS),
        )
    return kind, int(number)


def run_add(args: argparse.Namespace) -> int:
    from incubator.services import documents, registry

    record = parse_record(args.on) if args.on else None
    db = open_db(args)
    org = registry.find(db, args.ident)
    data = {"kind": args.kind, "dated_on": args.date}
    if args.title is not None:
        data["title"] = args.title
    doc = documents.attach(db, org.id, args.file, data, record=record)
    print(
        tr(
            "Document {id} attached to {org}: {title} ({size}, SHA-256 {digest})",
            id=doc.id,
            org=org.name,
            title=doc.title,
            size=doc.size_text(),
            digest=doc.sha256,
        )
    )
    return 0


def record_text(kind: str | None, record_id: int | None) -> str:
    if kind is None:
        return tr("Organization")
    return f"{entity_label(kind)} {record_id}"


def run_list(args: argparse.Namespace) -> int:
    from incubator.services import documents, registry

    db = open_db(args)
    org = registry.find(db, args.ident)
    rows = documents.list_for(db, org.id)
    print(
        table(
            ["No.", "Date", "Kind", "Title", "Attached to", "File name", "Size", "Added by"],
            [
                (
                    d.id,
                    d.dated_on or "",
                    d.kind.display(),
                    d.title,
                    record_text(d.record_kind, d.record_id),
                    d.filename,
                    d.size_text(),
                    d.added_by,
                )
                for d in rows
            ],
        )
    )
    print()
    print(tr("{count} documents", count=len(rows)))
    return 0


def run_get(args: argparse.Namespace) -> int:
    from incubator.services import documents

    db = open_db(args)
    doc = documents.save_as(db, args.doc_id, args.out)
    print(tr("{title} written to {path}", title=doc.title, path=args.out))
    return 0
