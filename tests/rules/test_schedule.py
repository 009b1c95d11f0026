"""Tables of cases for the pure schedule rules (keyprojects/ledger/schedule.py)."""

from datetime import date
from decimal import Decimal

import pytest

from keyprojects.ledger import schedule
from keyprojects.ledger.schedule import Colour, Thresholds

D = Decimal
CURVE_2022 = {5: D("0.5"), 7: D("0.7"), 8: D("0.8")}  # a published county curve


@pytest.mark.parametrize(
    "month, target, curve, expected",
    [
        (0, D(1), None, D(0)),
        (1, D(1), None, D(1) / 12),
        (3, D(1), None, D("0.25")),
        (6, D(1), None, D("0.5")),
        (12, D(1), None, D(1)),
        (D("7.5"), D(1), None, D("0.625")),  # 1至8月上半月
        (D("0.5"), D(1), None, D(1) / 24),  # 1月上半月
        (3, D("1.2"), None, D("0.3")),  # 120 % annual target
        (12, D("1.2"), None, D("1.2")),
        (6, D("1.2"), None, D("0.6")),
        (5, D(1), CURVE_2022, D("0.5")),
        (7, D(1), CURVE_2022, D("0.7")),
        (8, D(1), CURVE_2022, D("0.8")),
        (6, D(1), CURVE_2022, D("0.6")),  # interpolated between 5 and 7
        (10, D(1), CURVE_2022, D("0.8") + D("0.2") * 2 / 4),
        (12, D(1), CURVE_2022, D(1)),
        (D("7.5"), D(1), CURVE_2022, D("0.75")),
        (1, D(1), CURVE_2022, D("0.1")),  # 0 → 0.5 over five months
    ],
)
def test_expected_share(month, target, curve, expected):
    assert schedule.expected_share(month, target, curve) == expected


@pytest.mark.parametrize("month", [-1, 13, D("12.5")])
def test_expected_share_refuses_months_outside_year(month):
    with pytest.raises(ValueError):
        schedule.expected_share(month)


@pytest.mark.parametrize(
    "plan, month, expected",
    [
        ([D(10)] * 12, 3, D("0.25")),
        ([D(0)] * 6 + [D(60)] * 6, 6, D(0)),
        ([D(0)] * 6 + [D(60)] * 6, 9, D("0.5")),
        ([D(0)] * 12, 5, None),
    ],
)
def test_cumulative_plan_share(plan, month, expected):
    assert schedule.cumulative_plan_share(plan, month) == expected


@pytest.mark.parametrize(
    "year, as_of, months",
    [
        (2022, date(2022, 3, 31), 3),  # last day of the month: the month counts
        (2022, date(2022, 3, 30), 2),
        (2022, date(2022, 4, 1), 3),
        (2022, date(2022, 1, 1), 0),
        (2022, date(2022, 1, 31), 1),
        (2022, date(2022, 2, 28), 2),  # February, not a leap year
        (2024, date(2024, 2, 28), 1),  # leap year: 29 Feb is the last day
        (2024, date(2024, 2, 29), 2),
        (2022, date(2022, 12, 31), 12),
        (2022, date(2023, 1, 1), 12),  # a later year: the whole plan year is over
        (2022, date(2021, 12, 31), 0),  # an earlier year: nothing counts yet
    ],
)
def test_evaluation_month_boundaries(year, as_of, months):
    assert schedule.evaluation_month(year, as_of) == months


@pytest.mark.parametrize(
    "planned, as_of, late",
    [
        (date(2022, 3, 1), date(2022, 3, 31), 0),
        (date(2022, 1, 15), date(2022, 3, 1), 2),
        (date(2021, 11, 30), date(2022, 2, 1), 3),  # across the year boundary
        (date(2022, 12, 1), date(2023, 1, 1), 1),
    ],
)
def test_months_late(planned, as_of, late):
    assert schedule.months_late(planned, as_of) == late


@pytest.mark.parametrize(
    "planned, actual, as_of, days",
    [
        (date(2022, 2, 20), None, date(2022, 3, 31), 39),
        (date(2022, 2, 20), date(2022, 3, 1), date(2022, 3, 31), 0),  # reached
        (date(2022, 3, 31), None, date(2022, 3, 31), 0),  # due today: not yet overdue
        (date(2021, 12, 31), None, date(2022, 1, 1), 1),  # across the year boundary
    ],
)
def test_overdue_days(planned, actual, as_of, days):
    assert schedule.overdue_days(planned, actual, as_of) == days


PLAN = D(400)


def _assess(ytd, *, plan=PLAN, as_of=date(2022, 3, 31), started=True, **kw):
    return schedule.assess(
        year=2022,
        as_of=as_of,
        annual_plan_wan=plan,
        ytd_wan=D(ytd),
        planned_start=kw.pop("planned_start", date(2022, 1, 1)),
        actual_start=date(2022, 1, 10) if started else None,
        **kw,
    )


@pytest.mark.parametrize(
    "ytd, as_of, colour, behind, reason",
    [
        # 3 months: 序时 25 % = 100 of 400
        ("100", date(2022, 3, 31), Colour.GREEN, False, "与序时进度持平"),
        ("140", date(2022, 3, 31), Colour.GREEN, False, "快于序时进度10.0个百分点"),
        ("99", date(2022, 3, 31), Colour.YELLOW, True, "低于序时进度0.3个百分点"),  # 0–10 band
        ("60", date(2022, 3, 31), Colour.YELLOW, True, "低于序时进度10.0个百分点"),
        # 1–3月 cannot reach red on points: 25 % is at most 25 points behind
        ("0", date(2022, 3, 31), Colour.YELLOW, True, "低于序时进度25.0个百分点"),
        # 6 months: 序时 50 % = 200
        ("80", date(2022, 6, 30), Colour.YELLOW, True, "低于序时进度30.0个百分点"),  # = 30
        ("79", date(2022, 6, 30), Colour.RED, True, "低于序时进度30.3个百分点"),  # > 30
        # year-end: 100 %
        ("400", date(2022, 12, 31), Colour.GREEN, False, "与序时进度持平"),
        ("400", date(2023, 2, 1), Colour.GREEN, False, "与序时进度持平"),
        ("200", date(2023, 2, 1), Colour.RED, True, "低于序时进度50.0个百分点"),
    ],
)
def test_colour_by_points(ytd, as_of, colour, behind, reason):
    v = _assess(ytd, as_of=as_of)
    assert (v.colour, v.behind, v.reason_text) == (colour, behind, reason)


@pytest.mark.parametrize(
    "ytd, target, colour",
    [
        ("120", D("1.2"), Colour.GREEN),  # 序时 = 1.2 × 3/12 = 30 %
        ("100", D("1.2"), Colour.YELLOW),  # 25 % < 30 %
        ("100", D(1), Colour.GREEN),
    ],
)
def test_colour_with_120_percent_target(ytd, target, colour):
    assert _assess(ytd, target=target).colour == colour


def test_curve_changes_the_verdict():
    # May on the county curve: 50 % due (linear would be 41.7 %).
    v = _assess("180", as_of=date(2022, 5, 31), curve=CURVE_2022)
    assert v.colour == Colour.YELLOW and v.expected == D("0.5")
    assert _assess("180", as_of=date(2022, 5, 31)).colour == Colour.GREEN


def test_no_plan_gives_no_rate():
    v = _assess("10", plan=D(0))
    assert (v.colour, v.rate, v.reasons) == (Colour.GREEN, None, [])


@pytest.mark.parametrize(
    "overdue, colour",
    [
        ([], Colour.GREEN),
        ([("施工许可", 1)], Colour.YELLOW),
        ([("施工许可", 30)], Colour.YELLOW),
        ([("施工许可", 31)], Colour.RED),
        ([("用地预审", 5), ("施工许可", 45)], Colour.RED),
    ],
)
def test_overdue_milestones(overdue, colour):
    v = _assess("100", overdue_milestones=overdue)
    assert v.colour == colour
    for name, days in overdue:
        assert f"节点“{name}”逾期{days}天" in v.reasons


def test_custom_thresholds():
    th = Thresholds(red_points=D(10), milestone_red_days=5, late_start_red_months=1)
    assert _assess("60", thresholds=th).colour == Colour.YELLOW  # exactly 10 points
    assert _assess("59", thresholds=th).colour == Colour.RED
    assert _assess("100", overdue_milestones=[("开工", 6)], thresholds=th).colour == Colour.RED


@pytest.mark.parametrize(
    "planned_start, as_of, colour, reason",
    [
        (date(2022, 3, 1), date(2022, 3, 31), Colour.YELLOW, "未按期开工（计划2022年3月开工）"),
        (
            date(2022, 1, 1),
            date(2022, 3, 31),
            Colour.YELLOW,
            "未按期开工（计划2022年1月开工，已逾期2个月）",
        ),
        (
            date(2021, 12, 1),
            date(2022, 3, 31),
            Colour.RED,
            "未按期开工（计划2021年12月开工，已逾期3个月）",
        ),
        (date(2022, 4, 1), date(2022, 3, 31), Colour.GREEN, ""),  # not yet due
        (None, date(2022, 3, 31), Colour.GREEN, ""),
    ],
)
def test_late_start(planned_start, as_of, colour, reason):
    v = _assess("0", as_of=as_of, started=False, planned_start=planned_start)
    assert (v.colour, v.reason_text, v.started, v.behind) == (colour, reason, False, False)


STEPS = [
    ("approval", 0),
    ("land_preview", 60),
    ("planning_permit", 60),
    ("construction_permit", 45),
    ("start", 30),
    ("main_works", 365),
    ("acceptance", 120),
]


def test_reverse_plan_from_completion():
    plan = dict(schedule.reverse_plan(STEPS, date(2024, 12, 31), "acceptance"))
    assert plan["acceptance"] == date(2024, 12, 31)
    assert plan["main_works"] == date(2024, 9, 2)  # 120 days before
    assert plan["start"] == date(2023, 9, 3)  # 365 days before that (2024 is a leap year)
    assert plan["construction_permit"] == date(2023, 8, 4)
    assert plan["approval"] == date(2023, 2, 20)
    assert list(plan) == [phase for phase, _ in STEPS]


def test_reverse_plan_from_start_goes_both_ways():
    plan = dict(schedule.reverse_plan(STEPS, date(2022, 3, 1), "start"))
    assert plan["construction_permit"] == date(2022, 1, 30)  # back across the year boundary
    assert plan["approval"] == date(2021, 8, 18)
    assert plan["main_works"] == date(2023, 3, 1)
    assert plan["acceptance"] == date(2023, 6, 29)


def test_reverse_plan_unknown_anchor():
    with pytest.raises(ValueError):
        schedule.reverse_plan(STEPS, date(2022, 3, 1), "other")


@pytest.mark.parametrize(
    "rate, expected, text",
    [
        (D("0.373"), D("0.25"), "快于序时进度12.3个百分点"),
        (D("0.127"), D("0.25"), "低于序时进度12.3个百分点"),
        (D("0.25"), D("0.25"), "与序时进度持平"),
    ],
)
def test_progress_phrase(rate, expected, text):
    assert schedule.progress_phrase(rate, expected) == text


def test_start_after_as_of_counts_as_not_started():
    v = schedule.assess(
        year=2022,
        as_of=date(2022, 3, 31),
        annual_plan_wan=D(100),
        ytd_wan=D(0),
        planned_start=date(2022, 4, 1),
        actual_start=date(2022, 4, 2),
    )
    assert not v.started


MONTHLY_PLAN = [
    D(0),
    D(0),
    D(100),
    D(100),
    D(100),
    D(100),
    D(100),
    D(100),
    D(100),
    D(100),
    D(100),
    D(100),
]


@pytest.mark.parametrize(
    "ytd, as_of, colour, expected",
    [
        # The project plans nothing for Jan–Feb: 0 spent by February is on its own schedule,
        # where the linear rule (2/12 = 16.7%) would call it behind.
        (D(0), date(2022, 2, 28), Colour.GREEN, D(0)),
        (D(100), date(2022, 3, 31), Colour.GREEN, D("0.1")),
        (D(50), date(2022, 3, 31), Colour.YELLOW, D("0.1")),
        (D(1000), date(2022, 12, 31), Colour.GREEN, D(1)),
    ],
)
def test_project_own_monthly_plan_replaces_the_linear_share(ytd, as_of, colour, expected):
    v = schedule.assess(
        year=2022,
        as_of=as_of,
        annual_plan_wan=D(1000),
        ytd_wan=ytd,
        planned_start=date(2022, 1, 10),
        actual_start=date(2022, 1, 10),
        monthly_plan_wan=MONTHLY_PLAN,
    )
    assert (v.colour, v.expected) == (colour, expected)
