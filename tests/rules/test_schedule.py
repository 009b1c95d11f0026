"""序时进度 rules (keyprojects/ledger/schedule.py): tables of cases, no database."""

from datetime import date
from decimal import Decimal

import pytest

from keyprojects.ledger.schedule import (
    Colour,
    Thresholds,
    assess,
    completion_rate,
    evaluation_month,
    expected_share,
    months_late,
    overdue_days,
    progress_phrase,
)

D = Decimal


@pytest.mark.parametrize(
    "month, target, curve, expected",
    [
        (3, D(1), None, D("0.25")),
        (12, D(1), None, D(1)),
        (0, D(1), None, D(0)),
        (6, D("1.2"), None, D("0.6")),  # a 120% annual target
        (D("7.5"), D(1), None, D("0.625")),  # 1至8月上半月
        (5, D(1), {5: D("0.5"), 7: D("0.7"), 8: D("0.8")}, D("0.5")),
        (6, D(1), {5: D("0.5"), 7: D("0.7"), 8: D("0.8")}, D("0.6")),  # interpolated
        (10, D(1), {5: D("0.5"), 7: D("0.7"), 8: D("0.8")}, D("0.9")),
    ],
)
def test_expected_share(month, target, curve, expected):
    assert expected_share(month, target, curve) == expected


@pytest.mark.parametrize("month", [-1, 13])
def test_expected_share_refuses_months_outside_the_year(month):
    with pytest.raises(ValueError):
        expected_share(month)


@pytest.mark.parametrize(
    "year, as_of, month",
    [
        (2022, date(2022, 3, 31), 3),  # the month's last day: March counts
        (2022, date(2022, 3, 30), 2),  # not yet: February is the last finished month
        (2022, date(2022, 1, 15), 0),
        (2022, date(2022, 2, 28), 2),
        (2024, date(2024, 2, 29), 2),  # leap year
        (2022, date(2023, 1, 5), 12),  # a later year: all twelve
        (2022, date(2021, 12, 31), 0),  # before the plan year
        (2022, date(2022, 12, 31), 12),
    ],
)
def test_evaluation_month(year, as_of, month):
    assert evaluation_month(year, as_of) == month


def test_completion_rate_without_plan_is_none():
    assert completion_rate(D(10), D(0)) is None
    assert completion_rate(D(25), D(100)) == D("0.25")


@pytest.mark.parametrize(
    "rate, expected, text",
    [
        (D("0.373"), D("0.25"), "快于序时进度12.3个百分点"),
        (D("0.127"), D("0.25"), "低于序时进度12.3个百分点"),
        (D("0.25"), D("0.25"), "与序时进度持平"),
    ],
)
def test_progress_phrase(rate, expected, text):
    assert progress_phrase(rate, expected) == text


STARTED = date(2022, 1, 10)


@pytest.mark.parametrize(
    "ytd, as_of, colour, behind",
    [
        # 序时 at June end = 50%
        (D(500), date(2022, 6, 30), Colour.GREEN, False),  # on 序时
        (D(600), date(2022, 6, 30), Colour.GREEN, False),  # ahead
        (D(499), date(2022, 6, 30), Colour.YELLOW, True),  # 0.1 point behind: yellow
        (D(300), date(2022, 6, 30), Colour.YELLOW, True),  # 20 points
        (D(200), date(2022, 6, 30), Colour.YELLOW, True),  # exactly 30 points: still yellow
        (D(190), date(2022, 6, 30), Colour.RED, True),  # 31 points
        # March end: 序时 25%, red unreachable by points (documented)
        (D(0), date(2022, 3, 31), Colour.YELLOW, True),
        # Before any month has finished there is nothing to be behind of
        (D(0), date(2022, 1, 20), Colour.GREEN, False),
    ],
)
def test_started_project_colour_by_gap(ytd, as_of, colour, behind):
    v = assess(
        year=2022,
        as_of=as_of,
        annual_plan_wan=D(1000),
        ytd_wan=ytd,
        planned_start=STARTED,
        actual_start=STARTED,
    )
    assert (v.colour, v.behind) == (colour, behind)


@pytest.mark.parametrize(
    "planned_start, as_of, colour, reason",
    [
        (date(2022, 5, 1), date(2022, 3, 31), Colour.GREEN, ""),  # not due yet
        (date(2022, 3, 1), date(2022, 3, 31), Colour.YELLOW, "未按期开工（计划2022年3月开工）"),
        (
            date(2022, 2, 15),
            date(2022, 3, 31),
            Colour.YELLOW,
            "未按期开工（计划2022年2月开工，已逾期1个月）",
        ),
        (
            date(2021, 12, 1),
            date(2022, 3, 31),
            Colour.RED,
            "未按期开工（计划2021年12月开工，已逾期3个月）",
        ),
        (None, date(2022, 3, 31), Colour.GREEN, ""),
    ],
)
def test_not_started_project(planned_start, as_of, colour, reason):
    v = assess(
        year=2022,
        as_of=as_of,
        annual_plan_wan=D(1000),
        ytd_wan=D(0),
        planned_start=planned_start,
        actual_start=None,
    )
    assert (v.colour, v.reason_text, v.started, v.behind) == (colour, reason, False, False)


def test_start_after_as_of_counts_as_not_started():
    v = assess(
        year=2022,
        as_of=date(2022, 3, 31),
        annual_plan_wan=D(100),
        ytd_wan=D(0),
        planned_start=date(2022, 4, 1),
        actual_start=date(2022, 4, 2),
    )
    assert not v.started


@pytest.mark.parametrize(
    "days, colour",
    [(1, Colour.YELLOW), (30, Colour.YELLOW), (31, Colour.RED)],
)
def test_overdue_milestone_colours_and_names_the_node(days, colour):
    v = assess(
        year=2022,
        as_of=date(2022, 6, 30),
        annual_plan_wan=D(1000),
        ytd_wan=D(800),
        planned_start=STARTED,
        actual_start=STARTED,
        overdue_milestones=[("施工许可", days)],
    )
    assert v.colour == colour
    assert f"节点“施工许可”逾期{days}天" in v.reasons


def test_thresholds_are_parameters():
    strict = Thresholds(red_points=D(10))
    v = assess(
        year=2022,
        as_of=date(2022, 6, 30),
        annual_plan_wan=D(1000),
        ytd_wan=D(350),
        planned_start=STARTED,
        actual_start=STARTED,
        thresholds=strict,
    )
    assert v.colour == Colour.RED


@pytest.mark.parametrize(
    "planned, actual, as_of, days",
    [
        (date(2022, 3, 1), None, date(2022, 3, 31), 30),
        (date(2022, 3, 1), date(2022, 3, 5), date(2022, 3, 31), 0),
        (date(2022, 4, 1), None, date(2022, 3, 31), 0),
        (date(2021, 12, 31), None, date(2022, 1, 1), 1),  # across the year boundary
    ],
)
def test_overdue_days(planned, actual, as_of, days):
    assert overdue_days(planned, actual, as_of) == days


def test_months_late_crosses_years():
    assert months_late(date(2021, 11, 20), date(2022, 2, 1)) == 3


PLAN = [D(0), D(0), D(100), D(100), D(100), D(100), D(100), D(100), D(100), D(100), D(100), D(100)]


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
    v = assess(
        year=2022,
        as_of=as_of,
        annual_plan_wan=D(1000),
        ytd_wan=ytd,
        planned_start=STARTED,
        actual_start=STARTED,
        monthly_plan_wan=PLAN,
    )
    assert (v.colour, v.expected) == (colour, expected)
