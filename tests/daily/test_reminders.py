"""待报 reminders: a ready text per department for the chat group (with a copy button), e-mail
where an address exists, and the departments e-mail cannot reach named on the page."""

import pytest
from django.core import mail
from django.urls import reverse

from keyprojects.dispatch import reminders
from keyprojects.ledger.models import Project
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def owed(dept, other_dept, reporter, other_reporter, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reporter.email = "zhujian@example.cn"
    reporter.save()
    other_reporter.email = ""
    other_reporter.save()
    return [
        factories.started_project(dept, name="甲项目"),
        factories.started_project(other_dept, name="乙项目"),
    ]


def test_chat_texts_and_unreachable_departments(owed, dept, other_dept):
    notices = reminders.remind(2022, 3, projects=Project.objects.live(), send=False)
    by_dept = {n["department"]: n for n in notices}
    assert by_dept[dept]["chat"] == (
        f"【待报提醒】{dept.name}：以下1个重点项目尚未报送2022年3月月度调度报告，"
        "截止2022年4月5日，请尽快登录重点项目调度平台填报。\n1. 甲项目"
    )
    assert by_dept[dept]["recipients"] == ["zhujian@example.cn"]
    assert by_dept[other_dept]["recipients"] == []
    assert mail.outbox == []  # send=False only drafts


def test_due_page_shows_texts_copy_button_and_unreachable(
    owed, office, reporter, other_dept, client_for
):
    url = reverse("dispatch:due") + "?month=2022-03"
    page = client_for(office).get(url).content.decode()
    assert "以下1个重点项目尚未报送2022年3月月度调度报告" in page
    assert page.count('data-copy="chat-') == 2
    assert "dispatch/copy.js" in page and "<script>" not in page
    assert f"邮件无法送达，请用工作群提醒：{other_dept.name}" in page
    # A reporter sees the owed projects, not the office's reminder tools.
    assert "data-copy" not in client_for(reporter).get(url).content.decode()
    response = client_for(office).post(
        reverse("dispatch:due_remind"), {"month": "2022-03"}, follow=True
    )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["zhujian@example.cn"]
    assert "没有填写邮箱的填报员，未能发送" in response.content.decode()
