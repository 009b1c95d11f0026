"""The demo data tells the seed report's story."""

import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from keyprojects import stats
from keyprojects.core.models import DemoMarker
from keyprojects.ledger.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_data):
    """The demo data, loaded once for this module (tests/conftest.py: demo_data)."""


def test_demo_matches_the_seed_first_paragraph(demo):
    s = stats.ledger_summary(2022, quarter=1)
    assert (s.projects.total, s.projects.started, s.projects.reserve) == (36, 23, 15)
    assert s.projects.not_started == 13
    assert str(s.projects.start_rate) == "63.9"
    assert s.projects.on_schedule + s.projects.behind_schedule == 23
    assert s.projects.behind_schedule > 0
    assert {"县规划和自然资源局", "县住房和城乡建设委员会", "县城市管理局"} <= {
        d.name for d in s.departments
    }
    assert DemoMarker.objects.exists()


@pytest.mark.parametrize(
    "name, status",
    [
        ("物流园区岗前培训中心（凤起小学）", "not_started"),
        ("职教中心扩建项目", "not_started"),
        ("省道S526石堤至龙池段改建工程", "not_started"),
        ("国道G242过境段公路改建工程", "not_started"),
        ("健康路改造工程", "not_started"),
        ("学府二路至外环线道路工程", "not_started"),
        ("中昂新城商住项目", "under_construction"),
        ("丹凤路综合改造工程", "under_construction"),
        ("凤鸣江湾住宅小区", "under_construction"),
        ("凤凰隧道及连接道工程", "completed"),
        ("碧桂园·凤凰城项目", "suspended"),
    ],
)
def test_named_projects_are_in_the_states_the_report_describes(demo, name, status):
    assert Project.objects.get(name=name).status == status


def test_projects_named_as_behind_their_milestones_are_flagged(demo):
    s = stats.ledger_summary(2022, quarter=1)
    behind = {p.name: v for p, v in s.behind_projects}
    for name in ("中昂新城商住项目", "丹凤路综合改造工程"):
        assert name in behind
        assert "逾期" in behind[name].reason_text
    late = {p.name: v for p, v in s.not_started_projects}
    assert "未按期开工" in late["健康路改造工程"].reason_text


def test_demo_refuses_a_database_with_projects(demo):
    with pytest.raises(CommandError, match="空库"):
        call_command("demo")


def test_demo_history_names_the_people(demo):
    project = Project.objects.get(name="中昂新城商住项目")
    assert project.history.first().history_user.username == "office"


def test_console_script_prints_the_seed_figures(tmp_path):
    """End to end through the installed `keyprojects` entry point, on a fresh database."""
    env = {"KEYPROJECTS_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    kp = [sys.executable, "-m", "keyprojects"]
    subprocess.run([*kp, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*kp, "demo"], env=env, check=True, capture_output=True)
    out = subprocess.run(
        [*kp, "stats", "--year", "2022", "--quarter", "1", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    data = json.loads(out)
    p = data["projects"]
    assert (p["total"], p["started"], p["reserve"], p["start_rate"]) == (36, 23, 15, 63.9)


def test_demo_april_reports_show_the_flow_without_touching_figures(demo, client_for):
    from datetime import date

    from keyprojects.core.models import User
    from keyprojects.dispatch.models import MonthlyReport

    april = dict(
        MonthlyReport.objects.filter(year=2022, month=4).values_list("project__name", "status")
    )
    assert april == {
        "城市污水管网改造工程": "submitted",
        "丹凤路综合改造工程": "returned",
        "县第三中学扩建工程": "draft",
    }
    assert stats.default_as_of(2022, date(2026, 11, 25)) == date(2022, 3, 31)
    page = client_for(User.objects.get(username="chengguan")).get("/projects/summary/")
    assert "当月完成投资与形象进度不符" in page.content.decode()
    page = client_for(User.objects.get(username="office")).get("/projects/summary/")
    assert 'id="dispatch-todo"' in page.content.decode()


@pytest.mark.parametrize(
    "username, page",
    [
        ("sysadmin", "/security/accounts/"),
        ("secadmin", "/security/roles/"),
        ("auditadmin", "/security/audit/"),
    ],
)
def test_demo_administrators_reach_their_pages_and_no_business_data(
    demo, client_for, username, page
):
    from keyprojects.core.models import User

    c = client_for(User.objects.get(username=username))
    assert c.get(page).status_code == 200
    assert c.get("/projects/").status_code == 403


def sample_loader(stdout=None) -> dict:
    return {"samples": 0}


def test_apps_register_demo_loaders_through_their_config(monkeypatch):
    from django.apps import apps

    from keyprojects.demo import data

    before = data.app_loaders()
    assert "dispatch" not in [label for label, _ in before]
    config = apps.get_app_config("dispatch")
    monkeypatch.setattr(
        config, "demo_loader", "tests.ledger.test_demo.sample_loader", raising=False
    )
    after = data.app_loaders()
    assert ("dispatch", sample_loader) in after
    assert len(after) == len(before) + 1
