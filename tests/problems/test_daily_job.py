"""The daily escalation: queued by `serve` once a day for the task worker; the task and the
command share one entry point; the stats JSON carries every app's blocks."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from keyprojects.demo.management.commands.serve import Command as Serve
from keyprojects.problems import tasks
from keyprojects.problems.models import EscalationRun
from tests.problems import builders

pytestmark = pytest.mark.django_db

TASK = "keyprojects.problems.tasks.escalate_daily"


def test_serve_queues_the_daily_escalation_once_a_day():
    serve = Serve()
    day = serve._enqueue_daily(None)
    assert serve._enqueue_daily(day) == day  # the same day: nothing more is queued
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1
    serve._enqueue_daily(date(2000, 1, 1))  # after midnight: the next day's run
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 2


def test_the_task_escalates_and_logs_its_run(project, office):
    p = builders.problem(project, office, on=date(2022, 3, 5), deadline=date(2022, 3, 20))
    assert tasks.escalate_daily.call("2022-03-24") == 1
    assert tasks.escalate_daily.call("2022-03-24") == 0  # idempotent for its date
    p.refresh_from_db()
    assert p.level.name == "督办"
    run = EscalationRun.objects.get(as_of=date(2022, 3, 24))
    assert run.escalated == 1 and run.finished_at is not None


def test_escalate_command_refuses_a_bad_date_in_chinese():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="无效：应为 2022-05-01 这样的日期"):
        call_command("problems", "escalate", "--as-of", "2022-13-01")


def test_stats_json_carries_the_app_blocks(project, office):
    builders.problem(project, office)
    out = StringIO()
    call_command("stats", "--year", "2022", "--quarter", "1", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert {"reserve", "problems", "risks", "kpis", "ranking"} <= set(data)
    assert data["problems"]["open"] == 1
    assert set(data["reserve"]) == {"count", "total_investment_wan", "by_stage", "sufficiency"}
    assert set(data["risks"]) == {
        "stopped",
        "funding",
        "labour",
        "demolition",
        "quality",
        "projects",
    }
    assert data["kpis"]["start_rate"]["value"] == 100.0


def test_office_maintains_the_rules_in_the_admin(client_for, office):
    c = client_for(office)
    for url in (
        "/admin/problems/supervisionlevel/",
        "/admin/problems/escalationpolicy/",
        "/admin/problems/scoringscheme/add/",
        "/admin/reserve/stage/",
        "/admin/reserve/reservetarget/add/",
    ):
        assert c.get(url).status_code == 200, url
