"""The audit log read in a browser (issue 22): the office's filtered export reads 筛选条件 with
the department's name; a date typed the Chinese way filters, a wrong one is named. KP_SHOTS
gets a screenshot."""

import os
import re

import pytest
from django.core.management import call_command

from keyprojects.demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("KP_SHOTS")


@pytest.fixture
def demo_site(live_server):
    call_command("demo")
    return live_server.url


def log_in(page, base, username, landing):
    page.goto(f"{base}{landing}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(landing)))


def test_audit_details_read_as_names(browser, demo_site):
    office = browser.new_page()
    log_in(office, demo_site, "office", "/projects/")
    office.select_option("#id_department", label="县住房和城乡建设委员会")
    office.click("#filters button[type=submit]")
    office.wait_for_url(re.compile(r"department="))
    assert office.request.get(f"{demo_site}/excel/export/ledger/?{office.url.split('?')[1]}").ok
    office.close()
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    log_in(page, demo_site, "auditadmin", "/security/audit/")
    page.fill("#id_date_from", "2022年1月1日")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"date_from="))
    details = page.locator("td.audit-details").all_inner_texts()
    exports = [d for d in details if d.startswith("类型：项目台账")]
    assert exports and "单位：县住房和城乡建设委员会" in exports[0]
    assert not any("filters=" in d or "{'" in d for d in details)
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "audit-log-1440.png"))
    page.fill("#id_date_from", "11/30/2026")
    page.click("form.filters button[type=submit]")
    assert "请按“2026年11月30日”填写" in page.locator("form.filters").inner_text()
