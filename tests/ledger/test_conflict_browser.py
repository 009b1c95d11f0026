"""The conflict page in a real browser: two people edit one project's 备注."""

import os

import pytest
from django.urls import reverse

from tests import factories


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("header .user")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_conflict_page_shows_both_values_and_second_save_is_refused(browser, live_server):
    from keyprojects.core.choices import Role
    from keyprojects.ledger.models import Project

    dept = factories.department(name="县住房和城乡建设委员会", short_name="住建")
    factories.user(Role.REPORTER, department=dept, username="zj")
    factories.user(Role.OFFICE, username="boss", full_name="王主任")
    project = factories.started_project(dept, name="凤鸣江湾住宅小区")
    edit = live_server.url + reverse("ledger:project_edit", args=[project.pk])

    mine = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    theirs = browser.new_context().new_page()
    _login(mine, live_server, "zj")
    mine.goto(edit)  # the reporter opens the form first …
    _login(theirs, live_server, "boss")
    theirs.goto(edit)
    theirs.fill("textarea[name=notes], input[name=notes]", "乙：已完成土方开挖")
    theirs.click("main form button[type=submit]")  # … the office saves meanwhile

    mine.fill("textarea[name=notes], input[name=notes]", "甲：主体结构施工至8层")
    mine.click("main form button[type=submit]")
    assert mine.is_visible("#conflict")
    assert mine.text_content("#conflict td.mine") == "甲：主体结构施工至8层"
    assert mine.text_content("#conflict td.theirs") == "乙：已完成土方开挖"
    shot = os.environ.get("KP_SCREENSHOT_DIR")
    if shot:
        mine.screenshot(path=os.path.join(shot, "conflict.png"), full_page=False)
    mine.click("main form button[type=submit]")  # 保存 again: still refused
    assert mine.is_visible("#conflict")
    assert Project.objects.get(pk=project.pk).notes == "乙：已完成土方开挖"
    mine.click("#take-theirs")
    assert mine.input_value("textarea[name=notes], input[name=notes]") == "乙：已完成土方开挖"
