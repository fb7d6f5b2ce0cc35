"""Finding names as people type them: with or without the dot of a transliterated name, full
pinyin across the dot, initials read in word context, Uyghur typed without its own letters.
Each expectation is written by hand from the names below."""

from __future__ import annotations

import pytest

from incubator.services import registry
from incubator.services.registry import OrgQuery
from tests.factories import org

NAMES = {
    "dot": "阿依古丽·买买提社工服务站",
    "bullet": "艾力•吐尔逊志愿服务队",
    "katakana_dot": "努尔・艾买提青年协会",
    "period": "热合曼.阿不都社区互助会",
    "chongqing": "重庆商会驻疆联络站",
    "bank": "银行退休职工志愿者协会",
    "changchun": "长春社区邻里中心",
    "uyghur": "ئۈمىد ياشلار مۇلازىمەت مەركىزى",
    "uyghur_e": "ئېلىم ھەمكارلىق جەمئىيىتى",
}


@pytest.fixture
def found(db):
    made = {
        key: org(db, n, name=name, legal_form="community_unregistered", credit_code=None)
        for n, (key, name) in enumerate(NAMES.items(), start=1)
    }
    by_id = {o.id: key for key, o in made.items()}

    def find(text: str) -> set[str]:
        return {by_id[i] for i in registry.search_ids(db, OrgQuery(text=text))}

    return find


@pytest.mark.parametrize(
    "typed, expected",
    [
        # the dot, any dot, or none
        ("阿依古丽买买提", {"dot"}),
        ("阿依古丽•买买提", {"dot"}),
        ("阿依古丽.买买提", {"dot"}),
        ("艾力·吐尔逊", {"bullet"}),
        ("艾力吐尔逊", {"bullet"}),
        ("努尔·艾买提", {"katakana_dot"}),
        ("热合曼·阿不都", {"period"}),
        ("热合曼阿不都", {"period"}),
        # full pinyin across the dot, with or without spaces
        ("ayigulimaimaiti", {"dot"}),
        ("ayiguli maimaiti", {"dot"}),
        ("ailituerxun", {"bullet"}),
        # initials in word context
        ("cq", {"chongqing"}),
        ("cqsh", {"chongqing"}),
        ("yh", {"bank"}),
        ("yhtx", {"bank"}),
        ("ccsq", {"changchun"}),
        ("zqsh", set()),  # 重 read alone would be zhong
        ("yxtx", set()),  # 行 read alone would be xing
        # Uyghur typed with the letters a common keyboard has
        ("ئۈمىد", {"uyghur"}),
        ("ئومید", {"uyghur"}),  # و for ۈ, Persian ی for ى
        ("اومىد", set()),  # an alef is not a hamza
        ("مولازيمهت", {"uyghur"}),  # و for ۇ, ي for ى, ه for ە, no hamza
        ("ئېلىم", {"uyghur_e"}),
        ("ئيليم", {"uyghur_e"}),  # ي for ې
        ("ههمكارليق", {"uyghur_e"}),  # ه for ھ and ە
        ("ﺋﯜﻣﯩﺪ", {"uyghur"}),  # presentation forms, as pasted from a PDF
    ],
)
def test_found_as_typed(found, typed: str, expected: set[str]) -> None:
    assert found(typed) == expected


def test_keys_read_each_name_as_pypinyin_reads_it_whole():
    """The keys keep each word's reading (a cache): the same reading as pypinyin's of the
    whole name, polyphones in context included, whatever names came before."""
    from itertools import product

    from pypinyin import lazy_pinyin

    from incubator.textkeys import sort_key

    places = ("重庆", "长春", "天山区", "乌鲁木齐市", "ئۈرۈمچی ", "喀什地区")
    middles = ("银行", "行长", "音乐", "快乐", "重要", "重新", "长大", "成长", "第12", "")
    tails = ("会", "协会", "服务中心", "社区互助会", "长者食堂", "行业商会")
    for place, middle, tail in product(places, middles, tails):
        name = place + middle + tail
        whole = lazy_pinyin(name, errors=lambda run: [run])
        assert sort_key(name) == " ".join(whole).lower(), name


def test_the_quick_path_of_folding_never_skips_a_combining_mark():
    """Folding skips its character-by-character removal of combining marks for text that the
    quick check says has none: no mark of the whole of Unicode passes that check."""
    import sys
    import unicodedata

    from incubator.textkeys import _NO_MARKS, fold_for_search

    marks = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Mn"]
    assert len(marks) > 1000
    assert not [m for m in marks if _NO_MARKS.fullmatch(m)]
    assert fold_for_search("مُحَمَّد") == fold_for_search("محمد")  # vowel marks dropped
