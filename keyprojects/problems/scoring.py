"""Department ranking (红黑榜 / 十快十慢) by a scoring scheme held as data (docs/rules.md §8).

The default is the published 2020 市重点工程综合奖: 计划完成 40 points (below 100%: −0.1 per
point short; 100–130%: +0.2 per point over; above 130%: +0.1 per point; capped at ±10; rank bonus
1–3: 7, 4–6: 5, 7–10: 3 from the half year on), 开工 25 points (+1 per new start up to 10; 开工率
≥80% with 1–5 projects or ≥70% with 6 or more earns 5; −3 per project not started on time),
管理服务 15. Where the published scheme is silent the choice is ours and labelled 本系统设定.
Pure: facts in, points and their explanation out.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from keyprojects.units import round_half_up

DEFAULT_SCHEME: dict = {
    "plan": {
        "label": "计划完成",
        "weight": 40,
        "below_per_point": "0.1",
        "mid_to": 130,
        "mid_per_point": "0.2",
        "above_per_point": "0.1",
        "cap": 10,
        "rank_bonus": [[1, 3, 7], [4, 6, 5], [7, 10, 3]],
        "rank_bonus_from_month": 6,
    },
    "start": {
        "label": "开工",
        "weight": 25,
        "base": 10,
        "per_new_start": 1,
        "new_start_cap": 10,
        "rate_bonus": 5,
        "rate_thresholds": [[1, 5, 80], [6, None, 70]],
        "per_not_started": 3,
    },
    "service": {
        "label": "管理服务",
        "weight": 15,
        "per_yellow": 1,
        "per_red": 2,
        "per_late_report": "0.5",
    },
    "top": 5,
    "bottom": 4,
    "project_fast": 10,
    "project_slow": 10,
}


REQUIRED = {
    "plan": [
        "label",
        "weight",
        "below_per_point",
        "mid_to",
        "mid_per_point",
        "above_per_point",
        "cap",
    ],
    "start": [
        "label",
        "weight",
        "base",
        "per_new_start",
        "new_start_cap",
        "rate_bonus",
        "rate_thresholds",
        "per_not_started",
    ],
    "service": ["label", "weight", "per_yellow", "per_red", "per_late_report"],
}


def scheme_errors(scheme) -> list[str]:
    """What is missing or not a number in a scheme the office edited (Chinese, by key)."""
    if not isinstance(scheme, dict):
        return ["评分规则应为JSON对象"]
    errors = []
    for part, keys in REQUIRED.items():
        section = scheme.get(part)
        if not isinstance(section, dict):
            errors.append(f"缺少“{part}”部分")
            continue
        for key in keys:
            if key not in section:
                errors.append(f"“{part}”缺少“{key}”")
            elif key not in ("label", "rate_thresholds"):
                try:
                    Decimal(str(section[key]))
                except ArithmeticError:
                    errors.append(f"“{part}.{key}”应为数字")
    for key in ("top", "bottom", "project_fast", "project_slow"):
        if key in scheme and not (isinstance(scheme[key], int) and scheme[key] >= 0):
            errors.append(f"“{key}”应为不小于0的整数")
    return errors


@dataclass(frozen=True)
class Facts:
    """What one department did in the period (figures.py gathers them)."""

    plan_pct: Decimal | None  # completion of the investment due by 序时, percent
    rank: int | None  # rank by plan_pct among departments (1 = best)
    month: int  # months elapsed in the period (rank bonus from the half year)
    planned: int  # 续建 + 新开工 on the plan
    new_starts: int  # 新开工 projects started by the period end
    start_rate: Decimal | None
    not_started_late: int  # planned start passed, not started
    yellow_orders: int  # yellow 督办单 in the period
    red_orders: int  # red 督办单 (约谈·通报) in the period
    late_reports: int  # monthly reports submitted after their deadline


@dataclass
class Line:
    indicator: str
    item: str
    points: Decimal
    note: str


@dataclass
class Score:
    total: Decimal = Decimal(0)
    by_indicator: dict = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)


def _d(value) -> Decimal:
    return Decimal(str(value))


def _clamp(x: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, x))


def plan_adjustment(pct: Decimal | None, rule: dict) -> tuple[Decimal, str]:
    """±points for completing the plan, before the cap."""
    if pct is None:
        return Decimal(0), "无应完成投资，不加减分"
    pct = _d(pct)
    mid_to = _d(rule["mid_to"])
    if pct < 100:
        return -(100 - pct) * _d(rule["below_per_point"]), (
            f"完成{pct}%，低于100%共{100 - pct}个百分点，每点扣{rule['below_per_point']}分"
        )
    if pct <= mid_to:
        return (pct - 100) * _d(rule["mid_per_point"]), (
            f"完成{pct}%，超过100%共{pct - 100}个百分点，每点加{rule['mid_per_point']}分"
        )
    over = (mid_to - 100) * _d(rule["mid_per_point"]) + (pct - mid_to) * _d(rule["above_per_point"])
    return over, (
        f"完成{pct}%：100%至{mid_to}%每点加{rule['mid_per_point']}分，"
        f"超过{mid_to}%的{pct - mid_to}个百分点每点加{rule['above_per_point']}分"
    )


def rank_bonus(rank: int | None, month: int, rule: dict) -> Decimal:
    if rank is None or month < int(rule.get("rank_bonus_from_month", 0)):
        return Decimal(0)
    for low, high, points in rule.get("rank_bonus", []):
        if low <= rank <= high:
            return _d(points)
    return Decimal(0)


def start_rate_met(planned: int, rate: Decimal | None, thresholds) -> bool:
    if rate is None or planned <= 0:
        return False
    for low, high, minimum in thresholds:
        if planned >= low and (high is None or planned <= high):
            return _d(rate) >= _d(minimum)
    return False


def score(facts: Facts, scheme: dict | None = None) -> Score:
    """Points of one department, each line with the reason a leader can check."""
    scheme = scheme or DEFAULT_SCHEME
    out = Score()

    def add(indicator, item, points, note):
        points = round_half_up(_d(points), 2)
        out.lines.append(Line(indicator, item, points, note))
        return points

    p = scheme["plan"]
    weight = _d(p["weight"])
    adj, why = plan_adjustment(facts.plan_pct, p)
    cap = _d(p["cap"])
    capped = _clamp(adj, -cap, cap)
    plan = add(p["label"], "基础分", weight, f"权重{p['weight']}分")
    if capped != adj:
        why += f"；超过±{p['cap']}分封顶，按{round_half_up(capped, 2)}分计"
    plan += add(p["label"], "完成情况", capped, why)
    bonus = rank_bonus(facts.rank, facts.month, p)
    if facts.rank is not None:
        if facts.month < int(p.get("rank_bonus_from_month", 0)):
            note = f"排名第{facts.rank}；排名加分自{p['rank_bonus_from_month']}月（半年）起计"
        else:
            note = f"排名第{facts.rank}，加{bonus}分" if bonus else f"排名第{facts.rank}，不加分"
        plan += add(p["label"], "排名加分", bonus, note)
    out.by_indicator[p["label"]] = plan

    s = scheme["start"]
    start = add(s["label"], "基础分", s["base"], "本系统设定（公开方案未列明其余分值）")
    per_new = _d(s["per_new_start"])
    new_points = min(facts.new_starts * per_new, _d(s["new_start_cap"]))
    start += add(
        s["label"],
        "新开工",
        new_points,
        f"新开工{facts.new_starts}个，每个加{s['per_new_start']}分，最多{s['new_start_cap']}分",
    )
    met = start_rate_met(facts.planned, facts.start_rate, s["rate_thresholds"])
    rate_text = "—" if facts.start_rate is None else f"{facts.start_rate}%"
    start += add(
        s["label"],
        "开工率",
        s["rate_bonus"] if met else 0,
        f"计划建设{facts.planned}个，开工率{rate_text}，"
        + ("达到标准" if met else "未达到标准")
        + "（1—5个项目须≥80%，6个及以上须≥70%）",
    )
    start += add(
        s["label"],
        "未按期开工",
        -facts.not_started_late * _d(s["per_not_started"]),
        f"未按期开工{facts.not_started_late}个，每个扣{s['per_not_started']}分",
    )
    clamped = _clamp(start, Decimal(0), _d(s["weight"]))
    if clamped != start:
        add(s["label"], "封顶保底", clamped - start, f"开工得分限于0至{s['weight']}分")
        start = clamped
    out.by_indicator[s["label"]] = start

    v = scheme["service"]
    service = add(v["label"], "基础分", v["weight"], f"权重{v['weight']}分")
    service += add(
        v["label"],
        "黄色督办",
        -facts.yellow_orders * _d(v["per_yellow"]),
        f"黄色督办单{facts.yellow_orders}份，每份扣{v['per_yellow']}分（广元做法）",
    )
    service += add(
        v["label"],
        "红色督办/约谈",
        -facts.red_orders * _d(v["per_red"]),
        f"红色督办单{facts.red_orders}份，每份扣{v['per_red']}分（广元做法）",
    )
    service += add(
        v["label"],
        "逾期报送",
        -facts.late_reports * _d(v["per_late_report"]),
        f"逾期报送月报{facts.late_reports}份，每份扣{v['per_late_report']}分（本系统设定）",
    )
    clamped = _clamp(service, Decimal(0), _d(v["weight"]))
    if clamped != service:
        add(v["label"], "保底", clamped - service, "管理服务得分不低于0分")
        service = clamped
    out.by_indicator[v["label"]] = service
    out.total = round_half_up(plan + start + service, 2)
    return out


def ranks(values: dict, *, reverse: bool = True) -> dict:
    """Competition ranks (1, 2, 2, 4) of keys by value; None values get no rank."""
    present = sorted(((v, k) for k, v in values.items() if v is not None), reverse=reverse)
    out = {k: None for k in values}
    for v, k in present:
        out[k] = 1 + sum(1 for w, _ in present if (w > v if reverse else w < v))
    return out


def red_black(ordered_keys: list, top: int, bottom: int) -> tuple[list, list]:
    """红榜 (the first `top`) and 黑榜 (the last `bottom`), never overlapping."""
    red = ordered_keys[: max(top, 0)]
    rest = [k for k in ordered_keys if k not in red]
    black = rest[-bottom:] if bottom > 0 else []
    return red, list(reversed(black))
