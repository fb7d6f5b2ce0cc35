"""Finding the header row of a real spreadsheet and what each column holds.

Bureaus and centers name the same column many ways (组织名称 / 单位名称 / 社会组织名称 /
name ...): each field has its synonyms, compared after folding (full-width to half-width,
case, spaces, a "*" for required, a trailing note in brackets such as "（必填）" or "(万元)").
The header row is the first of the top rows that names at least two known fields: title rows
and notes above it are skipped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from incubator.i18n import LANGUAGES, field_label
from incubator.importing.sheets import Cell
from incubator.validation import CONTROLS

HEADER_SEARCH_ROWS = 30  # a header below this many rows of titles and notes is not looked for

ORGANIZATION_HEADERS: dict[str, tuple[str, ...]] = {
    "name": (
        "组织名称",
        "单位名称",
        "社会组织名称",
        "机构名称",
        "企业名称",
        "名称",
        "name",
        "organization",
        "organization name",
    ),
    "short_name": ("简称", "组织简称", "short name"),
    "credit_code": (
        "统一社会信用代码",
        "社会信用代码",
        "信用代码",
        "统一代码",
        "uscc",
        "credit code",
        "unified social credit code",
    ),
    "legal_form": ("组织类型", "类型", "社会组织类型", "登记类型", "legal form", "type"),
    "service_fields": ("服务领域", "业务领域", "领域", "service fields", "fields"),
    "area_county": ("所属区县", "区县", "县区", "所在区县", "county", "district"),
    "area_township": ("乡镇街道", "街道", "乡镇", "township", "street"),
    "area_community": ("社区", "村社区", "所在社区", "community"),
    "founded_on": ("成立日期", "成立时间", "founded", "founded on"),
    "registered_on": ("登记日期", "注册日期", "登记时间", "registered", "registered on"),
    "legal_representative": (
        "法定代表人",
        "法人代表",
        "法人",
        "负责人",
        "legal representative",
    ),
    "registered_capital": ("注册资金", "开办资金", "注册资本", "registered capital"),
    "business_scope": ("业务范围", "经营范围", "business scope", "scope"),
    "supervising_unit": ("业务主管单位", "主管单位", "supervising unit"),
    "address": ("住所", "注册地址", "地址", "办公地址", "address"),
    "staff_count": ("专职人员", "专职人数", "专职人员数", "staff", "staff count"),
    "volunteer_count": ("志愿者", "志愿者人数", "志愿者数", "volunteers"),
    "contact_person": ("联系人", "contact", "contact person"),
    "contact_phone": ("联系电话", "电话", "手机", "联系方式", "phone", "telephone"),
    "applied_on": ("申请日期", "入驻申请日期", "applied on", "application date"),
    "stage": ("阶段", "孵化阶段", "状态", "孵化状态", "stage"),
    "stage_since": ("阶段日期", "阶段开始日期", "出壳日期", "毕业日期", "退出日期", "stage since"),
    "admitted_on": ("入驻日期", "入驻时间", "入孵日期", "入孵时间", "admitted on", "admitted"),
    "agreement_start": (
        "协议开始日期",
        "协议起始日期",
        "孵化开始日期",
        "孵化起始日期",
        "agreement start",
    ),
    "agreement_planned_end": (
        "协议到期日期",
        "协议结束日期",
        "协议截止日期",
        "孵化期满日期",
        "孵化结束日期",
        "计划出壳日期",
        "agreement end",
        "planned end",
    ),
    "notes": ("备注", "说明", "notes", "remarks"),
}

_NOTE = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]\s*$")


def fold_header(text: object) -> str:
    """A header as compared: half-width, lower case, no spaces, "*", colons or a trailing
    bracketed note."""
    t = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    t = _NOTE.sub("", t)
    return re.sub(r"[\s*:：_]+", "", CONTROLS.sub("", t))  # (controls: never stored)


def bracket_note(text: object) -> str:
    """The trailing bracketed note of a header ("注册资金（万元）" -> "万元")."""
    m = _NOTE.search(unicodedata.normalize("NFKC", str(text or "")).strip())
    return m[0].strip("()（）[]【】 ") if m else ""


@dataclass
class Layout:
    header_row: int  # 0-based index of the header row in the sheet
    columns: dict[int, str]  # column index -> field
    headers: list[str]  # every header cell as written
    ignored: list[str] = field(default_factory=list)  # headers no field claims
    units: dict[int, str] = field(default_factory=dict)  # column -> bracketed note ("万元")

    def signature(self) -> str:
        """The folded headers, to remember a mapping for the next file that has them."""
        return "|".join(fold_header(h) for h in self.headers)


def _lookup(synonyms: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Every synonym, and the app's own label of the field in every language (an exported
    list imports back)."""
    out = {}
    for f, names in synonyms.items():
        labels = [field_label(f, lang) for lang in LANGUAGES]
        for s in (*names, f, *labels):
            out.setdefault(fold_header(s), f)
    return out


def find_layout(
    rows: Sequence[Sequence[Cell]],
    synonyms: Mapping[str, Sequence[str]] = ORGANIZATION_HEADERS,
    mapping: Mapping[str, str] | None = None,
) -> Layout | None:
    """The header row and its columns; ``mapping`` (header as written -> field, or "" to
    ignore) overrides the synonyms for headers staff mapped themselves."""
    known = _lookup(synonyms)
    chosen = {fold_header(k): v for k, v in (mapping or {}).items()}
    found = _first_with(rows, known, chosen, 2)
    if found is None:
        # No row names two known fields: the first row of two or more texts is the header,
        # for staff to map (a title row has one text).
        found = _first_with(rows, known, chosen, 0)
    return found


def _first_with(
    rows: Sequence[Sequence[Cell]], known: dict[str, str], chosen: dict[str, str], least: int
) -> Layout | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(1 for c in row if isinstance(c, str) and c.strip()) < 2:
            continue
        texts = ["" if c is None else str(c) for c in row]
        columns: dict[int, str] = {}
        ignored: list[str] = []
        for col, text in enumerate(texts):
            key = fold_header(text)
            if not key:
                continue
            target = chosen.get(key, known.get(key))
            if target and target not in columns.values():
                columns[col] = target
            elif text.strip():
                ignored.append(text.strip())
        if len(columns) >= least:
            units = {c: bracket_note(texts[c]) for c in columns if bracket_note(texts[c])}
            return Layout(index, columns, texts, ignored, units)
    return None


TOTAL_WORDS = ("合计", "总计", "小计", "total", "totals", "sum")


def is_total_row(row: Sequence[Cell]) -> bool:
    """A totals row: its first filled cell says so."""
    first = next((c for c in row if c not in (None, "")), None)
    return isinstance(first, str) and fold_header(first).rstrip(":") in TOTAL_WORDS


def is_blank(row: Sequence[Cell]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in row)
