"""Finds every user-facing source string in the code, for the translation catalog's test and
for `python -m incubator.i18n_catalog` (prints the strings zh_CN still lacks, as JSON).

A string is user-facing when it is passed to one of the message functions below, is an enum
label, a field label, an error class's ``key``, or an entity name (``WHAT = "..."``).
"""

from __future__ import annotations

import ast
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from incubator.i18n import catalog

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("incubator", "ui")

# function name -> positions of its arguments that are message texts
MESSAGE_ARGS = {
    "tr": (0,),
    "T": (0,),
    "single": (1,),
    "add": (1,),
    "Problem": (1,),
    "Finding": (0,),
    "_section": (0,),
    "load": (3,),
    "check_version": (2,),
    "RecordKind": (2,),
    "table": (0,),
    "labelled": (0,),
    "DatabaseError": (0,),
    "IncubatorError": (0,),
    "PlaceholderPage": (0, 1),
    "_enum_combo": (0,),
    "nav_item": (0,),
    "SimpleTable": (0,),
    "_simple_tab": (0, 2),
}
MESSAGE_KEYWORDS = {"what", "key"}
ENTITY_NAMES = {"WHAT", "PAYMENT", "ALLOCATION"}


def _strings(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        return
    elif isinstance(node, (ast.List, ast.Tuple)):
        for item in node.elts:
            yield from _strings(item)


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def strings_in(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _call_name(node)
            for pos in MESSAGE_ARGS.get(name or "", ()):
                if pos < len(node.args):
                    yield from _strings(node.args[pos])
            for kw in node.keywords:
                if kw.arg in MESSAGE_KEYWORDS:
                    yield from _strings(kw.value)
        elif isinstance(node, ast.AnnAssign | ast.Assign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if len(targets) != 1:
                continue
            target = targets[0]
            if isinstance(target, ast.Name) and (target.id in ENTITY_NAMES or target.id == "key"):
                yield from _strings(node.value)
            elif isinstance(target, ast.Name) and target.id in ("FIELD_LABELS", "ENTITY_LABELS"):
                if isinstance(node.value, ast.Dict):
                    for value in node.value.values:
                        yield from _strings(value)
            # enum members: NAME = "value", "English label"
            elif (
                isinstance(node.value, ast.Tuple)
                and len(node.value.elts) == 2
                and path.name == "domain.py"
                and all(isinstance(e, ast.Constant) for e in node.value.elts)
            ):
                yield from _strings(node.value.elts[1])


def source_strings() -> set[str]:
    found: set[str] = set()
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            found.update(s for s in strings_in(path) if s.strip())
    return found


def missing(lang: str = "zh_CN") -> list[str]:
    have = catalog(lang)
    return sorted(s for s in source_strings() if not have.get(s))


if __name__ == "__main__":
    json.dump(
        {s: "" for s in missing(sys.argv[1] if len(sys.argv) > 1 else "zh_CN")},
        sys.stdout,
        ensure_ascii=False,
        indent=2,
    )
    print()
