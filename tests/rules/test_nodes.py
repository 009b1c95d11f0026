"""Tables of cases for the pure node rules (ledger/rules.py) and 倒排工期 warnings
(dispatch/rules.py)."""

from datetime import date

import pytest

from keyprojects.dispatch import rules as dispatch_rules
from keyprojects.ledger import rules

D = date


@pytest.mark.parametrize(
    "baseline, planned, days, text",
    [
        (D(2022, 6, 30), D(2022, 9, 30), 92, "原计划2022年6月30日，调整为9月30日，延后92天"),
        (D(2022, 6, 30), D(2022, 6, 1), -29, "原计划2022年6月30日，调整为6月1日，提前29天"),
        (
            D(2022, 12, 31),
            D(2023, 1, 31),
            31,
            "原计划2022年12月31日，调整为2023年1月31日，延后31天",
        ),
        (D(2022, 6, 30), D(2022, 6, 30), 0, ""),  # never moved
        (None, D(2022, 6, 30), 0, ""),  # no baseline yet
        (D(2024, 2, 28), D(2024, 3, 1), 2, "原计划2024年2月28日，调整为3月1日，延后2天"),  # leap
    ],
)
def test_slip(baseline, planned, days, text):
    assert rules.slip_days(baseline, planned) == days
    assert rules.slip_text(baseline, planned) == text


@pytest.mark.parametrize(
    "planned, actual, judging, state",
    [
        (D(2022, 3, 1), None, D(2022, 3, 31), "overdue"),  # passed, not reached
        (D(2022, 3, 31), None, D(2022, 3, 31), "upcoming"),  # due on the judging date
        (D(2023, 12, 31), None, D(2022, 3, 31), "upcoming"),  # a future node, never overdue
        (D(2022, 3, 1), D(2022, 3, 5), D(2022, 3, 31), "reached"),  # reached late: done
        (D(2022, 3, 1), D(2022, 4, 5), D(2022, 3, 31), "overdue"),  # reached after judging
        (D(2022, 5, 1), D(2022, 3, 5), D(2022, 3, 31), "reached"),  # reached early
    ],
)
def test_node_state_overdue_only_when_passed(planned, actual, judging, state):
    assert rules.node_state(planned, actual, judging) == state


START = "开工"


@pytest.mark.parametrize(
    "planned, today, ledger_start, expected",
    [
        # A plan entirely in the future that agrees with the ledger: nothing to confirm.
        ([("立项", D(2022, 5, 1)), (START, D(2022, 7, 1))], D(2022, 4, 1), D(2022, 7, 1), []),
        # Past dates are listed; a date equal to today is not past.
        (
            [("立项", D(2022, 3, 1)), ("用地预审", D(2022, 4, 1)), (START, D(2022, 7, 1))],
            D(2022, 4, 1),
            None,
            ["“立项”计划日期2022年3月1日早于今天（2022年4月1日），保存后未完成即为逾期"],
        ),
        # The example: 开工 three months after the ledger's 计划开工.
        (
            [(START, D(2022, 7, 1))],
            D(2022, 1, 1),
            D(2022, 4, 1),
            ["开工节点 2022年7月1日 比台账计划开工 2022年4月1日 晚3个月"],
        ),
        (
            [(START, D(2022, 4, 1))],
            D(2022, 1, 1),
            D(2022, 7, 15),
            ["开工节点 2022年4月1日 比台账计划开工 2022年7月15日 早3个月"],
        ),
        (
            [(START, D(2022, 4, 20))],
            D(2022, 1, 1),
            D(2022, 4, 1),
            ["开工节点 2022年4月20日 比台账计划开工 2022年4月1日 晚19天"],
        ),
        (
            [(START, D(2022, 6, 30))],
            D(2022, 1, 1),
            D(2022, 4, 1),
            ["开工节点 2022年6月30日 比台账计划开工 2022年4月1日 晚2个月"],
        ),
    ],
)
def test_plan_warnings(planned, today, ledger_start, expected):
    assert (
        dispatch_rules.plan_warnings(
            planned, today=today, start_label=START, ledger_start=ledger_start
        )
        == expected
    )


def test_sector_defaults_differ_and_cover_every_gap():
    defaults = dispatch_rules.SECTOR_DEFAULT_DAYS
    assert len(set(defaults.values())) == len(defaults)
    assert {len(v) for v in defaults.values()} == {7}  # 用地预审 … 竣工验收, with 招投标
