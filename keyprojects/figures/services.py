"""Every write of the reporting calendar: the current plan year, closing a month, corrections.

All atomic; the actor is keyword-only `by=` (None = the automatic close). History of each record
(who, when, old → new) comes from django-simple-history.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from keyprojects.core.db import refresh_statistics
from keyprojects.core.errors import NotAllowed
from keyprojects.dates import cn_date
from keyprojects.figures.common import ZERO, month_end
from keyprojects.figures.models import (
    PeriodCorrection,
    PeriodSettings,
    PeriodSnapshot,
    PeriodState,
    ReportingPeriod,
)
from keyprojects.ledger.schedule import evaluation_month, expected_share
from keyprojects.months import add_months
from keyprojects.units import round_half_up

SIX = Decimal("0.000001")


def _settings_for_update() -> PeriodSettings:
    row, _ = PeriodSettings.objects.select_for_update().get_or_create(pk=1)
    return row


@transaction.atomic
def set_current_year(year: int, *, by) -> PeriodSettings:
    """The plan year every page opens on. Side effects: the settings row (with history)."""
    if not 2000 <= int(year) <= 2100:
        raise NotAllowed("当前计划年度应为2000至2100")
    row = _settings_for_update()
    row.current_year, row.updated_by = int(year), by
    row._history_user = by
    row.save()
    return row


@transaction.atomic
def set_auto_close_day(day: int | None, *, by) -> PeriodSettings:
    """Day of the month on which last month's dispatch closes itself (None: office only)."""
    if day is not None and not 1 <= int(day) <= 28:
        raise NotAllowed("自动关账日应为1至28日")
    row = _settings_for_update()
    row.auto_close_day, row.updated_by = day, by
    row._history_user = by
    row.save()
    return row


@transaction.atomic
def close_period(year: int, month: int, *, by, today: date | None = None) -> ReportingPeriod:
    """Close year/month: freeze every project's figures of the plan year in PeriodSnapshot.

    Side effects: a ReportingPeriod row (closed, with who/when, 序时, the month-by-month
    totals of figures.trend and the county figures of figures.frozen), one PeriodSnapshot per
    live project of `year`. Refused for a month not yet ended or already closed.
    """
    from keyprojects.figures.common import year_rule
    from keyprojects.figures.ledger import county_figures, snapshot_rows
    from keyprojects.figures.trend import frozen, month_totals

    today = today or timezone.localdate()
    if not 1 <= month <= 12:
        raise NotAllowed("月份应为1至12")
    if month_end(year, month) >= today:
        raise NotAllowed(f"{year}年{month}月尚未结束，不能结束该月调度")
    period, _ = ReportingPeriod.objects.select_for_update().get_or_create(year=year, month=month)
    if period.is_closed:
        closed = cn_date(timezone.localtime(period.closed_at))
        raise NotAllowed(f"{year}年{month}月调度已于{closed}结束")
    target, curve = year_rule(year)
    as_of = month_end(year, month)
    period.expected_share = round_half_up(
        expected_share(evaluation_month(year, as_of), target, curve) * 100, 1
    )
    PeriodSnapshot.objects.bulk_create(
        [
            PeriodSnapshot(
                period=period,
                **{
                    **row,
                    "rate": None if row["rate"] is None else Decimal(row["rate"]).quantize(SIX),
                    "expected": None
                    if row["expected"] is None
                    else Decimal(row["expected"]).quantize(SIX),
                },
            )
            for row in snapshot_rows(year, month)
        ],
        batch_size=2000,
    )
    refresh_statistics()  # a closed month adds a snapshot row per project
    # Saved once, after its rows: the history has the close as one change.
    period.state, period.closed_at, period.closed_by = PeriodState.CLOSED, timezone.now(), by
    period.month_totals = frozen(month_totals(year, month))
    period.county = county_figures(period.pk, as_of)
    period._history_user = by
    period.save()
    return period


def close_due_periods(today: date | None = None, *, by=None) -> list[ReportingPeriod]:
    """The automatic close: on or after the set day, last month (and any earlier open month of
    the current plan year) closes. Nothing when no auto-close day is set."""
    from keyprojects.figures.periods import closed_months, current_plan_year

    today = today or timezone.localdate()
    row = PeriodSettings.objects.filter(pk=1).first()
    if row is None or not row.auto_close_day:
        return []
    year, month = add_months(today.year, today.month, -1)
    if today.day < row.auto_close_day:
        year, month = add_months(year, month, -1)
    plan_year = current_plan_year(today=today)
    if year < plan_year:
        return []
    last = month if year == plan_year else 12
    closed = closed_months(plan_year)
    out = []
    for m in range(1, last + 1):
        if m not in closed:
            out.append(close_period(plan_year, m, by=by, today=today))
    return out


@transaction.atomic
def record_correction(report, *, by) -> list[PeriodCorrection]:
    """A report approved after its month closed: one PeriodCorrection per closed month of its
    year that its figure enters (its own month and every later closed month).

    Side effects: PeriodCorrection rows (with history). The snapshots are not touched: what was
    issued stays reproducible, and the pages show the correction beside it.
    """
    from keyprojects.figures.ledger import ytd_by_project

    periods = ReportingPeriod.objects.filter(
        year=report.year, month__gte=report.month, state=PeriodState.CLOSED
    )
    when = report.reviewed_at or timezone.now()
    out = []
    for period in periods:
        if period.closed_at and period.closed_at > when:
            continue  # approved before this month closed: the snapshot already has it
        frozen = (
            PeriodSnapshot.objects.filter(period=period, project_id=report.project_id)
            .values_list("ytd_wan", flat=True)
            .first()
        )
        corrected = ytd_by_project([report.project_id], period.year, period.month).get(
            report.project_id, ZERO
        )
        row, _ = PeriodCorrection.objects.update_or_create(
            period=period,
            report_id=report.pk,
            defaults=dict(
                project_id=report.project_id,
                report_month=report.month,
                invested_wan=report.invested_wan,
                ytd_frozen_wan=frozen if frozen is not None else ZERO,
                ytd_corrected_wan=corrected,
                recorded_at=when,
                recorded_by=by,
            ),
        )
        out.append(row)
    return out
