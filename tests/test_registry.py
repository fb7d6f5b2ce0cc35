"""Registry: registering, finding and searching organizations; filters, pinyin order, archive."""

from __future__ import annotations

import datetime as dt

import pytest

from incubator.domain import LegalForm, ServiceField, Stage
from incubator.errors import ConflictError, NotFoundError, ValidationError
from incubator.services import lifecycle, registry
from incubator.services.registry import OrgQuery
from tests.factories import credit_code

UYGHUR = "ئۈمىد ياشلار ئىجتىمائىي خىزمەت مەركىزى"  # "Hope youth social work centre"


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.fixture
def sample(db):
    def add(n, name, form="social_service_org", **extra):
        data = {"name": name, "legal_form": form, "credit_code": credit_code(n), **extra}
        if form == "community_unregistered":
            data.pop("credit_code")
        return registry.register(db, data)

    orgs = {
        "sqfw": add(
            1,
            "天山区社区服务中心",
            service_fields=["elderly", "community"],
            area_county="天山区",
            area_township="燕儿窝街道",
            area_community="幸福路社区",
        ),
        "cao": add(
            2, "草原牧民互助协会", "social_group", area_county="昌吉市", service_fields="rural"
        ),
        "a": add(
            3,
            "阿勒泰青少年发展基金会",
            "foundation",
            short_name="阿青基金",
            service_fields="youth、education",
            area_county="阿勒泰市",
        ),
        "bei": add(
            4,
            "北京路社会工作服务站（分站）",
            short_name="北社工",
            service_fields=["elderly"],
            area_county="沙依巴克区",
        ),
        "dot": add(
            5,
            "艾力·买买提志愿服务队",
            "community_unregistered",
            area_county="天山区",
            area_community="幸福路社区",
        ),
        "ug": add(6, UYGHUR, service_fields=["youth"], area_county="喀什市"),
        "latin": add(7, "Hope Community Center", "social_group", short_name="HCC"),
        "pct": add(8, "百分之百_100%公益", "community_unregistered"),
    }
    return db, orgs


def ids(db, **query) -> list[int]:
    return registry.search_ids(db, OrgQuery(**query))


def names(db, **query) -> set[str]:
    return {o.name for o in registry.search(db, OrgQuery(**query))}


SEARCHES = [
    ("社区服务", {"天山区社区服务中心"}),
    ("sqfw", {"天山区社区服务中心"}),  # pinyin initials
    ("SQFW", {"天山区社区服务中心"}),
    ("tsqsqfwzx", {"天山区社区服务中心"}),
    ("she qu", {"天山区社区服务中心"}),  # full pinyin
    ("shequfuwu", {"天山区社区服务中心"}),  # full pinyin typed without spaces
    ("艾力·买买提", {"艾力·买买提志愿服务队"}),
    ("almmt", {"艾力·买买提志愿服务队"}),
    ("ياشلار", {UYGHUR}),
    ("ئۈمىد", {UYGHUR}),
    ("阿青基金", {"阿勒泰青少年发展基金会"}),  # short name
    ("aqjj", {"阿勒泰青少年发展基金会"}),  # short name initials
    ("hope", {"Hope Community Center"}),
    ("hcc", {"Hope Community Center"}),
    ("（分站）", {"北京路社会工作服务站（分站）"}),  # typed with full-width brackets
    ("分站", {"北京路社会工作服务站（分站）"}),
    ("100%", {"百分之百_100%公益"}),
    ("_", {"百分之百_100%公益"}),  # LIKE wildcards are literal
    ("%", {"百分之百_100%公益"}),
    ("不存在的名字", set()),
]


def test_text_search(sample):
    db, _ = sample
    for text, expected in SEARCHES:
        assert names(db, text=text) == expected, text
        assert registry.count(db, OrgQuery(text=text)) == len(expected), text


def test_search_by_credit_code_in_any_spelling(sample):
    db, orgs = sample
    code = orgs["cao"].credit_code
    for typed in (code, code.lower(), code[-8:].lower(), fullwidth(code[-8:])):
        assert ids(db, text=typed) == [orgs["cao"].id], typed


def test_filters(sample):
    db, orgs = sample
    lifecycle.transition(db, orgs["a"].id, "admitted", reason="通过评审")
    assert ids(db, stage=Stage.ADMITTED) == [orgs["a"].id]
    assert len(ids(db, stage=Stage.APPLIED)) == 7
    assert names(db, legal_form=LegalForm.FOUNDATION) == {"阿勒泰青少年发展基金会"}
    assert names(db, legal_form=LegalForm.COMMUNITY_UNREGISTERED) == {
        "艾力·买买提志愿服务队",
        "百分之百_100%公益",
    }
    assert names(db, service_field=ServiceField.ELDERLY) == {
        "天山区社区服务中心",
        "北京路社会工作服务站（分站）",
    }
    assert names(db, service_field=ServiceField.EDUCATION) == {"阿勒泰青少年发展基金会"}
    assert names(db, area="天山区") == {"天山区社区服务中心", "艾力·买买提志愿服务队"}
    assert names(db, area="幸福路") == {"天山区社区服务中心", "艾力·买买提志愿服务队"}
    assert names(db, area="燕儿窝") == {"天山区社区服务中心"}
    # Filters combine.
    assert names(db, area="天山区", service_field=ServiceField.COMMUNITY) == {"天山区社区服务中心"}
    assert names(db, text="服务", legal_form=LegalForm.SOCIAL_SERVICE_ORG) == {
        "天山区社区服务中心",
        "北京路社会工作服务站（分站）",
    }
    assert ids(db, stage=Stage.GRADUATED) == []


def test_archived_are_hidden_unless_asked_for(sample):
    db, orgs = sample
    cao = orgs["cao"]
    archived = registry.set_archived(db, cao.id, True, cao.version)
    assert archived.archived and archived.version == cao.version + 1
    assert cao.id not in ids(db)
    assert ids(db, text="草原") == []
    assert ids(db, text="草原", include_archived=True) == [cao.id]
    assert registry.count(db, OrgQuery()) == 7
    assert registry.count(db, OrgQuery(include_archived=True)) == 8
    assert registry.count_by_stage(db)[Stage.APPLIED] == 7
    assert registry.count_by_stage(db, include_archived=True)[Stage.APPLIED] == 8
    # Stale archive request: refused.
    with pytest.raises(ConflictError):
        registry.set_archived(db, cao.id, False, cao.version)
    back = registry.set_archived(db, cao.id, False, archived.version)
    assert not back.archived
    assert cao.id in ids(db)


def test_sort_by_name_follows_pinyin(sample):
    db, orgs = sample
    chinese = [orgs[k].id for k in ("a", "bei", "cao")]  # 阿 < 北 < 草
    order = ids(db)
    assert [i for i in order if i in chinese] == chinese
    desc = ids(db, descending=True)
    assert desc == list(reversed(order))
    assert ids(db, text="服务", order_by="name") == [
        orgs["dot"].id,  # ai li
        orgs["bei"].id,  # bei jing
        orgs["sqfw"].id,  # tian shan
    ]
    assert len(registry.search_ids(db, OrgQuery(), limit=3)) == 3
    with pytest.raises(ValidationError) as info:
        ids(db, order_by="name; drop table organizations")
    assert info.value.fields() == {"order_by"}


def test_pages_follow_the_same_order(sample):
    db, _ = sample
    order = ids(db, order_by="credit_code")
    pages = [
        o.id
        for off in (0, 3, 6)
        for o in registry.search(db, OrgQuery(order_by="credit_code"), off, 3)
    ]
    assert pages == order
    assert [o.id for o in registry.get_many(db, [*reversed(order), 99999])] == list(reversed(order))


def test_count_matches_search(sample):
    db, _ = sample
    for query in (
        OrgQuery(),
        OrgQuery(text="sq"),
        OrgQuery(text="服务", include_archived=True),
        OrgQuery(service_field=ServiceField.YOUTH),
        OrgQuery(area="区"),
        OrgQuery(legal_form=LegalForm.SOCIAL_GROUP, order_by="stage", descending=True),
    ):
        found = registry.search_ids(db, query)
        assert registry.count(db, query) == len(found) == len(registry.search(db, query, 0, 1000))
        assert len(set(found)) == len(found)
        assert found, query


def test_find_by_id_and_by_code(sample):
    db, orgs = sample
    o = orgs["sqfw"]
    assert registry.find(db, str(o.id)).id == o.id
    assert registry.find(db, fullwidth(str(o.id))).id == o.id
    for typed in (
        o.credit_code,
        o.credit_code.lower(),
        fullwidth(o.credit_code),
        fullwidth(o.credit_code.lower()),
        f" {o.credit_code[:8]} {o.credit_code[8:]} ",
        f"{o.credit_code[:8]}-{o.credit_code[8:]}",
    ):
        assert registry.find(db, typed).id == o.id, typed
    with pytest.raises(NotFoundError):
        registry.find(db, "99999")
    with pytest.raises(NotFoundError):
        registry.find(db, credit_code(999))


def test_register_keeps_what_was_typed(db):
    o = registry.register(
        db,
        {
            "name": "  阿克苏  巴扎  社区服务站 ",
            "legal_form": "Social service organization",
            "credit_code": credit_code(11),
            "service_fields": "children, Elderly care，youth、children",
            "founded_on": "2019年5月4日",
            "registered_on": "2020/1/2",
            "contact_phone": "０９９１-１２３４５６７",
            "staff_count": "１２",
            "volunteer_count": 40,
            "applied_on": dt.date(2024, 3, 1),
        },
    )
    assert o.name == "阿克苏 巴扎 社区服务站"
    assert o.legal_form is LegalForm.SOCIAL_SERVICE_ORG
    # Shown in the vocabulary's order, whatever order they were typed in.
    assert o.service_fields == (ServiceField.ELDERLY, ServiceField.YOUTH, ServiceField.CHILDREN)
    assert (o.founded_on, o.registered_on) == (dt.date(2019, 5, 4), dt.date(2020, 1, 2))
    assert o.contact_phone == "0991-1234567"
    assert (o.staff_count, o.volunteer_count) == (12, 40)
    assert (o.stage, o.stage_since, o.version) == (Stage.APPLIED, dt.date(2024, 3, 1), 1)
    again = registry.get(db, o.id)
    assert again == o
    history = lifecycle.history(db, o.id)
    assert [(h.from_stage, h.to_stage, h.occurred_on) for h in history] == [
        (None, Stage.APPLIED, dt.date(2024, 3, 1))
    ]


def test_update_changes_search_keys(db):
    o = registry.register(db, {"name": "草原协会", "legal_form": "community_unregistered"})
    assert registry.search_ids(db, OrgQuery(text="cyxh")) == [o.id]
    changed = registry.update(db, o.id, {"name": "阿山协会", "short_name": "阿山"}, o.version)
    assert changed.version == o.version + 1
    assert registry.search_ids(db, OrgQuery(text="cyxh")) == []
    assert registry.search_ids(db, OrgQuery(text="asxh")) == [o.id]
    # service fields can be replaced and removed
    changed = registry.update(db, o.id, {"service_fields": ["health", "women"]}, changed.version)
    assert set(changed.service_fields) == {ServiceField.HEALTH, ServiceField.WOMEN}
    changed = registry.update(db, o.id, {"service_fields": ["women"]}, changed.version)
    assert changed.service_fields == (ServiceField.WOMEN,)
    assert registry.search_ids(db, OrgQuery(service_field=ServiceField.HEALTH)) == []


def test_the_longest_name_allowed_is_saved_sorted_and_found(db):
    """200 Han characters, the most validation allows: its pinyin search key is about 1,400
    letters (PostgreSQL refused it when the key was 1,000 wide)."""
    long = ("乌鲁木齐市天山区阳光社区服务中心" * 13)[:200]
    kind = {"legal_form": "community_unregistered"}
    saved = registry.register(db, {"name": long, **kind})
    registry.register(db, {"name": "阿克苏市青年志愿者协会", **kind})
    names = [o.name for o in registry.search(db, OrgQuery(order_by="name"))]
    assert names == ["阿克苏市青年志愿者协会", long]  # a before w(u lu mu qi)
    assert [o.id for o in registry.search(db, OrgQuery(text="wlmqs"))] == [saved.id]
    assert [o.id for o in registry.search(db, OrgQuery(text="zhongxinwulumuqi"))] == [saved.id]
