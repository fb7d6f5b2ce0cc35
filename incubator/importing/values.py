"""Cell values as real files have them, turned into what the services validate.

- "N/A", "-", "无", "/" and the like mean empty;
- dates: Excel serial numbers, date cells, "2002-01-06", "2002/1/6", "2002.1.6", "2002年1月6日"
  (the last three through ``validation.date``);
- amounts: "2,814.9780(万元人民币)", "50(万)", "¥1,200.50", full-width digits, converted to
  yuan exactly (Decimal; a unit of 万 in the column's header counts too);
- whole numbers typed as 12.0 by a spreadsheet become 12.
Anything else stays text for the services to check (they name the field and the problem).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from incubator.errors import ValidationError
from incubator.importing.sheets import Cell

EMPTY = {"", "n/a", "na", "-", "--", "—", "——", "/", "无", "暂无", "none", "null", "空", "#n/a"}
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 (with Excel's 1900 leap day)


def is_empty(value: Cell) -> bool:
    if value is None:
        return True
    return isinstance(value, str) and unicodedata.normalize("NFKC", value).strip().lower() in EMPTY


def text(value: Cell) -> str | None:
    """A cell as text: numbers without a spurious ".0", dates as ISO dates."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def date(value: Cell, field: str) -> dt.date | str | None:
    """A date cell, an Excel serial number, or text for ``validation.date`` to read."""
    if is_empty(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:  # up to 9999-12-31
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValidationError.single(field, "Not a date: “{value}” (use YYYY-MM-DD)", value=value)
    return str(value)


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def amount(value: Cell, field: str, unit: str = "") -> Decimal | None:
    """Yuan, exactly: "2,814.9780(万元人民币)" is 28,149,780.00; ``unit`` is the column's own
    (a header "注册资金（万元）" makes every plain number ten thousands)."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise ValidationError.single(field, "Not a number: “{value}”", value=value)
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        words = unit
    else:
        folded = unicodedata.normalize("NFKC", str(value)).replace(",", "").replace(" ", "")
        found = _NUMBER.findall(folded)
        if len(found) != 1:
            raise ValidationError.single(field, "Not an amount: “{value}”", value=value)
        number = Decimal(found[0])
        words = folded.replace(found[0], "", 1) + unit
        leftover = re.sub(r"[¥￥$元万人民币()（）\[\]rmbyuancny]", "", words.lower())
        if leftover:
            raise ValidationError.single(field, "Not an amount: “{value}”", value=value)
    try:
        yuan = number * (10_000 if "万" in words else 1)
        if yuan != yuan.quantize(Decimal("0.01")):
            raise ValidationError.single(field, "More precise than a fen: “{value}”", value=value)
        return yuan.quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValidationError.single(field, "Not an amount: “{value}”", value=value) from None


def count(value: Cell) -> Any:
    """A head count: 12.0 from a spreadsheet is 12; text is left for validation."""
    if is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
