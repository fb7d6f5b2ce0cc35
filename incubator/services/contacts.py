"""An organization's contacts: name, role, phone, e-mail; one of them is the main contact.

The main contact is what reports and lists name. The first contact of an organization becomes
its main one; making another one main takes the mark from the previous one; removing the main
contact hands the mark to the earliest remaining one. Phones are masked wherever they are
listed or printed (``mask_phone``); the full number is seen only when a contact is edited.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import ric

from incubator import validation as v
from incubator.db import Database
from incubator.errors import ValidationError
from incubator.models import Organization, OrganizationContact
from incubator.services.common import apply, check_version, edited, load, view

WHAT = "Contact"
FIELDS = ("name", "role", "phone", "email", "is_main")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class ContactView:
    id: int
    organization_id: int
    name: str
    role: str | None
    phone: str | None
    email: str | None
    is_main: bool
    version: int

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


def mask_phone(phone: str | None) -> str:
    """Only the first three and the last four digits are shown: 138****5163."""
    if not phone:
        return "—"
    digits = [i for i, ch in enumerate(phone) if ch.isdigit()]
    country = digits[:2] if phone.lstrip().startswith(("+86", "86")) and len(digits) > 11 else []
    digits = digits[len(country) :]
    keep = set(country + digits[:3] + digits[-4:]) if len(digits) >= 9 else set(digits[-2:])
    return "".join("*" if i in digits and i not in keep else ch for i, ch in enumerate(phone))


# Phone numbers and ID-card numbers as staff type them into free text (narratives, reasons,
# conclusions): mobiles with or without +86 and separators, landlines with an area code, and
# 18-character resident ID numbers (17 digits and a digit or X).
_MOBILE = r"(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}"
_LANDLINE = r"(?:0\d{2,3}-|[(（]0\d{2,3}[)）]\s?)\d{7,8}"
_ID_CARD = r"\d{17}[\dXx]"
_PERSONAL = re.compile(
    rf"(?<![0-9A-Za-z])(?:(?P<id>{_ID_CARD})|{_MOBILE}|{_LANDLINE})(?![0-9A-Za-z])"
)


def mask_id_number(number: str) -> str:
    """An ID-card number with only its first three and last four characters shown."""
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_personal_data(text: str | None) -> str:
    """Free text as it may be printed: phone numbers and ID-card numbers in it masked the way
    contact phones are ("138****5163", "650***********123X").

    An 18-character run counts as an ID number when its birth date (characters 7-14) is a
    real date, whatever its check character (a mistyped one is still somebody's number);
    credit codes have letters or no such date, and stay as they are.
    """
    if not text:
        return text or ""

    def masked(m: re.Match) -> str:
        if m["id"] is None:
            return mask_phone(m[0])
        try:
            ric.get_birth_date(m["id"])  # reads the date only, not the check character
        except ValueError:  # no real birth date: not an ID number (a long reference)
            return m[0]
        return mask_id_number(m[0])

    return _PERSONAL.sub(masked, text)


def phone(value: Any, field: str) -> str | None:
    text = v.clean_text(value, field, max_len=40)
    if text is None:
        return None
    text = v.fold(text)
    if not all(ch.isdigit() or ch in "+-() " for ch in text) or sum(c.isdigit() for c in text) < 5:
        raise ValidationError.single(field, "Not a phone number: “{value}”", value=value)
    return text


def email(value: Any, field: str) -> str | None:
    text = v.clean_text(value, field, max_len=200)
    if text is None:
        return None
    text = v.fold(text)
    if not _EMAIL.fullmatch(text):
        raise ValidationError.single(field, "Not an e-mail address: “{value}”", value=value)
    return text


def clean_contact(data: Mapping[str, Any]) -> dict[str, Any]:
    c = v.Checker()
    out = {
        "name": c(v.clean_text, data.get("name"), "name", required=True, max_len=100),
        "role": c(v.clean_text, data.get("role"), "role", max_len=100),
        "phone": c(phone, data.get("phone"), "phone"),
        "email": c(email, data.get("email"), "email"),
        "is_main": bool(data.get("is_main")),
    }
    c.raise_if_any()
    return out


def _to_view(contact: OrganizationContact) -> ContactView:
    return view(ContactView, contact)


def _keep_one_main(
    session: Session,
    org_id: int,
    main: OrganizationContact | None,
    not_this: OrganizationContact | None = None,
) -> None:
    """``main`` becomes the only main contact. Without it, if none is main, the earliest one
    becomes main (other than ``not_this``, the one the user just unmarked, if there is another)."""
    others = session.scalars(
        select(OrganizationContact)
        .where(OrganizationContact.organization_id == org_id)
        .order_by(OrganizationContact.id)
    ).all()
    if main is None:
        if any(o.is_main for o in others) or not others:
            return
        main = next((o for o in others if o is not not_this), others[0])
    for other in others:
        wanted = other is main
        if other.is_main != wanted:
            other.is_main = wanted


def contacts_of(db: Database, org_id: int) -> list[ContactView]:
    """Main contact first, then in the order they were added."""
    with db.reading() as session:
        load(session, Organization, org_id, "Organization")
        rows = session.scalars(
            select(OrganizationContact)
            .where(OrganizationContact.organization_id == org_id)
            .order_by(OrganizationContact.is_main.desc(), OrganizationContact.id)
        )
        return [_to_view(c) for c in rows]


def add(
    db: Database, org_id: int, data: Mapping[str, Any], actor: str | None = None
) -> ContactView:
    clean = clean_contact(data)
    with db.transaction(actor) as session:
        load(session, Organization, org_id, "Organization", lock=True)
        first = session.scalar(
            select(OrganizationContact.id).where(OrganizationContact.organization_id == org_id)
        )
        # Inserted with its final mark (one audit row): the first contact is the main one.
        clean["is_main"] = clean["is_main"] or first is None
        contact = OrganizationContact(organization_id=org_id, **clean)
        session.add(contact)
        session.flush()
        if contact.is_main:
            _keep_one_main(session, org_id, contact)
        session.flush()
        return _to_view(contact)


def update(
    db: Database,
    contact_id: int,
    changes: Mapping[str, Any],
    expected_version: int,
    actor: str | None = None,
) -> ContactView:
    with db.transaction(actor) as session:
        contact = load(session, OrganizationContact, contact_id, WHAT)
        check_version(contact, expected_version, WHAT)
        was_main = contact.is_main
        apply(contact, clean_contact(edited(contact, FIELDS, changes)))
        if contact.is_main:
            _keep_one_main(session, contact.organization_id, contact)
        elif was_main:  # the mark cannot just disappear: another one takes it
            _keep_one_main(session, contact.organization_id, None, not_this=contact)
        session.flush()
        return _to_view(contact)


def remove(db: Database, contact_id: int, expected_version: int, actor: str | None = None) -> None:
    with db.transaction(actor) as session:
        contact = load(session, OrganizationContact, contact_id, WHAT)
        check_version(contact, expected_version, WHAT)
        org_id = contact.organization_id
        session.delete(contact)
        session.flush()
        _keep_one_main(session, org_id, None)
