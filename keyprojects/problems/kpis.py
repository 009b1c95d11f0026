"""The KPIs the seed asks to raise (核准落户率、开工竣工率、投产达效率), one labelled definition
each (docs/rules.md §7). Pure functions; a zero denominator gives None (no rate exists), never 0.

开工率 and 年度投资完成率 keep the ledger's definitions (keyprojects/ledger/kpis.py); the
denominator of 开工率 is a setting (START_RATE_BASES), the seed's 续建 + 新开工 the default.
"""

from dataclasses import dataclass
from decimal import Decimal

from keyprojects.ledger import kpis as ledger_kpis
from keyprojects.units import percent


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    definition: str
    source: str


START_RATE = Kpi(
    "start_rate",
    "开工率",
    "已开工项目数 ÷ 年度计划建设项目数（续建 + 新开工）× 100%",
    "种子报告（36个重点项目中在建23个，开工率63.8%）；分母可设为仅新开工",
)
COMPLETION_RATE = Kpi(
    "completion_rate",
    "竣工率",
    "本期竣工项目数 ÷ 本期在建项目数（续建 + 新开工 + 复工）× 100%",
    "统计教材口径：施工项目 = 上年结转 + 本年新开工 + 本年复工",
)
OPERATION_RATE = Kpi(
    "operation_rate",
    "投产达效率",
    "已投产并达到设计产能的项目数 ÷ 已竣工且计划投产的项目数 × 100%",
    "本系统定义（无全国统一口径）",
)
SETTLEMENT_RATE = Kpi(
    "settlement_rate",
    "核准落户率",
    "已签约项目中取得核准或备案并完成落户注册的项目数 ÷ 已签约项目数 × 100%",
    "本系统定义（未见公开定义）",
)
INVESTMENT_RATE = Kpi(
    "investment_rate",
    "投资完成率",
    "年初至今已审核完成投资 ÷ 年度计划投资 × 100%",
    "台账口径（与项目汇总、一屏统览同一算法）",
)
ALL = (START_RATE, COMPLETION_RATE, OPERATION_RATE, SETTLEMENT_RATE, INVESTMENT_RATE)

START_RATE_BASES = {"construction": "续建＋新开工", "new": "新开工"}


def start_rate(started: int, continuing: int, new: int, basis: str = "construction"):
    """开工率 on the chosen denominator: 续建 + 新开工 (the seed's) or 新开工 only, in which
    case `started` must count new projects only."""
    if basis not in START_RATE_BASES:
        raise ValueError(f"开工率分母 {basis!r} 无效")
    return ledger_kpis.start_rate(started, continuing + new if basis == "construction" else new)


def completion_rate(completed: int, continuing: int, new: int, resumed: int) -> Decimal | None:
    """竣工率 = completed ÷ under construction, under construction = 续建 + 新开工 + 复工."""
    return percent(completed, continuing + new + resumed)


def operation_rate(reaching_output: int, planned_to_operate: int) -> Decimal | None:
    return percent(reaching_output, planned_to_operate)


def settlement_rate(approved_and_registered: int, signed: int) -> Decimal | None:
    return percent(approved_and_registered, signed)


def investment_rate(ytd_wan: Decimal, plan_wan: Decimal) -> Decimal | None:
    return ledger_kpis.investment_rate(ytd_wan, plan_wan)
