"""The house way to write a date: 2022年3月5日, a month 2022年3月, a moment 2022年3月5日 14:05.

One pure module so pages, messages, to-do texts, exports and documents cannot drift apart
("2022-02-28" beside "2022年05月05日" is what the office complained about). No Django, no clock:
a datetime is written as given, so callers pass local time (the template filter does that).
"""

import re
import unicodedata
from datetime import date, datetime

EMPTY = "—"


def cn_date(value: date | None, empty: str = EMPTY) -> str:
    """2022-03-05 → 2022年3月5日 (no zero padding); None → the empty mark."""
    if not value:
        return empty
    return f"{value.year}年{value.month}月{value.day}日"


def cn_month(value: date | tuple[int, int] | None, empty: str = EMPTY) -> str:
    """A date or a (year, month) pair → 2022年3月."""
    if not value:
        return empty
    if isinstance(value, tuple):
        year, month = value
    else:
        year, month = value.year, value.month
    return f"{year}年{month}月"


def cn_datetime(value: datetime | None, seconds: bool = False, empty: str = EMPTY) -> str:
    """2022-03-05 14:05:09 → 2022年3月5日 14:05 (with :09 when seconds are asked for)."""
    if not value:
        return empty
    clock = f"{value:%H:%M:%S}" if seconds else f"{value:%H:%M}"
    return f"{cn_date(value)} {clock}"


# What people type for a day: 2026年11月30日 (号 too), 2026-11-30, 2026/11/30, 2026.11.30,
# 20261130; full-width digits and stray spaces as an input method leaves them.
_DAY_FORMS = (
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?"),
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
DATE_FORMS_HINT = "请按“2026年11月30日”填写（也可写2026-11-30、2026/11/30、2026.11.30或20261130）"


def parse_date(text: str) -> date:
    """The day in what a person typed (see _DAY_FORMS). A ValueError with a Chinese message says
    which forms are understood, or that the day does not exist (2026年2月30日)."""
    cleaned = unicodedata.normalize("NFKC", str(text)).replace(" ", "").replace("\u3000", "")
    for form in _DAY_FORMS:
        m = form.fullmatch(cleaned)
        if m:
            year, month, day = (int(g) for g in m.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise ValueError(f"没有{year}年{month}月{day}日这一天") from None
    raise ValueError(f"日期“{text}”无法识别，{DATE_FORMS_HINT}")
