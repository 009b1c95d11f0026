"""A newcomer's path in a real browser (Debian's Chromium): log in with a demo account,
filter the ledger, edit a project, see the change in its history."""

import re

import pytest
from django.core.management import call_command

from keyprojects.demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server):
    call_command("demo")
    return live_server.url


def log_in(page, base, username):
    page.goto(f"{base}/projects/")
    assert "/login/" in page.url
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")


def test_reporter_filters_edits_and_sees_history(page, demo_site):
    log_in(page, demo_site, "zhujian")
    page.wait_for_url(re.compile(r"/projects/$"))
    assert page.locator("h1").inner_text() == "重点项目台账"
    # Only the reporter's own department is listed.
    departments = set(page.locator("#ledger-table tbody td:nth-child(3)").all_inner_texts())
    assert departments == {"住建"}
    page.select_option("#id_colour", "red")
    page.click("text=查询")
    names = page.locator("#ledger-table tbody td:nth-child(2)").all_inner_texts()
    assert names == ["中昂新城商住项目", "学府二路至外环线道路工程"]
    page.click("text=中昂新城商住项目")
    assert "低于序时进度10.0个百分点" in page.content()
    page.click("text=编辑")
    page.fill("#id_annual_plan_wan", "28000")
    page.click("button:has-text('保存')")
    page.wait_for_selector("#history")
    history = page.locator("#history").inner_text()
    assert "刘填报（住建委） 修改项目" in history
    assert "年度计划投资（万元）：30000.00 → 28000.00" in history
    assert "已保存项目" in page.locator(".messages").inner_text()


def test_validation_message_in_chinese(page, demo_site):
    log_in(page, demo_site, "office")
    page.goto(f"{demo_site}/projects/new/")
    page.fill("#id_name", "测试项目")
    page.fill("#id_total_investment_wan", "-1")
    page.click("button:has-text('保存')")
    assert "确保该值大于或等于0" in page.content()
    assert "请修改下面标红的字段后再保存" in page.content()


def test_leader_reads_but_cannot_edit(page, demo_site):
    log_in(page, demo_site, "leader")
    page.goto(f"{demo_site}/projects/summary/?year=2022&quarter=1")
    text = page.locator("#summary-text").inner_text()
    assert "目前已开工项目23个，还有13个项目未开工" in text
    assert page.locator("#kpis").inner_text().count("63.9%") == 1
    page.goto(f"{demo_site}/projects/")
    assert page.locator("text=新建项目").count() == 0
