"""代报 follows a figure to its source (issue 22): wherever a page shows which monthly report a
project's figures came from — the project's 最近调度, the report's 修改记录, the report list, a
problem registered from a report — a report the office filed for the department says
代报：<the office user>; the department's own report says nothing of the kind."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from keyprojects.dispatch import services
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.dispatch.models import MonthlyReport
from keyprojects.problems import services as problem_services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(dept, office, reporter):
    """January reported by the department itself, February filed by the office (代报)."""
    project = factories.started_project(dept, name="城南片区供水管网工程")
    own = MonthlyReport(project=project, year=2022, month=1, invested_wan=Decimal("3"))
    services.save_draft(own, by=reporter, today=date(2022, 2, 1))
    services.submit(own, by=reporter)
    proxy = MonthlyReport(
        project=project,
        year=2022,
        month=2,
        invested_wan=Decimal("4"),
        problems="资金压力大",
    )
    services.save_draft(proxy, by=office, today=date(2022, 3, 1))
    services.submit(proxy, by=office)
    return project, own, proxy


def test_project_page_names_who_filed_each_report(filed, office, leader, client_for):
    project, own, proxy = filed
    mark = f"代报：{office.display_name}"
    for viewer in (office, leader):
        page = client_for(viewer).get(project.get_absolute_url()).content.decode()
        section = page.split("<h2>最近调度</h2>", 1)[1].split("</section>", 1)[0]
        rows = section.split("<tr>")[2:]
        assert [("2022年2月" in r, mark in r) for r in rows] == [(True, True), (False, False)]


def test_project_page_shows_a_leader_no_draft(dept, reporter, leader, client_for):
    project = factories.started_project(dept)
    factories.report(project, 3, "9", status=ReportStatus.DRAFT)
    page = client_for(leader).get(project.get_absolute_url()).content.decode()
    assert "暂无月度调度报告" in page
    page = client_for(reporter).get(project.get_absolute_url()).content.decode()
    assert "2022年3月" in page.split("<h2>最近调度</h2>", 1)[1].split("</section>", 1)[0]


def test_report_history_and_list_say_proxy(filed, office, reporter, client_for):
    project, own, proxy = filed
    mark = f"代报：{office.display_name}"
    page = client_for(reporter).get(reverse("dispatch:report_detail", args=[proxy.pk]))
    history = page.content.decode().split("<h2>修改记录</h2>", 1)[1]
    assert history.count(mark) == 2  # the draft saved and the report submitted, both by proxy
    page = client_for(reporter).get(reverse("dispatch:report_detail", args=[own.pk]))
    assert "代报" not in page.content.decode()
    listing = client_for(office).get(reverse("dispatch:report_list")).content.decode()
    assert listing.count(mark) == 1


def test_problem_from_a_proxy_report_says_so(filed, office, client_for):
    project, own, proxy = filed
    problem = problem_services.register_from_report(proxy, by=office, on=date(2022, 3, 6))
    page = client_for(office).get(reverse("problems:detail", args=[problem.pk])).content.decode()
    assert (
        f'2022年2月调度报告</a> <span class="tag proxy">代报：{office.display_name}</span>' in page
    )
