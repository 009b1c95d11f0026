"""Schedule rules (序时进度): pure functions, no ORM, no clock (docs/rules.md §1–§3).

All shares are Decimal fractions (0.25 = 25 %); "points" are percentage points.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from keyprojects.months import month_end, month_index
from keyprojects.units import round_half_up

ONE = Decimal(1)
TWELVE = Decimal(12)
HUNDRED = Decimal(100)


class Colour(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def label(self) -> str:
        return {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}[self.value]

    @property
    def rank(self) -> int:
        return {"green": 0, "yellow": 1, "red": 2}[self.value]


@dataclass(frozen=True)
class Thresholds:
    """Defaults documented in docs/rules.md; the live values come from settings."""

    red_points: Decimal = Decimal(30)
    milestone_red_days: int = 30
    late_start_red_months: int = 3


def expected_share(
    month: Decimal | int,
    target: Decimal = ONE,
    curve: dict[int, Decimal] | None = None,
) -> Decimal:
    """序时进度 at the end of `month`: target × m/12, or the county's curve when one is given.

    `month` may be fractional ("1至8月上半月" = 7.5). A curve maps month → cumulative share
    (e.g. {5: 0.5, 7: 0.7, 8: 0.8}); months between its points are interpolated linearly,
    from 0 at month 0 to `target` at month 12.
    """
    m = Decimal(month)
    if not 0 <= m <= 12:
        raise ValueError(f"month {month} outside 0..12")
    if not curve:
        return target * m / TWELVE
    points = {0: Decimal(0), 12: target, **{int(k): Decimal(v) for k, v in curve.items()}}
    months = sorted(points)
    for lo, hi in zip(months, months[1:], strict=False):
        if lo <= m <= hi:
            if hi == lo:
                return points[lo]
            return points[lo] + (points[hi] - points[lo]) * (m - lo) / (hi - lo)
    return target  # unreachable: 0 and 12 are always points


def cumulative_plan_share(monthly_plan_wan: list[Decimal], month: int) -> Decimal | None:
    """A project's own plan curve: amounts planned for months 1..12 → share due by `month`."""
    total = sum(monthly_plan_wan, Decimal(0))
    if total == 0:
        return None
    return sum(monthly_plan_wan[:month], Decimal(0)) / total


def investment_share(ytd_wan: Decimal, annual_plan_wan: Decimal) -> Decimal | None:
    """Share of the annual plan invested so far (fraction: 年度投资完成率 ÷ 100); None: no plan."""
    if not annual_plan_wan:
        return None
    return Decimal(ytd_wan) / Decimal(annual_plan_wan)


def evaluation_month(year: int, as_of: date) -> int:
    """How many months of `year` count as finished on `as_of`.

    A month counts once its last day has come (reports for it are then due); a date in a later
    year counts all 12, an earlier year none.
    """
    if as_of.year > year:
        return 12
    if as_of.year < year:
        return 0
    return as_of.month if as_of == month_end(as_of.year, as_of.month) else as_of.month - 1


def months_late(planned: date, as_of: date) -> int:
    """Whole months between the planned month and the month of `as_of` (0 = the same month)."""
    return month_index(as_of) - month_index(planned)


@dataclass
class Verdict:
    """The schedule state of one project on one day, with the reasons a leader reads."""

    colour: Colour
    reasons: list[str] = field(default_factory=list)
    started: bool = False
    behind: bool = False  # 未达到序时进度 (only for started projects with a plan)
    # 未报送: started, but no approved report in the period's months; never counted as behind.
    unreported: bool = False
    rate: Decimal | None = None  # investment_share: year-to-date ÷ annual plan (fraction)
    expected: Decimal | None = None  # 序时进度 (fraction)

    @property
    def gap_points(self) -> Decimal | None:
        if self.rate is None or self.expected is None:
            return None
        return round_half_up((self.rate - self.expected) * HUNDRED, 1)

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)


def _worse(a: Colour, b: Colour) -> Colour:
    return a if a.rank >= b.rank else b


def progress_phrase(rate: Decimal, expected: Decimal) -> str:
    """How reports phrase it: 快于/低于序时进度 X 个百分点."""
    gap = round_half_up((rate - expected) * HUNDRED, 1)
    if gap > 0:
        return f"快于序时进度{gap}个百分点"
    if gap < 0:
        return f"低于序时进度{-gap}个百分点"
    return "与序时进度持平"


def assess(
    *,
    year: int,
    as_of: date,
    annual_plan_wan: Decimal,
    ytd_wan: Decimal,
    planned_start: date | None,
    actual_start: date | None,
    overdue_milestones: list[tuple[str, int]] = (),
    thresholds: Thresholds = Thresholds(),
    target: Decimal = ONE,
    curve: dict[int, Decimal] | None = None,
    monthly_plan_wan: list[Decimal] | None = None,
    rate_month: int | None = None,
) -> Verdict:
    """Colour and reasons for one project of plan year `year` as of `as_of`.

    序时 is the county's (target × m/12 or its curve), unless the project has its own monthly
    plan (12 amounts): then the share of it planned by month m (BRIEF §3).

    - Not started by `as_of` although planned: yellow from the planned month on, red once
      `late_start_red_months` months late (未按期开工).
    - Started: 完成率 vs 序时进度; at or above is green, below is yellow (behind), more than
      `red_points` percentage points below is red.
    - Each overdue milestone (name, days overdue) makes it yellow, red beyond
      `milestone_red_days`.
    """
    colour = Colour.GREEN
    reasons: list[str] = []
    started = actual_start is not None and actual_start <= as_of
    verdict = Verdict(colour=colour, reasons=reasons, started=started)

    if not started:
        if planned_start is not None and planned_start <= as_of:
            late = months_late(planned_start, as_of)
            red = late >= thresholds.late_start_red_months
            colour = Colour.RED if red else Colour.YELLOW
            when = f"{planned_start.year}年{planned_start.month}月"
            reasons.append(
                f"未按期开工（计划{when}开工，已逾期{late}个月）"
                if late
                else f"未按期开工（计划{when}开工）"
            )
    else:
        # `rate_month`: judge the investment at the last month actually reported, so a month
        # not yet reported is never counted as zero investment.
        month = evaluation_month(year, as_of) if rate_month is None else rate_month
        rate = investment_share(ytd_wan, annual_plan_wan)
        if rate is not None and month > 0:
            own = cumulative_plan_share(monthly_plan_wan, month) if monthly_plan_wan else None
            expected = own if own is not None else expected_share(month, target, curve)
            verdict.rate, verdict.expected = rate, expected
            gap = (expected - rate) * HUNDRED
            if gap > 0:
                verdict.behind = True
                colour = Colour.RED if gap > thresholds.red_points else Colour.YELLOW
            reasons.append(progress_phrase(rate, expected))

    for name, days in overdue_milestones:
        colour = _worse(
            colour, Colour.RED if days > thresholds.milestone_red_days else Colour.YELLOW
        )
        reasons.append(f"节点“{name}”逾期{days}天")

    verdict.colour = colour
    return verdict


def overdue_days(planned: date, actual: date | None, as_of: date) -> int:
    """Days a milestone is overdue on `as_of` (0 when reached, or not yet due)."""
    if actual is not None or planned >= as_of:
        return 0
    return (as_of - planned).days


# --- 倒排工期 -----------------------------------------------------------------------------------


def reverse_plan(steps: list[tuple[str, int]], target: date, anchor: str) -> list[tuple[str, date]]:
    """倒排工期: planned dates of each phase from the date `target` of phase `anchor`.

    `steps` are (phase, days after the previous phase) in order, the first one's days ignored.
    Phases before the anchor are computed backwards, phases after it forwards, so a target
    completion (竣工验收) date gives the whole plan, and so does a target start (开工) date.
    """
    phases = [phase for phase, _ in steps]
    if anchor not in phases:
        raise ValueError(f"模板中没有节点 {anchor}")
    k = phases.index(anchor)
    dates: dict[int, date] = {k: target}
    for i in range(k - 1, -1, -1):
        dates[i] = date.fromordinal(dates[i + 1].toordinal() - steps[i + 1][1])
    for i in range(k + 1, len(steps)):
        dates[i] = date.fromordinal(dates[i - 1].toordinal() + steps[i][1])
    return [(phases[i], dates[i]) for i in range(len(steps))]
