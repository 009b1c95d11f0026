"""Rules of the factor tables (pure: no Django, no clock — dates come in as arguments).

- TRANSITIONS: the only status moves an edit may make, per stateful table.
- Parcel payment (国土资发〔2010〕34号): contract within 10 working days of the sale, 50% of the
  price within one month of the contract, the balance within one year; the numbers are settings.
- 专项债 use (published practice, Tianjin 2022): a batch is to be spent within a window of
  6 months counted from the month after issue; on or ahead of the straight line is green, up to
  30 points behind it yellow, more red.
- 用地指标 follow-up is overdue once its deadline has passed unsecured.
- 到位率 = funds arrived ÷ funds planned for the year.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from keyprojects.units import percent, round_half_up

# table → {from status: {allowed to-statuses}}; staying in the same status is always allowed.
TRANSITIONS: dict[str, dict[str, set[str]]] = {
    "land_batch": {
        "assembling": {"reported"},
        "reported": {"approved", "assembling"},  # 退回重新组卷
        "approved": set(),
    },
    "farmland": {
        "survey": {"supplement"},
        "supplement": {"submitted", "survey"},
        "submitted": {"approved", "supplement"},
        "approved": set(),
    },
    "quota": {"following": {"secured"}, "secured": {"following"}},
    "parcel": {
        "planned": {"listed"},
        "listed": {"sold", "planned"},  # 流拍或撤牌后重新拟出让
        "sold": {"contracted"},
        "contracted": {"paid"},
        "paid": set(),
    },
}


def transition_allowed(table: str, old: str, new: str) -> bool:
    return old == new or new in TRANSITIONS[table].get(old, set())


def quarter_months(quarter: int) -> tuple[int, int]:
    """First and last month of a quarter: 1 → (1, 3)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("季度应为1至4")
    return 3 * quarter - 2, 3 * quarter


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first, last = quarter_months(quarter)
    return date(year, first, 1), month_end(year, last)


def month_end(year: int, month: int) -> date:
    if (year, month) >= (date.max.year, 12):
        return date.max
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def add_months(d: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day
    (date.max beyond the calendar's end: a typo like 9999年 must not break a page)."""
    total = d.year * 12 + d.month - 1 + months
    y, m = divmod(total, 12)
    if y > date.max.year:
        return date.max
    return min(date(y, m + 1, 1) + timedelta(days=d.day - 1), month_end(y, m + 1))


def add_working_days(d: date, days: int) -> date:
    """`days` working days (Monday–Friday) after d. Public holidays and 调休 are not known to
    the system, so the count is the plain week; documented in docs/rules.md."""
    current = d
    left = days
    while left > 0:
        if current >= date.max - timedelta(days=7):
            return date.max
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


@dataclass(frozen=True)
class PaymentRule:
    contract_working_days: int = 10
    half_within_months: int = 1
    full_within_months: int = 12


@dataclass
class ParcelDue:
    contract_due: date | None = None
    half_due: date | None = None
    full_due: date | None = None
    late: list[str] = field(default_factory=list)

    @property
    def is_late(self) -> bool:
        return bool(self.late)


def parcel_payment(
    *,
    sold_on: date | None,
    contract_on: date | None,
    half_paid_on: date | None,
    fully_paid_on: date | None,
    as_of: date,
    rule: PaymentRule = PaymentRule(),
) -> ParcelDue:
    """Deadlines of a sold parcel and what is late on them at `as_of` (with the reason)."""
    due = ParcelDue()
    if sold_on is None:
        return due
    due.contract_due = add_working_days(sold_on, rule.contract_working_days)
    _check(due, "签订出让合同", due.contract_due, contract_on, as_of)
    start = contract_on or due.contract_due
    due.half_due = add_months(start, rule.half_within_months)
    due.full_due = add_months(start, rule.full_within_months)
    _check(due, "缴纳50%出让价款", due.half_due, half_paid_on, as_of)
    _check(due, "缴清出让价款", due.full_due, fully_paid_on, as_of)
    return due


def _check(due: ParcelDue, what: str, deadline: date, done: date | None, as_of: date) -> None:
    if done is not None:
        if done > deadline:
            due.late.append(f"{what}逾期{(done - deadline).days}天（应于{_cn(deadline)}前）")
    elif as_of > deadline:
        due.late.append(f"{what}已逾期{(as_of - deadline).days}天（应于{_cn(deadline)}前）")


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True)
class BondRule:
    window_months: int = 6
    yellow_points: Decimal = Decimal(30)


@dataclass
class BondVerdict:
    colour: str  # green / yellow / red / none
    expected_pct: Decimal
    used_pct: Decimal
    reason: str


def bond_use(
    *,
    issued_on: date,
    amount_wan: Decimal,
    used_wan: Decimal,
    as_of: date,
    rule: BondRule = BondRule(),
) -> BondVerdict:
    """Is a batch spent as fast as the use window asks?

    The window starts the month after issue; by the end of its k-th month k/window of the amount
    is due (straight line), all of it by the window's end. Points behind = due share − spent share.
    """
    amount = Decimal(amount_wan)
    used_pct = percent(used_wan, amount) if amount else Decimal(0)
    if as_of < issued_on:
        return BondVerdict("none", Decimal(0), used_pct, "尚未发行")
    elapsed = (as_of.year * 12 + as_of.month) - (issued_on.year * 12 + issued_on.month)
    if as_of != month_end(as_of.year, as_of.month):
        elapsed -= 1  # the current month counts once it has ended
    elapsed = max(0, min(elapsed, rule.window_months))
    expected_pct = round_half_up(Decimal(100) * elapsed / rule.window_months, 1)
    behind = round_half_up(expected_pct - used_pct, 1)
    head = f"发行后第{elapsed}个月，应支出{expected_pct}%，已支出{used_pct}%"
    if behind <= 0:
        return BondVerdict("green", expected_pct, used_pct, f"{head}，未滞后")
    colour = "yellow" if behind <= rule.yellow_points else "red"
    return BondVerdict(colour, expected_pct, used_pct, f"{head}，滞后{behind}个百分点")


def quota_overdue_days(*, deadline: date, secured: bool, today: date) -> int:
    """Days a 用地指标 follow-up is past its deadline unsecured (0 when not overdue)."""
    if secured or today <= deadline:
        return 0
    return (today - deadline).days


def arrival_rate(arrived: Decimal, planned: Decimal) -> Decimal | None:
    """到位率 (%) = arrived ÷ planned for the year, one decimal; None without a plan."""
    return percent(arrived, planned, 1)


def fiscal_completion_rate(actual: Decimal, target: Decimal | None) -> Decimal | None:
    """财税任务完成率 (%) = completed so far ÷ year target, one decimal."""
    if target is None:
        return None
    return percent(actual, target, 1)
