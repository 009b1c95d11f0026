"""Monthly-report rules as pure functions: dates and numbers in, Chinese reasons out.

No Django, no clock (today is passed in). services.period_errors adds the one database check
(a report for that month already exists); the web form, the Excel import and commands all
reach these rules through it.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from keyprojects import dates, months, units


def period_problems(
    *,
    year: int,
    month: int,
    today: date,
    plan_year: int,
    project_name: str,
    status_label: str,
    started: bool,
    actual_start: date | None,
) -> list[str]:
    """Why a project cannot report on year/month (empty list: it may).

    A month after today's is refused; the report must be for the project's plan year; the
    project must have started, and not after the month reported on.
    """
    errors = []
    if months.is_future_month(year, month, today):
        errors.append(f"{year}年{month}月尚未到来，不能填报未来月份的调度报告")
    if plan_year != year:
        errors.append(f"该项目为{plan_year}年度计划项目，只能填报{plan_year}年的月报")
    if not started or actual_start is None:
        errors.append(f"项目“{project_name}”{status_label}，开工后才能填报月度调度报告")
    elif (actual_start.year, actual_start.month) > (year, month):
        errors.append(
            f"项目“{project_name}”于{actual_start.year}年{actual_start.month}月"
            f"开工，不能填报开工前（{year}年{month}月）的月报"
        )
    return errors


def milestone_date_problem(
    name: str, when: date, *, year: int, month: int, today: date
) -> str | None:
    """Why a milestone cannot be recorded as reached on `when` with the year/month report."""
    if when > months.month_end(year, month):
        return f"节点“{name}”的实际完成日期{dates.cn_date(when)}晚于{year}年{month}月"
    if when > today:
        return f"节点“{name}”的实际完成日期{dates.cn_date(when)}晚于今天"
    return None


# --- 倒排工期 --------------------------------------------------------------------------------

# Standard days from the previous phase, by sector, used until the office saves a template
# (the office edits them on the 倒排工期模板 page). Order: 用地预审, 规划许可, 招投标, 施工许可,
# 开工, 主体完工, 竣工验收. Industrial plants build faster than roads; housing and public
# buildings wait longer for permits and acceptance.
SECTOR_DEFAULT_DAYS: dict[str, tuple[int, ...]] = {
    "infrastructure": (60, 60, 60, 30, 30, 540, 90),
    "industry": (45, 45, 30, 20, 15, 300, 60),
    "livelihood": (60, 60, 45, 30, 30, 420, 120),
    "real_estate": (60, 45, 30, 30, 15, 540, 120),
    "ecology": (60, 45, 45, 30, 30, 300, 90),
    "urban": (60, 60, 60, 30, 30, 450, 90),
    "other": (60, 60, 45, 30, 30, 365, 120),
}


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _gap_text(later: date, earlier: date) -> str:
    """ "3个月" when whole months apart, else "N天"."""
    months_apart = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months_apart -= 1
    if months_apart >= 1:
        return f"{months_apart}个月"
    return f"{(later - earlier).days}天"


def plan_warnings(
    planned: list[tuple[str, date]],
    *,
    today: date,
    start_label: str,
    ledger_start: date | None,
) -> list[str]:
    """What the planner must confirm before a 倒排工期 plan is saved (empty: nothing).

    `planned` is [(node label, date)]. A date before today is already past (it would count as
    overdue at once unless reached); the 开工 node (labelled `start_label`) differing from the
    ledger's 计划开工 is a clash one of the two must give way on.
    """
    warnings = [
        f"“{label}”计划日期{_cn(when)}早于今天（{_cn(today)}），保存后未完成即为逾期"
        for label, when in planned
        if when < today
    ]
    start = next((when for label, when in planned if label == start_label), None)
    if start is not None and ledger_start is not None and start != ledger_start:
        if start > ledger_start:
            gap = f"晚{_gap_text(start, ledger_start)}"
        else:
            gap = f"早{_gap_text(ledger_start, start)}"
        warnings.append(f"{start_label}节点 {_cn(start)} 比台账计划开工 {_cn(ledger_start)} {gap}")
    return warnings


# --- Site photos: the time and place a phone says a photo was taken ---------------------------

EARLIEST_PHOTO = datetime(2000, 1, 1, tzinfo=UTC)


def photo_file_time(last_modified_ms, *, now: datetime) -> datetime | None:
    """The browser's File.lastModified (ms since 1970, UTC) as an aware datetime, or None when
    missing or not believable (before 2000, or more than a day after `now`): a phone's camera
    file is written when the photo is taken, a clock far off is no capture time."""
    try:
        ms = int(last_modified_ms)
    except (TypeError, ValueError):
        return None
    try:
        when = datetime.fromtimestamp(ms / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    if not EARLIEST_PHOTO <= when <= now + timedelta(days=1):
        return None
    return when.replace(microsecond=0)


def photo_place(latitude, longitude, accuracy=None):
    """(lat, lng, accuracy in whole metres or None) with six decimals, or None when either
    coordinate is missing, not a number or out of range (a position is whole or absent)."""
    try:
        lat, lng = Decimal(str(latitude)), Decimal(str(longitude))
    except (InvalidOperation, ValueError, TypeError):
        return None
    if not (lat.is_finite() and lng.is_finite() and -90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    lat, lng = units.round_half_up(lat, 6), units.round_half_up(lng, 6)
    acc = None
    if accuracy not in (None, ""):
        try:
            acc_value = Decimal(str(accuracy))
        except (InvalidOperation, ValueError, TypeError):
            acc_value = None
        if acc_value is not None and acc_value.is_finite() and 0 <= acc_value < 10**7:
            acc = int(units.round_half_up(acc_value, 0))
    return lat, lng, acc


def dms_to_degrees(dms, ref: str) -> float:
    """EXIF GPS degrees/minutes/seconds and its N/S/E/W reference → signed decimal degrees."""
    degrees, minutes, seconds = (float(v) for v in dms)
    value = degrees + minutes / 60 + seconds / 3600
    return -value if str(ref).strip("\x00 ").upper() in ("S", "W") else value


def place_text(latitude, longitude, accuracy=None) -> str:
    """北纬29.561234°，东经106.551234°（±20米）: how a photo's place reads on a page."""
    lat, lng = Decimal(latitude), Decimal(longitude)
    ns = "北纬" if lat >= 0 else "南纬"
    ew = "东经" if lng >= 0 else "西经"
    text = f"{ns}{abs(lat)}°，{ew}{abs(lng)}°"
    if accuracy is not None:
        text += f"（±{accuracy}米）"
    return text
