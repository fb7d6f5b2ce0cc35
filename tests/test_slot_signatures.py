"""No button hands its `checked` flag to a slot that takes it for something else.

`clicked`, `triggered` and `toggled` carry a bool, and PySide6 passes it to any slot that can
take a positional argument. A slot like ``save_as(self, target=None)`` connected to `clicked`
got ``False`` as its target and wrote the PDF to file descriptor 0. This scans ui/ for every
connection of those signals and refuses any slot that could receive the flag by mistake.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parent.parent / "ui"
FLAG_SIGNALS = {"clicked", "triggered", "toggled"}


def _positional(args: ast.arguments) -> list[ast.arg]:
    return [*args.posonlyargs, *args.args]


def _methods(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    """Every function or method of the module by name (ui/ modules have no clashing names that
    matter here; a clash makes the check stricter, never looser)."""
    found: dict[str, ast.FunctionDef] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            previous = found.get(node.name)
            if previous is None or len(_positional(node.args)) > len(_positional(previous.args)):
                found[node.name] = node
    return found


def problems_in(source: str, filename: str) -> list[str]:
    tree = ast.parse(source, filename)
    methods = _methods(tree)
    problems: list[str] = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "connect"
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr in FLAG_SIGNALS
            and node.args
        ):
            continue
        slot = node.args[0]
        where = f"{filename}:{node.lineno}"
        if isinstance(slot, ast.Lambda):
            params = _positional(slot.args)
            if params and not params[0].arg.startswith("_"):
                problems.append(f"{where}: lambda takes the flag as {params[0].arg!r}")
        elif isinstance(slot, ast.Attribute) and slot.attr in ("emit", "click"):
            continue  # a signal or a button: PySide6 passes them nothing
        elif isinstance(slot, ast.Attribute) and slot.attr in methods:
            method = methods[slot.attr].args
            params = _positional(method)[1:]  # without self
            # A required first parameter is meant to take the signal's value (a QDate from a
            # calendar's clicked, say); an optional one is the trap.
            if params and len(method.defaults) >= len(params):
                problems.append(
                    f"{where}: {slot.attr}() would receive the flag as {params[0].arg!r}"
                )
        else:
            problems.append(
                f"{where}: cannot tell what {ast.unparse(slot)} takes; wrap it in a lambda"
            )
    return problems


def test_the_check_catches_the_save_as_bug() -> None:
    source = (
        "class Page:\n"
        "    def build(self):\n"
        "        self.save.clicked.connect(self.save_as)\n"
        "        self.ok.clicked.connect(self.done)\n"
        "        self.go.triggered.connect(lambda target=None: target)\n"
        "        self.x.toggled.connect(slot)\n"
        "        self.calendar.clicked.connect(self.picked)\n"
        "    def save_as(self, target=None): ...\n"
        "    def done(self): ...\n"
        "    def picked(self, day): ...\n"
    )
    found = problems_in(source, "page.py")
    assert len(found) == 3, found
    assert "save_as() would receive the flag as 'target'" in found[0]


@pytest.mark.parametrize("path", sorted(UI.rglob("*.py")), ids=lambda p: str(p.relative_to(UI)))
def test_no_flag_reaches_a_slot_by_mistake(path: Path) -> None:
    assert problems_in(path.read_text(encoding="utf-8"), str(path.relative_to(UI))) == []
