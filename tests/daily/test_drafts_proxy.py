"""Drafts stay with their department (and the office); a report the office files for a
department is marked 代报 with who did it, on the report, in its history and in the list;
the demo's to-do list does not count years of overdue days against today's clock."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from keyprojects.core.models import User
from keyprojects.dispatch import permissions, services
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.dispatch.models import MonthlyReport
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(dept):
    p = factories.started_project(dept)
    return {
        "draft": factories.report(p, 1, "5", status=ReportStatus.DRAFT),
        "submitted": factories.report(p, 2, "5", status=ReportStatus.SUBMITTED),
    }


def test_leaders_and_other_departments_never_see_drafts(
    reports, office, reporter, other_reporter, leader, client_for
):
    draft = reports["draft"]
    assert draft in permissions.reports_for(office)
    assert draft in permissions.reports_for(reporter)
    assert draft not in permissions.reports_for(leader)
    assert draft not in permissions.reports_for(other_reporter)
    assert reports["submitted"] in permissions.reports_for(leader)
    assert not permissions.reports_for(leader).filter(status=ReportStatus.DRAFT).exists()
    url = reverse("dispatch:report_detail", args=[draft.pk])
    assert client_for(leader).get(url).status_code == 404
    assert client_for(other_reporter).get(url).status_code == 404
    listing = client_for(leader).get(reverse("dispatch:report_list")).content.decode()
    assert "草稿" not in re.sub(r"<select.*?</select>", "", listing, flags=re.S)


def test_office_filing_for_a_department_is_marked_proxy(dept, office, reporter, client_for):
    project = factories.started_project(dept)
    own = MonthlyReport(project=project, year=2022, month=1, invested_wan=Decimal("3"))
    services.save_draft(own, by=reporter, today=date(2022, 2, 1))
    services.submit(own, by=reporter)
    assert own.proxy_by is None

    report = MonthlyReport(project=project, year=2022, month=2, invested_wan=Decimal("4"))
    services.save_draft(report, by=office, today=date(2022, 3, 1))
    services.submit(report, by=office)
    report.refresh_from_db()
    assert report.proxy_by == office
    assert [h.history_change_reason for h in report.history.order_by("history_id")] == [
        "代报",
        "报送（代报）",
    ]
    page = client_for(reporter).get(reverse("dispatch:report_detail", args=[report.pk]))
    text = page.content.decode()
    assert f"由{office.display_name}代{dept.label}填报" in text
    listing = client_for(office).get(reverse("dispatch:report_list")).content.decode()
    assert f"代报：{office.display_name}" in listing
    assert listing.count("代报：") == 1


@pytest.fixture
def demo(demo_data):
    """The demo data (tests/conftest.py: demo_data)."""


def test_demo_todo_counts_overdue_days_from_the_plan_year(demo):
    from keyprojects.dispatch import todo

    reporter = User.objects.get(username="zhujian")
    texts = [i["text"] for i in todo.todo_for(reporter, today=date(2026, 11, 30))]
    days = [int(d) for t in texts for d in re.findall(r"逾期(\d+)天", t)]
    assert days and max(days) < 366
