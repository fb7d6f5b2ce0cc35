"""Turning user input into clean values, or into Problems that name the field and the reason.

Every parser accepts what a person might type (full-width digits, thousands separators, "¥",
surrounding spaces) and either returns the normalised value or raises ValidationError.
Services collect the problems of a whole form with ``Checker`` so the user sees all at once.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import lru_cache
from typing import Any, TypeVar

from incubator.errors import Problem, ValidationError
from incubator.i18n import TList

E = TypeVar("E", bound=Enum)
V = TypeVar("V")

MONEY_MAX = Decimal("999999999999.99")  # NUMERIC(14, 2)
CENT = Decimal("0.01")

# Letters GB 32100 leaves out because they look like digits or each other.
_EXCLUDED_LETTERS = {"I": "1", "O": "0", "S": "5", "V": "U", "Z": "2"}


def fold(text: str) -> str:
    """Full-width to half-width (NFKC), trimmed: what a person meant by what they typed."""
    return unicodedata.normalize("NFKC", text).strip()


def clean_text(value: Any, field: str, *, required: bool = False, max_len: int = 200) -> str | None:
    if value is None:
        text = ""
    elif isinstance(value, str):
        # NFC keeps Uyghur and Chinese as typed; only spaces are trimmed and collapsed.
        text = " ".join(unicodedata.normalize("NFC", value).split())
    else:
        text = str(value).strip()
    if not text:
        if required:
            raise ValidationError.single(field, "This field is required")
        return None
    if len(text) > max_len:
        raise ValidationError.single(
            field,
            "Too long: {length} characters, at most {max} allowed",
            length=len(text),
            max=max_len,
        )
    if not text.isprintable() or unicodedata.category(text[0]) in _INVISIBLE:
        _check_characters(text, field)  # (the quick test above passes nearly every text)
    return text


# Fields that hold a name, where a direction override could make one name pass for another.
NAME_FIELDS = frozenset(
    {"name", "short_name", "legal_representative", "contact_person", "person_name"}
)
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")  # C0, DEL and C1: never in stored text
_INVISIBLE = frozenset({"Cf", "Mn", "Me"})  # format characters, marks without a letter


def _check_characters(text: str, field: str) -> None:
    """Refuse control characters (ESC, BEL, NUL...), broken ones (lone surrogates), direction
    overrides in names, and a text of invisible characters only; each named with its code."""
    for ch in text:
        code = f"U+{ord(ch):04X}"
        category = unicodedata.category(ch)
        if category == "Cc":
            raise ValidationError.single(field, "Contains the control character {code}", code=code)
        if category == "Cs":
            raise ValidationError.single(
                field, "Contains a broken character ({code}, half of a pair)", code=code
            )
        if ch in BIDI_CONTROLS and field in NAME_FIELDS:
            raise ValidationError.single(
                field,
                "Contains the direction control {code}, which can make a name look like another",
                code=code,
            )
    if all(unicodedata.category(ch) in _INVISIBLE for ch in text):
        raise ValidationError.single(field, "Holds only invisible characters")


def credit_code(value: Any, field: str = "credit_code") -> tuple[str | None, list[str]]:
    """Validate a Unified Social Credit Code (GB 32100-2015) with python-stdnum.

    Returns the normalised code (upper case, half-width, no spaces or dashes) and warnings.
    """
    if value is None or not str(value).strip():
        return None, []
    code, warnings = _checked_code(str(value), field)
    return code, list(warnings)


@lru_cache(maxsize=4096)
def _checked_code(raw: str, field: str) -> tuple[str, tuple[str, ...]]:
    # Kept: an import checks each row's code several times (matching, legal form, profile).
    code = fold(raw)
    code = re.sub(r"[\s\-‐‑–—]", "", code).upper()
    if len(code) != 18:
        raise ValidationError.single(field, "Must be 18 characters, got {length}", length=len(code))
    bad = [c for c in code if not (c.isascii() and c.isalnum())]
    if bad:
        raise ValidationError.single(
            field, "Contains a character that is not a digit or letter: “{char}”", char=bad[0]
        )
    for pos, ch in enumerate(code, start=1):
        if ch in _EXCLUDED_LETTERS:
            raise ValidationError.single(
                field,
                "Character {pos} is the letter {char}, which credit codes never use "
                "(did you mean {hint}?)",
                pos=pos,
                char=ch,
                hint=_EXCLUDED_LETTERS[ch],
            )
    from stdnum.cn import uscc  # (with stdnum's own imports: only when a code is checked)

    try:
        uscc.validate(code)
    except uscc.InvalidFormat as exc:
        raise ValidationError.single(
            field, "The first 8 characters must be digits (registration authority, type, area)"
        ) from exc
    except uscc.InvalidChecksum as exc:
        raise ValidationError.single(
            field,
            "Check character is wrong: the last character should be {expected}",
            expected=uscc.calc_check_digit(code),
        ) from exc
    except uscc.ValidationError as exc:  # any other stdnum complaint
        raise ValidationError.single(field, "Not a valid credit code") from exc
    if code[0] == "0":  # (stdnum takes 000000000000000000 for a code: its check digit fits)
        raise ValidationError.single(
            field, "Character 1 is 0: no registration authority issues codes starting with 0"
        )
    if code[8:17] == "000000000":
        raise ValidationError.single(field, "Characters 9 to 17 (the organization code) are all 0")
    if code[0] != "5":
        return code, ("The code was not issued by civil affairs (first character is not 5)",)
    return code, ()


def money(value: Any, field: str, *, allow_zero: bool = True) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError.single(field, "This field is required")
    if isinstance(value, bool):
        raise ValidationError.single(field, "Not a number: “{value}”", value=value)
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))  # what was typed, not the binary approximation
    else:
        text = fold(str(value)).replace(",", "").replace("，", "").replace(" ", "")
        text = text.removeprefix("¥").removeprefix("￥").removesuffix("元")
        # "8万" and "8万元": ten thousands, as amounts are usually said and written.
        unit = Decimal(10_000) if text.endswith("万") else Decimal(1)
        text = text.removesuffix("万")
        try:
            amount = Decimal(text) * unit
        except InvalidOperation:
            raise ValidationError.single(field, "Not a number: “{value}”", value=value) from None
    if not amount.is_finite():
        raise ValidationError.single(field, "Not a number: “{value}”", value=value)
    if amount < 0:
        raise ValidationError.single(field, "Must not be negative")
    if amount == 0 and not allow_zero:
        raise ValidationError.single(field, "Must be more than zero")
    # The size check comes first: quantizing a huge number raises InvalidOperation.
    if amount > MONEY_MAX:
        raise ValidationError.single(field, "Too large (at most {max})", max=f"{MONEY_MAX:,}")
    if amount != amount.quantize(CENT):
        raise ValidationError.single(field, "At most two decimal places (fen)")
    return abs(amount.quantize(CENT))  # abs: "-0" is stored and shown as 0.00


def number(
    value: Any,
    field: str,
    *,
    places: int = 0,
    minimum: Decimal | int = 0,
    maximum: Decimal | int | None = None,
) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        return Decimal(0)
    try:
        result = Decimal(fold(str(value)).replace(",", ""))
    except InvalidOperation:
        raise ValidationError.single(field, "Not a number: “{value}”", value=value) from None
    if not result.is_finite():
        raise ValidationError.single(field, "Not a number: “{value}”", value=value)
    if result < minimum:
        raise ValidationError.single(field, "Must be at least {min}", min=minimum)
    if maximum is not None and result > maximum:
        raise ValidationError.single(field, "Must be at most {max}", max=maximum)
    quantum = Decimal(1).scaleb(-places)
    if result != result.quantize(quantum):
        if places == 0:
            raise ValidationError.single(field, "Must be a whole number")
        raise ValidationError.single(field, "At most {places} decimal places", places=places)
    return result


def count(value: Any, field: str) -> int | None:
    """A head count; left blank it stays unknown (None), which is not zero."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return int(number(value, field, places=0, minimum=0, maximum=10_000_000))


def date(value: Any, field: str, *, required: bool = False) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError.single(field, "This field is required")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = fold(str(value))
    text = re.sub(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$", r"\1-\2-\3", text)
    text = re.sub(r"^(\d{4})[./](\d{1,2})[./](\d{1,2})$", r"\1-\2-\3", text)
    text = re.sub(r"^(\d{4})(\d{2})(\d{2})$", r"\1-\2-\3", text)  # 20270115, as in file names
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    try:
        if not m:
            raise ValueError
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValidationError.single(
            field, "Not a date: “{value}” (use YYYY-MM-DD)", value=value
        ) from None


def choice(enum: type[E], value: Any, field: str) -> E:
    """An enum member from a member, its stored value, or its label in any language."""
    if isinstance(value, enum):
        return value
    text = fold(str(value)) if value is not None else ""
    if not text:
        raise ValidationError.single(field, "This field is required")
    from incubator.i18n import LANGUAGES, tr

    for member in enum:
        names = {member.value, member.name.lower()}
        label = getattr(member, "label", None)
        if label:
            names |= {label.lower(), *(tr(label, lang) for lang in LANGUAGES)}
        if text.lower() in names or text in names:
            return member
    raise ValidationError.single(
        field,
        "Unknown value “{value}”; allowed: {allowed}",
        value=value,
        allowed=TList(getattr(m, "label", m.value) for m in enum),
    )


def period(start: dt.date | None, end: dt.date | None, end_field: str = "end_on") -> None:
    if start and end and end < start:
        raise ValidationError.single(
            end_field, "End date {end} is before start date {start}", end=end, start=start
        )


class Checker:
    """Collects problems of a whole form so all of them are reported together."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def __call__(self, parse: Callable[..., V], *args: Any, **kwargs: Any) -> V | None:
        try:
            return parse(*args, **kwargs)
        except ValidationError as exc:
            self.problems.extend(exc.problems)
            return None

    def add(self, field: str | None, key: str, **params: Any) -> None:
        self.problems.append(Problem(field, key, params))

    def ok(self, *fields: str) -> bool:
        return not any(p.field in fields for p in self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise ValidationError(self.problems)
