"""Small shared pieces of the figures layer: month ends, thresholds, the year's 序时 rule."""

import calendar
from datetime import date
from decimal import Decimal

from django.conf import settings

from keyprojects.ledger.schedule import ONE, Thresholds, evaluation_month, expected_share

ZERO = Decimal(0)
CENT = Decimal("0.01")


def quarter_end(year: int, quarter: int) -> date:
    if not 1 <= quarter <= 4:
        raise ValueError(f"季度应为1至4，收到 {quarter}")
    month = quarter * 3
    return date(year, month, 30 if month in (6, 9) else 31)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def thresholds() -> Thresholds:
    return Thresholds(
        red_points=settings.KP_SCHEDULE_RED_POINTS,
        milestone_red_days=settings.KP_MILESTONE_RED_DAYS,
        late_start_red_months=settings.KP_LATE_START_RED_MONTHS,
    )


def year_rule(year: int) -> tuple[Decimal, dict[int, Decimal] | None]:
    """(target, curve) of 序时进度 for a plan year; linear 100 % when the office set none."""
    from keyprojects.ledger.models import YearSchedule

    rule = YearSchedule.objects.filter(year=year).first()
    if rule is None:
        return ONE, None
    return rule.target, rule.curve_shares


def expected_share_on(year: int, as_of: date) -> Decimal:
    target, curve = year_rule(year)
    return expected_share(evaluation_month(year, as_of), target, curve)


def chunks(ids: list[int], size: int = 5000):
    # Bounded IN-lists: SQLite allows 32,766 variables per statement.
    for i in range(0, len(ids), size):
        yield ids[i : i + size]
