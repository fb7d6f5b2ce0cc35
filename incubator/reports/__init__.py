"""PDF reports (ReportLab platypus): the organization progress report, the center report for a
period and the committee pack (the center report, then each selected organization's report,
with a table of contents and bookmarks).

Plain functions for the CLI and the desktop app alike::

    from incubator import reports
    result = reports.org_report(db, org_id_or_code, "2026Q3", "report.pdf", lang="zh_CN",
                                progress=callback)

``progress(done, total) -> bool`` is called as the work goes on (``total`` is 1000); returning
False stops the report, which then raises ``ReportCancelled`` and writes nothing. Bad input
raises ``ValidationError`` (period, output file) or ``NotFoundError`` (organization).
Every function opens its own short read-only sessions, so it may run in a worker thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from sqlalchemy import func, select

from incubator import validation as v
from incubator.db import Database
from incubator.domain import DocumentKind, Stage
from incubator.i18n import current_language, normalize_language, tr
from incubator.models import LifecycleTransition, Organization
from incubator.reports.center_report import CenterStory
from incubator.reports.data import center_data, org_data
from incubator.reports.layout import (
    Progress,
    ProgressCallback,
    ReportCancelled,
    ReportDoc,
    ReportResult,
    build_doc,
    check_target,
    letterhead,
    write_pdf,
)
from incubator.reports.org_report import OrgStory
from incubator.reports.style import styles
from incubator.services import figures, narratives, registry
from incubator.services.periods import Period, parse_period

__all__ = [
    "ReportCancelled",
    "ReportResult",
    "center_report",
    "check_target",
    "committee_pack",
    "org_report",
    "pack_members",
]

Target = str | Path | IO[bytes]


def _lang(lang: str | None) -> str:
    return normalize_language(lang) if lang else current_language()


def _org_id(db: Database, org: int | str) -> int:
    if isinstance(org, int) and not isinstance(org, bool):
        return registry.get(db, org).id
    return registry.find(db, str(org)).id


def _early_check(out: Target) -> None:
    if isinstance(out, str | Path):
        check_target(out)


def org_report(
    db: Database,
    org: int | str,
    period: Period | str,
    out: Target,
    *,
    lang: str | None = None,
    progress: ProgressCallback | None = None,
    today: dt.date | None = None,
) -> ReportResult:
    """One organization's progress report (``org``: id, or credit code / number as typed)."""
    lang = _lang(lang)
    p = parse_period(period)
    _early_check(out)
    prog = Progress(progress)
    prog(0)
    data = org_data(db, _org_id(db, org), p, today, lang)
    prog(0.15)
    center = narratives.center_info(db)
    title = tr("Organization progress report", lang)

    def build(fh: IO[bytes]) -> int:
        doc = ReportDoc(
            fh,
            lang=lang,
            letterhead=letterhead(center.name, center.logo, data.today, lang),
            title=title,
            note=data.org.name,
            subject=f"{data.org.name} · {p.describe(lang)}",
            progress=prog.span(0.15, 1.0),
        )
        doc.expected_pages = 4
        story = OrgStory(data, styles(lang), lang, doc.body_width).build()
        return build_doc(doc, story, lang)

    result = write_pdf(out, build)
    prog(1.0)
    return result


def center_report(
    db: Database,
    period: Period | str,
    out: Target,
    *,
    lang: str | None = None,
    progress: ProgressCallback | None = None,
    today: dt.date | None = None,
) -> ReportResult:
    """The center report for the period, with the annex of all organizations."""
    lang = _lang(lang)
    p = parse_period(period)
    _early_check(out)
    prog = Progress(progress)
    prog(0)
    data = center_data(db, p, today, progress=prog.span(0, 0.2))
    title = tr("Center report", lang)

    def build(fh: IO[bytes]) -> int:
        doc = ReportDoc(
            fh,
            lang=lang,
            letterhead=letterhead(data.center.name, data.center.logo, data.today, lang),
            title=title,
            note=p.describe(lang),
            subject=p.describe(lang),
            progress=prog.span(0.2, 1.0),
        )
        story = CenterStory(data, styles(lang), lang, doc.body_width, doc.landscape_width)
        doc.expected_pages = story.expected_pages()
        return build_doc(doc, story.build(), lang)

    result = write_pdf(out, build)
    prog(1.0)
    return result


def pack_members(
    db: Database,
    period: Period | str,
    stage: Stage | str | None = None,
    everyone: bool = False,
    today: dt.date | None = None,
) -> list[int]:
    """Organizations a committee pack covers, in pinyin order (archived ones left out).

    With ``stage``: those in that stage now (as ``orgs list --stage``). Without: those the
    center worked with in the period: applied by its end and not graduated or exited
    before it began. Of those, only the ones with something to report in the period
    (``figures.with_activity``), unless ``everyone``.
    """
    p = parse_period(period)
    active = None
    if not everyone:
        end = min(p.end, today or dt.date.today())
        active = figures.with_activity(db, p.start, end, p.key)
    with db.reading() as session:
        q = select(Organization.id).where(Organization.archived.is_(False))
        if stage is not None:
            q = q.where(Organization.stage == v.choice(Stage, stage, "stage"))
        else:
            applied = (
                select(
                    LifecycleTransition.organization_id,
                    func.min(LifecycleTransition.occurred_on).label("on"),
                )
                .group_by(LifecycleTransition.organization_id)
                .subquery()
            )
            done = Organization.stage.in_((Stage.GRADUATED, Stage.EXITED))
            q = q.join(applied, applied.c.organization_id == Organization.id).where(
                applied.c.on <= p.end,
                ~(done & (Organization.stage_since < p.start)),
            )
        q = q.order_by(Organization.name_sort, Organization.id)
        return [i for i in session.scalars(q) if active is None or i in active]


def committee_pack(
    db: Database,
    period: Period | str,
    out: Target,
    *,
    org_ids: Sequence[int] | None = None,
    stage: Stage | str | None = None,
    everyone: bool = False,
    lang: str | None = None,
    progress: ProgressCallback | None = None,
    today: dt.date | None = None,
    processes: int | None = None,
    with_documents: bool | Sequence[DocumentKind] = False,
) -> ReportResult:
    """The center report followed by each organization's progress report, in one PDF with a
    table of contents and bookmarks (shown when the file opens). ``org_ids`` (in the order
    given) or else ``pack_members(period, stage)``; either way only those with something to
    report in the period, unless ``everyone``. Laid out in ``processes`` (default: one per
    core, ``pack_parts``). ``with_documents``: each organization's PDF documents (of these
    kinds, or all) follow its report, each with its bookmark under the report's."""
    # Only the pack lays out in processes and puts PDFs together (pypdf).
    from incubator.reports import pack_parts
    from incubator.reports.assembly import assemble, insert_after_reports

    lang = _lang(lang)
    p = parse_period(period)
    _early_check(out)
    prog = Progress(progress)
    prog(0)
    today = today or dt.date.today()
    if org_ids is None:
        ids = pack_members(db, p, stage, everyone, today)
    else:
        ids = list(dict.fromkeys(org_ids))
        if not everyone:
            active = figures.with_activity(db, p.start, min(p.end, today), p.key)
            ids = [i for i in ids if i in active]
    members = tuple((o.id, o.name) for o in registry.get_each(db, ids))
    job = pack_parts.PackJob(p.key, lang, today, members)
    workers = pack_parts.processes_for(db, len(ids), processes)
    specs = pack_parts.plan(ids, workers)
    in_registry = sum(registry.count_by_stage(db, include_archived=True).values())
    weights = [pack_parts.weight(s, in_registry) for s in specs]
    parts = pack_parts.render_parts(db, job, specs, weights, workers, prog.span(0.02, 0.9))
    if with_documents:
        kinds = None if with_documents is True else tuple(with_documents)
        attached = pack_parts.attachments(db, ids, kinds, lang)
        parts = insert_after_reports(parts, attached)
    prog(0.95)

    def build(fh: IO[bytes]) -> int:
        return assemble(parts, fh, lang, show_outline=True)

    result = write_pdf(out, build)
    prog(1.0)
    return result
