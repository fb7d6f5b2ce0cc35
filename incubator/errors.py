"""Typed errors of the core.

Each carries an English source message (the translation key), its parameters and the field or
row it concerns; the UI and the CLI render it in the user's language with ``message(lang)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from incubator.i18n import field_label, tr


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: which field (or row), and why."""

    field: str | None
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    row: int | None = None

    def message(self, lang: str | None = None) -> str:
        reason = tr(self.key, lang, **self.params)
        parts = []
        if self.row is not None:
            parts.append(tr("Row {row}", lang, row=self.row))
        if self.field:
            parts.append(field_label(self.field, lang))
        if not parts:
            return reason
        if _is_chinese(lang):
            return "，".join(parts) + "：" + reason
        return ", ".join(parts) + ": " + reason


def _is_chinese(lang: str | None) -> bool:
    from incubator.i18n import current_language

    return (lang or current_language()).startswith("zh")


class IncubatorError(Exception):
    """Base of every error the core raises on purpose."""

    key = "Something went wrong"

    def __init__(self, key: str | None = None, **params: Any) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(tr(self.key, "en", **params))

    def message(self, lang: str | None = None) -> str:
        return tr(self.key, lang, **self.params)

    def __reduce__(self) -> tuple:
        # Sent back from a report's worker process: rebuilt from its state, since the
        # subclasses' constructors do not take the message that pickling would pass.
        return _rebuilt, (type(self), self.args, self.__dict__)


def _rebuilt(cls: type[IncubatorError], args: tuple, state: dict[str, Any]) -> IncubatorError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class ValidationError(IncubatorError):
    """Bad input: one or more problems, each naming its field."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("Invalid input")
        self.args = ("; ".join(p.message("en") for p in self.problems),)

    @classmethod
    def single(cls, field_name: str | None, key: str, **params: Any) -> ValidationError:
        return cls(Problem(field_name, key, params))

    def message(self, lang: str | None = None) -> str:
        return "; ".join(p.message(lang) for p in self.problems)

    def fields(self) -> set[str]:
        return {p.field for p in self.problems if p.field}


class NotFoundError(IncubatorError):
    key = "{what} not found: {ident}"


class IllegalTransitionError(IncubatorError):
    key = "Cannot move from stage “{from_stage}” to “{to_stage}”; allowed next stages: {allowed}"


class ConflictError(IncubatorError):
    """A save based on an old version: someone else changed the row meanwhile."""

    key = "{what} was changed by someone else (now version {current}, you edited version {yours})"

    def __init__(self, what: str, current: int, yours: int, current_values: dict | None = None):
        self.current_values = current_values or {}
        super().__init__(None, what=what, current=current, yours=yours)


class ConcurrentChangeError(ConflictError):
    """Two desks saved the same row at the same moment (caught by the database's version
    check, not the service's): the later save was refused whole; there is nothing to compare."""

    key = "This record was changed on another desk at the same moment; reload it and try again"

    def __init__(self) -> None:
        self.current_values = {}
        IncubatorError.__init__(self)


class DatabaseError(IncubatorError):
    key = "Database problem: {detail}"
