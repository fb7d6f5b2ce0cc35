"""Pinyin keys for sorting and searching Chinese names (typing "sqfw" finds "社区服务...")."""

from __future__ import annotations

import unicodedata

from pypinyin import Style, lazy_pinyin


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def sort_key(name: str) -> str:
    """Pinyin of the Han characters, other text as it is, lower case: sorts 阿 before 北."""
    return " ".join(lazy_pinyin(name)).lower()


def initials(name: str) -> str:
    """First letter of each Han syllable plus letters and digits of any other script."""
    out = []
    for ch in name:
        if _is_han(ch):
            out.append(lazy_pinyin(ch, style=Style.FIRST_LETTER)[0])
        elif unicodedata.category(ch)[0] in "LN":
            out.append(ch)
    return "".join(out).lower()
