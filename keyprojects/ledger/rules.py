"""Node (节点) rules as pure functions: dates in, states and Chinese text out.

No Django, no clock: the judging date is passed in (the date the figures are stated for).
"""

from datetime import date


def cn_date(d: date, *, with_year: bool = True) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if with_year else f"{d.month}月{d.day}日"


def node_state(planned: date, actual: date | None, judging: date) -> str:
    """reached / overdue / upcoming on the judging date.

    A node is overdue only once its planned date has passed on the judging date; a node due
    on or after it is upcoming however the plan was made.
    """
    if actual is not None and actual <= judging:
        return "reached"
    if planned < judging:
        return "overdue"
    return "upcoming"


NODE_STATE_LABELS = {"reached": "已完成", "overdue": "逾期", "upcoming": "未到期"}


def slip_days(baseline: date | None, planned: date) -> int:
    """Days the current plan is later (+) or earlier (−) than the approved baseline."""
    if baseline is None:
        return 0
    return (planned - baseline).days


def slip_text(baseline: date | None, planned: date) -> str:
    """ "原计划2022年6月30日，调整为9月30日，延后92天"; empty when the node was never moved."""
    days = slip_days(baseline, planned)
    if baseline is None or days == 0:
        return ""
    moved = cn_date(planned, with_year=planned.year != baseline.year)
    direction = "延后" if days > 0 else "提前"
    return f"原计划{cn_date(baseline)}，调整为{moved}，{direction}{abs(days)}天"
