"""待报: projects owing a report, the remind command, and the to-do list."""

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from keyprojects.core.choices import Role
from keyprojects.dispatch import services, todo
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.ledger.models import Project
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(dept, other_dept, reporter, other_reporter):
    reporter.email = "zhujian@example.cn"
    reporter.save()
    w = {
        "reported": factories.started_project(dept, name="已报项目"),
        "draft": factories.started_project(dept, name="草稿项目"),
        "returned": factories.started_project(dept, name="退回项目"),
        "missing": factories.started_project(other_dept, name="交通未报项目"),
        "not_started": factories.project(dept, name="未开工项目"),
        "late_start": factories.started_project(dept, name="四月开工项目", start=date(2022, 4, 2)),
        "completed": factories.project(
            dept,
            name="二月竣工项目",
            actual_start=date(2022, 1, 5),
            actual_end=date(2022, 2, 20),
            status="completed",
        ),
        "reserve": factories.project(dept, name="储备项目", category="reserve"),
    }
    factories.report(w["reported"], 3, "10", status=ReportStatus.SUBMITTED)
    factories.report(w["draft"], 3, "10", status=ReportStatus.DRAFT)
    factories.report(w["returned"], 3, "10", status=ReportStatus.RETURNED, review_comment="重填")
    return w


def test_due_projects(world):
    names = [p.name for p in services.due_projects(Project.objects.live(), 2022, 3)]
    assert sorted(names) == sorted(["草稿项目", "退回项目", "交通未报项目"])
    april = [p.name for p in services.due_projects(Project.objects.live(), 2022, 4)]
    assert "四月开工项目" in april and "已报项目" in april and "二月竣工项目" not in april


def test_due_page_per_department_and_scope(client_for, office, reporter, world):
    page = client_for(office).get(reverse("dispatch:due") + "?month=2022-03").content.decode()
    assert '<b id="due-count">3</b>' in page
    assert "县住房和城乡建设委员会（2个）" in page and "县交通运输委员会（1个）" in page
    mine = client_for(reporter).get(reverse("dispatch:due") + "?month=2022-03").content.decode()
    assert '<b id="due-count">2</b>' in mine and "交通未报项目" not in mine
    assert client_for(office).get(reverse("dispatch:due") + "?month=2022-99").status_code == 400


def test_remind_command_lists_and_mails(world):
    out = StringIO()
    call_command("dispatch", "remind", "--month", "2022-03", stdout=out)
    text = out.getvalue()
    assert "2022年3月待报项目共3个" in text
    assert "县住房和城乡建设委员会（2个）→ zhujian@example.cn 已发送" in text
    assert "县交通运输委员会（1个）→ （无填报员邮箱，未发送）" in text
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert msg.to == ["zhujian@example.cn"]
    assert msg.subject == "【待报提醒】2022年3月重点项目月度调度报告"
    assert "草稿项目" in msg.body and "退回项目" in msg.body and "交通未报项目" not in msg.body
    assert "2022年4月5日" in msg.body


def test_remind_dry_run_sends_nothing(world):
    call_command("dispatch", "remind", "--month", "2022-03", "--dry-run", stdout=StringIO())
    assert mail.outbox == []


@pytest.mark.parametrize("month", ["2022-13", "March"])
def test_remind_bad_month(month):
    with pytest.raises(CommandError, match="月份"):
        call_command("dispatch", "remind", "--month", month, stdout=StringIO())


def test_remind_button_office_only(client_for, office, reporter, world):
    url = reverse("dispatch:due_remind")
    assert client_for(reporter).post(url, {"month": "2022-03"}).status_code == 403
    response = client_for(office).post(url, {"month": "2022-03"}, follow=True)
    assert "已向1个单位发送2022年3月待报提醒" in response.content.decode()
    assert len(mail.outbox) == 1
    assert client_for(office).post(url, {"month": "x"}).status_code == 400


def test_todo_for_roles(world, reporter, office, leader):
    # Plan year 2022 is long past: every month still owed up to the month after the latest
    # report, each with its own deadline, overdue days judged on the plan year's reference day
    # (no approved report in 2022 here: its Dec 31), not on 2026's clock.
    items = todo.todo_for(reporter, today=date(2026, 11, 25))
    assert [i["kind"] for i in items] == ["returned", "draft", "due", "due", "due", "due"]
    assert [i["text"] for i in items[2:]] == [
        "2022年1月有4个项目未报送月度调度报告（截止2022年2月5日，已逾期329天）",
        "2022年2月有4个项目未报送月度调度报告（截止2022年3月5日，已逾期301天）",
        "2022年3月有2个项目未报送月度调度报告（截止2022年4月5日，已逾期270天）",
        "2022年4月有4个项目未报送月度调度报告（截止2022年5月5日，已逾期240天）",
    ]
    assert items[2]["url"].endswith("?month=2022-01") and items[5]["url"].endswith("?month=2022-04")
    # During the plan year: months up to last month, the current one not yet overdue.
    items = todo.todo_for(reporter, today=date(2022, 4, 3))
    assert [i["text"] for i in items[2:]] == [
        "2022年1月有4个项目未报送月度调度报告（截止2022年2月5日，已逾期57天）",
        "2022年2月有4个项目未报送月度调度报告（截止2022年3月5日，已逾期29天）",
        "2022年3月有2个项目未报送月度调度报告（截止2022年4月5日）",
    ]
    assert [i["kind"] for i in todo.todo_for(office)] == ["review"]
    assert todo.todo_for(leader) == []
    admin = factories.user(Role.SYSADMIN)
    assert todo.todo_for(admin) == []


def test_todo_template_tag(rf, reporter, world):
    from django.template import Context, Template

    request = rf.get("/")
    request.user = reporter
    html = Template("{% load dispatch_todo %}{% dispatch_todo %}").render(
        Context({"request": request})
    )
    assert 'id="dispatch-todo"' in html and "被退回：重填" in html
    request.user = factories.user(Role.LEADER)
    html = Template("{% load dispatch_todo %}{% dispatch_todo %}").render(
        Context({"request": request})
    )
    assert "dispatch-todo" not in html


def test_due_page_says_when_the_deadline_has_passed(client_for, office, world):
    page = client_for(office).get(reverse("dispatch:due") + "?month=2022-03").content.decode()
    assert "报送截止日期为2022年4月5日" in page and "已逾期" in page
