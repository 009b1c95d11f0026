"""The 督办 ladder as a table of cases (keyprojects/problems/rules.py)."""

from datetime import date

import pytest

from keyprojects.problems import rules
from keyprojects.problems.rules import Level, Policy

BLUE = Level(1, "提示", "blue", grace_days=3, reply_days=10)
YELLOW = Level(2, "督办", "yellow", grace_days=3, reply_days=7)
RED = Level(3, "约谈·通报", "red", grace_days=3, reply_days=7)
LADDER = [RED, BLUE, YELLOW]  # any order: the rule sorts by rank
POLICY = Policy()
D = date


@pytest.mark.parametrize(
    "urgency, source, rank",
    [
        ("normal", "monthly_report", 1),
        ("urgent", "monthly_report", 2),
        ("normal", "leader", 2),
        ("special", "inspection", 3),
        ("urgent", "leader", 2),
        ("special", "leader", 3),
    ],
)
def test_start_level(urgency, source, rank):
    assert rules.start_level(LADDER, POLICY, urgency=urgency, source=source).rank == rank


def test_start_level_on_a_ladder_without_the_asked_rank_takes_the_next_lower():
    ladder = [BLUE, RED]  # no rank 2
    assert rules.start_level(ladder, POLICY, urgency="urgent").rank == 1


@pytest.mark.parametrize(
    "rank, deadline, as_of, issued, expected",
    [
        # Not yet: on the deadline, and within the 3 grace days.
        (1, D(2022, 4, 15), D(2022, 4, 15), ["blue"], None),
        (1, D(2022, 4, 15), D(2022, 4, 18), ["blue"], None),
        # Missed by more than 3 days: one step up, new deadline = as_of + reply days.
        (1, D(2022, 4, 15), D(2022, 4, 19), ["blue"], (2, D(2022, 4, 26))),
        (2, D(2022, 4, 26), D(2022, 4, 30), ["blue", "yellow"], (3, D(2022, 5, 7))),
        # The top level stays (red kept until 办结).
        (3, D(2022, 5, 7), D(2022, 6, 1), ["blue", "yellow", "red"], None),
        # A deadline on a holiday (National Day) counts as that calendar day.
        (1, D(2022, 10, 1), D(2022, 10, 5), ["blue"], (2, D(2022, 10, 12))),
        (1, D(2022, 10, 1), D(2022, 10, 4), ["blue"], None),
        # Across the year end.
        (1, D(2022, 12, 30), D(2023, 1, 3), ["blue"], (2, D(2023, 1, 10))),
    ],
)
def test_next_step(rank, deadline, as_of, issued, expected):
    step = rules.next_step(
        LADDER, POLICY, current_rank=rank, deadline=deadline, as_of=as_of, issued_colours=issued
    )
    if expected is None:
        assert step is None
    else:
        assert (step.level.rank, step.deadline) == expected


def test_settled_problem_never_moves():
    assert (
        rules.next_step(
            LADDER,
            POLICY,
            current_rank=1,
            deadline=D(2022, 1, 1),
            as_of=D(2022, 6, 1),
            issued_colours=["blue"],
            open_=False,
        )
        is None
    )


def test_reason_names_the_deadline_and_the_days():
    step = rules.next_step(
        LADDER,
        POLICY,
        current_rank=1,
        deadline=D(2022, 4, 15),
        as_of=D(2022, 4, 19),
        issued_colours=["blue"],
    )
    assert step.reason == "办理期限2022年4月15日已逾期4天，升为督办"


# A ladder where the yellow level may be issued again (三亚: yellow, yellow → red).
YELLOW_AGAIN = Level(2, "督办", "yellow", grace_days=3, reply_days=7, repeats=1)


@pytest.mark.parametrize(
    "yellows_to_red, issued, expected_rank, phrase",
    [
        # Two yellows in a row make red: the second yellow is issued as red.
        (2, ["blue", "yellow"], 3, "连续2次黄色督办，升为红色"),
        # Rule switched off: the level's repeat allows a second yellow …
        (0, ["blue", "yellow"], 2, "再次督办（第2次）"),
        # … and after it the ladder moves up as usual.
        (0, ["blue", "yellow", "yellow"], 3, "升为约谈·通报"),
        # Three yellows needed: the second yellow is still yellow.
        (3, ["blue", "yellow"], 2, "再次督办（第2次）"),
        # The level's repeats used up: the ladder moves up before a third yellow.
        (3, ["blue", "yellow", "yellow"], 3, "升为约谈·通报"),
    ],
)
def test_two_yellows_make_red(yellows_to_red, issued, expected_rank, phrase):
    step = rules.next_step(
        [BLUE, YELLOW_AGAIN, RED],
        Policy(yellows_to_red=yellows_to_red),
        current_rank=2,
        deadline=D(2022, 5, 1),
        as_of=D(2022, 5, 10),
        issued_colours=issued,
    )
    assert step.level.rank == expected_rank
    assert step.reason.endswith(phrase)


def test_starting_yellow_then_missing_makes_red_on_the_default_ladder():
    # 碧桂园: an urgent item starts at 督办 (yellow); missing it moves up to red.
    step = rules.next_step(
        LADDER,
        POLICY,
        current_rank=2,
        deadline=D(2022, 2, 28),
        as_of=D(2022, 3, 4),
        issued_colours=["yellow"],
    )
    assert (step.level.rank, step.reason) == (3, "办理期限2022年2月28日已逾期4天，升为约谈·通报")


def test_a_yellow_interrupted_by_another_colour_does_not_count():
    # blue, yellow, blue(?), yellow: only the trailing yellow is "in a row".
    step = rules.next_step(
        [BLUE, YELLOW_AGAIN, RED],
        Policy(yellows_to_red=3),
        current_rank=2,
        deadline=D(2022, 5, 1),
        as_of=D(2022, 5, 10),
        issued_colours=["yellow", "blue", "yellow"],
    )
    assert step.level.rank == 2


@pytest.mark.parametrize(
    "year, seq, text",
    [(2022, 1, "〔2022〕第001号"), (2022, 42, "〔2022〕第042号"), (2023, 1234, "〔2023〕第1234号")],
)
def test_order_number(year, seq, text):
    assert rules.order_number(year, seq) == text


@pytest.mark.parametrize(
    "deadline, as_of, open_, days",
    [
        (D(2022, 3, 31), D(2022, 3, 31), True, 0),
        (D(2022, 3, 31), D(2022, 4, 10), True, 10),
        (D(2022, 3, 31), D(2022, 4, 10), False, 0),
        (None, D(2022, 4, 10), True, 0),
    ],
)
def test_days_overdue(deadline, as_of, open_, days):
    assert rules.days_overdue(deadline, as_of, open_) == days


@pytest.mark.parametrize(
    "text, kinds",
    [
        ("碧桂园项目受资金压力影响，目前仍未复工", ["stopped", "funding"]),
        ("返岗复工的工人太少", ["labour"]),
        ("部分拆迁房屋受制于资金压力，没有拆除", ["funding"]),
        ("拆迁房屋未拆除", ["demolition"]),
        ("自行车便道标高不一致，路沿石安装不标准", ["quality"]),
        ("按计划推进", []),
        ("", []),
    ],
)
def test_risk_kinds_in_text(text, kinds):
    assert rules.risk_kinds_in_text(text) == kinds


@pytest.mark.parametrize(
    "on_site, needed, short",
    [(60, 200, True), (159, 200, True), (160, 200, False), (250, 200, False), (0, 0, False)],
)
def test_labour_short(on_site, needed, short):
    assert rules.labour_short(on_site, needed) is short


@pytest.mark.parametrize(
    "text, title",
    [
        ("杆线管网迁改滞后，影响道路施工", "杆线管网迁改滞后"),
        ("工人少，有风险", "工人少，有风险"),  # no clause of 8 characters: the text itself
        (
            "返岗复工的工人太少（在岗60人，需要200人），隐患多",
            "返岗复工的工人太少（在岗60人，需要200人）",
        ),
        ("  多个\n空白  ", "多个 空白"),
        ("一" * 50, "一" * 40),
    ],
)
def test_summary_title(text, title):
    assert rules.summary_title(text) == title
