"""Every count, rate and score the problems pages, exports and `stats --json` show.

Figures are as of a day: a problem is open on `as_of` when raised by then and not 办结/销号 by
then; its level on `as_of` is that of its last 督办单 issued by then; a risk is open when raised
by then and not cleared by then. Definitions: docs/rules.md §6–§8.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q

from keyprojects.figures import ledger as ledger_figures
from keyprojects.figures import periods
from keyprojects.figures.common import chunks, expected_share_on, quarter_end
from keyprojects.ledger.choices import CONSTRUCTION_CATEGORIES, Category
from keyprojects.ledger.choices import Status as ProjectStatus
from keyprojects.problems import kpis, scoring
from keyprojects.problems.choices import ProblemType, RiskKind
from keyprojects.problems.models import (
    ProjectOutcome,
    RiskFlag,
    ScoringScheme,
    SupervisionLevel,
    SupervisionOrder,
)
from keyprojects.units import percent

RISK_KEYS = {
    RiskKind.STOPPED: "stopped",
    RiskKind.FUNDING: "funding",
    RiskKind.LABOUR: "labour",
    RiskKind.DEMOLITION: "demolition",
    RiskKind.QUALITY: "quality",
}


def _problems(year: int, projects=None):
    from keyprojects.problems.models import Problem

    qs = Problem.objects.live().filter(project__year=year, project__deleted_at__isnull=True)
    if projects is not None:
        qs = qs.filter(project__in=projects)
    return qs


def open_on(qs, as_of: date):
    settled = Q(done_on__lte=as_of) | Q(closed_on__lte=as_of)
    return qs.filter(raised_on__lte=as_of).exclude(settled)


def levels_on(problem_ids, as_of: date) -> dict[int, str]:
    """Level name of each problem on `as_of` (its last 督办单 issued by then)."""
    out: dict[int, str] = {}
    rows = (
        SupervisionOrder.objects.filter(problem_id__in=problem_ids, issued_on__lte=as_of)
        .order_by("issued_on", "seq")
        .values_list("problem_id", "level_name")
    )
    for pid, name in rows:
        out[pid] = name
    return out


def deadline_on(problem_ids, as_of: date) -> dict[int, date]:
    """The deadline in force on `as_of`: that of the last 督办单 issued by then, or a later
    约谈's agreed deadline."""
    from keyprojects.problems.models import Interview

    events = list(
        SupervisionOrder.objects.filter(
            problem_id__in=problem_ids, issued_on__lte=as_of
        ).values_list("problem_id", "issued_on", "deadline")
    )
    events += list(
        Interview.objects.filter(
            problem_id__in=problem_ids, held_on__lte=as_of, new_deadline__isnull=False
        ).values_list("problem_id", "held_on", "new_deadline")
    )
    out: dict[int, date] = {}
    for pid, _, d in sorted(events, key=lambda e: e[1]):
        out[pid] = d
    return out


def problems_block(
    *, year: int, quarter: int, as_of: date | None = None, projects=None, period=None
) -> dict:
    as_of = as_of or (period.as_of if period is not None else quarter_end(year, quarter))
    qs = open_on(_problems(year, projects), as_of)
    rows = list(qs.values_list("id", "kind", "deadline"))
    ids = [r[0] for r in rows]
    level_of = levels_on(ids, as_of)
    deadline_of = deadline_on(ids, as_of)
    by_level = {lv.name: 0 for lv in SupervisionLevel.objects.order_by("rank")}
    for pid in ids:
        name = level_of.get(pid)
        if name:
            by_level[name] = by_level.get(name, 0) + 1
    labels = dict(ProblemType.choices)
    by_type = {labels[k]: n for k, n in sorted(Counter(r[1] for r in rows).items())}
    overdue = sum(1 for pid, _, d in rows if deadline_of.get(pid, d) < as_of)
    return {
        "as_of": as_of.isoformat(),
        "open": len(rows),
        "overdue": overdue,
        "by_level": by_level,
        "by_type": by_type,
        "closed": _problems(year, projects).filter(closed_on__lte=as_of).count(),
    }


def risk_projects(year: int, as_of: date, projects=None) -> dict[str, set[int]]:
    """Projects of `year` with each risk open on `as_of`. A project the ledger calls 停工
    counts as stopped even without a flag, so the two never disagree."""
    from keyprojects.ledger.models import Project

    base = projects if projects is not None else Project.objects.live()
    base = base.filter(year=year)
    flags = RiskFlag.objects.open_on(as_of).filter(
        project__year=year, project__deleted_at__isnull=True
    )
    if projects is not None:
        flags = flags.filter(project__in=base)
    out: dict[str, set[int]] = {key: set() for key in RISK_KEYS.values()}
    for pid, kind in flags.values_list("project_id", "kind"):
        out[RISK_KEYS[kind]].add(pid)
    out["stopped"] |= set(
        base.filter(status=ProjectStatus.SUSPENDED, actual_start__lte=as_of)
        .order_by()  # a set: the ledger's order would join and sort departments for nothing
        .values_list("pk", flat=True)
    )
    return out


def risks_block(
    *, year: int, quarter: int, as_of: date | None = None, projects=None, period=None
) -> dict:
    as_of = as_of or (period.as_of if period is not None else quarter_end(year, quarter))
    found = risk_projects(year, as_of, projects)
    from keyprojects.ledger.models import Project

    names = dict(
        Project.objects.filter(pk__in=set().union(*found.values())).values_list("pk", "name")
    )
    block: dict = {key: len(found[key]) for key in RISK_KEYS.values()}
    # The report names the projects behind each count ("比如凤凰隧道等项目").
    block["projects"] = {key: sorted(names[pk] for pk in found[key]) for key in RISK_KEYS.values()}
    return block


@dataclass(frozen=True)
class FlagTag:
    """An open risk flag as the ledger list shows it beside a project's status."""

    kind: str
    reason: str

    def get_kind_display(self) -> str:
        return RiskKind(self.kind).label


def flags_by_project(project_ids) -> dict[int, list[FlagTag]]:
    """Today's open risk flags of a page of projects, for the ledger badges (one query).

    In SQL by hand: the ORM prepared the page's fifty ids one by one and cost the list page
    more than its ledger rows; the statement is plain and the same on SQLite and PostgreSQL."""
    from django.db import connection

    out: dict[int, list[FlagTag]] = defaultdict(list)
    table = connection.ops.quote_name(RiskFlag._meta.db_table)
    for chunk in chunks(list(project_ids)):
        marks = ", ".join(["%s"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT project_id, kind, reason FROM {table} WHERE cleared_on IS NULL"
                f" AND project_id IN ({marks}) ORDER BY kind, raised_on",
                chunk,
            )
            for project_id, kind, reason in cursor.fetchall():
                out[project_id].append(FlagTag(kind, reason))
    return out


# --- KPIs -------------------------------------------------------------------------------------


@dataclass
class KpiValue:
    key: str
    label: str
    value: Decimal | None
    numerator: int | Decimal
    denominator: int | Decimal
    definition: str
    source: str


def kpi_values(period, projects=None) -> list[KpiValue]:
    """The KPIs of the reporting `period` (figures.periods) over `projects` (default: all):
    开工率 and 投资完成率 from the period's ledger summary (its snapshot once closed), the
    others counted on the period's last day."""
    from keyprojects.ledger.models import Project

    year, as_of = period.year, period.as_of
    base = projects if projects is not None else Project.objects.live()
    summary = ledger_figures.summary(period, projects=projects, lists=())
    p = summary.projects
    year_start = date(year, 1, 1)
    plan = base.filter(year=year, category__in=CONSTRUCTION_CATEGORIES)
    # Risk flags and outcomes are few: filter them by a join on the project (not an IN-list of
    # every project id), narrowed to the scope only when there is one.
    in_plan = {
        "project__year": year,
        "project__category__in": CONSTRUCTION_CATEGORIES,
        "project__deleted_at__isnull": True,
    }
    flags = RiskFlag.objects.filter(kind=RiskKind.STOPPED, **in_plan)
    outcomes = ProjectOutcome.objects.filter(project__year=year, project__deleted_at__isnull=True)
    if projects is not None:
        flags = flags.filter(project__in=projects)
        outcomes = outcomes.filter(project__in=projects)
    stopped_at_start = set(flags.open_on(year_start).values_list("project_id", flat=True))
    resumed = set(
        flags.filter(
            raised_on__lt=year_start, cleared_on__gte=year_start, cleared_on__lte=as_of
        ).values_list("project_id", flat=True)
    )
    # One scan of the plan's projects for 续建/新开工 started and 竣工 (completion rate).
    started_q = Q(actual_start__lte=as_of) & ~Q(actual_end__lt=year_start)
    continuing_q = started_q & Q(category=Category.CONTINUING, actual_start__lt=year_start)
    counted = plan.order_by().aggregate(
        continuing=Count("pk", filter=continuing_q & ~Q(pk__in=stopped_at_start)),
        started=Count("pk", filter=started_q),
        continuing_all=Count("pk", filter=continuing_q),
        completed=Count("pk", filter=Q(actual_end__gte=year_start, actual_end__lte=as_of)),
        started_new=Count("pk", filter=Q(category=Category.NEW, actual_start__lte=as_of)),
    )
    continuing = counted["continuing"]
    new = counted["started"] - counted["continuing_all"]
    completed = counted["completed"]
    done = Q(project__actual_end__lte=as_of, plans_to_operate=True)
    signed = Q(signed_on__lte=as_of)
    o = outcomes.order_by().aggregate(
        planned_to_operate=Count("pk", filter=done),
        reaching=Count("pk", filter=done & Q(operating_on__lte=as_of, design_output_reached=True)),
        signed=Count("pk", filter=signed),
        settled=Count("pk", filter=signed & Q(approved_on__lte=as_of, registered_on__lte=as_of)),
    )
    planned_to_operate, reaching = o["planned_to_operate"], o["reaching"]
    signed, settled = o["signed"], o["settled"]
    inv = summary.investment

    def v(kpi, value, num, den):
        return KpiValue(kpi.key, kpi.label, value, num, den, kpi.definition, kpi.source)

    if settings.KP_START_RATE_BASIS == "new":
        started_new = counted["started_new"]
        start = KpiValue(
            kpis.START_RATE.key,
            kpis.START_RATE.label,
            kpis.start_rate(started_new, 0, p.new, "new"),
            started_new,
            p.new,
            "已开工的新开工项目数 ÷ 计划新开工项目数 × 100%",
            "设置 KEYPROJECTS_START_RATE_BASIS=new",
        )
    else:
        start = v(kpis.START_RATE, p.start_rate, p.started, p.total)
    return [
        start,
        v(
            kpis.COMPLETION_RATE,
            kpis.completion_rate(completed, continuing, new, len(resumed)),
            completed,
            continuing + new + len(resumed),
        ),
        v(
            kpis.OPERATION_RATE,
            kpis.operation_rate(reaching, planned_to_operate),
            reaching,
            planned_to_operate,
        ),
        v(kpis.SETTLEMENT_RATE, kpis.settlement_rate(settled, signed), settled, signed),
        v(
            kpis.INVESTMENT_RATE,
            inv.investment_rate,
            inv.completed_ytd_wan,
            inv.annual_plan_wan,
        ),
    ]


def kpis_block(*, year: int, quarter: int, period=None) -> dict:
    period = period or periods.quarter_period(year, quarter)
    return {
        k.key: {
            "label": k.label,
            "value": float(k.value) if k.value is not None else None,
            "numerator": k.numerator,
            "denominator": k.denominator,
            "definition": k.definition,
        }
        for k in kpi_values(period)
    }


# --- Ranking ----------------------------------------------------------------------------------


@dataclass
class DepartmentScore:
    department_id: int
    name: str
    facts: scoring.Facts
    score: scoring.Score
    rank: int = 0


@dataclass
class ProjectPace:
    project: object
    gap: Decimal | None  # points ahead (+) or behind (−) 序时
    reason: str


@dataclass
class Ranking:
    year: int
    as_of: date
    month: int
    scheme_name: str
    departments: list[DepartmentScore] = field(default_factory=list)
    red: list[DepartmentScore] = field(default_factory=list)
    black: list[DepartmentScore] = field(default_factory=list)
    fast: list[ProjectPace] = field(default_factory=list)
    slow: list[ProjectPace] = field(default_factory=list)


def ranking(period) -> Ranking:
    """Departments scored by the active scheme; projects 十快十慢 by their gap to 序时, for the
    reporting `period` (figures.periods): a closed month from its snapshot."""
    from keyprojects.dispatch.models import MonthlyReport
    from keyprojects.ledger.models import Project

    year, as_of = period.year, period.as_of
    scheme_name, rules_ = ScoringScheme.current_rules()
    summary = ledger_figures.summary(period, lists=())
    month = summary.month
    share = expected_share_on(year, as_of)
    year_start = date(year, 1, 1)
    orders = Counter(
        SupervisionOrder.objects.filter(
            issued_on__gte=year_start, issued_on__lte=as_of, problem__deleted_at__isnull=True
        ).values_list("problem__department_id", "colour")
    )
    # Counted by the database (GROUP BY), not a row per report or project brought back to count.
    late = Counter(
        dict(
            MonthlyReport.objects.filter(
                year=year, month__lte=max(month, 0), is_late=True, project__deleted_at__isnull=True
            )
            .values("project__department_id")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("project__department_id", "n")
        )
    )
    late_start = Counter(ledger_figures.late_start_counts(period, as_of))
    new_starts = Counter(
        dict(
            Project.objects.live()
            .filter(year=year, category=Category.NEW, actual_start__lte=as_of)
            .values("department_id")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("department_id", "n")
        )
    )
    plan_pct = {}
    for d in summary.departments:
        due = d.annual_plan_wan * share
        plan_pct[d.department_id] = percent(d.completed_ytd_wan, due) if due else None
    rank_of = scoring.ranks(plan_pct)
    scored = []
    for d in summary.departments:
        if d.total == 0:
            continue  # a department with only reserve projects has nothing to score
        facts = scoring.Facts(
            plan_pct=plan_pct[d.department_id],
            rank=rank_of[d.department_id],
            month=month,
            planned=d.total,
            new_starts=new_starts[d.department_id],
            start_rate=d.start_rate,
            not_started_late=late_start[d.department_id],
            yellow_orders=orders[(d.department_id, "yellow")] + orders[(d.department_id, "orange")],
            red_orders=orders[(d.department_id, "red")],
            late_reports=late[d.department_id],
        )
        scored.append(DepartmentScore(d.department_id, d.name, facts, scoring.score(facts, rules_)))
    scored.sort(key=lambda s: (-s.score.total, s.name))
    totals = scoring.ranks({s.department_id: s.score.total for s in scored})
    for s in scored:
        s.rank = totals[s.department_id]
    red, black = scoring.red_black(scored, int(rules_.get("top", 5)), int(rules_.get("bottom", 4)))
    n_fast = int(rules_.get("project_fast", 10))
    n_slow = int(rules_.get("project_slow", 10))
    fast, slow = _paces(
        period,
        ledger_figures.pace_rows(period, due_by=as_of, fast=n_fast, slow=n_slow),
        as_of=as_of,
        share=share,
        n_fast=n_fast,
        n_slow=n_slow,
    )
    return Ranking(year, as_of, month, scheme_name, scored, red, black, fast, slow)


def _paces(period, rows, *, as_of, share, n_fast, n_slow):
    """十快十慢: started projects by their gap to 序时 (behind ones with their reasons, the rest
    "按序时推进"), and projects due to start by now and not started at −序时. Only the listed
    projects are loaded."""
    from keyprojects.ledger.models import Project

    paces = []  # (gap, code, row)
    not_started_gap = -(share * 100).quantize(Decimal("0.1"))
    for r in rows:
        if r.started:
            if r.gap is not None:
                paces.append((r.gap, r.code, r))
        elif r.planned_start and r.planned_start <= as_of:
            paces.append((not_started_gap, r.code, r))
    ranked = sorted(paces, key=lambda x: (-x[0], x[1]))
    fast = [x for x in ranked if x[0] > 0][:n_fast]
    slow = [x for x in reversed(ranked) if x[0] < 0][:n_slow]
    ledger_figures.load_reasons(period, [r for _, _, r in fast + slow])
    shown = Project.objects.select_related("department").in_bulk(
        [r.project_id for _, _, r in fast + slow]
    )

    def pace(gap, r):
        text = "；".join(r.reasons)
        if r.started and not r.behind:
            text = text or "按序时推进"
        return ProjectPace(shown[r.project_id], gap, text)

    return [pace(gap, r) for gap, _, r in fast], [pace(gap, r) for gap, _, r in slow]


def ranking_block(*, year: int, quarter: int, period=None) -> list:
    r = ranking(period or periods.quarter_period(year, quarter))
    return [
        {
            "rank": s.rank,
            "department": s.name,
            "score": str(s.score.total),
            "by_indicator": {k: str(v) for k, v in s.score.by_indicator.items()},
            "list": "红榜" if s in r.red else ("黑榜" if s in r.black else ""),
        }
        for s in r.departments
    ]
