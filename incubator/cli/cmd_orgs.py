"""`orgs list` and `orgs show`: the registry as readable tables."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from incubator import validation as v
from incubator.cli.common import add_command, enum_arg, money, open_db, table
from incubator.domain import ORG_SORTS, LegalForm, ServiceField, Stage
from incubator.i18n import entity_label, field_label, tr

if TYPE_CHECKING:  # the services load when a command runs, not for --help
    from incubator.services import registry


def register(sub) -> None:
    orgs = add_command(sub, "orgs", tr("list and show organizations"))
    orgs_sub = orgs.add_subparsers(dest="orgs_command", metavar="ACTION", required=True)
    p = add_command(orgs_sub, "list", tr("list organizations"), run_list)
    add_filters(p)
    p.add_argument("--limit", type=int, default=200, help=tr("show at most N rows (default 200)"))
    s = add_command(
        orgs_sub, "show", tr("show one organization with its lifecycle and support"), run_show
    )
    s.add_argument("ident", metavar="CODE_OR_ID", help=tr("credit code or number"))


def add_filters(p: argparse.ArgumentParser) -> None:
    """The filters of the organizations list (``orgs list``, ``export organizations``)."""
    p.add_argument(
        "--stage",
        type=enum_arg(Stage, "stage"),
        help=tr("only this lifecycle stage: {values}", values=", ".join(s.value for s in Stage)),
    )
    p.add_argument(
        "--search",
        default="",
        metavar="TEXT",
        help=tr("name, short name, credit code or pinyin initials (e.g. sqfw)"),
    )
    p.add_argument(
        "--legal-form",
        type=enum_arg(LegalForm, "legal_form"),
        help=", ".join(f.value for f in LegalForm),
    )
    p.add_argument(
        "--field",
        type=enum_arg(ServiceField, "service_fields"),
        help=", ".join(f.value for f in ServiceField),
    )
    p.add_argument("--area", help=tr("county, township or community contains this text"))
    p.add_argument("--archived", action="store_true", help=tr("include archived organizations"))
    p.add_argument(
        "--sort",
        default="name",
        choices=sorted(ORG_SORTS),
        help=tr("sort column (default name, by pinyin)"),
    )
    p.add_argument("--desc", action="store_true", help=tr("sort descending"))


def query_from(args: argparse.Namespace) -> registry.OrgQuery:
    from incubator.services import registry

    return registry.OrgQuery(
        text=args.search,
        stage=args.stage,
        legal_form=args.legal_form,
        service_field=args.field,
        area=args.area,
        include_archived=args.archived,
        order_by=args.sort,
        descending=args.desc,
    )


def run_list(args: argparse.Namespace) -> int:
    from incubator.services import compliance, registry

    query = query_from(args)
    if args.limit < 1:
        raise v.ValidationError.single("limit", "Must be at least {min}", min=1)
    db = open_db(args)
    total = registry.count(db, query)
    rows = registry.list_page(db, query, limit=args.limit)
    marks = compliance.marks_on(db, dt.date.today(), [o.id for o in rows])
    print(
        table(
            [
                "No.",
                "Name",
                "Unified Social Credit Code",
                "Legal form",
                "Lifecycle stage",
                "Since",
                "County / district",
                "Rating and listing",
            ],
            [
                (
                    o.id,
                    o.name,
                    o.credit_code or "—",
                    o.legal_form.display(),
                    o.stage.display() + (" ⚠" if o.is_overdue() else ""),
                    o.stage_since,
                    o.area_county or "",
                    marks.text(o.id),
                )
                for o in rows
            ],
        )
    )
    shown = len(rows)
    print()
    print(tr("{shown} of {total} organizations shown", shown=shown, total=total))
    return 0


def run_show(args: argparse.Namespace) -> int:
    from wcwidth import wcswidth

    from incubator.cli.cmd_docs import record_text
    from incubator.services import (
        audit_trail,
        compliance,
        documents,
        evaluations,
        funds,
        lifecycle,
        projects,
        registry,
        spaces,
        talent,
    )
    from incubator.services.contacts import mask_phone

    db = open_db(args)
    org = registry.find(db, args.ident)
    standing = compliance.standing(db, org.id)
    profile = [
        ("No.", org.id),
        ("name", org.name),
        ("short_name", org.short_name),
        ("credit_code", org.credit_code),
        ("legal_form", org.legal_form.display()),
        ("service_fields", "、".join(f.display() for f in org.service_fields)),
        ("Service area", org.area),
        ("founded_on", org.founded_on),
        ("registered_on", org.registered_on),
        ("legal_representative", org.legal_representative),
        ("address", org.address),
        ("supervising_unit", org.supervising_unit),
        ("grade", standing.grade.value if standing.grade else None),
        ("list_kind", standing.listed_text() or None),
        ("contact_person", org.contact_person),
        ("contact_phone", mask_phone(org.contact_phone)),  # masked, as in lists and reports
        ("staff_count", org.staff_count),
        ("volunteer_count", org.volunteer_count),
        ("stage", org.stage.display() + (f" ({tr('overdue')})" if org.is_overdue() else "")),
        ("agreement_start", org.agreement_start),
        ("agreement_planned_end", org.agreement_planned_end),
        ("Archived", tr("yes") if org.archived else tr("no")),
        ("notes", org.notes),
    ]
    labels = [field_label(k) for k, _ in profile]
    width = max(wcswidth(label) for label in labels)
    for label, (_, value) in zip(labels, profile, strict=True):
        pad = " " * (width - wcswidth(label))  # Chinese characters take two columns
        print(f"{label}{pad}  {'' if value is None else value}")

    _section("Lifecycle")
    print(
        table(
            ["No.", "Date", "From", "To", "By", "Reason"],
            [
                (
                    t.id,
                    t.occurred_on,
                    t.from_stage.display() if t.from_stage else "—",
                    t.to_stage.display(),
                    t.actor,
                    t.reason,
                )
                for t in lifecycle.history(db, org.id)
            ],
        )
    )

    _section("Funds")
    fund_rows = funds.funds_of(db, org.id)
    print(
        table(
            [
                "No.",
                "Committed on",
                "Title",
                "Source",
                "Kind",
                "Committed",
                "Disbursed",
                "Remaining",
                "Status",
            ],
            [
                (
                    f.id,
                    f.committed_on,
                    f.title,
                    f.source.display(),
                    f.kind.display(),
                    money(f.amount_committed),
                    money(f.disbursed),
                    money(f.remaining),
                    f.status.display(),
                )
                for f in fund_rows
            ],
        )
    )
    t = funds.totals(db, org.id)
    print(
        tr(
            "Total committed {committed}, disbursed {disbursed}, remaining {remaining}",
            committed=money(t.committed),
            disbursed=money(t.disbursed),
            remaining=money(t.remaining),
        )
    )

    _section("Projects")
    print(
        table(
            ["No.", "Start", "End", "Name", "Funder", "Budget", "Beneficiaries", "Status"],
            [
                (
                    p.id,
                    p.start_on,
                    p.end_on or "",
                    p.name,
                    p.funder or "",
                    money(p.budget),
                    p.beneficiaries,
                    p.status.display(),
                )
                for p in projects.list_for(db, org.id)
            ],
        )
    )

    _section("Talent")
    print(
        table(
            ["No.", "Start", "Kind", "Title", "Person", "People", "Hours"],
            [
                (
                    r.id,
                    r.start_on,
                    r.kind.display(),
                    r.title,
                    r.person_name or "",
                    r.people_count,
                    r.hours,
                )
                for r in talent.list_for(db, org.id)
            ],
        )
    )

    _section("Space")
    print(
        table(
            ["No.", "Space", "From", "To", "Area (m²)", "Status"],
            [
                (
                    a.id,
                    f"{a.space_code} {a.space_name}",
                    a.start_on,
                    a.end_on,
                    a.area_m2,
                    a.status.display(),
                )
                for a in spaces.allocations_of(db, org.id)
            ],
        )
    )

    _section("Evaluations")
    print(
        table(
            ["No.", "Date", "Kind", "Governance", "Finance", "Services", "Team", "Total"],
            [
                (
                    e.id,
                    e.evaluated_on,
                    e.kind.display(),
                    e.governance,
                    e.finance,
                    e.services,
                    e.team,
                    e.total,
                )
                for e in evaluations.list_for(db, org.id)
            ],
        )
    )

    _section("Annual reports")
    print(
        table(
            ["No.", "Year", "Report due", "Submitted on", "Status", "Remarks"],
            [
                (
                    r.id,
                    r.year,
                    r.due_on,
                    r.submitted_on or "",
                    r.status(standing.day).display(),
                    r.remarks or "",
                )
                for r in standing.reports
            ],
        )
    )
    _section("Ratings")
    print(
        table(
            ["No.", "Rating grade", "Awarded on", "Valid until", "Awarding body"],
            [
                (r.id, r.grade.value, r.awarded_on, r.valid_until, r.awarding_body or "")
                for r in standing.ratings
            ],
        )
    )
    _section("Authority listings")
    print(
        table(
            ["No.", "List", "Listed on", "Listed by", "Reason", "Removed on"],
            [
                (
                    x.id,
                    x.list_kind.display(),
                    x.listed_on,
                    x.authority or "",
                    x.reason or "",
                    x.removed_on or "",
                )
                for x in standing.listings
            ],
        )
    )
    _section("Documents")
    print(
        table(
            ["No.", "Date", "Kind", "Title", "Attached to", "Size"],
            [
                (
                    d.id,
                    d.dated_on or "",
                    d.kind.display(),
                    d.title,
                    record_text(d.record_kind, d.record_id),
                    d.size_text(),
                )
                for d in documents.list_for(db, org.id)
            ],
        )
    )

    changes = audit_trail.for_organization(db, org.id, limit=5)
    _section("Latest changes")
    print(
        table(
            ["When", "By", "What", "Action"],
            [
                (
                    a.at.astimezone().strftime("%Y-%m-%d %H:%M"),
                    a.actor,
                    entity_label(a.entity),
                    a.action.display(),
                )
                for a in changes
            ],
        )
    )
    return 0


def _section(title: str) -> None:
    print()
    print(f"== {tr(title)} ==")
