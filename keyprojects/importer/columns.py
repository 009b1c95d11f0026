"""The columns of both sheets: what each header may be called, its type, and its export label.

Each adapter's table serves import (header recognition) and export (header text), so what is
exported is recognised on import. The office adds synonyms in the preview's mapping step or the
mapping page (HeaderSynonym); the built-in ones sit with each adapter. Header text is
compared after values.header_key (no spaces, line breaks or unit).
"""

import re
from dataclasses import dataclass

from keyprojects.importer.values import header_key


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # export header and the preview's column name
    kind: str  # text | money | date | choice | department | decimal | int | percent | ignore
    synonyms: tuple[str, ...] = ()
    group: str = ""  # export: the merged header above (e.g. 投资情况（万元）)
    width: int = 12


_DASH = r"[-－—–~～至到]+"
_YTD = re.compile(
    rf"^(?:\d{{4}}年)?1{_DASH}(\d{{1,2}})月(?:份)?(?:累计)?(?:完成投资|完成|投资)?(?:额)?$"
)
_ONE_MONTH = re.compile(r"^(?:其中[:：]?)?(?:\d{4}年)?(\d{1,2})月(?:份)?(?:完成投资|完成|投资)?$")
_RANGE = re.compile(
    rf"^(?:其中[:：]?)(?:\d{{4}}年)?1{_DASH}(\d{{1,2}})月(?:份)?(?:完成投资|完成|投资)?$"
)
YEAR_PLAN = re.compile(r"^(\d{4})年(?:度)?(?:计划投资|投资计划|计划|计划完成投资)$")
YEAR_WORD = re.compile(r"^(\d{4})年")
_OF_WHICH = re.compile(r"^其中[:：]?")
IGNORE = "_ignore"  # importer.models.IGNORE: a column the office chose not to import
YTD, ONE_MONTH, RANGE = _YTD, _ONE_MONTH, _RANGE


def columns_of(kind: str) -> list[Column]:
    from keyprojects.importer.registry import get

    return get(kind).columns


def field_choices(kind: str) -> list[tuple[str, str]]:
    return [(c.key, c.label) for c in columns_of(kind)]


def synonym_table(kind: str, extra: list[tuple[str, str]] = ()) -> dict[str, str]:
    """header key → column key; the office's synonyms (extra) win over the built-in ones."""
    table: dict[str, str] = {}
    for col in columns_of(kind):
        for s in (col.label, *col.synonyms):
            table.setdefault(header_key(s), col.key)
    for text, key in extra:
        table[header_key(text)] = key
    return table


def header_year(parts: list[str]) -> int | None:
    """2022 of a header such as 2022年计划 / 计划投资 (checked against the import year)."""
    for p in parts:
        m = YEAR_WORD.match(header_key(p))
        if m:
            return int(m[1])
    return None


def match_header(
    parts: list[str], kind: str, table: dict[str, str], month: int | None
) -> str | None:
    """The column key of a header made of stacked parts (top to bottom), or None.

    The lowest part is tried first (合计 under 1–3月完成投资), then the whole, then upper parts.
    Dispatch headers with months are read against the import month N: 1–N月 is the
    year-to-date total, 其中：1–(N−1)月 the earlier months, 其中：N月 the month itself.
    """
    keys = [header_key(p) for p in parts if header_key(p)]
    if not keys:
        return None
    from keyprojects.importer.registry import get

    found = get(kind).special_header(keys, month)
    if found:
        return found
    last = keys[-1]
    plain = _OF_WHICH.sub("", last)
    # 总投资 / 其中：以前年度完成 — the lower part names the column; 其中 only says it is a part.
    for candidate in (last, plain, "".join(keys), *reversed(keys[:-1])):
        if candidate in table:
            return table[candidate]
    return None


def header_month(parts: list[str]) -> int | None:
    """N of a 1–N月 header, to check it against the import month."""
    for p in parts:
        m = _YTD.match(header_key(p))
        if m:
            return int(m[1])
    return None
