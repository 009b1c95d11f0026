"""Approved investment month by month (the dashboard's trend), frozen with a closed period.

A closed month keeps its totals by department and month (ReportingPeriod.month_totals, written
by figures.services.close_period from `month_totals`), so its trend is read from one row and
agrees with the frozen summary even after a correction; an open month is read live.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from keyprojects.figures.common import CENT, ZERO
from keyprojects.figures.periods import Period
from keyprojects.ledger.choices import CONSTRUCTION_CATEGORIES


def month_totals(year: int, month: int, projects=None) -> dict[int, dict[int, Decimal]]:
    """{department id: {month: approved investment}} of plan year `year`'s live construction
    projects, months 1..`month` (one GROUP BY). `projects` narrows to a user's scope."""
    from keyprojects.dispatch.models import MonthlyReport

    rows = MonthlyReport.objects.approved().filter(
        year=year,
        month__lte=month,
        project__year=year,
        project__deleted_at__isnull=True,
        project__category__in=CONSTRUCTION_CATEGORIES,
    )
    if projects is not None:
        rows = rows.filter(project__in=projects)
    out: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for r in rows.values("project__department_id", "month").annotate(total=Sum("invested_wan")):
        out[r["project__department_id"]][r["month"]] = Decimal(r["total"]).quantize(CENT)
    return dict(out)


def frozen(totals: dict[int, dict[int, Decimal]]) -> dict[str, dict[str, str]]:
    """The JSON a closed period keeps (keys and amounts as text: exact decimals)."""
    return {
        str(dept): {str(m): str(v) for m, v in by_month.items()}
        for dept, by_month in totals.items()
    }


def _frozen_totals(period: Period) -> dict | None:
    from keyprojects.figures.models import ReportingPeriod

    if not (period.final and period.record_id):
        return None
    return (
        ReportingPeriod.objects.filter(pk=period.record_id)
        .values_list("month_totals", flat=True)
        .first()
    )


def by_month(
    period: Period, projects=None, *, department_id: int | None = None, month: int | None = None
) -> dict[int, Decimal]:
    """{month: approved investment} of months 1..`month` (the period's by default; an open
    period's evaluation month may be earlier) for a user's scope.

    `projects` None: every live project (the county). A narrowed scope is read live from the
    reports unless `department_id` says it is exactly that department's projects; then a closed
    period reads the department's frozen totals, as the county's reads all of them.
    """
    month = period.month if month is None else month
    kept = _frozen_totals(period) if projects is None or department_id is not None else None
    out: dict[int, Decimal] = defaultdict(lambda: ZERO)
    if kept is not None:
        depts = kept.values() if projects is None else [kept.get(str(department_id), {})]
        for row in depts:
            for m, v in row.items():
                if int(m) <= month:
                    out[int(m)] += Decimal(v)
        return dict(out)
    for row in month_totals(period.year, month, projects).values():
        for m, v in row.items():
            out[m] += v
    return dict(out)
