"""A newcomer in a real browser: five wrong passwords lock the name (Chinese page), and the
audit administrator finds the lock-out on the audit page; no CSP violations on the way."""

import re

import pytest

from keyprojects.core.choices import Role
from tests import factories
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, base, username, password):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_lockout_then_audit_page_lists_it(page, live_server):
    factories.user(Role.OFFICE, username="office")
    factories.user(Role.AUDITADMIN, username="auditor", full_name="审计员")
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else 0)
    base = live_server.url
    for _ in range(5):
        _log_in(page, base, "office", "Wrong#pass1")
    assert "该账号已被锁定 30 分钟" in page.content()
    _log_in(page, base, "office", PASSWORD)  # still locked, even with the right password
    assert "账号已暂时锁定" in page.content()

    _log_in(page, base, "auditor", PASSWORD)
    page.wait_for_url(re.compile(r"/security/audit/$"))  # the auditor lands on the audit page
    page.goto(f"{base}/security/audit/?event=lockout")
    rows = page.locator("table.grid tbody tr").all_inner_texts()
    assert len(rows) == 1 and "账号锁定" in rows[0] and "office" in rows[0]
    page.goto(f"{base}/security/audit/?username=office")
    text = page.locator("table.grid").inner_text()
    assert text.count("登录失败") == 6 and "账号锁定" in text
    assert violations == []
