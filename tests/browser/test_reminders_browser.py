"""The 待报 page's copy button works under the Content Security Policy (static script, no
inline code) and the unreachable departments are named."""

import re

import pytest
from django.core.management import call_command

from keyprojects.demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_copy_button(page, live_server):
    call_command("demo")
    base = live_server.url
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/dispatch/due/")
    page.fill("#id_username", "office")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/dispatch/due/"))
    if page.locator("button[data-copy]").count() == 0:
        pytest.skip("no department owes a report in the demo's due month")
    page.click("#chat-texts summary")
    button = page.locator("button[data-copy]").first
    button.click()
    assert button.inner_text() == "已复制"
    assert errors == []
