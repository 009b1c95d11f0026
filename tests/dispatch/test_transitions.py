"""A monthly report changes state only through the transitions of services.TRANSITIONS."""

from datetime import date
from decimal import Decimal

import pytest

from keyprojects.core.errors import NotAllowed
from keyprojects.dispatch import rules, services
from keyprojects.dispatch.choices import ReportStatus
from tests import factories

pytestmark = pytest.mark.django_db

S = ReportStatus


def test_the_table_names_every_state_change():
    assert {name: (set(t.sources), t.target) for name, t in services.TRANSITIONS.items()} == {
        "submit": ({S.DRAFT, S.RETURNED}, S.SUBMITTED),
        "approve": ({S.SUBMITTED}, S.APPROVED),
        "return_report": ({S.SUBMITTED}, S.RETURNED),
    }


def _run(name, report, office):
    if name == "submit":
        return services.submit(report, by=office)
    if name == "approve":
        return services.approve(report, by=office)
    return services.return_report(report, by=office, comment="请核实")


@pytest.mark.parametrize(
    "name, start, result",
    [
        ("submit", S.DRAFT, S.SUBMITTED),
        ("submit", S.RETURNED, S.SUBMITTED),
        ("submit", S.SUBMITTED, "该报告已报送，不能重复报送"),
        ("submit", S.APPROVED, "该报告已审核，不能重复报送"),
        ("approve", S.SUBMITTED, S.APPROVED),
        ("approve", S.DRAFT, "只有已报送的报告可以审核"),
        ("approve", S.RETURNED, "只有已报送的报告可以审核"),
        ("approve", S.APPROVED, "只有已报送的报告可以审核"),
        ("return_report", S.SUBMITTED, S.RETURNED),
        ("return_report", S.DRAFT, "只有已报送的报告可以退回"),
        ("return_report", S.APPROVED, "只有已报送的报告可以退回"),
    ],
)
def test_transition_from_each_state(dept, office, name, start, result):
    report = factories.report(factories.started_project(dept), 3, 100, status=start)
    if result in S.values:
        _run(name, report, office)
        report.refresh_from_db()
        assert report.status == result
        # The office submitting a department's report files it on its behalf (代报).
        reason = services.TRANSITIONS[name].reason + ("（代报）" if name == "submit" else "")
        assert report.history.first().history_change_reason == reason
    else:
        with pytest.raises(NotAllowed) as exc:
            _run(name, report, office)
        assert str(exc.value) == result
        report.refresh_from_db()
        assert report.status == start


@pytest.mark.parametrize(
    "start, allowed",
    [
        (S.DRAFT, ["submit"]),
        (S.RETURNED, ["submit"]),
        (S.SUBMITTED, ["approve", "return_report"]),
        (S.APPROVED, []),
    ],
)
def test_allowed_transitions(dept, start, allowed):
    report = factories.report(factories.started_project(dept), 3, 100, status=start)
    assert services.allowed_transitions(report) == allowed


@pytest.mark.parametrize("start", [S.SUBMITTED, S.APPROVED])
def test_a_sent_report_is_not_saved_as_a_draft(dept, office, start):
    report = factories.report(factories.started_project(dept), 3, 100, status=start)
    report.invested_wan = Decimal(999)
    with pytest.raises(NotAllowed):
        services.save_draft(report, by=office)
    report.refresh_from_db()
    assert report.invested_wan == Decimal(100)


def _problems(**kw):
    base = {
        "year": 2022,
        "month": 3,
        "today": date(2022, 4, 2),
        "plan_year": 2022,
        "project_name": "甲项目",
        "status_label": "在建",
        "started": True,
        "actual_start": date(2022, 1, 10),
    }
    return rules.period_problems(**{**base, **kw})


@pytest.mark.parametrize(
    "change, expected",
    [
        ({}, []),
        ({"month": 1}, []),
        ({"month": 5}, ["2022年5月尚未到来，不能填报未来月份的调度报告"]),
        ({"plan_year": 2023}, ["该项目为2023年度计划项目，只能填报2023年的月报"]),
        (
            {"started": False, "actual_start": None, "status_label": "未开工"},
            ["项目“甲项目”未开工，开工后才能填报月度调度报告"],
        ),
        (
            {"actual_start": date(2022, 3, 1)},
            [],
        ),
        (
            {"actual_start": date(2022, 4, 1)},
            ["项目“甲项目”于2022年4月开工，不能填报开工前（2022年3月）的月报"],
        ),
    ],
)
def test_period_problems(change, expected):
    assert _problems(**change) == expected


@pytest.mark.parametrize(
    "when, expected",
    [
        (date(2022, 3, 31), None),
        (date(2022, 4, 1), "节点“开工”的实际完成日期2022年4月1日晚于2022年3月"),
    ],
)
def test_milestone_date_problem(when, expected):
    assert rules.milestone_date_problem(
        "开工", when, year=2022, month=3, today=date(2022, 5, 1)
    ) == (expected)


def test_milestone_date_after_today():
    assert (
        rules.milestone_date_problem(
            "开工", date(2022, 3, 20), year=2022, month=3, today=date(2022, 3, 10)
        )
        == "节点“开工”的实际完成日期2022年3月20日晚于今天"
    )
