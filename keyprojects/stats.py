"""THE figures: every count, sum and rate shown on a page, exported or written in a report.

Pages, exports, reports, the API and `keyprojects stats` all call these functions, so the same
question always gets the same number. Money is Decimal in 万元; rates are percentages rounded
half-up to one decimal (units.round_half_up). Definitions: docs/rules.md.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet, Sum

from keyprojects.ledger import kpis
from keyprojects.ledger.choices import CONSTRUCTION_CATEGORIES, Category
from keyprojects.ledger.schedule import (
    ONE,
    Colour,
    Thresholds,
    Verdict,
    assess,
    evaluation_month,
    expected_share,
    overdue_days,
)
from keyprojects.months import month_end, quarter_end
from keyprojects.units import round_half_up

ZERO = Decimal(0)
CENT = Decimal("0.01")


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


def default_as_of(year: int, today: date) -> date:
    """The day a plan year is judged on when nobody chose one.

    The current or a future year: today. A past year: the end of its last month with approved
    reports (judging 2022 on today's date would call every project red for lack of reports
    that were never due in the system); Dec 31 when it has none.
    """
    from keyprojects.dispatch.models import MonthlyReport

    if year >= today.year:
        return today
    last = (
        MonthlyReport.objects.approved()
        .filter(year=year)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    return month_end(year, last or 12)


def expected_share_on(year: int, as_of: date) -> Decimal:
    target, curve = year_rule(year)
    return expected_share(evaluation_month(year, as_of), target, curve)


# --- per-project figures ----------------------------------------------------------------------


def ytd_by_project(project_ids, year: int, month: int) -> dict[int, Decimal]:
    """Approved investment of `year` months 1..`month`, per project (one query)."""
    from keyprojects.dispatch.models import MonthlyReport

    if month <= 0:
        return {}
    rows = (
        MonthlyReport.objects.approved()
        .filter(project_id__in=project_ids, year=year, month__lte=month)
        .values("project_id")
        .annotate(total=Sum("invested_wan"))
    )
    return {r["project_id"]: Decimal(r["total"]).quantize(CENT) for r in rows}


def overdue_by_project(project_ids, as_of: date) -> dict[int, list[tuple[str, int]]]:
    """Milestones due before `as_of` and not reached by then, per project (one query)."""
    from keyprojects.ledger.models import Milestone

    result: dict[int, list[tuple[str, int]]] = defaultdict(list)
    rows = (
        Milestone.objects.filter(
            project_id__in=project_ids, deleted_at__isnull=True, planned_date__lt=as_of
        )
        .filter(Q(actual_date__isnull=True) | Q(actual_date__gt=as_of))
        .values_list("project_id", "name", "planned_date")
        .order_by("planned_date")
    )
    for pid, name, planned in rows:
        result[pid].append((name, overdue_days(planned, None, as_of)))
    return result


def _chunks(ids: list[int], size: int = 5000):
    # Bounded IN-lists: SQLite allows 32,766 variables per statement.
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def verdicts(projects, as_of: date) -> dict[int, Verdict]:
    """Schedule verdict (colour + reasons) of each project on `as_of`.

    Reserve projects have no schedule and get none. A fixed number of queries whatever the
    number of projects (year-to-date sums and overdue milestones, in chunks of 5,000).
    """
    projects = [p for p in projects if p.category != Category.RESERVE]
    th = thresholds()
    by_year: dict[int, list] = defaultdict(list)
    for p in projects:
        by_year[p.year].append(p)
    out: dict[int, Verdict] = {}
    for year, group in by_year.items():
        target, curve = year_rule(year)
        month = evaluation_month(year, as_of)
        ytd: dict[int, Decimal] = {}
        overdue: dict[int, list[tuple[str, int]]] = {}
        for chunk in _chunks([p.pk for p in group]):
            ytd.update(ytd_by_project(chunk, year, month))
            overdue.update(overdue_by_project(chunk, as_of))
        for p in group:
            out[p.pk] = assess(
                year=year,
                as_of=as_of,
                annual_plan_wan=p.annual_plan_wan,
                ytd_wan=ytd.get(p.pk, ZERO),
                planned_start=p.planned_start,
                actual_start=p.actual_start,
                overdue_milestones=overdue.get(p.pk, []),
                thresholds=th,
                target=target,
                curve=curve,
                monthly_plan_wan=p.monthly_plan_amounts,
            )
    return out


# --- the summary of a year ------------------------------------------------------------------


@dataclass
class ProjectCounts:
    total: int = 0  # 年度计划建设项目（续建 + 新开工）
    continuing: int = 0
    new: int = 0
    reserve: int = 0
    listed: int = 0  # 列入名单的全部项目（含储备）
    started: int = 0
    not_started: int = 0
    on_schedule: int = 0
    behind_schedule: int = 0
    completed: int = 0
    red: int = 0
    yellow: int = 0
    green: int = 0
    start_rate: Decimal | None = None


@dataclass
class DepartmentRow:
    department_id: int
    name: str
    short_name: str
    total: int = 0
    continuing: int = 0
    new: int = 0
    reserve: int = 0
    listed: int = 0
    started: int = 0
    behind_schedule: int = 0
    total_investment_wan: Decimal = ZERO  # 续建 + 新开工
    reserve_investment_wan: Decimal = ZERO
    listed_investment_wan: Decimal = ZERO  # 含储备
    annual_plan_wan: Decimal = ZERO
    completed_ytd_wan: Decimal = ZERO
    start_rate: Decimal | None = None
    investment_rate: Decimal | None = None


@dataclass
class Investment:
    total_investment_wan: Decimal = ZERO  # 续建 + 新开工
    reserve_investment_wan: Decimal = ZERO
    listed_investment_wan: Decimal = ZERO  # 含储备
    annual_plan_wan: Decimal = ZERO
    completed_ytd_wan: Decimal = ZERO
    investment_rate: Decimal | None = None  # percent
    expected_share: Decimal | None = None  # 序时进度, percent


@dataclass
class LedgerSummary:
    year: int
    as_of: date
    quarter: int | None
    month: int
    projects: ProjectCounts
    investment: Investment
    departments: list[DepartmentRow] = field(default_factory=list)
    behind_projects: list = field(default_factory=list)
    not_started_projects: list = field(default_factory=list)
    # (project, verdict) of every red or yellow project, in ledger order (the dashboard lists them).
    flagged_projects: list = field(default_factory=list)

    def as_json(self) -> dict:
        def conv(value):
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: conv(v) for k, v in value.items()}
            if isinstance(value, list):
                return [conv(v) for v in value]
            return value

        projects = asdict(self.projects)
        # Rates are numbers (percent, one decimal); money is a string of Decimal.
        if projects["start_rate"] is not None:
            projects["start_rate"] = float(projects["start_rate"])
        investment = conv(asdict(self.investment))
        for key in ("investment_rate", "expected_share"):
            value = getattr(self.investment, key)
            investment[key] = float(value) if value is not None else None
        departments = []
        for row in self.departments:
            d = conv(asdict(row))
            for key in ("start_rate", "investment_rate"):
                value = getattr(row, key)
                d[key] = float(value) if value is not None else None
            departments.append(d)
        return {
            "year": self.year,
            "quarter": self.quarter,
            "month": self.month,
            "as_of": self.as_of.isoformat(),
            "projects": projects,
            "investment": investment,
            "departments": departments,
        }


def ledger_summary(
    year: int,
    *,
    as_of: date | None = None,
    quarter: int | None = None,
    projects: QuerySet | None = None,
) -> LedgerSummary:
    """Headline figures of plan year `year` as of a day (default: the quarter's last day).

    "Started" means an actual start on or before `as_of`; 有序推进 / 未达到序时进度 split the
    started projects by the schedule rule; money sums only approved monthly reports.
    `projects` narrows the set (a user's scope, a filter); default: every live project.
    """
    from keyprojects.ledger.models import Project

    if as_of is None:
        if quarter is None:
            raise ValueError("as_of 或 quarter 至少给出一个")
        as_of = quarter_end(year, quarter)
    base = projects if projects is not None else Project.objects.live()
    rows = list(
        base.filter(year=year)
        .select_related("department")
        .order_by("department__order", "department__name", "code")
    )
    month = evaluation_month(year, as_of)
    verdict_of = verdicts(rows, as_of)
    ytd: dict[int, Decimal] = {}
    for chunk in _chunks([p.pk for p in rows if p.category in CONSTRUCTION_CATEGORIES]):
        ytd.update(ytd_by_project(chunk, year, month))

    counts = ProjectCounts()
    inv = Investment()
    depts: dict[int, DepartmentRow] = {}
    behind, not_started, flagged = [], [], []
    for p in rows:
        d = depts.get(p.department_id)
        if d is None:
            d = depts[p.department_id] = DepartmentRow(
                p.department_id, p.department.name, p.department.label
            )
        counts.listed += 1
        d.listed += 1
        inv.listed_investment_wan += p.total_investment_wan
        d.listed_investment_wan += p.total_investment_wan
        if p.category == Category.RESERVE:
            counts.reserve += 1
            d.reserve += 1
            inv.reserve_investment_wan += p.total_investment_wan
            d.reserve_investment_wan += p.total_investment_wan
            continue
        counts.total += 1
        d.total += 1
        if p.category == Category.CONTINUING:
            counts.continuing += 1
            d.continuing += 1
        else:
            counts.new += 1
            d.new += 1
        inv.total_investment_wan += p.total_investment_wan
        d.total_investment_wan += p.total_investment_wan
        inv.annual_plan_wan += p.annual_plan_wan
        d.annual_plan_wan += p.annual_plan_wan
        done = ytd.get(p.pk, ZERO)
        inv.completed_ytd_wan += done
        d.completed_ytd_wan += done
        v = verdict_of[p.pk]
        setattr(counts, v.colour.value, getattr(counts, v.colour.value) + 1)
        if v.colour != Colour.GREEN:
            flagged.append((p, v))
        if v.started:
            counts.started += 1
            d.started += 1
            if p.actual_end and p.actual_end <= as_of:
                counts.completed += 1
            if v.behind:
                counts.behind_schedule += 1
                d.behind_schedule += 1
                behind.append((p, v))
            else:
                counts.on_schedule += 1
        else:
            counts.not_started += 1
            not_started.append((p, v))

    counts.start_rate = kpis.start_rate(counts.started, counts.total)
    inv.completed_ytd_wan = Decimal(inv.completed_ytd_wan).quantize(CENT)
    inv.investment_rate = kpis.investment_rate(inv.completed_ytd_wan, inv.annual_plan_wan)
    target, curve = year_rule(year)
    inv.expected_share = round_half_up(expected_share(month, target, curve) * 100, 1)
    for d in depts.values():
        d.start_rate = kpis.start_rate(d.started, d.total)
        d.investment_rate = kpis.investment_rate(d.completed_ytd_wan, d.annual_plan_wan)
    return LedgerSummary(
        year=year,
        as_of=as_of,
        quarter=quarter,
        month=month,
        projects=counts,
        investment=inv,
        departments=list(depts.values()),
        behind_projects=behind,
        not_started_projects=not_started,
        flagged_projects=flagged,
    )


def colour_counts(verdict_map: dict[int, Verdict]) -> dict[str, int]:
    out = {c.value: 0 for c in Colour}
    for v in verdict_map.values():
        out[v.colour.value] += 1
    return out


def list_totals(projects: QuerySet) -> dict[str, Decimal | int]:
    """Totals under the ledger list (the filtered rows)."""
    agg = projects.aggregate(
        total_investment_wan=Sum("total_investment_wan"),
        annual_plan_wan=Sum("annual_plan_wan"),
        completed_before_year_wan=Sum("completed_before_year_wan"),
    )
    return {"count": projects.count(), **{k: v or ZERO for k, v in agg.items()}}


def ytd_total(projects: QuerySet, year: int, month: int) -> Decimal:
    """Approved investment of months 1..`month` of `year` over `projects` (one query): the
    1–N月 subtotal and total rows of the exports."""
    from keyprojects.dispatch.models import MonthlyReport

    if month <= 0:
        return ZERO
    total = (
        MonthlyReport.objects.approved()
        .filter(project__in=projects, year=year, month__lte=month)
        .aggregate(t=Sum("invested_wan"))["t"]
    )
    return Decimal(total or 0).quantize(CENT)
