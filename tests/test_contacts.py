"""Contacts: several per organization, exactly one main contact while there are any; phones
masked wherever listed; every change audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from incubator.errors import ValidationError
from incubator.models import AuditEntry
from incubator.services import contacts, registry
from tests.factories import org


def mains(db, org_id: int) -> list[str]:
    return [c.name for c in contacts.contacts_of(db, org_id) if c.is_main]


def test_first_contact_is_main_and_the_mark_moves(db):
    o = org(db)
    a = contacts.add(
        db, o.id, {"name": "阿依古丽·买买提", "role": "秘书长", "phone": "13912345678"}
    )
    assert a.is_main
    b = contacts.add(db, o.id, {"name": "王建国", "role": "财务", "email": "wjg@example.cn"})
    assert not b.is_main and mains(db, o.id) == ["阿依古丽·买买提"]
    contacts.update(db, b.id, {"is_main": True}, b.version)
    assert mains(db, o.id) == ["王建国"]
    assert registry.get(db, o.id).contact_person == "王建国"  # reports and lists name the main
    # Unticking the main one hands the mark on, it never disappears.
    b2 = next(c for c in contacts.contacts_of(db, o.id) if c.id == b.id)
    contacts.update(db, b.id, {"is_main": False}, b2.version)
    assert mains(db, o.id) == ["阿依古丽·买买提"]
    a2 = next(c for c in contacts.contacts_of(db, o.id) if c.id == a.id)
    contacts.remove(db, a.id, a2.version)
    assert mains(db, o.id) == ["王建国"]


def test_bad_contacts_are_refused_naming_the_field(db):
    o = org(db)
    with pytest.raises(ValidationError) as info:
        contacts.add(db, o.id, {"name": "", "phone": "call me", "email": "not-an-address"})
    assert info.value.fields() == {"name", "phone", "email"}
    assert contacts.contacts_of(db, o.id) == []


def test_phones_are_masked_for_lists_and_reports():
    assert contacts.mask_phone("13912345678") == "139****5678"
    assert contacts.mask_phone("0991-2345678") == "099*-***5678"
    assert contacts.mask_phone(None) == "—"


def test_contact_changes_are_audited(db):
    o = org(db)
    a = contacts.add(db, o.id, {"name": "张三", "phone": "13900001111"})
    contacts.update(db, a.id, {"phone": "13900002222"}, a.version)
    with db.reading() as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.changes, AuditEntry.organization_id).where(
                AuditEntry.entity == "organization_contacts", AuditEntry.entity_id == a.id
            )
        ).all()
    assert [r.action.value for r in rows] == ["create", "update"]
    assert json.loads(rows[1].changes)["phone"] == ["13900001111", "13900002222"]
    assert {r.organization_id for r in rows} == {o.id}


def test_a_new_organization_with_a_contact_person(db):
    o = registry.register(
        db,
        {
            "name": "幸福社区互助会",
            "legal_form": "community_unregistered",
            "contact_person": "李梅",
            "contact_phone": "１３９１２３４５６７８",
        },
    )
    (c,) = contacts.contacts_of(db, o.id)
    assert (c.name, c.phone, c.is_main) == ("李梅", "13912345678", True)
    with pytest.raises(ValidationError) as info:
        registry.register(
            db, {"name": "乙", "legal_form": "community_unregistered", "contact_phone": "x"}
        )
    assert info.value.fields() == {"contact_phone"}


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("电话13912345678。", "电话139****5678。"),
        ("+86 139 1234 5678", "+86 139 **** 5678"),
        ("座机0991-2345678", "座机099*-***5678"),
        ("（0991）2345678", "（099*）***5678"),
        ("身份证65010219850312123X", "身份证650***********123X"),
        ("身份证650102198503121234", "身份证650***********1234"),  # wrong check digit: still masked
        ("代码51650102MJ0000901G", "代码51650102MJ0000901G"),  # a credit code
        ("编号123456789012345678", "编号123456789012345678"),  # no birth date in it
        ("金额13,912,345,678元", "金额13,912,345,678元"),
        ("日期2026-01-01至2026-06-30", "日期2026-01-01至2026-06-30"),
        ("", ""),
    ],
)
def test_personal_numbers_in_free_text_are_masked(typed: str, printed: str) -> None:
    assert contacts.mask_personal_data(typed) == printed
