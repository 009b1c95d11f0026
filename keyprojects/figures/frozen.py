"""What a closed period keeps of its county-wide figures (ReportingPeriod.county).

Computed once at the close from the snapshot (figures.ledger.county_figures) and read by every
county-wide page of that month instead of aggregating the period's rows again: the counts and
sums by department, the projects late to start by the period's end, and the first names of the
lists a report quotes. Only ids and numbers are kept; department and project names are read when
shown, as the lists show them.
"""

from decimal import Decimal

# How many names of each list are kept (a report's sentence quotes three).
NAMES = 5

# The money columns of a department's row (figures.ledger._group_rows), kept as exact text.
MONEY = ("total_inv", "reserve_inv", "listed_inv", "plan", "ytd")
# Read from the department when shown, never kept.
_NAMED = ("department__name", "department__short_name")


def county(period) -> dict | None:
    """The kept figures of a closed `period` (periods.Period); None for an open one or a month
    closed before they were kept."""
    from keyprojects.figures.models import ReportingPeriod

    if not (period.final and period.record_id):
        return None
    return (
        ReportingPeriod.objects.filter(pk=period.record_id).values_list("county", flat=True).first()
    )


def pack(
    grouped: list[dict],
    *,
    late_start: dict[int, int],
    late_first: list[int],
    late_total: int,
    behind_first: dict[int, list[int]],
) -> dict:
    """The JSON kept at the close (keys as text, money as exact decimal text)."""
    return {
        "grouped": [
            {k: str(v) if k in MONEY else v for k, v in g.items() if k not in _NAMED}
            for g in grouped
        ],
        "late_start": {str(d): n for d, n in late_start.items()},
        "late_first": list(late_first),
        "late_total": late_total,
        "behind_first": {str(d): list(ids) for d, ids in behind_first.items()},
    }


def grouped(kept: dict) -> list[dict]:
    """The rows by department as the GROUP BY gives them, named and ordered by the departments'
    names and order of today (one query on the departments)."""
    from keyprojects.core.models import Department

    rows = {g["department_id"]: g for g in kept["grouped"]}
    out = []
    for pk, name, short_name in (
        Department.objects.filter(pk__in=rows)
        .order_by("order", "name")
        .values_list("pk", "name", "short_name")
    ):
        g = {**rows[pk], "department__name": name, "department__short_name": short_name}
        for key in MONEY:
            g[key] = Decimal(g[key])
        out.append(g)
    return out


def late_start(kept: dict) -> dict[int, int]:
    return {int(d): n for d, n in kept["late_start"].items()}


def behind_first(kept: dict, per: int) -> dict[int, list[int]]:
    return {int(d): ids[:per] for d, ids in kept["behind_first"].items()}


def names(ids: list[int]) -> dict[int, str]:
    """{project id: its name of today} (one query). A snapshot's project is never deleted for
    good (PROTECT), so every kept id has one."""
    from keyprojects.ledger.models import Project

    return dict(Project.objects.filter(pk__in=ids).order_by().values_list("pk", "name"))
