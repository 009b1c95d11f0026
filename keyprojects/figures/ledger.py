"""Figures of the ledger: counts, sums, rates and the schedule verdict of each project.

Two sources, one answer: a closed period is read from its PeriodSnapshot with SQL aggregates
(a fixed number of queries whatever the number of projects); an open month, or a day chosen by
a caller, is computed live from approved reports and milestones. Closing a period stores exactly
what the live computation gave at that moment, so both paths agree by construction.
"""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    Model,
    Q,
    QuerySet,
    Sum,
    When,
    Window,
)
from django.db.models import Value as V
from django.db.models.functions import Coalesce, RowNumber

from keyprojects.figures import frozen
from keyprojects.figures.common import (
    CENT,
    ZERO,
    chunks,
    expected_share_on,  # noqa: F401 — re-exported for keyprojects.stats
    month_end,
    quarter_end,
    thresholds,
    year_rule,
)
from keyprojects.ledger import kpis
from keyprojects.ledger.choices import CONSTRUCTION_CATEGORIES, Category
from keyprojects.ledger.schedule import (
    Colour,
    Verdict,
    _worse,
    assess,
    evaluation_month,
    expected_share,
    overdue_days,
)
from keyprojects.units import round_half_up

RANK = {"red": 0, "yellow": 1, "green": 2, "": 3}


def default_as_of(year: int, today: date) -> date:
    """Legacy default day of a plan year (pages now use periods.default_period).

    The current or a future year: today. A past year: the end of its last month with approved
    reports; Dec 31 when it has none. periods.default_period falls back to this when no month
    of the year has been closed.
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


# --- per-project figures, live ----------------------------------------------------------------


def _approved(project_ids, year: int, month: int) -> dict[int, tuple[Decimal, int]]:
    """{project: (approved investment of months 1..month, last approved month)} (one query).
    `project_ids` None: every live project of plan year `year` (a join, not an IN-list)."""
    from keyprojects.dispatch.models import MonthlyReport

    if month <= 0:
        return {}
    which = (
        Q(project__year=year, project__deleted_at__isnull=True)
        if project_ids is None
        else Q(project_id__in=project_ids)
    )
    rows = (
        MonthlyReport.objects.approved()
        .filter(which, year=year, month__lte=month)
        .values("project_id")
        .annotate(total=Sum("invested_wan"), last=Max("month"))
    )
    return {r["project_id"]: (Decimal(r["total"]).quantize(CENT), r["last"]) for r in rows}


def ytd_by_project(project_ids, year: int, month: int) -> dict[int, Decimal]:
    """Approved investment of `year` months 1..`month`, per project (one query)."""
    return {pk: total for pk, (total, _) in _approved(project_ids, year, month).items()}


def overdue_by_project(
    project_ids, as_of: date, *, year: int | None = None
) -> dict[int, list[tuple[str, int]]]:
    """Milestones due before `as_of` and not reached by then, per project (one query).
    `project_ids` None: every live project of plan year `year`."""
    from keyprojects.ledger.models import Milestone

    which = (
        Q(project__year=year, project__deleted_at__isnull=True)
        if project_ids is None
        else Q(project_id__in=project_ids)
    )
    result: dict[int, list[tuple[str, int]]] = defaultdict(list)
    rows = (
        Milestone.objects.filter(which, deleted_at__isnull=True, planned_date__lt=as_of)
        .filter(Q(actual_date__isnull=True) | Q(actual_date__gt=as_of))
        .values_list("project_id", "name", "planned_date")
        .order_by("planned_date")
    )
    for pid, name, planned in rows:
        result[pid].append((name, overdue_days(planned, None, as_of)))
    return result


def node_state(planned: date, actual: date | None, as_of: date) -> str:
    """reached / overdue / upcoming on `as_of` (the wall chart's diamonds, the snapshot)."""
    if actual and actual <= as_of:
        return "reached"
    if planned < as_of:
        return "overdue"
    return "upcoming"


def _judge(p, *, as_of, month, approved, overdue, th, target, curve) -> Verdict:
    """One project's verdict, with 未报送 kept apart from 滞后 (docs/rules.md §2)."""
    total, last = approved.get(p.pk, (ZERO, 0))
    started = p.actual_start is not None and p.actual_start <= as_of
    unreported = started and month > 0 and p.pk not in approved
    v = assess(
        year=p.year,
        as_of=as_of,
        annual_plan_wan=ZERO if unreported else p.annual_plan_wan,
        ytd_wan=total,
        planned_start=p.planned_start,
        actual_start=p.actual_start,
        overdue_milestones=overdue.get(p.pk, []),
        thresholds=th,
        target=target,
        curve=curve,
        monthly_plan_wan=None if unreported else p.monthly_plan_amounts,
        rate_month=last if started and 0 < last < month else None,
    )
    if unreported:
        # No figure was reported: not zero investment, not behind, but a warning all the same.
        v.unreported = True
        v.colour = _worse(v.colour, Colour.YELLOW)
        window = f"1—{month}月" if month > 1 else "1月"
        v.reasons.insert(0, f"{window}无已审核的调度报告（未报送）")
    elif started and month > 0 and last < month:
        ended_before = p.actual_end is not None and p.actual_end < date(p.year, last + 1, 1)
        if not ended_before:
            gap = f"{month}月" if last + 1 == month else f"{last + 1}—{month}月"
            v.reasons.append(f"{gap}调度报告未报送（按1—{last}月已审核数字判断）")
    return v


def _live(
    projects, as_of: date, *, whole_year: bool = False
) -> tuple[dict[int, Verdict], dict[int, Decimal]]:
    """Verdicts and approved YTD of construction projects on `as_of` (fixed query count).
    `whole_year`: `projects` are every live project of their plan year (closing a month), so
    reports and milestones are selected by the year, without IN-lists of every id."""
    projects = [p for p in projects if p.category != Category.RESERVE]
    th = thresholds()
    by_year: dict[int, list] = defaultdict(list)
    for p in projects:
        by_year[p.year].append(p)
    out: dict[int, Verdict] = {}
    ytd: dict[int, Decimal] = {}
    for year, group in by_year.items():
        target, curve = year_rule(year)
        month = evaluation_month(year, as_of)
        approved: dict[int, tuple[Decimal, int]] = {}
        overdue: dict[int, list[tuple[str, int]]] = {}
        if whole_year:
            approved = _approved(None, year, month)
            overdue = overdue_by_project(None, as_of, year=year)
        else:
            for chunk in chunks([p.pk for p in group]):
                approved.update(_approved(chunk, year, month))
                overdue.update(overdue_by_project(chunk, as_of))
        for p in group:
            out[p.pk] = _judge(
                p,
                as_of=as_of,
                month=month,
                approved=approved,
                overdue=overdue,
                th=th,
                target=target,
                curve=curve,
            )
            ytd[p.pk] = approved.get(p.pk, (ZERO, 0))[0]
    return out, ytd


def verdicts(projects, as_of: date) -> dict[int, Verdict]:
    """Schedule verdict (colour + reasons) of each project on `as_of`, computed live.

    Reserve projects have no schedule and get none. A fixed number of queries whatever the
    number of projects (approved sums and overdue milestones, in chunks of 5,000).
    """
    return _live(projects, as_of)[0]


VERDICT_COLUMNS = (
    "project_id",
    "colour",
    "reasons",
    "started",
    "behind",
    "unreported",
    "rate",
    "expected",
)


def _verdict_of_row(row) -> Verdict:
    """A snapshot row's verdict (`row`: a PeriodSnapshot or a row with VERDICT_COLUMNS)."""
    return _verdict_of(
        row.colour, row.reasons, row.started, row.behind, row.unreported, row.rate, row.expected
    )


def _verdict_of(colour, reasons, started, behind, unreported, rate, expected) -> Verdict:
    v = Verdict(
        colour=Colour(colour),
        reasons=list(reasons),
        started=started,
        behind=behind,
        rate=rate,
        expected=expected,
    )
    v.unreported = unreported
    return v


def period_verdicts(projects, period) -> dict[int, Verdict]:
    """Verdicts for `period`: frozen in its snapshot when closed, live otherwise.

    Projects read through with_verdict_columns carry their snapshot's verdict already; the
    others' are read in one query."""
    if not period.final:
        return verdicts(projects, period.as_of)
    from keyprojects.figures.models import PeriodSnapshot

    out: dict[int, Verdict] = {}
    ids = []
    for p in projects:
        if not hasattr(p, _SNAP_COLUMNS[0]):
            ids.append(p.pk)
        elif colour := p.snap_colour:  # None: no row (entered after the close); "": reserve
            out[p.pk] = _verdict_of(colour, *(getattr(p, name) for name in _SNAP_COLUMNS[1:]))
    for chunk in chunks(ids):
        rows = PeriodSnapshot.objects.filter(period_id=period.record_id, project_id__in=chunk)
        # The verdict's columns as named tuples: a page of 50 snapshot models (their node
        # lists decoded) cost more than the query.
        for row in rows.exclude(colour="").values_list(*VERDICT_COLUMNS, named=True):
            out[row.project_id] = _verdict_of_row(row)
    missing = [p for p in projects if p.pk not in out and p.category != Category.RESERVE]
    if missing:
        # Entered after the period closed: it was not in the issued figures; judge it live.
        if not isinstance(missing[0], Model):  # rows of shown_rows: judging reads the project
            from keyprojects.ledger.models import Project

            missing = list(Project.objects.filter(pk__in=[p.pk for p in missing]))
        out.update(verdicts(missing, period.as_of))
    return out


@dataclass
class PaceRow:
    """A construction project's place against 序时, as rankings need it (no model instance)."""

    project_id: int
    code: str
    department_id: int
    planned_start: date | None
    started: bool
    behind: bool
    gap: Decimal | None  # points ahead (+) or behind (−) 序时, one decimal (Verdict.gap_points)
    reasons: list[str] | None = None  # None until load_reasons (closed periods)


def _pace_row(pid, code, dept, planned, started, behind, unreported, rate, expected) -> PaceRow:
    gap = (
        None
        if unreported or rate is None or expected is None
        else round_half_up((rate - expected) * 100, 1)
    )
    return PaceRow(pid, code, dept, planned, started, behind, gap)


PACE_FIELDS = (
    "project_id",
    "project__code",
    "department_id",
    "planned_start",
    "started",
    "behind",
    "unreported",
    "rate",
    "expected",
)


def pace_rows(period, *, due_by: date | None = None, fast: int = 0, slow: int = 0) -> list[PaceRow]:
    """Construction projects of `period` with their gap to 序时, for rankings.

    Open period: every project, judged live. Closed period: only the rows that can be among the
    `fast` largest and `slow` smallest gaps — started projects whose gap is within 0.1 point of
    the cut (the database orders by the unrounded gap, so ties after rounding are all kept) and
    the `slow` last-coded projects due to start by `due_by` and not started — so a ranking over
    10,000 projects reads a few dozen rows. Reasons come later, from load_reasons.
    """
    from keyprojects.figures.models import PeriodSnapshot
    from keyprojects.ledger.models import Project

    if not period.final:
        group = list(
            Project.objects.live()
            .filter(year=period.year, category__in=CONSTRUCTION_CATEGORIES)
            .select_related(None)
        )
        verdict_of = verdicts(group, period.as_of)
        out = []
        for p in group:
            v = verdict_of[p.pk]
            row = _pace_row(
                p.pk,
                p.code,
                p.department_id,
                p.planned_start,
                v.started,
                v.behind,
                v.unreported,
                v.rate,
                v.expected,
            )
            row.reasons = list(v.reasons)
            out.append(row)
        return out
    rows = PeriodSnapshot.objects.filter(
        period_id=period.record_id, category__in=CONSTRUCTION_CATEGORIES
    ).exclude(colour="")
    judged = rows.filter(
        started=True, unreported=False, rate__isnull=False, expected__isnull=False
    ).annotate(diff=F("rate") - F("expected"))
    picked = []  # querysets or lists of PACE_FIELDS tuples
    for n, descending in ((fast, True), (slow, False)):
        if n <= 0:
            continue
        ordered = judged.order_by("-diff" if descending else "diff", "project__code")
        # One ordered read of n + 20 rows usually holds every row within 0.1 point of the n-th;
        # only when it does not (many ties at the cut) is the rest read by the margin.
        head = list(ordered.values_list(*PACE_FIELDS, "diff")[: n + 20])
        if len(head) < n + 20:
            picked.append([row[:-1] for row in head])  # all of them
            continue
        cut = head[n - 1][-1]
        bound = cut - Decimal("0.001") if descending else cut + Decimal("0.001")
        last = head[-1][-1]
        if (last < bound) if descending else (last > bound):
            picked.append(
                [row[:-1] for row in head if (row[-1] >= bound if descending else row[-1] <= bound)]
            )
        else:
            picked.append(judged.filter(**{"diff__gte" if descending else "diff__lte": bound}))
    if slow > 0 and due_by is not None:
        late = rows.filter(started=False, planned_start__lte=due_by).order_by("-project__code")
        picked.append(late[:slow])
    seen: dict[int, PaceRow] = {}
    for found in picked:
        rows_ = found if isinstance(found, list) else found.values_list(*PACE_FIELDS)
        for values in rows_:
            seen.setdefault(values[0], _pace_row(*values))
    return list(seen.values())


def late_start_counts(period, due_by: date) -> dict[int, int]:
    """{department: projects due to start by `due_by` and not started} in `period`."""
    from keyprojects.figures.models import PeriodSnapshot

    if not period.final:
        counts: dict[int, int] = defaultdict(int)
        for r in pace_rows(period):
            if not r.started and r.planned_start and r.planned_start <= due_by:
                counts[r.department_id] += 1
        return counts
    # The ranking and the report both ask within one request (shared_summaries).
    memo, key = _shared.get(), ("late_start", period.record_id, due_by)
    if memo is not None and key in memo:
        return memo[key]
    kept = _kept(period) if due_by == period.as_of else None
    if kept is not None:
        counts = frozen.late_start(kept)
    else:
        counts = _late_start_counts(
            PeriodSnapshot.objects.filter(period_id=period.record_id), due_by
        )
    if memo is not None:
        memo[key] = counts
    return counts


def _late_start_counts(rows, due_by: date) -> dict[int, int]:
    """{department: judged construction rows not started and due to start by `due_by`}."""
    return dict(
        rows.filter(category__in=CONSTRUCTION_CATEGORIES, started=False, planned_start__lte=due_by)
        .exclude(colour="")
        .values("department_id")
        .annotate(n=Count("id"))
        .values_list("department_id", "n")
    )


def load_reasons(period, rows: list[PaceRow]) -> None:
    """Fill in the reasons of `rows` (a closed period's, one query)."""
    from keyprojects.figures.models import PeriodSnapshot

    todo = {r.project_id: r for r in rows if r.reasons is None}
    if not todo:
        return
    for pid, reasons in PeriodSnapshot.objects.filter(
        period_id=period.record_id, project_id__in=list(todo)
    ).values_list("project_id", "reasons"):
        todo[pid].reasons = list(reasons)


# --- colours in the database (list filters and sorting) ---------------------------------------


def _with_snapshot(qs: QuerySet, period) -> QuerySet:
    """`qs` joined, once, to each project's row of the closed `period` (alias `snap`): the
    colour filter, the colour sort and the verdict columns share the one join."""
    # FilteredRelation aliases are kept apart from annotations, in _filtered_relations.
    if "snap" in qs.query._filtered_relations:
        return qs
    snap = FilteredRelation(
        "period_snapshots", condition=Q(period_snapshots__period_id=period.record_id)
    )
    return qs.annotate(snap=snap)


# A verdict as with_verdict_columns annotates it (the order of _verdict_of's arguments).
_SNAP_COLUMNS = tuple(f"snap_{name}" for name in VERDICT_COLUMNS[1:])


def with_verdict_columns(qs: QuerySet, period) -> QuerySet:
    """When `qs` already joins the closed period's snapshot (a colour filter or the colour
    sort), its rows bring their verdict along (period_verdicts then reads no more). Without
    that join `qs` is returned as it is: joining every project of the year to sort a page
    would cost more than reading the page's fifty rows afterwards."""
    if not period.final or "snap" not in qs.query._filtered_relations:
        return qs
    return qs.annotate(
        **{
            alias: F(f"snap__{name}")
            for alias, name in zip(_SNAP_COLUMNS, VERDICT_COLUMNS[1:], strict=True)
        }
    )


def shown_rows(qs: QuerySet, period, fields: tuple[str, ...]) -> QuerySet:
    """The rows of a closed `period`'s list as named tuples: `pk`, `fields`, and the verdict
    columns when `qs` joins the period's snapshot (with_verdict_columns). A closed month's rows
    are shown, not judged, so no model instance is built; period_verdicts takes them."""
    qs = with_verdict_columns(qs, period)
    verdict = _SNAP_COLUMNS if _SNAP_COLUMNS[0] in qs.query.annotations else ()
    return qs.values_list("pk", *fields, *verdict, named=True)


def annotate_colour(qs: QuerySet, period) -> QuerySet:
    """Adds `fig_colour` and `fig_colour_rank` (red 0 … none 3) from a closed period's snapshot,
    by one LEFT JOIN on the period's row (a project entered after the close has none: rank 3)."""
    return _with_snapshot(qs, period).annotate(
        fig_colour=Coalesce(F("snap__colour"), V("")),
        fig_colour_rank=Coalesce(F("snap__colour_rank"), V(3)),
    )


def filter_colour(qs: QuerySet, period, colour: str) -> QuerySet:
    """Projects of `qs` whose colour in `period` is `colour` (SQL when the period is closed)."""
    if period.final:
        # An inner join on the period's row (one per project), through the (period,
        # colour_rank) index: the database starts from the period's rows of that colour, not
        # from every project of the year (nor from every row of the period).
        row = {"snap__colour": colour}
        if colour in RANK:
            row["snap__colour_rank"] = RANK[colour]
        return _with_snapshot(qs, period).filter(**row)
    verdict_of = verdicts(qs.select_related(None), period.as_of)
    return qs.filter(pk__in=[pk for pk, v in verdict_of.items() if v.colour.value == colour])


def filter_behind(qs: QuerySet, period, behind: bool) -> QuerySet:
    if period.final:
        from keyprojects.figures.models import PeriodSnapshot

        ids = PeriodSnapshot.objects.filter(period_id=period.record_id, behind=True)
        sub = ids.values("project_id")
        return qs.filter(pk__in=sub) if behind else qs.exclude(pk__in=sub)
    verdict_of = verdicts(qs.select_related(None), period.as_of)
    ids = [pk for pk, v in verdict_of.items() if v.behind]
    return qs.filter(pk__in=ids) if behind else qs.exclude(pk__in=ids)


def order_by_colour(qs: QuerySet, period, *, red_first: bool = True) -> QuerySet:
    if period.final:
        rank = annotate_colour(qs, period)
        key = "fig_colour_rank" if red_first else "-fig_colour_rank"
        return rank.order_by(key, "department__order", "code")
    verdict_of = verdicts(qs.select_related(None), period.as_of)
    rank = Case(
        *[
            When(pk__in=[pk for pk, v in verdict_of.items() if v.colour == c], then=V(r))
            for c, r in ((Colour.RED, 0), (Colour.YELLOW, 1), (Colour.GREEN, 2))
        ],
        default=V(3),  # reserve projects: no schedule
        output_field=IntegerField(),
    )
    order = rank.asc() if red_first else rank.desc()
    return qs.order_by(order, "department__order", "code")


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
    unreported: int = 0  # started = on_schedule + behind_schedule + unreported
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
    unreported: int = 0
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
    unreported_projects: list = field(default_factory=list)
    # (project, verdict) of every red or yellow project, red first, then in ledger order (the
    # dashboard lists them).
    flagged_projects: list = field(default_factory=list)
    period: object = None  # periods.Period when the summary was asked for a period

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
        out = {
            "year": self.year,
            "quarter": self.quarter,
            "month": self.month,
            "as_of": self.as_of.isoformat(),
        }
        if self.period is not None:
            out["period"] = {
                "key": self.period.key,
                "final": self.period.final,
                "months_label": self.period.months_label,
                "statement": self.period.statement,
            }
        out.update(
            {
                "projects": projects,
                "investment": investment,
                "departments": departments,
                "unreported_projects": [
                    {"code": p.code, "name": p.name, "department": p.department.name}
                    for p, _ in self.unreported_projects
                ],
            }
        )
        return out


MONEY_FIELDS = (
    "total_investment_wan",
    "reserve_investment_wan",
    "listed_investment_wan",
    "annual_plan_wan",
    "completed_ytd_wan",
)


def _finish(counts, inv, depts, *, year, month):
    counts.not_started = counts.total - counts.started
    counts.start_rate = kpis.start_rate(counts.started, counts.total)
    # Money always with two decimals, whichever path (snapshot or live) computed it.
    for row in (inv, *depts):
        for name in MONEY_FIELDS:
            setattr(row, name, Decimal(getattr(row, name)).quantize(CENT))
    inv.investment_rate = kpis.investment_rate(inv.completed_ytd_wan, inv.annual_plan_wan)
    target, curve = year_rule(year)
    inv.expected_share = round_half_up(expected_share(month, target, curve) * 100, 1)
    for d in depts:
        d.start_rate = kpis.start_rate(d.started, d.total)
        d.investment_rate = kpis.investment_rate(d.completed_ytd_wan, d.annual_plan_wan)


def ledger_summary(
    year: int,
    *,
    as_of: date | None = None,
    quarter: int | None = None,
    projects: QuerySet | None = None,
) -> LedgerSummary:
    """Headline figures of plan year `year` as of a day, computed live.

    "Started" means an actual start on or before `as_of`; the started projects split into
    有序推进 / 未达到序时进度 / 未报送; money sums only approved monthly reports.
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
    verdict_of, ytd = _live(rows, as_of)

    counts = ProjectCounts()
    inv = Investment()
    depts: dict[int, DepartmentRow] = {}
    behind, not_started, unreported, flagged = [], [], [], []
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
            if v.unreported:
                counts.unreported += 1
                d.unreported += 1
                unreported.append((p, v))
            elif v.behind:
                counts.behind_schedule += 1
                d.behind_schedule += 1
                behind.append((p, v))
            else:
                counts.on_schedule += 1
        else:
            not_started.append((p, v))

    _finish(counts, inv, depts.values(), year=year, month=month)
    flagged.sort(key=lambda pv: -pv[1].colour.rank)  # red first; stable: ledger order within
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
        unreported_projects=unreported,
        flagged_projects=flagged,
    )


# What a listed (project, verdict) needs: name and link, department label, the frozen verdict.
LIST_FIELDS = (
    *VERDICT_COLUMNS[1:],  # all but project_id, which project__id gives
    "project__id",
    "project__code",
    "project__name",
    "project__year",
    "project__category",
    "project__planned_start",
    "project__department__name",
    "project__department__short_name",
    "project__department__order",
)


def _scoped(snapshot_rows, projects):
    """Snapshot rows narrowed to a user's scope. Every live project (the office's and leaders'
    scope) needs no narrowing: the snapshot already holds exactly the projects of the period."""
    from keyprojects.ledger.models import Project

    if projects is None or str(projects.query) == str(Project.objects.live().query):
        return snapshot_rows
    return snapshot_rows.filter(project_id__in=projects.values("pk"))


ALL_LISTS = ("behind", "not_started", "unreported", "flagged")


# Which snapshot rows each figure counts.
_BUILD = Q(category__in=CONSTRUCTION_CATEGORIES)
_RESERVE = Q(category=Category.RESERVE)
_STARTED = _BUILD & Q(started=True)
_BEHIND = _STARTED & Q(unreported=False, behind=True)


def _group_rows(rows) -> list[dict]:
    """A closed period's counts and money by department: one GROUP BY on the snapshot."""

    def n(cond):
        return Count("id", filter=cond)

    def s(name, cond=None):
        return Sum(name, filter=cond, default=ZERO)

    return list(
        rows.values("department_id", "department__name", "department__short_name")
        .annotate(
            listed=Count("id"),
            total=n(_BUILD),
            continuing=n(Q(category=Category.CONTINUING)),
            new=n(Q(category=Category.NEW)),
            reserve=n(_RESERVE),
            started_n=n(_STARTED),
            completed=n(_STARTED & Q(completed=True)),
            unreported_n=n(_STARTED & Q(unreported=True)),
            behind_n=n(_BEHIND),
            red=n(Q(colour="red")),
            yellow=n(Q(colour="yellow")),
            green=n(Q(colour="green")),
            total_inv=s("total_investment_wan", _BUILD),
            reserve_inv=s("total_investment_wan", _RESERVE),
            listed_inv=s("total_investment_wan"),
            plan=s("annual_plan_wan", _BUILD),
            ytd=s("ytd_wan", _BUILD),
            order=Max("department__order"),
        )
        .order_by("order", "department__name")
    )


def _fold(period, grouped: list[dict]):
    """(counts, investment, department rows) of a closed period from its rows by department."""
    counts, inv, depts = ProjectCounts(), Investment(), []
    for g in grouped:
        d = DepartmentRow(
            g["department_id"],
            g["department__name"],
            g["department__short_name"] or g["department__name"],
            total=g["total"],
            continuing=g["continuing"],
            new=g["new"],
            reserve=g["reserve"],
            listed=g["listed"],
            started=g["started_n"],
            behind_schedule=g["behind_n"],
            unreported=g["unreported_n"],
            total_investment_wan=Decimal(g["total_inv"]).quantize(CENT),
            reserve_investment_wan=Decimal(g["reserve_inv"]).quantize(CENT),
            listed_investment_wan=Decimal(g["listed_inv"]).quantize(CENT),
            annual_plan_wan=Decimal(g["plan"]).quantize(CENT),
            completed_ytd_wan=Decimal(g["ytd"]).quantize(CENT),
        )
        depts.append(d)
        for key in ("total", "continuing", "new", "reserve", "listed", "red", "yellow", "green"):
            setattr(counts, key, getattr(counts, key) + g[key])
        counts.started += g["started_n"]
        counts.completed += g["completed"]
        counts.unreported += g["unreported_n"]
        counts.behind_schedule += g["behind_n"]
        inv.total_investment_wan += d.total_investment_wan
        inv.reserve_investment_wan += d.reserve_investment_wan
        inv.listed_investment_wan += d.listed_investment_wan
        inv.annual_plan_wan += d.annual_plan_wan
        inv.completed_ytd_wan += d.completed_ytd_wan
    counts.on_schedule = counts.started - counts.behind_schedule - counts.unreported
    _finish(counts, inv, depts, year=period.year, month=period.month)
    return counts, inv, depts


def _snapshot_summary(period, projects, list_limit, lists=ALL_LISTS) -> LedgerSummary:
    """A closed period's summary: two GROUP BY queries and three list queries on the snapshot."""
    from keyprojects.figures.models import PeriodSnapshot

    every = PeriodSnapshot.objects.filter(period_id=period.record_id)
    rows = _scoped(every, projects)
    # County-wide figures are shared within a command or request (shared_summaries).
    memo = _shared.get() if rows is every else None
    key = ("grouped", period.record_id)
    if memo is not None and key in memo:
        counts, inv, depts = memo[key]
    else:
        kept = _kept(period) if rows is every else None
        grouped = frozen.grouped(kept) if kept is not None else _group_rows(rows)
        counts, inv, depts = _fold(period, grouped)
        if memo is not None:
            memo[key] = (counts, inv, depts)

    def listed(name, cond, *first):
        if name not in lists:
            return []
        qs = (
            rows.filter(cond)
            .select_related("project", "project__department")
            .only(*LIST_FIELDS)
            .order_by(*first, "department__order", "department__name", "project__code")
        )
        if list_limit is not None:
            qs = qs[:list_limit]
        return [(r.project, _verdict_of_row(r)) for r in qs]

    return LedgerSummary(
        year=period.year,
        as_of=period.as_of,
        quarter=period.quarter,
        month=period.month,
        projects=counts,
        investment=inv,
        departments=depts,
        behind_projects=listed("behind", _BEHIND),
        not_started_projects=listed("not_started", _BUILD & Q(started=False)),
        unreported_projects=listed("unreported", _STARTED & Q(unreported=True)),
        flagged_projects=listed("flagged", Q(colour__in=["red", "yellow"]), "colour_rank"),
        period=period,
    )


def late_starts(period, projects, due_by: date, *, names: int) -> tuple[list[str], int]:
    """(the first `names` names, how many) of the construction projects of a closed `period` due
    to start by `due_by` and not started, in a user's scope, in the summary lists' order. The
    county's, at the period's end, were kept at the close; a scope's take one query."""
    from keyprojects.figures.models import PeriodSnapshot

    every = PeriodSnapshot.objects.filter(period_id=period.record_id)
    rows = _scoped(every, projects)
    kept = None
    if rows is every and due_by == period.as_of and names <= frozen.NAMES:
        kept = _kept(period)
    if kept is not None:
        first = kept["late_first"][:names]
        name_of = frozen.names(first)
        return [name_of[pk] for pk in first], kept["late_total"]
    first, total = _late_first(rows, due_by, names)
    return [name for _, name in first], total


def _late_first(rows, due_by: date, names: int) -> tuple[list[tuple[int, str]], int]:
    """((project id, name) of the first `names`, how many) of the rows late to start."""
    late = rows.filter(
        # Every construction project, also one not judged (年度计划待补充), as the report's list.
        category__in=CONSTRUCTION_CATEGORIES,
        started=False,
        planned_start__lte=due_by,
    )
    # One scan: the window counts every row before the limit keeps the first few.
    first = list(
        late.annotate(total=Window(Count("id")))
        .order_by("department__order", "department__name", "project__code")
        .values_list("project_id", "project__name", "total")[: max(names, 1)]
    )
    return [(pid, name) for pid, name, _ in first[:names]], first[0][2] if first else 0


def behind_names(period, projects, *, per: int) -> dict[int, list[str]]:
    """{department: the first `per` names, by code, of its projects behind schedule} in a closed
    `period`, for text that quotes a few names of every department when the summary's list is
    cut. The county's were kept at the close; a scope's take one query."""
    from keyprojects.figures.models import PeriodSnapshot

    every = PeriodSnapshot.objects.filter(period_id=period.record_id)
    rows = _scoped(every, projects)
    kept = _kept(period) if rows is every and per <= frozen.NAMES else None
    if kept is not None:
        first = frozen.behind_first(kept, per)
        name_of = frozen.names([pk for ids in first.values() for pk in ids])
        return {d: [name_of[pk] for pk in ids] for d, ids in first.items()}
    return {d: [name for _, name in v] for d, v in _behind_first(rows, per).items()}


def _behind_first(rows, per: int) -> dict[int, list[tuple[int, str]]]:
    """{department: (project id, name) of its first `per` rows behind schedule, by code}: one
    query, a window numbers each department's rows."""
    numbered = (
        rows.filter(_BEHIND)
        .annotate(
            n=Window(
                RowNumber(), partition_by=[F("department_id")], order_by=F("project__code").asc()
            )
        )
        .filter(n__lte=per)
        .order_by("department_id", "n")
        .values_list("department_id", "project_id", "project__name")
    )
    out: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for dept, pid, name in numbered:
        out[dept].append((pid, name))
    return dict(out)


def county_figures(record_id: int, as_of: date) -> dict:
    """What the close keeps of a period's county-wide figures (figures.frozen), from its
    snapshot rows just written: the same queries the pages would otherwise run."""
    from keyprojects.figures.models import PeriodSnapshot

    rows = PeriodSnapshot.objects.filter(period_id=record_id)
    late_first, late_total = _late_first(rows, as_of, frozen.NAMES)
    return frozen.pack(
        _group_rows(rows),
        late_start=_late_start_counts(rows, as_of),
        late_first=[pid for pid, _ in late_first],
        late_total=late_total,
        behind_first={
            d: [pid for pid, _ in v] for d, v in _behind_first(rows, frozen.NAMES).items()
        },
    )


_shared: ContextVar[dict | None] = ContextVar("figures_shared", default=None)


def _kept(period) -> dict | None:
    """frozen.county(period), read once within shared_summaries (the summary, the ranking's
    late starts and the report's names all ask in one request)."""
    memo, key = _shared.get(), ("kept", period.record_id)
    if memo is None:
        return frozen.county(period)
    if key not in memo:
        memo[key] = frozen.county(period)
    return memo[key]


@contextmanager
def shared_summaries():
    """Within this block a closed period's county-wide summary is computed once: `stats`, the
    dashboard and the report ask for it, and so do the KPI and ranking blocks they gather.
    Scoped to one command or request, so nothing outlives the data it was read from."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def summary(
    period,
    *,
    projects: QuerySet | None = None,
    list_limit: int | None = None,
    lists: tuple[str, ...] = ALL_LISTS,
):
    """The summary of `period` (periods.Period): the snapshot when closed, live when open.

    `lists` names the project lists to fetch (behind, not_started, unreported); the others stay
    empty, their counts are always there. `list_limit` cuts each list (pages drill down)."""
    if period.final:
        return _snapshot_summary(period, projects, list_limit, lists)
    s = ledger_summary(period.year, as_of=period.as_of, quarter=period.quarter, projects=projects)
    s.period = period
    if list_limit is not None:
        s.behind_projects = s.behind_projects[:list_limit]
        s.not_started_projects = s.not_started_projects[:list_limit]
        s.unreported_projects = s.unreported_projects[:list_limit]
        s.flagged_projects = s.flagged_projects[:list_limit]
    return s


def colour_counts(verdict_map: dict[int, Verdict]) -> dict[str, int]:
    out = {c.value: 0 for c in Colour}
    for v in verdict_map.values():
        out[v.colour.value] += 1
    return out


def list_totals(projects: QuerySet) -> dict[str, Decimal | int]:
    """Totals under the ledger list and its export (the filtered rows), one query."""
    agg = projects.order_by().aggregate(
        count=Count("pk"),
        total_investment_wan=Sum("total_investment_wan"),
        annual_plan_wan=Sum("annual_plan_wan"),
        completed_before_year_wan=Sum("completed_before_year_wan"),
    )
    count = agg.pop("count")
    return {"count": count, **{k: v or ZERO for k, v in agg.items()}}


# --- what a period freezes --------------------------------------------------------------------


def snapshot_rows(year: int, month: int) -> list[dict]:
    """Each live project's figures of plan year `year` at the end of `month` (for closing)."""
    from keyprojects.ledger.models import Milestone, Project

    as_of = month_end(year, month)
    projects = list(
        Project.objects.live()
        .filter(year=year)
        .only(
            "pk",
            "year",
            "department_id",
            "category",
            "total_investment_wan",
            "annual_plan_wan",
            "planned_start",
            "actual_start",
            "actual_end",
            "monthly_plan",
        )
    )
    verdict_of, ytd = _live(projects, as_of, whole_year=True)
    nodes: dict[int, list] = defaultdict(list)
    for pid, name, planned, actual in (
        Milestone.objects.filter(
            project__year=year, project__deleted_at__isnull=True, deleted_at__isnull=True
        )
        .order_by("planned_date", "id")
        .values_list("project_id", "name", "planned_date", "actual_date")
    ):
        nodes[pid].append(
            [
                name,
                planned.isoformat(),
                actual.isoformat() if actual else None,
                node_state(planned, actual, as_of),
            ]
        )
    out = []
    for p in projects:
        v = verdict_of.get(p.pk)
        colour = v.colour.value if v else ""
        out.append(
            dict(
                project_id=p.pk,
                department_id=p.department_id,
                category=p.category,
                planned_start=p.planned_start,
                total_investment_wan=p.total_investment_wan,
                annual_plan_wan=p.annual_plan_wan,
                ytd_wan=ytd.get(p.pk, ZERO),
                started=bool(v and v.started),
                completed=bool(v and v.started and p.actual_end and p.actual_end <= as_of),
                unreported=bool(v and v.unreported),
                behind=bool(v and v.behind),
                colour=colour,
                colour_rank=RANK[colour],
                rate=v.rate if v else None,
                expected=v.expected if v else None,
                reasons=list(v.reasons) if v else [],
                nodes=nodes.get(p.pk, []),
            )
        )
    return out


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
