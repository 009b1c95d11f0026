"""Project KPIs, one labelled definition each (docs/rules.md §4). Pure functions."""

from dataclasses import dataclass
from decimal import Decimal

from keyprojects.units import percent


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    definition: str


START_RATE = Kpi(
    "start_rate",
    "开工率",
    "已开工项目数 ÷ 年度计划建设项目数（续建 + 新开工）× 100%，四舍五入保留一位小数",
)
COMPLETION_RATE = Kpi(
    "completion_rate",
    "竣工率",
    "已竣工项目数 ÷ 计划年内竣工项目数 × 100%",
)
INVESTMENT_RATE = Kpi(
    "investment_rate",
    "年度投资完成率",
    "年初至今已审核完成投资 ÷ 年度计划投资 × 100%",
)


def start_rate(started: int, planned: int) -> Decimal | None:
    """开工率 as the seed uses it: 23 of 36 → 63.9 (half-up, one decimal)."""
    return percent(started, planned)


def completion_rate(completed: int, planned_to_complete: int) -> Decimal | None:
    """竣工率 (projects completed ÷ projects due to complete), percent. Not the investment
    rate: that one is investment_rate (年度投资完成率), its fraction schedule.investment_share."""
    return percent(completed, planned_to_complete)


def investment_rate(ytd_wan: Decimal, plan_wan: Decimal) -> Decimal | None:
    return percent(ytd_wan, plan_wan)
