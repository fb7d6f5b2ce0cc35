"""Documents: files attached to an organization or to one of its records (a fund, a payment,
a project, an agreement's lifecycle transition, an evaluation, an annual report...).

A file's content is kept inside the registry once, named by its SHA-256
(``incubator.stored_files``): attaching the same scan to ten payments stores it once, every desk
of a shared registry opens the same file, and a backup holds them all. What is read back is
checked against its hash. Removing an attachment voids it (``incubator.voiding``): audited,
and an administrator may restore it.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from incubator import numbers, stored_files, voiding
from incubator import validation as v
from incubator.db import Database
from incubator.domain import DocumentKind
from incubator.errors import IncubatorError, NotFoundError, ValidationError
from incubator.i18n import T, TList, entity_label, tr
from incubator.models import (
    AnnualReport,
    AuthorityListing,
    Document,
    Evaluation,
    Fund,
    FundPayment,
    LifecycleTransition,
    Organization,
    Project,
    Rating,
    SpaceAllocation,
    TalentRecord,
)
from incubator.services import compliance
from incubator.services.common import apply, by_organization, check_version, edited, load, view

WHAT = "Document"
# The records a document may belong to, by table (migration 0017 lists the same).
RECORDS: dict[str, type] = {
    model.__tablename__: model  # type: ignore[attr-defined]
    for model in (
        Fund,
        FundPayment,
        Project,
        TalentRecord,
        Evaluation,
        LifecycleTransition,
        SpaceAllocation,
        AnnualReport,
        Rating,
        AuthorityListing,
    )
}
# What staff attach: PDFs, images, office files (Microsoft, WPS, OpenDocument), OFD (China's
# fixed-layout format of e-invoices and official papers), text. By the name's suffix.
SUFFIXES = (
    ".pdf",
    ".ofd",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".bmp",
    ".tif",
    ".tiff",
    ".webp",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".wps",
    ".et",
    ".dps",
    ".odt",
    ".ods",
    ".odp",
    ".rtf",
    ".txt",
    ".csv",
    ".zip",
)
PREVIEWED = (".pdf", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp")


@dataclass(frozen=True)
class DocumentView:
    id: int
    organization_id: int
    record_kind: str | None  # None: the organization itself
    record_id: int | None
    sha256: str
    filename: str
    size: int
    title: str
    kind: DocumentKind
    dated_on: dt.date | None
    added_by: str
    created_at: dt.datetime
    version: int

    @property
    def suffix(self) -> str:
        return Path(self.filename).suffix.lower()

    @property
    def media_type(self) -> str:
        return mimetypes.guess_type(self.filename)[0] or "application/octet-stream"

    @property
    def is_pdf(self) -> bool:
        return self.suffix == ".pdf"

    @property
    def previewable(self) -> bool:
        return self.suffix in PREVIEWED

    def size_text(self) -> str:
        return numbers.file_size(self.size)


EDITABLE = ("title", "kind", "dated_on")


def clean(data: Mapping[str, Any]) -> dict[str, Any]:
    c = v.Checker()
    out = {
        "title": c(v.clean_text, data.get("title"), "title", required=True),
        "kind": c(v.choice, DocumentKind, data.get("kind") or DocumentKind.OTHER, "kind"),
        "dated_on": c(v.date, data.get("dated_on"), "dated_on"),
    }
    c.raise_if_any()
    return out


Progress = Callable[[int, int], bool]  # (bytes read, file size) -> False: the user cancelled
CHUNK = 1024 * 1024  # read a megabyte at a time: progress and Cancel between them


class AttachCancelled(IncubatorError):
    key = T("Adding the document was cancelled; nothing was saved")


def _file(path: str | Path, limit: int, progress: Progress | None = None) -> tuple[str, bytes]:
    """The file's name and content, or a message naming it and what is wrong."""
    if not str(path).strip():
        raise ValidationError.single("file", "This field is required")
    path = Path(path).expanduser()
    if not path.is_file():
        raise ValidationError.single("file", "File not found: {path}", path=str(path))
    if path.suffix.lower() not in SUFFIXES:
        raise ValidationError.single(
            "file",
            "Files of this kind cannot be attached: {path} (allowed: {allowed})",
            path=path.name,
            allowed=" ".join(SUFFIXES),
        )
    size = path.stat().st_size
    if size > limit:
        raise too_large(path.name, size, limit)
    chunks: list[bytes] = []
    read = 0
    try:
        with path.open("rb") as f:
            while chunk := f.read(CHUNK):
                chunks.append(chunk)
                read += len(chunk)
                if read > limit:  # grew since
                    raise too_large(path.name, read, limit)
                if progress is not None and not progress(read, max(size, read)):
                    raise AttachCancelled()
    except OSError as exc:
        raise ValidationError.single(
            "file", "Cannot read {path}: {reason}", path=str(path), reason=exc.strerror or exc
        ) from None
    return path.name, b"".join(chunks)


def too_large(name: str, size: int, limit: int) -> ValidationError:
    return ValidationError.single(
        "file",
        "{path} is {size}, larger than the {limit} a document may be",
        path=name,
        size=numbers.file_size(size),
        limit=numbers.file_size(limit),
    )


def _owner(session: Session, record_kind: str, record_id: int) -> int:
    """The organization a record belongs to."""
    if record_kind not in RECORDS:
        raise ValidationError.single(
            "record",
            "Documents cannot be attached to “{kind}”; they can to: {allowed}",
            kind=record_kind,
            allowed=TList(T(entity_label(k, "en")) for k in RECORDS),
        )
    model = RECORDS[record_kind]
    record = session.get(model, record_id)
    if record is None:
        raise NotFoundError(what=T(entity_label(record_kind, "en")), ident=record_id)
    if isinstance(record, FundPayment):
        return record.fund.organization_id
    return record.organization_id


def attach(
    db: Database,
    org_id: int,
    file: str | Path,
    data: Mapping[str, Any] | None = None,
    record: tuple[str, int] | None = None,
    actor: str | None = None,
    progress: Progress | None = None,
) -> DocumentView:
    """Attach a file to an organization, or to one of its records (``record``: its table and
    id). ``data``: title (the file's name by default), kind, dated_on. ``progress`` is told of
    the bytes read; once it returns False the attachment is given up (AttachCancelled), even
    after the content was sent to the registry: nothing is saved until the last check."""
    limit = compliance.rules(db).document_max_bytes
    name, content = _file(file, limit, progress)
    values = clean({"title": Path(name).stem, **(data or {})})
    with db.transaction(actor) as session:
        load(session, Organization, org_id, "Organization")
        if record is not None:
            owner = _owner(session, *record)
            if owner != org_id:
                raise ValidationError.single(
                    "record", "That record belongs to another organization"
                )
        digest = stored_files.put_digest(session, content)
        doc = Document(
            organization_id=org_id,
            record_kind=record[0] if record else None,
            record_id=record[1] if record else None,
            sha256=digest,
            filename=name,
            size=len(content),
            added_by=session.info.get("actor", ""),
            **values,
        )
        session.add(doc)
        session.flush()
        if progress is not None and not progress(len(content), len(content)):
            raise AttachCancelled()  # the transaction is rolled back: nothing half-saved
        return view(DocumentView, doc)


def update(
    db: Database,
    doc_id: int,
    changes: Mapping[str, Any],
    expected_version: int,
    actor: str | None = None,
) -> DocumentView:
    with db.transaction(actor) as session:
        doc = load(session, Document, doc_id, WHAT)
        check_version(doc, expected_version, WHAT)
        apply(doc, clean(edited(doc, EDITABLE, changes)))
        session.flush()
        return view(DocumentView, doc)


def remove(db: Database, doc_id: int, reason: Any, actor: str | None = None) -> None:
    """Take an attachment off (voided: audited, restorable by an administrator)."""
    voiding.void(db, "documents", doc_id, reason, actor)


def list_for(
    db: Database, org_id: int, record: tuple[str, int] | None = None
) -> list[DocumentView]:
    """An organization's documents, its records' included (or one record's), by date."""
    with db.reading() as session:
        load(session, Organization, org_id, "Organization")
        stmt = _listed([org_id])
        if record is not None:
            stmt = stmt.where(Document.record_kind == record[0], Document.record_id == record[1])
        return [view(DocumentView, d) for d in session.scalars(stmt)]


def list_many(db: Database, org_ids: Sequence[int]) -> dict[int, list[DocumentView]]:
    """``list_for`` of each organization, in one query."""
    with db.reading() as session:
        found = by_organization(org_ids, session.scalars(_listed(org_ids)))
        return {i: [view(DocumentView, d) for d in docs] for i, docs in found.items()}


def _listed(org_ids: Sequence[int]) -> Any:
    return (
        select(Document)
        .where(Document.organization_id.in_(org_ids))
        .order_by(Document.dated_on.is_(None), Document.dated_on, Document.id)
    )


def record_labels(
    db: Database,
    org_ids: Sequence[int],
    lang: str | None = None,
    only: Collection[tuple[str, int]] | None = None,
) -> dict[tuple[str, int], str]:
    """Each record of these organizations a document may be attached to (or ``only`` those),
    in a few words ("Fund: 公益创投"), by (table, id); in the order of ``RECORDS``. A query
    per kind."""
    out: dict[tuple[str, int], str] = {}
    with db.reading() as session:
        for kind, model in RECORDS.items():
            if model is FundPayment:
                stmt = select(FundPayment).join(Fund).where(Fund.organization_id.in_(org_ids))
            else:
                stmt = select(model).where(model.organization_id.in_(org_ids))
            if only is not None:  # (every kind asked, found or not: a fixed number of queries)
                stmt = stmt.where(model.id.in_([i for k, i in only if k == kind]))
            if model is SpaceAllocation:  # described with its space's code
                stmt = stmt.options(joinedload(SpaceAllocation.space))
            for record in session.scalars(stmt.order_by(model.id)):
                what = T(entity_label(kind, "en"))
                out[kind, record.id] = tr(
                    "{record}: {description}",
                    lang,
                    record=what,
                    description=voiding.describe(record, lang),
                )
    return out


def get(db: Database, doc_id: int) -> DocumentView:
    with db.reading() as session:
        return view(DocumentView, load(session, Document, doc_id, WHAT))


def content(db: Database, doc_id: int) -> tuple[DocumentView, bytes]:
    """The document and its file, checked against its SHA-256 (``stored_files.Damaged``)."""
    with db.reading() as session:
        doc = load(session, Document, doc_id, WHAT)
        data = stored_files.get(session, doc.sha256)
        if data is None:  # the foreign key keeps it; only hands on the database lose it
            raise NotFoundError(what=T("Stored file"), ident=doc.sha256[:12])
        return view(DocumentView, doc), data


def save_as(db: Database, doc_id: int, out: str | Path) -> DocumentView:
    """Write the document's file to ``out`` (whole or not at all)."""
    from incubator.files import check_target, replacing

    target = check_target(out)
    doc, data = content(db, doc_id)
    with replacing(target) as tmp:
        Path(tmp).write_bytes(data)
    return doc
