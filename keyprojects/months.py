"""Month arithmetic: one pure module for every page, command, service and report.

No Django, no clock: callers pass dates in. Months are (year, month) pairs; errors are Chinese
ValueErrors that name the text given, so a command or a form shows them as they are.
"""

import calendar
import re
from datetime import date

YEAR_RANGE = (2000, 2100)

# 2022-03, 2022-3, 2022年3月, 202203 (surrounding spaces allowed).
_FORMS = [
    re.compile(r"(\d{4})-(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月?"),
    re.compile(r"(\d{4})(\d{2})"),
]


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def quarter_of(month: int) -> int:
    """1–3 → 1, 4–6 → 2, 7–9 → 3, 10–12 → 4."""
    if not 1 <= month <= 12:
        raise ValueError(f"月份应为1至12，收到 {month}")
    return (month - 1) // 3 + 1


def quarter_end(year: int, quarter: int) -> date:
    """The last day of a quarter (the day quarterly figures are taken on)."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"季度应为1至4，收到 {quarter}")
    return month_end(year, quarter * 3)


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    """(year, month) moved by n months, across year boundaries."""
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def month_index(d: date) -> int:
    """A month as one integer, so the distance between two months is a subtraction."""
    return d.year * 12 + d.month


def is_future_month(year: int, month: int, today: date) -> bool:
    """A month after today's month (the current month itself may be reported)."""
    return (year, month) > (today.year, today.month)


def parse_month(text: str) -> tuple[int, int]:
    """'2022-03', '2022-3', '2022年3月' or '202203' → (2022, 3); a Chinese ValueError otherwise."""
    raw = str(text).strip()
    for form in _FORMS:
        match = form.fullmatch(raw)
        if match:
            y, m = int(match[1]), int(match[2])
            break
    else:
        raise ValueError(f"月份“{text}”格式不正确，应为“2022-03”这样的年-月")
    if not YEAR_RANGE[0] <= y <= YEAR_RANGE[1] or not 1 <= m <= 12:
        raise ValueError(f"月份“{text}”超出范围：年份应为2000至2100，月份应为1至12")
    return y, m


def report_deadline(year: int, month: int, deadline_day: int) -> date:
    """A month's report is due on `deadline_day` of the next month (its last day if shorter)."""
    y, m = add_months(year, month, 1)
    return date(y, m, min(deadline_day, calendar.monthrange(y, m)[1]))
