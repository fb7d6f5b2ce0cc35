"""The Simplified Chinese catalog covers every user-facing string, and covers it correctly.

The source strings come from ``incubator.i18n_catalog.source_strings()``; the catalog is read
straight from ``resources/translations/zh_CN.json`` so the file itself is what is checked.
"""

from __future__ import annotations

import json
import re
import string
from enum import Enum

import pytest

from incubator import domain
from incubator.errors import ValidationError
from incubator.i18n import ENTITY_LABELS, FIELD_LABELS
from incubator.i18n_catalog import source_strings
from incubator.paths import RESOURCES

CATALOG_PATH = RESOURCES / "translations" / "zh_CN.json"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _read_catalog() -> tuple[str, dict[str, str]]:
    text = CATALOG_PATH.read_text(encoding="utf-8")
    return text, json.loads(text)


@pytest.fixture(scope="module")
def zh() -> dict[str, str]:
    return _read_catalog()[1]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _enum_labels() -> list[tuple[str, str]]:
    """(where, label) for every member of every enum defined in incubator.domain."""
    labels = []
    for obj in vars(domain).values():
        if isinstance(obj, type) and issubclass(obj, Enum) and obj.__module__ == domain.__name__:
            labels.extend(
                (f"{obj.__name__}.{m.name}", m.label) for m in obj if getattr(m, "label", None)
            )
    return labels


def _ui_labels() -> list[tuple[str, str]]:
    labels = _enum_labels()
    labels += [(f"FIELD_LABELS[{k!r}]", v) for k, v in FIELD_LABELS.items()]
    labels += [(f"ENTITY_LABELS[{k!r}]", v) for k, v in ENTITY_LABELS.items()]
    return labels


def test_every_source_string_is_translated(zh: dict[str, str]) -> None:
    missing = sorted(s for s in source_strings() if not (zh.get(s) or "").strip())
    assert not missing, f"{len(missing)} strings lack a zh_CN translation:\n" + "\n".join(
        f"  {s!r}" for s in missing
    )


def test_translations_keep_the_placeholders(zh: dict[str, str]) -> None:
    wrong = []
    for source in sorted(source_strings() | set(zh)):
        translated = zh.get(source)
        if not translated:
            continue
        try:
            expected, got = _placeholders(source), _placeholders(translated)
        except ValueError as exc:  # unbalanced braces
            wrong.append(f"  {source!r}: {exc}")
            continue
        if expected != got:
            wrong.append(f"  {source!r}: expected {sorted(expected)}, got {sorted(got)}")
    assert not wrong, "Placeholders differ between source and translation:\n" + "\n".join(wrong)


class _AnyValue:
    def __format__(self, spec: str) -> str:
        return "X"


def test_translations_format_like_their_source(zh: dict[str, str]) -> None:
    """Every translation formats with the parameters its source takes (no stray braces)."""
    for source, translated in zh.items():
        params = {name: _AnyValue() for name in _placeholders(source)}
        source.format(**params)
        translated.format(**params)


@pytest.mark.parametrize(("where", "label"), _ui_labels(), ids=lambda x: str(x))
def test_labels_translate_to_chinese(zh: dict[str, str], where: str, label: str) -> None:
    translated = zh.get(label, "")
    assert HAN.search(translated), f"{where} = {label!r} translates to {translated!r}"


def test_catalog_file_is_valid_sorted_and_complete() -> None:
    text, data = _read_catalog()
    assert isinstance(data, dict)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in data.items())
    keys = list(data)
    assert keys == sorted(keys), "keys are not sorted"
    empty = [k for k, v in data.items() if not v.strip()]
    assert not empty, f"empty translations: {empty}"
    assert text == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", (
        "write the catalog with json.dump(..., ensure_ascii=False, indent=2, sort_keys=True) "
        "and a final newline"
    )


def test_validation_message_round_trip() -> None:
    error = ValidationError.single("credit_code", "Must be 18 characters, got {length}", length=3)
    message = error.message("zh_CN")
    assert message.startswith("统一社会信用代码"), message
    assert "3" in message
    assert error.message("en").startswith("Unified Social Credit Code")
