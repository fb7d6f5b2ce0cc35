"""Texts printed on the reports: the center's letterhead (name and logo, from the ``settings``
table) and, per organization and period, the staff narrative and next steps.

Narratives are saved under optimistic locking like every editable row: ``get`` returns the
version the editor starts from (0 when nothing was saved yet), ``save`` refuses with a
``ConflictError`` when someone else saved meanwhile.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from incubator import stored_files
from incubator import validation as v
from incubator.db import Database
from incubator.errors import ValidationError
from incubator.models import Organization, ReportNarrative, Setting
from incubator.services.common import first_save_race, load, put_settings, save_one
from incubator.services.periods import Period, parse_period

WHAT = "Report narrative"
CENTER_NAME = "center_name"
CENTER_LOGO = "center_logo"
# Printed on the center report's cover: who buys the service, who runs the center, the
# purchase contract's number (government-purchased incubation services).
CENTER_TEXTS = {"purchaser": "center_purchaser", "operator": "center_operator"}
CENTER_CONTRACT = "center_contract_no"
TEXT_MAX = 10_000
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif")


# --- the center's letterhead --------------------------------------------------------------


LOGO_MAX = 2 * 1024 * 1024  # bytes: a letterhead's logo, not a photograph
# What a logo file starts with, by kind (its suffix alone says little).
_IMAGE_STARTS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
KEEP: Any = object()  # ``set_center_info(logo=KEEP)``: the logo stored stays as it is


@dataclass(frozen=True)
class CenterInfo:
    name: str  # "" when not set: reports then print a generic title
    logo: bytes | None  # the logo's image (PNG, JPEG or GIF), stored in the registry
    purchaser: str = ""  # the department buying the incubation service
    operator: str = ""  # the organization running the center
    contract_no: str = ""


_KEYS = (CENTER_NAME, CENTER_LOGO, *CENTER_TEXTS.values(), CENTER_CONTRACT)


def center_info(db: Database) -> CenterInfo:
    with db.reading() as session:
        values = dict(
            session.execute(select(Setting.key, Setting.value).where(Setting.key.in_(_KEYS))).all()
        )
        logo = _stored_logo(session, values.get(CENTER_LOGO))
    return CenterInfo(
        values.get(CENTER_NAME, ""),
        logo,
        *(values.get(key, "") for key in CENTER_TEXTS.values()),
        values.get(CENTER_CONTRACT, ""),
    )


def _stored_logo(session: Any, value: str | None) -> bytes | None:
    """The logo the setting names: a stored file, or (a registry from before 0014 whose
    file this computer could not read then) a path, read if it is here."""
    if stored_files.is_name(value):
        return stored_files.get(session, str(value))
    if value:
        with contextlib.suppress(OSError):
            return Path(value).read_bytes()
    return None


def set_center_info(
    db: Database,
    name: str | None,
    logo: str | Path | None = KEEP,
    actor: str | None = None,
    **cover: str | None,
) -> CenterInfo:
    """Save the center's name; its logo (a PNG, JPEG or GIF file's path: the image is stored
    in the registry, so every desk prints it; None removes it; ``KEEP`` leaves it); and any
    of ``purchaser``, ``operator`` and ``contract_no`` given (those left out keep their
    value); audited."""
    unknown = set(cover) - {*CENTER_TEXTS, "contract_no"}
    assert not unknown, unknown
    c = v.Checker()
    wanted = {
        CENTER_NAME: c(v.clean_text, name, "center_name", max_len=200) or "",
    }
    image = None if logo is KEEP else c(_logo_file, logo)
    for field, key in CENTER_TEXTS.items():
        if field in cover:
            wanted[key] = c(v.clean_text, cover[field], field, max_len=200) or ""
    if "contract_no" in cover:
        wanted[CENTER_CONTRACT] = (
            c(v.clean_text, cover["contract_no"], "contract_no", max_len=100) or ""
        )
    c.raise_if_any()
    with db.transaction(actor) as session:  # audited by the automatic audit hook
        if logo is not KEEP:
            wanted[CENTER_LOGO] = stored_files.put(session, image) if image else ""
        put_settings(session, wanted)
    return center_info(db)


def _logo_file(value: Any) -> bytes | None:
    """The image of the logo file at ``value`` (None: no logo), checked: a PNG, JPEG or GIF
    image of at most ``LOGO_MAX`` bytes."""
    if value is None or not str(value).strip():
        return None
    path = Path(str(value).strip()).expanduser()
    if path.suffix.lower() not in LOGO_SUFFIXES:
        raise ValidationError.single(
            "center_logo", "The logo must be a PNG, JPEG or GIF image: {path}", path=path
        )
    if not path.is_file():
        raise ValidationError.single("center_logo", "File not found: {path}", path=path)
    if path.stat().st_size > LOGO_MAX:
        raise ValidationError.single(
            "center_logo", "The logo is larger than {max} MB: {path}", max=2, path=path
        )
    data = path.read_bytes()
    if not data.startswith(_IMAGE_STARTS):
        raise ValidationError.single(
            "center_logo", "The logo must be a PNG, JPEG or GIF image: {path}", path=path
        )
    return data


# --- narratives ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NarrativeView:
    organization_id: int
    period: str  # canonical key, see incubator.services.periods
    narrative: str
    next_steps: str
    version: int  # 0: nothing saved yet
    updated_at: dt.datetime | None

    @property
    def is_empty(self) -> bool:
        return not (self.narrative.strip() or self.next_steps.strip())


def clean_long_text(value: Any, field: str, max_len: int = TEXT_MAX) -> str:
    """Keeps the paragraphs staff typed: line breaks stay, spaces at line ends go."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if len(text) > max_len:
        raise ValidationError.single(
            field,
            "Too long: {length} characters, at most {max} allowed",
            length=len(text),
            max=max_len,
        )
    return text


def _key(period: Period | str) -> str:
    return parse_period(period).key


def _view(row: ReportNarrative) -> NarrativeView:
    return NarrativeView(
        row.organization_id, row.period, row.narrative, row.next_steps, row.version, row.updated_at
    )


def get(db: Database, org_id: int, period: Period | str) -> NarrativeView:
    """The saved narrative, or an empty one with version 0."""
    with db.reading() as session:
        load(session, Organization, org_id, "Organization")
        return _narratives(session, [org_id], _key(period))[org_id]


def get_many(
    db: Database, org_ids: Sequence[int], period: Period | str
) -> dict[int, NarrativeView]:
    """``get`` for each organization, in one query."""
    with db.reading() as session:
        return _narratives(session, org_ids, _key(period))


def _narratives(session: Any, org_ids: Sequence[int], key: str) -> dict[int, NarrativeView]:
    rows = session.scalars(
        select(ReportNarrative).where(
            ReportNarrative.organization_id.in_(org_ids), ReportNarrative.period == key
        )
    )
    found = {row.organization_id: _view(row) for row in rows}
    return {i: found.get(i) or NarrativeView(i, key, "", "", 0, None) for i in org_ids}


def save(
    db: Database,
    org_id: int,
    period: Period | str,
    narrative: str | None,
    next_steps: str | None,
    expected_version: int,
    actor: str | None = None,
) -> NarrativeView:
    """Save both texts; ``expected_version`` is the version ``get`` returned (0 if none).

    Refused with ConflictError when the stored version differs (someone saved meanwhile).
    """
    key = _key(period)
    c = v.Checker()
    text = c(clean_long_text, narrative, "narrative") or ""
    steps = c(clean_long_text, next_steps, "next_steps") or ""
    c.raise_if_any()
    with first_save_race(WHAT), db.transaction(actor) as session:
        load(session, Organization, org_id, "Organization")
        row = session.scalars(
            select(ReportNarrative).where(
                ReportNarrative.organization_id == org_id, ReportNarrative.period == key
            )
        ).first()
        values = {"narrative": text, "next_steps": steps}
        row = save_one(
            session,
            row,
            expected_version,
            WHAT,
            lambda: ReportNarrative(organization_id=org_id, period=key, **values),
            values,
        )
        return _view(row)
