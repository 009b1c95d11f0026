"""The 督办 ladder as pure rules (docs/rules.md §6): when a problem starts, when it moves up.

No ORM, no clock: levels, policy, dates and the problem's history come in as plain values.
Deadlines count calendar days (a deadline on a holiday stays that day; nothing is skipped),
because the published ladders (华亭, 三明, 宿迁) count days and name no working-day calendar.
"""

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Level:
    """One rung of the ladder (SupervisionLevel as plain data)."""

    rank: int
    name: str
    colour: str  # blue / yellow / orange / red
    grace_days: int = 3  # the deadline may be missed by this many days before moving up
    reply_days: int = 10  # the new deadline an order at this level grants
    repeats: int = 0  # times the same level may be issued again before moving up


@dataclass(frozen=True)
class Policy:
    """Where a problem starts and when two yellows make red (EscalationPolicy as plain data)."""

    urgent_start_rank: int = 2  # 紧急事项 (三明: may start at 橙)
    leader_start_rank: int = 2  # 领导批示事项
    special_start_rank: int = 3  # 特事特办 / 重大问题 (海口江东: red at once)
    yellows_to_red: int = 2  # N yellow orders in a row become red; 0 switches the rule off


@dataclass(frozen=True)
class Step:
    level: Level
    deadline: date
    reason: str


def _ordered(levels) -> list[Level]:
    out = sorted(levels, key=lambda lv: lv.rank)
    if not out:
        raise ValueError("督办等级为空")
    return out


def _at(levels: list[Level], rank: int) -> Level:
    """The level of `rank`, or the highest one not above it (a ladder may skip ranks)."""
    fitting = [lv for lv in levels if lv.rank <= rank]
    return fitting[-1] if fitting else levels[0]


def cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def start_level(levels, policy: Policy, *, urgency: str = "normal", source: str = "") -> Level:
    """The level a new problem starts at: the lowest, or higher for urgent items, a leader's
    instruction or 特事特办 (the highest of those that apply)."""
    ladder = _ordered(levels)
    rank = ladder[0].rank
    if urgency == "urgent":
        rank = max(rank, policy.urgent_start_rank)
    if urgency == "special":
        rank = max(rank, policy.special_start_rank)
    if source == "leader":
        rank = max(rank, policy.leader_start_rank)
    return _at(ladder, rank)


def due_date(deadline: date, level: Level) -> date:
    """The first day on which a missed deadline moves the problem up: deadline + grace + 1."""
    return deadline + timedelta(days=level.grace_days + 1)


def next_step(
    levels,
    policy: Policy,
    *,
    current_rank: int,
    deadline: date,
    as_of: date,
    issued_colours: list[str],
    open_: bool = True,
) -> Step | None:
    """The escalation due on `as_of`, or None.

    `issued_colours` are the colours of the problem's 督办单 so far, oldest first. A problem
    that is settled (办结/销号) never moves. A missed deadline (by more than the level's grace
    days) issues the same level again while the level allows repeats, else the next level;
    N yellow orders in a row make red (policy.yellows_to_red); the top level stays where it is
    (宿迁: red is kept until 办结).
    """
    if not open_:
        return None
    ladder = _ordered(levels)
    current = _at(ladder, current_rank)
    if as_of < due_date(deadline, current):
        return None
    late = (as_of - deadline).days
    why = f"办理期限{cn(deadline)}已逾期{late}天"
    same_in_a_row = 0
    for colour in reversed(issued_colours):
        if colour != current.colour:
            break
        same_in_a_row += 1
    higher = [lv for lv in ladder if lv.rank > current.rank]
    if current.repeats and 1 <= same_in_a_row <= current.repeats and higher:
        target, text = current, f"再次{current.name}（第{same_in_a_row + 1}次）"
    elif higher:
        target, text = higher[0], f"升为{higher[0].name}"
    else:
        return None
    yellows = 0
    for colour in reversed(issued_colours):
        if colour != "yellow":
            break
        yellows += 1
    reds = [lv for lv in ladder if lv.colour == "red" and lv.rank > current.rank]
    n = policy.yellows_to_red
    if target.colour == "yellow" and n and yellows + 1 >= n and reds:
        # The order due now would be the N-th yellow in a row: it is red instead.
        target, text = reds[0], f"连续{n}次黄色督办，升为红色"
    return Step(target, as_of + timedelta(days=target.reply_days), f"{why}，{text}")


def order_number(year: int, seq: int) -> str:
    """督办单 number as county offices write it: 〔2022〕第001号."""
    return f"〔{year}〕第{seq:03d}号"


def summary_title(text: str, limit: int = 40) -> str:
    """A register title from free text: its first clause, or the first `limit` characters."""
    text = " ".join((text or "").split())
    depth = 0  # a comma inside brackets does not end the clause
    for i, ch in enumerate(text):
        depth += (ch in "（(") - (ch in "）)")
        if ch in "。；;，," and depth <= 0 and i >= 8:
            return text[: min(i, limit)]
    return text[:limit]


def days_overdue(deadline: date | None, as_of: date, open_: bool = True) -> int:
    """Days past the deadline of an unsettled problem (0 when not overdue)."""
    if deadline is None or not open_ or as_of <= deadline:
        return 0
    return (as_of - deadline).days


# --- Risk flags by rule ------------------------------------------------------------------------

LABOUR_MIN_SHARE_PCT = 80  # fewer workers on site than 80% of those needed is 用工不足 (ours)

_RISK_WORDS = [
    ("stopped", ("停工", "停摆", "未复工", "停建")),
    ("funding", ("资金短缺", "资金压力", "资金不足", "资金困难", "缺资金", "拖欠")),
    ("labour", ("工人太少", "工人偏少", "用工不足", "缺工", "返岗", "工人少")),
    ("demolition", ("拆迁受阻", "未拆除", "拆迁未完成", "征地拆迁未", "拆迁难")),
    ("quality", ("质量", "安全隐患", "不标准", "不达标")),
]


def risk_kinds_in_text(text: str) -> list[str]:
    """Risk kinds a monthly report's 存在问题 names (keyword rule; the office reviews them)."""
    text = text or ""
    return [kind for kind, words in _RISK_WORDS if any(w in text for w in words)]


def labour_short(on_site: int, needed: int, min_share_pct: int = LABOUR_MIN_SHARE_PCT) -> bool:
    """用工不足: workers on site below `min_share_pct` % of those needed (no need, no shortage)."""
    if needed <= 0:
        return False
    return on_site * 100 < needed * min_share_pct
