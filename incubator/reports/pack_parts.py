"""The committee pack, laid out in parts on every core.

The pack is the front (cover, contents, the center report) and the organizations' reports in
a few runs of consecutive organizations. Each part reads its own data and is laid out apart
(``ReportDoc(part=True)``); ``assembly.assemble`` then puts them together, numbering the pages.
With more than one process the parts are laid out in processes of their own ("spawn", as on
Windows: the GUI process's threads are never forked), each opening the registry itself; a
part that fails or is cancelled stops them all and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import multiprocessing
import os
import queue
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from pypdf.errors import PdfReadError
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer
from sqlalchemy.engine import URL

from incubator.db import Database
from incubator.domain import DocumentKind
from incubator.errors import IncubatorError, ValidationError
from incubator.i18n import T, tr
from incubator.reports import fmt
from incubator.reports.assembly import Part, finished_part, pdf_part
from incubator.reports.center_report import ROWS_PER_PAGE, CenterStory
from incubator.reports.data import center_data, org_data_many
from incubator.reports.layout import (
    Marker,
    ReportCancelled,
    ReportDoc,
    TocEntry,
    bookmark,
    build_doc,
    letterhead,
)
from incubator.reports.org_report import OrgStory
from incubator.reports.style import styles
from incubator.reports.text import para
from incubator.services import documents, narratives
from incubator.services.periods import Period, parse_period

MIN_PARALLEL = 12  # fewer organizations: starting processes would cost more than it saves
RUNS_PER_PROCESS = 3  # runs of organizations per process, so that none waits for a slow one
MAX_RUN = 100  # organizations (about 7 s of work)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PackJob:
    """What every part needs to know (sent to each process)."""

    period: str  # the period's key
    lang: str
    today: dt.date
    members: tuple[tuple[int, str], ...]  # (id, name) of each organization, in pack order


@dataclass(frozen=True)
class PartSpec:
    index: int
    org_ids: tuple[int, ...]  # none: the front
    opens_orgs: bool = False  # bears the outline entry of the organizations' reports


def plan(members: Sequence[int], processes: int) -> list[PartSpec]:
    """The front, then the organizations in runs, in pack order: a few per process, and none
    longer than MAX_RUN (a long run ending last would keep the others waiting)."""
    few = processes * RUNS_PER_PROCESS if processes > 1 else 1
    runs = max(1, min(len(members), max(few, -(-len(members) // MAX_RUN))))
    size = -(-len(members) // runs) if members else 0
    specs = [PartSpec(0, ())]
    for k in range(0, len(members), size or 1):
        specs.append(PartSpec(len(specs), tuple(members[k : k + size]), k == 0))
    return specs


def processes_for(db: Database, members: int, wanted: int | None) -> int:
    """How many processes lay out the pack, this one included: ``wanted``, else one per core
    (at most four); one for a small pack or a registry another process cannot open."""
    if wanted is not None:
        return max(1, wanted)
    if members < MIN_PARALLEL or (db.is_sqlite and db.url.database in (None, "", ":memory:")):
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def render_part(
    db: Database, job: PackJob, spec: PartSpec, progress: Callable[[float], None] | None = None
) -> Part:
    """Lay out one part of the pack."""
    lang, p = job.lang, parse_period(job.period)
    st = styles(lang)
    center = narratives.center_info(db)
    buffer = io.BytesIO()
    doc = ReportDoc(
        buffer,
        lang=lang,
        letterhead=letterhead(center.name, center.logo, job.today, lang),
        title=tr("Committee pack", lang),
        note=p.describe(lang),
        subject=p.describe(lang),
        progress=progress,
        part=True,
    )
    story: list[Flowable] = []
    if not spec.org_ids:
        data = center_data(db, p, job.today)
        cs = CenterStory(data, st, lang, doc.body_width, doc.landscape_width, "center", 0, False)
        doc.expected_pages = 2 + cs.expected_pages()
        story += _cover(center.name, p, len(job.members), job.today, lang)
        story += _toc(job.members, lang)
        story += [PageBreak(), *cs.build()]
    else:
        doc.expected_pages = 4 * len(spec.org_ids)
        for i, data in enumerate(org_data_many(db, spec.org_ids, p, job.today, job.lang)):
            if i:
                story.append(PageBreak())
            elif spec.opens_orgs:
                part = tr("Organization progress reports", lang)
                story.append(bookmark(Marker(), "orgs", part, 0))
            story += OrgStory(data, st, lang, doc.body_width, f"org{data.org.id}", 1).build()
    pages = build_doc(doc, story, lang)
    return finished_part(doc, buffer.getvalue(), pages)


def attachments(
    db: Database, org_ids: Sequence[int], kinds: Sequence[DocumentKind] | None, lang: str
) -> dict[str, list[Part]]:
    """Each organization's PDF documents (of ``kinds``, or all) as parts to follow its report,
    by its report's outline key; each checked against its SHA-256 as it is read (a damaged
    one stops the pack, named: a committee's pack is whole or not made)."""
    out: dict[str, list[Part]] = {}
    for org_id, docs in documents.list_many(db, org_ids).items():
        for doc in docs:
            if not doc.is_pdf or (kinds is not None and doc.kind not in kinds):
                continue
            try:
                _view, data = documents.content(db, doc.id)
                title = tr("{kind}: {title}", lang, kind=T(doc.kind.label), title=doc.title)
                part = pdf_part(data, f"org{org_id}-doc{doc.id}", title, 2)
            except (IncubatorError, PdfReadError) as exc:
                if isinstance(exc, IncubatorError):
                    reason = exc.message(lang)
                else:
                    reason = tr("it is not a PDF that can be read", lang)
                raise ValidationError.single(
                    "with_documents",
                    "Document {id} “{title}” cannot go into the pack: {reason}",
                    id=doc.id,
                    title=doc.title,
                    reason=reason,
                ) from exc
            out.setdefault(f"org{org_id}", []).append(part)
    return out


def weight(spec: PartSpec, registry_orgs: int) -> float:
    """Expected pages: the share of the progress bar a part fills."""
    return 4.0 * len(spec.org_ids) if spec.org_ids else 9.0 + registry_orgs / ROWS_PER_PAGE


def render_parts(
    db: Database,
    job: PackJob,
    specs: list[PartSpec],
    weights: list[float],
    processes: int,
    progress: Callable[[float], None],
) -> list[Part]:
    """Every part, in order; ``progress(fraction)`` may raise ReportCancelled to stop.

    This process lays out the front (it is ready at once, while the others start) and then
    takes back, one by one, the runs no other process has begun."""
    layout = _Layout(db, job, specs, weights, progress)
    if processes > 1:
        try:
            layout.in_processes(processes)
        except BrokenProcessPool:  # a process could not start or died: the rest is done here
            log.warning("the pack's processes stopped; laying out the rest here", exc_info=True)
            layout.events = None
    for spec in specs:
        if spec.index not in layout.results:
            layout.here(spec)
    return [layout.results[s.index] for s in specs]


class _Layout:
    """The parts of one pack as they are laid out, and the progress they make together."""

    def __init__(
        self,
        db: Database,
        job: PackJob,
        specs: list[PartSpec],
        weights: list[float],
        progress: Callable[[float], None],
    ) -> None:
        self.db, self.job, self.specs, self.weights = db, job, specs, weights
        self.progress = progress
        self.total = sum(weights) or 1.0
        self.fractions = [0.0] * len(specs)
        self.results: dict[int, Part] = {}
        self.events: Any = None  # the other processes' progress, while there are any

    def report(self) -> None:
        while self.events is not None:
            try:
                index, fraction = self.events.get_nowait()
            except queue.Empty:
                break
            self.fractions[index] = max(self.fractions[index], fraction)
        done = sum(w * f for w, f in zip(self.weights, self.fractions, strict=True))
        self.progress(done / self.total)

    def here(self, spec: PartSpec) -> None:
        """Lay out ``spec`` in this process, reporting as it goes."""

        def step(fraction: float) -> None:
            self.fractions[spec.index] = max(self.fractions[spec.index], fraction)
            self.report()

        self.results[spec.index] = render_part(self.db, self.job, spec, step)
        self.fractions[spec.index] = 1.0
        self.report()

    def in_processes(self, processes: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.events = ctx.Queue()
        stop = ctx.Event()
        with ProcessPoolExecutor(
            processes - 1,
            mp_context=ctx,
            initializer=_start_worker,
            initargs=(self.db.url, self.events, stop),
        ) as pool:
            futures = {pool.submit(_work, self.job, s): s.index for s in self.specs[1:]}
            try:
                self.here(self.specs[0])
                for future, index in futures.items():
                    if future.cancel():  # no process has begun it: lay it out here
                        self.here(self.specs[index])
                pending = {f for f in futures if not f.cancelled()}
                while pending:
                    finished, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                    for future in finished:
                        self.results[futures[future]] = future.result()  # an error stops here
                        self.fractions[futures[future]] = 1.0
                    self.report()
            except BaseException:
                stop.set()  # the parts being laid out stop at their next flowable
                for future in futures:
                    future.cancel()
                raise


# --- in each process ---------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _start_worker(url: URL, events: Any, stop: Any) -> None:
    _worker.update(db=Database(url), events=events, stop=stop)


def _work(job: PackJob, spec: PartSpec) -> Part:
    events, stop = _worker["events"], _worker["stop"]
    last = [-1]

    def progress(fraction: float) -> None:
        if stop.is_set():
            raise ReportCancelled()
        step = int(fraction * 100)
        if step != last[0]:
            last[0] = step
            events.put((spec.index, fraction))

    return render_part(_worker["db"], job, spec, progress)


# --- the front ------------------------------------------------------------------------------


def _cover(center_name: str, p: Period, n: int, today: dt.date, lang: str) -> list[Flowable]:
    st = styles(lang)
    name = center_name or tr("Social Organization Incubation Center", lang)
    title = tr("Committee pack", lang)
    return [
        Marker(title=f"{title} · {p.label(lang)}", note=p.describe(lang)),
        Spacer(1, 6 * mm),
        para(name, st.subtitle),
        bookmark(para(title, st.title), "cover", title, 0),
        para(tr("Period: {period}", lang, period=p.describe(lang)), st.period),
        para(
            tr(
                "{count} organizations · prepared on {date}",
                lang,
                count=fmt.integer(n),
                date=fmt.long_date(today, lang),
            ),
            st.period,
        ),
        Spacer(1, 8 * mm),
    ]


def _toc(members: Sequence[tuple[int, str]], lang: str) -> list[Flowable]:
    st = styles(lang)
    out: list[Flowable] = [para(tr("Contents", lang), st.h1), Spacer(1, 1 * mm)]
    out.append(TocEntry(tr("Center report", lang), "center", 0, 10.5))
    for key, label in (
        ("summary", tr("Summary", lang)),
        ("orgs", tr("Organizations", lang)),
        ("funds", tr("Funds (yuan)", lang)),
        ("projects", tr("Projects", lang)),
        ("talent", tr("Talent", lang)),
        ("space", tr("Space", lang)),
        ("overdue", tr("Overdue at the end of the period", lang)),
        ("annex", tr("Annex: all organizations", lang)),
    ):
        out.append(TocEntry(label, f"center-{key}", 1, 9.5))
    if members:
        out.append(TocEntry(tr("Organization progress reports", lang), "orgs", 0, 10.5))
    for org_id, name in members:
        out.append(TocEntry(name, f"org{org_id}", 1, 9.5))
    return out
