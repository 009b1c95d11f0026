"""A problem raised in a March report is not solved, climbs the ladder 提示 → 督办 → 约谈 on the
rule's dates with numbered 督办单, is solved and closed (销号) after 复核; every step is in its
history."""

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from keyprojects.core.history import entries
from keyprojects.problems import services
from keyprojects.problems.models import Interview, Problem
from tests import factories

pytestmark = pytest.mark.django_db


def escalate(day: str, *extra) -> str:
    out = StringIO()
    call_command("problems", "escalate", "--as-of", day, *extra, stdout=out)
    return out.getvalue()


def test_march_report_problem_climbs_the_ladder_and_is_closed(
    office, reporter, project, client_for
):
    reporter.email = "reporter@example.invalid"
    reporter.save()
    march = factories.report(
        project, 3, "120", problems="杆线管网迁改滞后，影响道路施工", submitted_by=reporter
    )

    # One click on the report (the service the button calls), on 6 April.
    problem = services.register_from_report(march, by=office, on=date(2022, 4, 6), kind="pipelines")
    assert (problem.level.name, problem.status, problem.deadline) == (
        "提示",
        "open",
        date(2022, 4, 16),
    )
    assert problem.report == march and list(march.register_problems.all()) == [problem]
    assert [o.number for o in problem.orders.all()] == ["〔2022〕第001号"]
    assert mail.outbox[-1].to == ["reporter@example.invalid"]
    assert "〔2022〕第001号" in mail.outbox[-1].subject

    # Deadline 16 April + 3 grace days: nothing until the 20th.
    assert escalate("2022-04-19").endswith("已升级0个问题\n")
    assert "将升级1个问题" in escalate("2022-04-20", "--dry-run")
    assert problem.orders.count() == 1  # the dry run wrote nothing
    assert "升为督办" in escalate("2022-04-20")
    problem.refresh_from_db()
    assert (problem.level.name, problem.deadline) == ("督办", date(2022, 4, 27))

    assert escalate("2022-04-30").endswith("已升级0个问题\n")
    assert "升为约谈·通报" in escalate("2022-05-01")
    problem.refresh_from_db()
    assert problem.level.name == "约谈·通报"
    numbers = [
        (o.number, o.level_name, o.issued_on) for o in problem.orders.order_by("issued_on", "seq")
    ]
    assert numbers == [
        ("〔2022〕第001号", "提示", date(2022, 4, 6)),
        ("〔2022〕第002号", "督办", date(2022, 4, 20)),
        ("〔2022〕第003号", "约谈·通报", date(2022, 5, 1)),
    ]
    # Running the same day again changes nothing (the daily job is idempotent).
    assert escalate("2022-05-01").endswith("已升级0个问题\n")

    services.record_interview(
        Interview(
            problem=problem,
            held_on=date(2022, 5, 3),
            host="周副县长",
            attendees="城管局局长、施工单位项目经理",
            agreed="5月20日前完成杆线迁改",
            new_deadline=date(2022, 5, 20),
        ),
        by=office,
    )
    problem.refresh_from_db()
    assert problem.deadline == date(2022, 5, 20)
    assert problem.interviews.get().order.number == "〔2022〕第003号"

    services.reply(problem, text="杆线迁改已完成", on=date(2022, 5, 18), by=reporter)
    problem.refresh_from_db()
    assert problem.status == "in_progress"
    services.transition(problem, "finish", by=reporter, on=date(2022, 5, 18))
    services.transition(problem, "close", by=office, on=date(2022, 5, 20), note="现场复核属实")
    problem.refresh_from_db()
    assert (problem.status, problem.done_on, problem.closed_on) == (
        "closed",
        date(2022, 5, 18),
        date(2022, 5, 20),
    )
    assert escalate("2022-06-30").endswith("已升级0个问题\n")  # settled: never moves again

    reasons = [e.reason for e in entries(problem.history.all(), Problem)]
    assert reasons[::-1] == [
        "登记",
        "督办升级：办理期限2022年4月16日已逾期4天，升为督办",
        "督办升级：办理期限2022年4月27日已逾期4天，升为约谈·通报",
        "约谈约定新的办理期限",
        "签收办理",
        "报告办结",
        "复核销号",
    ]
    rounds = [(r.round, r.kind) for r in problem.replies.all()]
    assert rounds == [(1, "reply"), (1, "review")]

    # Linked both ways on the pages.
    office_client = client_for(office)
    page = office_client.get(reverse("dispatch:report_detail", args=[march.pk])).content.decode()
    assert f"/problems/{problem.pk}/" in page
    page = office_client.get(f"/problems/{problem.pk}/").content.decode()
    assert reverse("dispatch:report_detail", args=[march.pk]) in page and "〔2022〕第003号" in page
