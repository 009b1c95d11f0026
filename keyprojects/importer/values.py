"""Cell values as offices type them → Python values (pure: no Django, no clock).

Each parser returns the value or raises CellError with a Chinese message; an empty cell (or a
dash meaning “none”) is None.
"""

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from keyprojects.units import WAN_PER_YI, round_half_up

EMPTY_MARKS = {"", "—", "——", "-", "--", "－", "/", "／", "无", "\\"}
_EXCEL_EPOCH = date(1899, 12, 30)


class CellError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def nfkc(text: str) -> str:
    """Full-width digits, letters and punctuation → half-width (１２３，４ → 123,4)."""
    return unicodedata.normalize("NFKC", text)


def is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().replace("\u3000", "") in EMPTY_MARKS
    return False


def text(value) -> str:
    """A cell as text: numbers without a trailing .0, dates as ISO, stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()  # also strips ideographic spaces (U+3000) at the ends


def header_key(value) -> str:
    """Header text compared with synonyms: no spaces or line breaks, half-width, no unit."""
    s = nfkc(text(value))
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"[（(](万元|亿元|元|%|％|个|公顷|亩|万平方米|平方米)[）)]$", "", s)
    return s


def unit_in(value) -> str | None:
    """亿元 / 万元 named in a header or a 单位 line, else None."""
    s = nfkc(text(value))
    if "亿元" in s:
        return "亿元"
    if "万元" in s:
        return "万元"
    return None


def decimal(value, *, unit: str = "万元", places: int = 2) -> Decimal | None:
    """A money figure in 万元 from a number or text (1,234.5 / １２３４ / 1.2亿 / 3,000万元)."""
    if is_empty(value):
        return None
    if isinstance(value, (bool, date, timedelta)):
        raise CellError("应为数字")
    scale = WAN_PER_YI if unit == "亿元" else Decimal(1)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            raise CellError("应为数字")
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        s = nfkc(str(value)).strip().replace(",", "").replace(" ", "")
        if s.endswith("亿元") or s.endswith("亿"):
            scale = WAN_PER_YI
            s = s.removesuffix("元").removesuffix("亿")
        elif s.endswith("万元") or s.endswith("万"):
            scale = Decimal(1)
            s = s.removesuffix("元").removesuffix("万")
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", s):
            raise CellError(f"“{text(value)[:20]}”不是数字")
        number = Decimal(s)
    try:
        # Half up (0.005 → 0.01) like every figure in the system, not Decimal's half-even.
        result = round_half_up(number * scale, places)
    except InvalidOperation:
        raise CellError("数字过大") from None
    if abs(result) >= Decimal("1e12"):
        raise CellError("数字过大")
    return result


def percent(value) -> tuple[Decimal, Decimal | None] | None:
    """A percentage cell → candidate values in percent.

    "38.0%" text is 38.0. A bare number is ambiguous: 0.38 formatted as percent (Excel stores the
    fraction) or 38 typed as a number; both readings are returned, (as typed, × 100), so the
    caller checks which one agrees with the figures.
    """
    if is_empty(value):
        return None
    if isinstance(value, str):
        s = nfkc(value).strip().replace(" ", "").replace(",", "")
        if s.endswith("%"):
            try:
                return Decimal(s[:-1]), None
            except InvalidOperation:
                raise CellError(f"“{value[:20]}”不是百分数") from None
        try:
            number = Decimal(s)
        except InvalidOperation:
            raise CellError(f"“{value[:20]}”不是百分数") from None
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        raise CellError("应为百分数")
    return number, number * 100


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}
_DATE_PATTERNS = [
    # 2022-03-15, 2022/3/15, 2022.3.15, 2022年3月15日
    (re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"), "ymd"),
    # 2022年3季度, 2022年第三季度, 2022Q3
    (re.compile(r"(\d{4})年?(?:第)?([1-4一二三四])季度?"), "yq"),
    (re.compile(r"(\d{4})[Qq]([1-4])"), "yq"),
    # 2022-03, 2022.3, 2022/3, 2022年3月
    (re.compile(r"(\d{4})[-/.年](\d{1,2})月?"), "ym"),
    (re.compile(r"(\d{4})年?"), "y"),
]


def parse_date(value) -> date | None:
    """Excel dates and the written forms offices use: 2022.3, 2022-03, 2022年3月, 2022年3季度.

    A month without a day is its first day; a quarter is its first month's first day; a year
    alone is 1 January. A number is an Excel serial date (days since 1899-12-30).
    """
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError("应为日期")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer() and 1900 < value < 2200:
            # 2022.3 typed into a number cell: year.month
            year, frac = str(value).split(".")
            return _ymd(int(year), int(frac), 1, value)
        if 1900 <= value <= 2200:
            return _ymd(int(value), 1, 1, value)
        if 1 <= value < 2_958_466:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError(f"“{text(value)}”不是日期")
    s = re.sub(r"\s+", "", nfkc(str(value)))
    for pattern, kind in _DATE_PATTERNS:
        m = pattern.fullmatch(s)
        if not m:
            continue
        if kind == "ymd":
            return _ymd(int(m[1]), int(m[2]), int(m[3]), value)
        if kind == "yq":
            q = int(m[2]) if m[2].isdigit() else _CN_DIGITS[m[2]]
            return _ymd(int(m[1]), q * 3 - 2, 1, value)
        if kind == "ym":
            return _ymd(int(m[1]), int(m[2]), 1, value)
        return _ymd(int(m[1]), 1, 1, value)
    raise CellError(f"“{text(value)[:20]}”不是可识别的日期（如 2022-03-15、2022年3月、2022.3）")


def _ymd(y: int, m: int, d: int, raw) -> date:
    try:
        if not 1900 <= y <= 2200:
            raise ValueError
        return date(y, m, d)
    except ValueError:
        raise CellError(f"“{text(raw)[:20]}”不是有效日期") from None


def month_of(value) -> tuple[int, int] | None:
    """(year, month) of a month cell such as 2022-03 or 2022年3月."""
    d = parse_date(value)
    return (d.year, d.month) if d else None
