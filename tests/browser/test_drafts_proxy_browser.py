"""Drafts and 代报 in a real browser: the leader's report list holds no draft; a report the
office filed for a department says so on its page, at 1440×900 and 390×844."""

import os
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from keyprojects.core.models import User
from keyprojects.demo.data import DEMO_PASSWORD
from keyprojects.dispatch import services
from keyprojects.dispatch.models import MonthlyReport
from keyprojects.ledger.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("KP_SHOTS")


@pytest.fixture
def filed(live_server):
    call_command("demo")
    office = User.objects.get(username="office")
    scope = Project.objects.live()
    year, month = services.default_due_month(scope, date(2026, 11, 30))
    project = services.due_projects(scope, year, month)[0]
    report = MonthlyReport(project=project, year=year, month=month, invested_wan=Decimal("120"))
    services.save_draft(report, by=office, today=date(year, 12, 31))
    services.submit(report, by=office)
    draft_project = services.due_projects(scope, year, month)[0]
    draft = MonthlyReport(project=draft_project, year=year, month=month, invested_wan=Decimal("1"))
    reporter = User.objects.filter(department=draft_project.department, role="reporter").first()
    services.save_draft(draft, by=reporter, today=date(year, 12, 31))
    return live_server.url, report, draft


def log_in(page, base, username):
    page.goto(f"{base}/projects/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/projects/"))


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)])
def test_leader_sees_no_draft_and_proxy_is_marked(page, filed, size):
    base, report, draft = filed
    page.set_viewport_size({"width": size[0], "height": size[1]})
    log_in(page, base, "leader")
    page.goto(f"{base}/dispatch/")
    assert page.locator("#report-table .status-draft").count() == 0
    assert page.goto(f"{base}/dispatch/{draft.pk}/").status == 404
    page.goto(f"{base}/dispatch/{report.pk}/")
    proxy = page.locator("#proxy").inner_text()
    assert proxy.startswith("代报") and "王主任（重点项目办）代" in proxy
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"proxy-{size[0]}.png"), full_page=False)
