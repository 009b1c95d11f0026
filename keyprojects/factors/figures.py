"""Every count, sum and rate of the factor tables (pages, exports, stats JSON, reports).

Quarter figures cover the quarter's months (Q1 = January–March); docs/rules.md §6 says what each
counts. Views and exports call these functions and recompute nothing.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum

from keyprojects import units
from keyprojects.factors import models as m
from keyprojects.factors import rules
from keyprojects.factors.choices import FundingSource, QuotaStatus

CENT = Decimal("0.01")
ZERO = Decimal(0)


def _money(value) -> Decimal:
    return units.round_half_up(Decimal(value or 0), 2)


def _pct_number(value: Decimal | None):
    """Rates are numbers in the stats JSON (as the ledger's): one decimal, or an integer."""
    if value is None:
        return None
    return (
        int(value)
        if value == value.to_integral_value() and value.as_tuple().exponent >= 0
        else float(value)
    )


# --- Land ------------------------------------------------------------------------------------


def batches_reported(year: int, quarter: int):
    start, end = rules.quarter_bounds(year, quarter)
    return m.LandBatch.objects.filter(reported_on__gte=start, reported_on__lte=end)


def farmland_in_work(year: int, quarter: int):
    """Occupations worked on during the quarter: begun by its end, not approved before it."""
    start, end = rules.quarter_bounds(year, quarter)
    return m.FarmlandOccupation.objects.filter(started_on__lte=end).filter(
        Q(approved_on__isnull=True) | Q(approved_on__gte=start)
    )


def parcels_listed(year: int, quarter: int):
    start, end = rules.quarter_bounds(year, quarter)
    return m.Parcel.objects.filter(listed_on__gte=start, listed_on__lte=end)


def new_construction_ha(batches) -> Decimal:
    total = sum((b.new_construction_ha for b in batches), ZERO)
    return units.round_half_up(total, 4)


def land_block(*, year: int, quarter: int) -> dict:
    """新增建设用地 of batches reported in the quarter, the projects they serve, basic-farmland
    projects in work, parcels listed and their expected revenue."""
    batches = list(batches_reported(year, quarter).prefetch_related("projects"))
    project_ids = {p.pk for b in batches for p in b.projects.all() if p.deleted_at is None}
    ha = new_construction_ha(batches)
    parcels = parcels_listed(year, quarter)
    farmland = farmland_in_work(year, quarter).filter(project__deleted_at__isnull=True)
    return {
        "conversion_projects": len(project_ids),
        "new_construction_land_ha": ha,
        "new_construction_land_mu": units.ha_to_mu(ha),
        "farmland_projects": farmland.values("project").distinct().count(),
        "parcels_listed": parcels.count(),
        "expected_transfer_revenue_wan": _money(
            parcels.aggregate(s=Sum("expected_revenue_wan"))["s"]
        ),
    }


def payment_rule() -> rules.PaymentRule:
    return rules.PaymentRule(
        contract_working_days=settings.KP_PARCEL_CONTRACT_WORKING_DAYS,
        half_within_months=settings.KP_PARCEL_HALF_MONTHS,
        full_within_months=settings.KP_PARCEL_FULL_MONTHS,
    )


def parcel_due(parcel: m.Parcel, today: date) -> rules.ParcelDue:
    return rules.parcel_payment(
        sold_on=parcel.sold_on,
        contract_on=parcel.contract_on,
        half_paid_on=parcel.half_paid_on,
        fully_paid_on=parcel.fully_paid_on,
        as_of=today,
        rule=payment_rule(),
    )


def judged_on(year: int, today: date) -> date:
    """The day a plan year's follow-ups are judged on: as the ledger judges its projects
    (stats.default_as_of: today, or the end of a past year's last reported month)."""
    from keyprojects import stats

    return stats.default_as_of(year, today)


def quota_overdue_days(quota: m.LandQuota, today: date) -> int:
    return rules.quota_overdue_days(
        deadline=quota.deadline,
        secured=quota.status == QuotaStatus.SECURED,
        today=judged_on(quota.project.year, today),
    )


def overdue_quotas(qs, today: date) -> list[m.LandQuota]:
    """用地指标 follow-ups past their deadline and not secured, oldest deadline first."""
    candidates = qs.filter(status=QuotaStatus.FOLLOWING, deadline__lt=today).select_related(
        "project"
    )
    return [q for q in candidates.order_by("deadline") if quota_overdue_days(q, today)]


# --- Housing ---------------------------------------------------------------------------------


@dataclass
class Sales:
    units: int
    area_m2: Decimal


def housing_sales(year: int, months) -> Sales:
    rows = m.HousingMonth.objects.filter(year=year, month__in=list(months))
    agg = rows.aggregate(
        ru=Sum("residential_units"),
        nu=Sum("nonresidential_units"),
        ra=Sum("residential_area_m2"),
        na=Sum("nonresidential_area_m2"),
    )
    return Sales(
        units=(agg["ru"] or 0) + (agg["nu"] or 0),
        area_m2=(agg["ra"] or ZERO) + (agg["na"] or ZERO),
    )


def event_of_quarter(year: int, quarter: int) -> m.SalesEvent | None:
    """The sales event held in the quarter (the latest to start when several overlap it)."""
    start, end = rules.quarter_bounds(year, quarter)
    return (
        m.SalesEvent.objects.filter(starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .order_by("-starts_on", "-pk")
        .first()
    )


def event_figures(event: m.SalesEvent | None) -> dict | None:
    if event is None:
        return None
    return {
        "name": event.name,
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "units": event.units,
        "area_wan_m2": units.m2_to_wan_m2(event.area_m2),
        "future_units": event.future_units,
        "future_area_wan_m2": units.m2_to_wan_m2(event.future_area_m2),
        "existing_units": event.existing_units,
        "existing_area_wan_m2": units.m2_to_wan_m2(event.existing_area_m2),
        "subsidy_wan": _money(event.subsidy_wan),
        "subsidy_fiscal_wan": _money(event.subsidy_fiscal_wan),
        "subsidy_enterprise_wan": _money(event.subsidy_enterprise_wan),
    }


def housing_block(*, year: int, quarter: int) -> dict:
    """商品房网签备案 of the quarter's months (住宅 + 商业等非住宅; 车位 apart), the same months a
    year before, growth (area growth is the headline, as the seed reports it), and the event."""
    first, last = rules.quarter_months(quarter)
    months = range(first, last + 1)
    now, before = housing_sales(year, months), housing_sales(year - 1, months)
    units_yoy = units.growth_percent(Decimal(now.units), Decimal(before.units), 0)
    area_yoy = units.growth_percent(now.area_m2, before.area_m2, 0)
    event = event_figures(event_of_quarter(year, quarter))
    if event is not None:
        event = {
            k: event[k]
            for k in (
                "name",
                "units",
                "area_wan_m2",
                "subsidy_wan",
                "subsidy_fiscal_wan",
                "subsidy_enterprise_wan",
            )
        }
    return {
        "units": now.units,
        "area_wan_m2": units.m2_to_wan_m2(now.area_m2),
        "units_last_year": before.units,
        "area_last_year_wan_m2": units.m2_to_wan_m2(before.area_m2),
        "units_yoy_pct": _pct_number(units_yoy),
        "area_yoy_pct": _pct_number(area_yoy),
        "event": event,
    }


# --- Fiscal ----------------------------------------------------------------------------------


def task_actual(task: m.FiscalTask, through_month: int) -> Decimal:
    s = task.months.filter(month__lte=through_month).aggregate(s=Sum("amount_wan"))["s"]
    return _money(s)


def previous_actual(task: m.FiscalTask, through_month: int) -> Decimal | None:
    prev = m.FiscalTask.objects.filter(
        year=task.year - 1, department=task.department, item=task.item
    ).first()
    if prev is None or not prev.months.exists():
        return None
    return task_actual(prev, through_month)


def fiscal_rows(year: int, through_month: int) -> list[dict]:
    """Each department's task: target, completed through the month, completion and growth."""
    out = []
    tasks = m.FiscalTask.objects.filter(year=year, department__isnull=False).select_related(
        "department"
    )
    for t in tasks.order_by("department__order", "department__name", "item"):
        actual = task_actual(t, through_month)
        prev = previous_actual(t, through_month)
        out.append(
            {
                "task": t,
                "department": t.department.label,
                "item": t.item,
                "target_wan": _money(t.target_wan) if t.target_wan is not None else None,
                "actual_wan": actual,
                "completion_pct": rules.fiscal_completion_rate(actual, t.target_wan),
                "growth_pct": units.growth_percent(actual, prev, 1) if prev else None,
            }
        )
    return out


def county_goals(year: int) -> list[m.FiscalTask]:
    """County-wide goals (一般公共预算收入增长8.0%): tasks without a department."""
    return list(m.FiscalTask.objects.filter(year=year, department__isnull=True).order_by("item"))


def fiscal_block(*, year: int, quarter: int) -> list[dict]:
    _, last = rules.quarter_months(quarter)
    return [
        {
            "department": r["department"],
            "target_wan": r["target_wan"],
            "actual_wan": r["actual_wan"],
            "completion_pct": _pct_number(r["completion_pct"]),
        }
        for r in fiscal_rows(year, last)
        if r["item"] == "财税任务"
    ]


# --- Funding ---------------------------------------------------------------------------------


def funding_summary(year: int, through_month: int, projects=None) -> dict:
    """Planned for the year, arrived in months 1..through_month, 到位率, by source."""
    plans = m.FundingPlan.objects.filter(year=year, project__deleted_at__isnull=True)
    arrivals = m.FundingArrival.objects.filter(
        year=year, month__lte=through_month, project__deleted_at__isnull=True
    )
    if projects is not None:
        plans, arrivals = plans.filter(project__in=projects), arrivals.filter(project__in=projects)
    planned = {r["source"]: r["s"] for r in plans.values("source").annotate(s=Sum("planned_wan"))}
    arrived = {r["source"]: r["s"] for r in arrivals.values("source").annotate(s=Sum("amount_wan"))}
    by_source = []
    for source in FundingSource:
        p, a = _money(planned.get(source.value)), _money(arrived.get(source.value))
        if p == 0 and a == 0:
            continue
        by_source.append(
            {
                "source": source.label,
                "planned_wan": p,
                "arrived_wan": a,
                "arrival_pct": rules.arrival_rate(a, p),
            }
        )
    total_p = _money(sum((r["planned_wan"] for r in by_source), ZERO))
    total_a = _money(sum((r["arrived_wan"] for r in by_source), ZERO))
    return {
        "planned_wan": total_p,
        "arrived_wan": total_a,
        "arrival_pct": rules.arrival_rate(total_a, total_p),
        "by_source": by_source,
    }


def funding_block(*, year: int, quarter: int) -> dict:
    _, last = rules.quarter_months(quarter)
    s = funding_summary(year, last)
    s["arrival_pct"] = _pct_number(s["arrival_pct"])
    for r in s["by_source"]:
        r["arrival_pct"] = _pct_number(r["arrival_pct"])
    return s


def bond_rule() -> rules.BondRule:
    return rules.BondRule(
        window_months=settings.KP_BOND_USE_MONTHS, yellow_points=settings.KP_BOND_YELLOW_POINTS
    )


def bond_verdict(batch: m.BondBatch, today: date) -> rules.BondVerdict:
    as_of = batch.used_as_of or today
    return rules.bond_use(
        issued_on=batch.issued_on,
        amount_wan=batch.amount_wan,
        used_wan=batch.used_wan,
        as_of=as_of,
        rule=bond_rule(),
    )


# --- Per-record display values (detail pages and exports) ----------------------------------


def area_pair(ha: Decimal | None) -> str:
    """66.4923公顷（合997亩）: 亩 always beside 公顷."""
    return units.format_area(ha)


# --- JSON blocks (keyprojects stats --json) -------------------------------------------------


def plain(value):
    """Decimals without trailing zeros (5.90 → 5.9, 140000.00 → 140000), as the report writes
    them; the value is unchanged, only its exponent."""
    if isinstance(value, Decimal):
        return Decimal(format(value.normalize(), "f"))
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def land_json(*, year: int, quarter: int, period=None) -> dict:
    return plain(land_block(year=year, quarter=quarter))


def housing_json(*, year: int, quarter: int, period=None) -> dict:
    return plain(housing_block(year=year, quarter=quarter))


def fiscal_json(*, year: int, quarter: int, period=None) -> list[dict]:
    return plain(fiscal_block(year=year, quarter=quarter))


def funding_json(*, year: int, quarter: int, period=None) -> dict:
    return plain(funding_block(year=year, quarter=quarter))
