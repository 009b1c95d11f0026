"""Figures of the monthly dispatch: what the brief (调度通报) and the wall chart show.

The brief and the wall chart render these and compute nothing themselves. A closed period is
read from its snapshot (colours, reasons, node states as issued); an open one live.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from keyprojects.figures import ledger as figures
from keyprojects.figures.periods import Period
from keyprojects.ledger.choices import CONSTRUCTION_CATEGORIES

# Longer colour and 待报 lists are cut, with the count and a pointer to the ledger or 待报项目.
BRIEF_LIST_LIMIT = 100
WALL_PAGE_SIZE = 200


# --- the brief --------------------------------------------------------------------------------


@dataclass
class BriefFigures:
    period: Period
    summary: object
    red: list = field(default_factory=list)  # (project, verdict), at most list_limit
    yellow: list = field(default_factory=list)
    red_total: int = 0
    yellow_total: int = 0
    not_reported: list = field(default_factory=list)  # 待报: no report submitted for the month
    not_reported_total: int = 0


def _ordered(rows):
    rows.sort(key=lambda pv: (pv[0].department.order, pv[0].department.name, pv[0].code))
    return rows


def colour_lists(period: Period, projects, limit: int | None) -> dict[str, tuple[list, int]]:
    """{colour: ([(project, verdict)…] at most `limit`, total)} for red and yellow."""
    out = {}
    if period.final:
        from keyprojects.figures.models import PeriodSnapshot

        base = figures._scoped(PeriodSnapshot.objects.filter(period_id=period.record_id), projects)
        totals = dict(
            base.filter(colour__in=["red", "yellow"])
            .values("colour")
            .annotate(n=Count("id"))
            .values_list("colour", "n")
        )
        for colour in ("red", "yellow"):
            qs = (
                base.filter(colour=colour)
                .select_related("project", "project__department")
                .only(*figures.LIST_FIELDS)
                .order_by("department__order", "department__name", "project__code")
            )
            if limit is not None:
                qs = qs[:limit]
            out[colour] = (
                [(r.project, figures._verdict_of_row(r)) for r in qs],
                totals.get(colour, 0),
            )
        return out
    rows = list(
        projects.filter(year=period.year, category__in=CONSTRUCTION_CATEGORIES).select_related(
            "department"
        )
    )
    verdict_of = figures.verdicts(rows, period.as_of)
    for colour in ("red", "yellow"):
        items = _ordered([(p, verdict_of[p.pk]) for p in rows if verdict_of[p.pk].colour == colour])
        out[colour] = (items[:limit] if limit is not None else items, len(items))
    return out


def brief_figures(period: Period, projects, *, list_limit: int | None = BRIEF_LIST_LIMIT):
    """Everything the monthly brief prints for `period` over `projects` (a user's scope)."""
    from keyprojects.dispatch import services as dispatch_services

    # The brief lists by colour (below), not the summary's behind/not-started/unreported lists.
    summary = figures.summary(period, projects=projects, list_limit=list_limit, lists=())
    lists = colour_lists(period, projects, list_limit)
    # 待报 is cut like the colour lists: its count in full, the first ones named (what a row
    # prints), the rest on the dispatch pages' 待报项目.
    due = dispatch_services.due_queryset(projects, period.year, period.month).only(
        "code", "name", "department__name", "department__short_name", "department__order"
    )
    not_reported = list(due if list_limit is None else due[:list_limit])
    cut = list_limit is not None and len(not_reported) == list_limit
    return BriefFigures(
        period=period,
        summary=summary,
        red=lists["red"][0],
        red_total=lists["red"][1],
        yellow=lists["yellow"][0],
        yellow_total=lists["yellow"][1],
        not_reported=not_reported,
        not_reported_total=due.count() if cut else len(not_reported),
    )


# --- the wall chart ---------------------------------------------------------------------------


@dataclass
class WallRow:
    project: object
    colour: str | None
    reason: str
    milestones: list = field(default_factory=list)  # (name, planned, actual, state)


@dataclass
class WallFigures:
    period: Period
    groups: list  # (department label, count of its projects in the whole chart, [WallRow])
    total: int
    page: int
    pages: int


def _d(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def wall_chart(projects, period: Period, *, page: int = 1, page_size: int = WALL_PAGE_SIZE):
    """One page of the year's construction projects with colours and node states, grouped by
    department (group sizes counted over the whole chart). Fixed number of queries per page."""
    base = projects.filter(year=period.year, category__in=CONSTRUCTION_CATEGORIES)
    sizes = {
        row["department_id"]: row["n"]
        for row in base.order_by().values("department_id").annotate(n=Count("pk"))
    }
    total = sum(sizes.values())
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    plist = list(
        base.select_related("department").order_by("department__order", "department__name", "code")[
            (page - 1) * page_size : page * page_size
        ]
    )
    snap = {}
    if period.final:
        from keyprojects.figures.models import PeriodSnapshot

        snap = {
            r.project_id: r
            for r in PeriodSnapshot.objects.filter(
                period_id=period.record_id, project_id__in=[p.pk for p in plist]
            )
        }
    live = [p for p in plist if p.pk not in snap]
    verdict_of = figures.verdicts(live, period.as_of) if live else {}
    nodes: dict[int, list] = {}
    if live:
        from keyprojects.ledger.models import Milestone

        for pid, name, planned, actual in (
            Milestone.objects.filter(project_id__in=[p.pk for p in live], deleted_at__isnull=True)
            .order_by("planned_date", "id")
            .values_list("project_id", "name", "planned_date", "actual_date")
        ):
            nodes.setdefault(pid, []).append(
                (name, planned, actual, figures.node_state(planned, actual, period.as_of))
            )
    groups: dict = {}
    for p in plist:
        if p.pk in snap:
            r = snap[p.pk]
            row = WallRow(p, r.colour or None, "；".join(r.reasons))
            row.milestones = [(n, _d(pl), _d(ac), st) for n, pl, ac, st in r.nodes]
        else:
            v = verdict_of.get(p.pk)
            row = WallRow(p, v.colour.value if v else None, v.reason_text if v else "")
            row.milestones = nodes.get(p.pk, [])
        key = p.department_id
        if key not in groups:
            groups[key] = (p.department.label, sizes.get(key, 0), [])
        groups[key][2].append(row)
    return WallFigures(period, list(groups.values()), total, page, pages)
