"""Pinyin and folded keys for sorting and finding names.

A name is found however a person types it: with or without the dot of a transliterated name
("阿依古丽·买买提", "阿依古丽•买买提", "阿依古丽买买提"), in full pinyin across the dot
("ayiguli maimaiti"), by pinyin initials read in word context (重庆 -> cq, 银行 -> yh, 长春 -> cc,
as pypinyin's phrase dictionary reads them), and in Uyghur typed on a keyboard that lacks some
Uyghur letters (و for ۇ ۆ ۈ ۋ, ي or ی for ې ى, ه for ە ھ, ک for ك, the hamza ئ left out).

``search_key`` holds every such form of a name, folded; a query is folded the same way
(``fold_for_search``) and matched as a substring of it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from incubator.domain import SORT_KEY_LENGTH

# The dots of transliterated names (and their look-alikes), and spaces: none of them matter.
_IGNORED = re.compile(r"[\s·•・.‧･∙⋅‐\-]+")
# Uyghur letters that common keyboards lack, to what people type instead.
_UYGHUR = str.maketrans(
    {
        "ۇ": "و",
        "ۆ": "و",
        "ۈ": "و",
        "ۋ": "و",
        "ې": "ي",
        "ى": "ي",
        "ی": "ي",
        "ە": "ه",
        "ھ": "ه",
        "ک": "ك",
        "ئ": None,
        "ـ": None,  # tatweel, a stretching stroke
    }
)
# Text only of these ranges has no combining marks (category Mn) to drop: Latin-1 and its
# extensions, CJK punctuation, Han ideographs, full-width forms.
_NO_MARKS = re.compile("[\x00-\u02ff\u3000-\u3029\u4e00-\u9fff\uff00-\uffef]*")
_OTHER_SCRIPT = "\x00"  # marks what pypinyin passes through (no Han characters in it)


def fold_for_search(text: str) -> str:
    """What matters of a name or a query when finding: NFKC (full-width and presentation
    forms to plain letters), lower case, no dots or spaces, Uyghur letters folded."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    if not _NO_MARKS.fullmatch(text):  # (the check of each character is slow: Han names skip it)
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")  # Arabic vowel marks
    return _IGNORED.sub("", text.translate(_UYGHUR))


def _syllables(name: str) -> list[str]:
    """pypinyin's reading of the name, Han runs in word context; other runs marked.

    pypinyin reads a text word by word, as its segmenter cuts it; names share their words
    (社区, 服务中心, 协会), so each word's reading is kept (``_word``): an import of 100,000
    names spends a fraction of the time (``bench/``)."""
    return [s for word in _reader().seg(name) for s in _word(word)]


@cache
def _reader():
    """lazy_pinyin's own reader (its segmenter cuts names into words). pypinyin and its
    phrase dictionary (a quarter of a second, 70 MB) load the first time a name is read,
    not when the program starts."""
    from pypinyin.core import Pinyin

    return Pinyin()


@lru_cache(maxsize=50_000)
def _word(word: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(word, errors=lambda run: [_OTHER_SCRIPT + run]))


def sort_key(name: str) -> str:
    """Pinyin of the Han characters, other text as it is, lower case: sorts 阿 before 北."""
    return _sort_key(_syllables(name))


def _sort_key(syllables: list[str]) -> str:
    key = " ".join(s.removeprefix(_OTHER_SCRIPT) for s in syllables).lower()
    return key[:SORT_KEY_LENGTH]  # the column's width (see domain.SORT_KEY_LENGTH)


def _initials(syllables: list[str]) -> str:
    out = []
    for s in syllables:
        if s.startswith(_OTHER_SCRIPT):  # letters and digits of any other script, as they are
            out.append("".join(ch for ch in s[1:] if unicodedata.category(ch)[0] in "LN"))
        else:
            out.append(s[:1])
    return fold_for_search("".join(out))


def initials(name: str) -> str:
    """First letter of each Han syllable (read in word context) plus letters and digits of
    any other script."""
    return _initials(_syllables(name))


def name_keys(name: str, short_name: str | None = None, code: str | None = None) -> tuple[str, str]:
    """(sort key, search key) of an organization, from one pinyin reading of each name."""
    syllables = _syllables(name)
    parts = [name, "".join(s.removeprefix(_OTHER_SCRIPT) for s in syllables), _initials(syllables)]
    if short_name:
        short = _syllables(short_name)
        parts += [short_name, "".join(s.removeprefix(_OTHER_SCRIPT) for s in short)]
        parts.append(_initials(short))
    if code:
        parts.append(code)
    # A folded query has no spaces, so it never matches across two parts.
    search = " ".join(dict.fromkeys(fold_for_search(p) for p in parts if p))
    return _sort_key(syllables), search
