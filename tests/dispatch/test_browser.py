"""The monthly loop in a real browser: a reporter submits, the office approves."""

from datetime import date

import pytest

from keyprojects.dispatch.choices import ReportStatus
from keyprojects.dispatch.models import MonthlyReport
from tests import factories


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button[type=submit]")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reporter_submits_office_approves(page, live_server):
    from keyprojects.core.choices import Role

    dept = factories.department(name="县住房和城乡建设委员会", short_name="住建")
    factories.user(Role.REPORTER, department=dept, username="zj")
    factories.user(Role.OFFICE, username="boss")
    project = factories.started_project(dept, name="凤鸣江湾住宅小区", start=date(2022, 1, 10))
    errors = []
    # JS errors and CSP violations; a 400 answer to the bad form is expected, not an error.
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )

    _login(page, live_server, "zj")
    page.goto(f"{live_server.url}/dispatch/due/?month=2022-03")
    assert page.text_content("#due-count") == "1"
    page.click("table a.btn-sm")
    page.fill("input[name=invested_wan]", "-1")
    page.click("main form.stacked button[type=submit]")
    assert page.is_visible("text=当月完成投资（万元）不能为负数")
    page.fill("input[name=invested_wan]", "120")
    page.fill("input[name=progress_text]", "主体结构施工至8层")
    page.click("main form.stacked button[type=submit]")
    assert page.text_content("#report-status") == "草稿"
    page.click("#submit-report")
    assert page.text_content("#report-status") == "已报送"
    page.click("header .user button")

    _login(page, live_server, "boss")
    report = MonthlyReport.objects.get(project=project)
    page.goto(f"{live_server.url}/dispatch/{report.pk}/")
    page.click("#approve-report")
    assert page.text_content("#report-status") == "已审核"
    assert page.text_content("#ytd").startswith("120.00 万元")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    page.goto(f"{live_server.url}/dispatch/wall-chart/?year=2022")
    assert page.locator(f'g.row[data-project="{project.pk}"]').get_attribute("data-colour") == (
        "green"
    )
    assert errors == []
