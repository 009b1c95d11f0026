"""Which period a figure reflects: every page, export and document asks here.

The default is the last CLOSED month of the current plan year, which the office sets
(PeriodSettings.current_year) — never the largest year in the database, so entering next year's
projects moves nothing. A closed month is final (read from its snapshot); an open month is shown
live and marked as not final.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from keyprojects.figures.common import month_end, quarter_end

QUARTERS = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}


@dataclass(frozen=True)
class Period:
    year: int
    month: int  # months 1..month are counted
    as_of: date
    final: bool = False
    record_id: int | None = None
    quarter: int | None = None

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def months_label(self) -> str:
        return "1月" if self.month == 1 else f"1—{self.month}月"

    @property
    def date_label(self) -> str:
        return f"{self.as_of.year}年{self.as_of.month}月{self.as_of.day}日"

    @property
    def state_label(self) -> str:
        if self.final:
            return f"{self.month}月调度已结束"
        return f"{self.month}月调度未结束，数据未最终确定"

    @property
    def statement(self) -> str:
        """数据截至2022年3月31日（3月调度已结束）: printed on every page, export and document."""
        return f"数据截至{self.date_label}（{self.state_label}）"


def _today(today):
    return today or timezone.localdate()


def settings_row():
    from keyprojects.figures.models import PeriodSettings

    return PeriodSettings.objects.filter(pk=1).first()


def current_plan_year(*, today: date | None = None) -> int:
    """The plan year pages open on: the office's setting; else the latest closed period's year;
    else the latest plan year not after today's; else today's year. Never simply the largest
    project year: next year's 储备 entered in November must not move it."""
    from keyprojects.figures.models import PeriodState, ReportingPeriod
    from keyprojects.ledger.models import Project

    row = settings_row()
    if row is not None and row.current_year:
        return row.current_year
    latest = (
        ReportingPeriod.objects.filter(state=PeriodState.CLOSED)
        .order_by("-year", "-month")
        .values_list("year", flat=True)
        .first()
    )
    if latest:
        return latest
    today = _today(today)
    year = (
        Project.objects.live()
        .filter(year__lte=today.year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return year or today.year


def closed_months(year: int) -> dict[int, int]:
    """{month: ReportingPeriod pk} of the closed months of `year`."""
    from keyprojects.figures.models import PeriodState, ReportingPeriod

    return dict(
        ReportingPeriod.objects.filter(year=year, state=PeriodState.CLOSED).values_list(
            "month", "pk"
        )
    )


def _live(year: int, month: int, today: date, quarter=None) -> Period:
    end = month_end(year, month)
    return Period(year, month, min(end, today) if end > today else end, False, None, quarter)


def month_period(year: int, month: int, *, today: date | None = None) -> Period:
    if not 1 <= month <= 12:
        raise ValueError("月份应为1至12")
    closed = closed_months(year)
    if month in closed:
        return Period(year, month, month_end(year, month), True, closed[month])
    return _live(year, month, _today(today))


def quarter_period(year: int, quarter: int, *, today: date | None = None) -> Period:
    """A quarter: its last closed month ("1—4月" while May and June are open), else live."""
    quarter_end(year, quarter)  # validates
    closed = closed_months(year)
    months = [m for m in range(quarter * 3 - 2, quarter * 3 + 1) if m in closed]
    if months:
        m = max(months)
        return Period(year, m, month_end(year, m), True, closed[m], quarter)
    today = _today(today)
    last = quarter * 3
    if today.year == year and quarter * 3 - 2 <= today.month < last:
        last = today.month  # the quarter is under way: live up to today
    return _live(year, last, today, quarter)


def default_period(year: int | None = None, *, today: date | None = None) -> Period:
    """The last closed month of `year` (default: the current plan year); live when none is."""
    today = _today(today)
    year = year or current_plan_year(today=today)
    closed = closed_months(year)
    if closed:
        m = max(closed)
        return Period(year, m, month_end(year, m), True, closed[m])
    if year < today.year:
        from keyprojects.figures.ledger import default_as_of

        as_of = default_as_of(year, today)
        return Period(year, as_of.month, as_of, False)
    if year > today.year:
        return Period(year, 1, date(year, 1, 1), False)
    return Period(year, today.month, today, False)


current_period = default_period


def period_from_query(query, *, today: date | None = None) -> Period:
    """?month=2022-03, or ?year=2022&quarter=1, or ?year=2022, or nothing (the default).
    ValueError with a Chinese message naming the field on bad input."""
    from keyprojects.months import parse_month

    raw_month = (query.get("month") or "").strip()
    if raw_month:
        y, m = parse_month(raw_month)
        return month_period(y, m, today=today)
    raw_year = (query.get("year") or "").strip()
    raw_quarter = (query.get("quarter") or "").strip()
    year = None
    if raw_year:
        try:
            year = int(raw_year)
        except ValueError:
            raise ValueError("年度应为数字，如 2022") from None
        if not 2000 <= year <= 2100:
            raise ValueError("年度应为2000至2100")
    if raw_quarter:
        try:
            quarter = int(raw_quarter)
        except ValueError:
            raise ValueError("季度应为1至4") from None
        if not 1 <= quarter <= 4:
            raise ValueError("季度应为1至4")
        return quarter_period(year or current_plan_year(today=today), quarter, today=today)
    return default_period(year, today=today)


def corrections(period: Period) -> list:
    """Reports approved after `period` closed (PeriodCorrection), shown beside its figures."""
    if not period.final:
        return []
    from keyprojects.figures.models import PeriodCorrection

    return list(
        PeriodCorrection.objects.filter(period_id=period.record_id).select_related(
            "period", "project"
        )
    )
