"""The dashboard's figures: the period's ledger summary (figures.ledger), the monthly trend, and
the figures blocks the domain apps register (figures.blocks), all for one reporting period.

Nothing here decides what a figure means; it gathers figures and says, for each number, which
ledger filter lists the rows behind it (`q`, a query string for the ledger list). A fixed number
of queries whatever the number of projects.
"""

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse

from keyprojects.dashboard.blocks import BLOCK_TITLES
from keyprojects.dashboard.blocks import lines as block_lines
from keyprojects.figures import blocks as figure_blocks
from keyprojects.figures import ledger as ledger_figures
from keyprojects.figures import trend
from keyprojects.figures.common import year_rule
from keyprojects.ledger.schedule import Colour, expected_share
from keyprojects.units import round_half_up

# How many red/yellow projects the page lists by name; the number opens all of them.
FLAGGED_SHOWN = 30
COLOUR_NAMES = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}


def period_text(year: int, month: int, as_of: date) -> str:
    """The stated period, as reports state it: 2022年1—3月（截至2022年3月31日）."""
    day = f"截至{as_of.year}年{as_of.month}月{as_of.day}日"
    if month == 0:
        return f"{year}年（{day}，尚无完整月份）"
    months = "1月" if month == 1 else f"1—{month}月"
    return f"{year}年{months}（{day}）"


def _jsonable(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def blocks(year: int, quarter: int, period=None) -> dict:
    return {
        key: _jsonable(value)
        for key, value in figure_blocks.collect(year=year, quarter=quarter, period=period).items()
    }


def monthly_trend(
    period, projects, month: int, annual_plan_wan: Decimal, *, department_id: int | None = None
) -> list[dict]:
    """Approved investment of the year's construction projects by month (figures.trend: a closed
    month's frozen totals), with the cumulative sum and the 序时 amount due by each month end
    (the county rule × the plan). `projects` None: the county; `department_id`: the scope is
    exactly that department's projects."""
    year = period.year
    by_month = trend.by_month(period, projects, department_id=department_id, month=month)
    target, curve = year_rule(year)
    out, running = [], Decimal(0)
    for m in range(1, 13):
        done = by_month.get(m, Decimal(0)) if m <= month else None
        if done is not None:
            running += done
        due = round_half_up(annual_plan_wan * expected_share(m, target, curve), 2)
        out.append(
            {
                "month": m,
                "completed_wan": float(round_half_up(done, 2)) if done is not None else None,
                "cumulative_wan": float(round_half_up(running, 2)) if done is not None else None,
                "schedule_wan": float(due),
            }
        )
    return out


def _q(base: dict, **extra) -> str:
    return urlencode({**base, **{k: v for k, v in extra.items() if v is not None}})


def dashboard(
    projects, *, year: int, as_of: date, with_blocks: bool, period, trend_scope=None
) -> dict:
    """`trend_scope`: (projects, department id) of dashboard.permissions.trend_scope; the
    monthly trend of `projects`, read live, when not given."""
    with ledger_figures.shared_summaries():
        return _dashboard(
            projects,
            year=year,
            as_of=as_of,
            with_blocks=with_blocks,
            period=period,
            trend_scope=trend_scope or (projects, None),
        )


def _dashboard(projects, *, year: int, as_of: date, with_blocks: bool, period, trend_scope):
    """Everything the dashboard shows for `projects` (a user's scope) in the reporting `period`
    (figures.periods; a closed month is read from its frozen snapshot). `with_blocks`: the
    county-wide blocks of other apps (not for a department's reporter, whose figures cover their
    own department only)."""
    # Only the red and yellow projects the page names are fetched; their count is the summary's.
    s = ledger_figures.summary(
        period, projects=projects, list_limit=FLAGGED_SHOWN, lists=("flagged",)
    )
    base = {"year": year, "as_of": as_of.isoformat()}
    p, inv = s.projects, s.investment
    headline = {
        "listed": {"value": p.listed, "q": _q(base)},
        "total": {"value": p.total, "q": _q(base, construction="true")},
        "started": {"value": p.started, "q": _q(base, started="true")},
        "not_started": {"value": p.not_started, "q": _q(base, started="false")},
        "start_rate": {
            "value": float(p.start_rate) if p.start_rate is not None else None,
            "q": _q(base, construction="true"),
        },
        "behind": {"value": p.behind_schedule, "q": _q(base, behind="true")},
        "reserve": {"value": p.reserve, "q": _q(base, category="reserve")},
        "annual_plan_wan": {
            "value": float(inv.annual_plan_wan),
            "q": _q(base, construction="true"),
        },
        "completed_wan": {
            "value": float(inv.completed_ytd_wan),
            "q": _q(base, construction="true"),
        },
        "investment_rate": {
            "value": float(inv.investment_rate) if inv.investment_rate is not None else None,
            "q": _q(base, construction="true"),
        },
        "expected_share": {"value": float(inv.expected_share)},
        "colours": [
            {
                "colour": c.value,
                "label": COLOUR_NAMES[c.value],
                "value": getattr(p, c.value),
                "q": _q(base, colour=c.value),
            }
            for c in (Colour.RED, Colour.YELLOW, Colour.GREEN)
        ],
    }
    # 未报送 exists once the figures layer counts it (h/figures); until then the tile is absent.
    unreported = getattr(p, "unreported", None)
    if unreported is not None:
        headline["unreported"] = {
            "value": unreported,
            "url": reverse("dispatch:due") + f"?month={year}-{max(s.month, 1):02d}",
        }
    departments = [
        {
            "id": d.department_id,
            "name": d.short_name,
            "full_name": d.name,
            "total": d.total,
            "started": d.started,
            "start_rate": float(d.start_rate) if d.start_rate is not None else None,
            "annual_plan_wan": float(d.annual_plan_wan),
            "completed_wan": float(d.completed_ytd_wan),
            "investment_rate": float(d.investment_rate) if d.investment_rate is not None else None,
            "behind": d.behind_schedule,
            "q": _q(base, department=d.department_id, construction="true"),
            "q_started": _q(base, department=d.department_id, started="true"),
        }
        for d in s.departments
        if d.total
    ]
    trend_projects, department_id = trend_scope
    trend = monthly_trend(
        period, trend_projects, s.month, inv.annual_plan_wan, department_id=department_id
    )
    for row in trend:
        row["q"] = _q(base, reported_month=row["month"]) if row["completed_wan"] else None
    out = {
        "period": {
            "year": year,
            "month": s.month,
            "as_of": as_of.isoformat(),
            "text": period_text(year, s.month, as_of),
            "statement": period.statement,
        },
        "headline": headline,
        "trend": trend,
        "departments": departments,
        "flagged": {
            "count": p.red + p.yellow,
            "q_red": _q(base, colour="red"),
            "q_yellow": _q(base, colour="yellow"),
            "rows": [
                {
                    "id": proj.pk,
                    "name": proj.name,
                    "department": proj.department.label,
                    "colour": v.colour.value,
                    "label": v.colour.label,
                    "reasons": v.reason_text,
                }
                for proj, v in s.flagged_projects
            ],
        },
        "blocks": {},
        "blocks_text": [],
    }
    if with_blocks:
        quarter = (max(s.month, 1) - 1) // 3 + 1
        out["blocks"] = blocks(year, quarter, period)
        out["blocks_text"] = [
            {"key": key, "title": BLOCK_TITLES.get(key, key), "lines": block_lines(value)}
            for key, value in out["blocks"].items()
        ]
    return out
