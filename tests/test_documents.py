"""Documents attached to organizations and their records (issue 18, point 4), on SQLite and
PostgreSQL: kept once per content whatever the number of attachments, read back whole,
refused when damaged, limited in size, removed with an audit entry. The stored rows are read
with raw SQL and the hashes computed with hashlib here, not asked of the program."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from incubator import voiding
from incubator.domain import DocumentKind
from incubator.errors import DatabaseError, NotFoundError, ValidationError
from incubator.services import audit_trail, compliance, documents, funds
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def a_file(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def stored(db) -> list[tuple[str, int]]:
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT sha256, size FROM stored_files ORDER BY sha256"))
        return [tuple(r) for r in rows]


def test_one_file_attached_three_times_is_kept_once_and_read_back_whole(db, tmp_path) -> None:
    org = factories.org(db)
    fund = funds.add_fund(db, org.id, factories.fund_data())
    scan = a_file(tmp_path, "章程（2025 修订）.pdf", PDF)
    charter = documents.attach(
        db, org.id, scan, {"kind": "章程", "dated_on": "2025-03-01"}, actor="lina"
    )
    again = documents.attach(db, org.id, scan, {"title": "章程副本"})
    voucher = documents.attach(
        db,
        org.id,
        a_file(tmp_path, "voucher.pdf", PDF),
        {"kind": "payment_voucher"},
        record=("funds", fund.id),
    )
    digest = hashlib.sha256(PDF).hexdigest()
    assert stored(db) == [(digest, len(PDF))]  # one content, three attachments
    assert (charter.title, charter.kind, charter.filename) == (
        "章程（2025 修订）",
        DocumentKind.CHARTER,
        "章程（2025 修订）.pdf",
    )
    assert (charter.added_by, again.added_by) == ("lina", db.actor)
    assert [d.id for d in documents.list_for(db, org.id)] == [charter.id, again.id, voucher.id]
    assert [d.id for d in documents.list_for(db, org.id, ("funds", fund.id))] == [voucher.id]
    view, data = documents.content(db, again.id)
    assert data == PDF and view.sha256 == digest
    target = tmp_path / "copy.pdf"
    documents.save_as(db, voucher.id, target)
    assert target.read_bytes() == PDF


MB = 1024 * 1024


def documents_saved(db) -> int:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM documents")).scalar_one()


@pytest.mark.parametrize("stop_at", [1, 4])  # while reading; after the content was sent
def test_a_cancelled_attachment_saves_nothing(db, tmp_path, stop_at) -> None:
    """The progress told of every megabyte read, then of the whole before the save is
    committed; Cancel at either point leaves neither the attachment nor its content."""
    org = factories.org(db)
    scan = a_file(tmp_path, "scan.pdf", PDF + b"0" * (2 * MB + MB // 2 - len(PDF)))
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return len(calls) < stop_at

    with pytest.raises(documents.AttachCancelled) as refused:
        documents.attach(db, org.id, scan, progress=progress)
    assert "cancelled; nothing was saved" in refused.value.message()
    size = 2 * MB + MB // 2
    assert calls == [(MB, size), (2 * MB, size), (size, size), (size, size)][:stop_at]
    assert stored(db) == [] and documents_saved(db) == 0
    # Not cancelled: the same calls, and it is kept.
    calls.clear()
    documents.attach(db, org.id, scan, progress=lambda d, t: calls.append((d, t)) or True)
    assert calls == [(MB, size), (2 * MB, size), (size, size), (size, size)]
    assert documents_saved(db) == 1


def test_a_damaged_file_is_refused_not_given_out(db, tmp_path) -> None:
    org = factories.org(db)
    doc = documents.attach(db, org.id, a_file(tmp_path, "证书.png", b"\x89PNG\r\n\x1a\nabc"))
    with db.engine.begin() as conn:  # one byte changed behind the program's back
        conn.execute(text("UPDATE stored_files SET data = :d"), {"d": b"\x89PNG\r\n\x1a\nabd"})
    with pytest.raises(DatabaseError) as caught:
        documents.content(db, doc.id)
    assert "damaged" in caught.value.message("en")
    assert "已损坏" in caught.value.message("zh_CN")
    assert not (tmp_path / "out.png").exists()
    with pytest.raises(DatabaseError):
        documents.save_as(db, doc.id, tmp_path / "out.png")
    assert not (tmp_path / "out.png").exists()


def test_the_size_limit_is_the_centers_and_says_so(sqlite_db, tmp_path) -> None:
    org = factories.org(sqlite_db)
    compliance.set_rules(sqlite_db, document_max_mb=1)
    exactly = a_file(tmp_path, "a.pdf", b"%" * (1024 * 1024))
    documents.attach(sqlite_db, org.id, exactly)  # 1 MB is allowed
    over = a_file(tmp_path, "扫描件.pdf", b"%" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as caught:
        documents.attach(sqlite_db, org.id, over)
    assert caught.value.message("en") == (
        "File: 扫描件.pdf is 1.0 MB, larger than the 1.0 MB a document may be"
    )
    assert len(stored(sqlite_db)) == 1  # nothing half-saved
    assert compliance.rules(sqlite_db).document_max_mb == 1
    assert compliance.Rules().document_max_bytes == 50 * 1024 * 1024  # the default


@pytest.mark.parametrize(
    ("name", "record", "says"),
    [
        ("setup.exe", None, "cannot be attached: setup.exe"),
        ("missing.pdf", None, "File not found"),
        ("a.pdf", ("organizations", 1), "cannot be attached to “organizations”"),
        ("a.pdf", ("funds", 999), "Fund not found: 999"),
    ],
)
def test_what_cannot_be_attached_is_said(sqlite_db, tmp_path, name, record, says) -> None:
    org = factories.org(sqlite_db)
    if name != "missing.pdf":
        a_file(tmp_path, name, PDF)
    with pytest.raises((ValidationError, NotFoundError)) as caught:
        documents.attach(sqlite_db, org.id, tmp_path / name, record=record)
    assert says in caught.value.message("en")
    assert stored(sqlite_db) == []


def test_a_record_of_another_organization_is_refused(sqlite_db, tmp_path) -> None:
    mine, theirs = factories.org(sqlite_db, 1), factories.org(sqlite_db, 2)
    fund = funds.add_fund(sqlite_db, theirs.id, factories.fund_data())
    with pytest.raises(ValidationError, match="belongs to another organization"):
        documents.attach(
            sqlite_db, mine.id, a_file(tmp_path, "a.pdf", PDF), record=("funds", fund.id)
        )


def test_removing_an_attachment_is_audited_and_can_be_undone(db, tmp_path) -> None:
    org = factories.org(db)
    doc = documents.attach(db, org.id, a_file(tmp_path, "协议.pdf", PDF), {"kind": "other"})
    documents.remove(db, doc.id, "传错了文件", actor="lina")
    assert documents.list_for(db, org.id) == []
    assert stored(db) != []  # the content stays: restoring needs it
    entries = audit_trail.search(db, audit_trail.AuditQuery(organization_id=org.id))
    removal = [e for e in entries if e.entity == "documents" and e.action.value == "update"]
    assert len(removal) == 1
    changes = (
        removal[0].changes
        if isinstance(removal[0].changes, dict)
        else json.loads(removal[0].changes)
    )
    assert changes["void_reason"] == [None, "传错了文件"]
    voiding.restore(db, "documents", doc.id)
    assert [d.id for d in documents.list_for(db, org.id)] == [doc.id]


def test_title_kind_and_date_are_edited_under_locking(sqlite_db, tmp_path) -> None:
    org = factories.org(sqlite_db)
    doc = documents.attach(sqlite_db, org.id, a_file(tmp_path, "x.jpg", b"\xff\xd8\xff"))
    edited = documents.update(
        sqlite_db, doc.id, {"title": "登记证书正本", "kind": "登记证书"}, doc.version
    )
    assert (edited.title, edited.kind) == ("登记证书正本", DocumentKind.REGISTRATION_CERTIFICATE)
    with pytest.raises(ValidationError, match="required"):
        documents.update(sqlite_db, doc.id, {"title": " "}, edited.version)


def test_db_check_finds_a_damaged_document(sqlite_db, tmp_path) -> None:
    from incubator import integrity

    org = factories.org(sqlite_db)
    documents.attach(sqlite_db, org.id, a_file(tmp_path, "a.pdf", PDF), {"title": "章程"})
    assert integrity.check(sqlite_db) == []
    with sqlite_db.engine.begin() as conn:
        conn.execute(text("UPDATE stored_files SET data = :d"), {"d": PDF + b" "})
    [finding] = integrity.check(sqlite_db)
    assert finding.params == {
        "digest": hashlib.sha256(PDF).hexdigest()[:12] + "…",
        "titles": "章程",
    }


def test_no_file_named_is_said_so(sqlite_db) -> None:
    org = factories.org(sqlite_db)
    with pytest.raises(ValidationError) as caught:
        documents.attach(sqlite_db, org.id, " ")
    assert caught.value.message("en") == "File: This field is required"
