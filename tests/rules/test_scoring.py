"""The department ranking's scoring (problems/scoring.py) with the 2020 综合奖 default."""

from decimal import Decimal

import pytest

from keyprojects.problems import scoring
from keyprojects.problems.scoring import DEFAULT_SCHEME, Facts

PLAN = DEFAULT_SCHEME["plan"]


@pytest.mark.parametrize(
    "pct, points",
    [
        ("100", "0"),
        ("90", "-1.0"),  # 10 points short × 0.1
        ("0", "-10.0"),
        ("110", "2.0"),  # 10 points over × 0.2
        ("130", "6.0"),
        ("150", "8.0"),  # 30 × 0.2 + 20 × 0.1
        ("200", "13.0"),  # before the cap
    ],
)
def test_plan_bands(pct, points):
    adj, _ = scoring.plan_adjustment(Decimal(pct), PLAN)
    assert adj == Decimal(points)


def test_plan_without_a_plan_scores_nothing():
    assert scoring.plan_adjustment(None, PLAN)[0] == 0


def facts(**kw):
    base = dict(
        plan_pct=Decimal("100"),
        rank=1,
        month=3,
        planned=6,
        new_starts=2,
        start_rate=Decimal("70"),
        not_started_late=0,
        yellow_orders=0,
        red_orders=0,
        late_reports=0,
    )
    base.update(kw)
    return Facts(**base)


def test_plan_adjustment_is_capped_at_ten():
    s = scoring.score(facts(plan_pct=Decimal("200")))
    assert s.by_indicator["计划完成"] == Decimal("50.00")
    assert any("封顶" in line.note for line in s.lines)
    s = scoring.score(facts(plan_pct=Decimal("0")))
    assert s.by_indicator["计划完成"] == Decimal("30.00")


@pytest.mark.parametrize(
    "rank, month, bonus",
    [(1, 6, 7), (3, 6, 7), (4, 12, 5), (6, 6, 5), (7, 6, 3), (10, 6, 3), (11, 6, 0), (1, 3, 0)],
)
def test_rank_bonus_from_the_half_year(rank, month, bonus):
    assert scoring.rank_bonus(rank, month, PLAN) == bonus


@pytest.mark.parametrize(
    "planned, rate, met",
    [
        (5, "80", True),
        (5, "79.9", False),
        (6, "70", True),
        (6, "69.9", False),
        (1, "100", True),
        (0, None, False),
        (3, None, False),
    ],
)
def test_start_rate_threshold_by_number_of_projects(planned, rate, met):
    r = Decimal(rate) if rate is not None else None
    assert scoring.start_rate_met(planned, r, DEFAULT_SCHEME["start"]["rate_thresholds"]) is met


@pytest.mark.parametrize(
    "new_starts, rate, late, points",
    [
        (2, "70", 0, "17.00"),  # 10 base + 2 + 5
        (12, "70", 0, "25.00"),  # new starts capped at 10: 10 + 10 + 5
        (0, "50", 1, "7.00"),  # 10 + 0 + 0 − 3
        (0, "0", 5, "0.00"),  # never below 0
    ],
)
def test_start_indicator(new_starts, rate, late, points):
    s = scoring.score(facts(new_starts=new_starts, start_rate=Decimal(rate), not_started_late=late))
    assert s.by_indicator["开工"] == Decimal(points)


@pytest.mark.parametrize(
    "yellow, red, late, points",
    [(0, 0, 0, "15.00"), (1, 1, 2, "11.00"), (10, 5, 0, "0.00")],
)
def test_service_indicator(yellow, red, late, points):
    s = scoring.score(facts(yellow_orders=yellow, red_orders=red, late_reports=late))
    assert s.by_indicator["管理服务"] == Decimal(points)


def test_every_point_is_explained_and_the_lines_add_up():
    s = scoring.score(facts(plan_pct=Decimal("85.5"), not_started_late=1, yellow_orders=1))
    assert sum(line.points for line in s.lines) == s.total
    assert all(line.note for line in s.lines)
    assert s.total == Decimal("40") - Decimal("1.45") + 0 + Decimal("14") + Decimal("14")


def test_ranks_share_places_and_skip():
    assert scoring.ranks({"a": 3, "b": 5, "c": 5, "d": None, "e": 1}) == {
        "b": 1,
        "c": 1,
        "a": 3,
        "e": 4,
        "d": None,
    }


@pytest.mark.parametrize(
    "n, top, bottom, red, black",
    [
        (7, 5, 4, [1, 2, 3, 4, 5], [7, 6]),
        (10, 3, 3, [1, 2, 3], [10, 9, 8]),
        (2, 5, 4, [1, 2], []),
        (4, 0, 2, [], [4, 3]),
    ],
)
def test_red_and_black_lists_never_overlap(n, top, bottom, red, black):
    assert scoring.red_black(list(range(1, n + 1)), top, bottom) == (red, black)


@pytest.mark.parametrize(
    "change, error",
    [
        (lambda s: s.pop("plan"), "缺少“plan”部分"),
        (lambda s: s["start"].pop("base"), "“start”缺少“base”"),
        (lambda s: s["service"].update(per_red="两分"), "“service.per_red”应为数字"),
        (lambda s: s.update(top=-1), "“top”应为不小于0的整数"),
    ],
)
def test_an_edited_scheme_is_checked(change, error):
    import copy

    scheme = copy.deepcopy(DEFAULT_SCHEME)
    change(scheme)
    assert scoring.scheme_errors(scheme) == [error]


def test_the_default_scheme_is_valid():
    assert scoring.scheme_errors(DEFAULT_SCHEME) == []
    assert scoring.scheme_errors([]) == ["评分规则应为JSON对象"]
