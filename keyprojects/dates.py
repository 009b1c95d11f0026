"""The house way to write a date: 2022年3月5日, a month 2022年3月, a moment 2022年3月5日 14:05.

One pure module so pages, messages, to-do texts, exports and documents cannot drift apart
("2022-02-28" beside "2022年05月05日" is what the office complained about). No Django, no clock:
a datetime is written as given, so callers pass local time (the template filter does that).
"""

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
