"""The remaining findings of the second probe (issue #16, point 6), one test each."""

import stat

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from keyprojects.ledger.models import Project
from keyprojects.security.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "Brand#New2024x"


@pytest.mark.parametrize("path", ["/security/password/", "/admin/password_change/"])
def test_password_change_has_a_failure_limit_and_is_audited(client_for, office, settings, path):
    settings.AXES_FAILURE_LIMIT = 3
    c = client_for(office)
    wrong = {"old_password": "not-it", "new_password1": NEW, "new_password2": NEW}
    # A form sent without the current password is incomplete, not a guess: it does not count.
    assert c.post(path, {**wrong, "old_password": ""}).status_code == 400
    statuses = [c.post(path, wrong).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    # Locked now even with the right password; the page says why, in Chinese.
    response = c.post(path, {**wrong, "old_password": PASSWORD})
    assert response.status_code == 429 and "原密码已连续输错 3 次" in response.content.decode()
    office.refresh_from_db()
    assert office.check_password(PASSWORD)
    rows = list(
        AuditEvent.objects.filter(event="password_change")
        .order_by("seq")
        .values_list("username", "result")
    )
    assert rows == [("office", "failure")] * 3 + [("office", "denied")] * 2


def test_admin_password_change_is_audited(client_for, office):
    response = client_for(office).post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.check_password(NEW)
    row = AuditEvent.objects.get(event="password_change")
    assert (row.username, row.result) == ("office", "success")


def test_project_edit_without_version_is_refused(client_for, office, project):
    from keyprojects.ledger.forms import ProjectForm

    form = ProjectForm(instance=project, user=office)
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() is not None and name != "version"
    }
    data["name"] = "无版本号的改名"
    response = client_for(office).post(reverse("ledger:project_edit", args=[project.pk]), data)
    # A refused version-less save is a bad request (400); 409 is kept for a stale version.
    assert response.status_code == 400
    assert "缺少版本" in response.content.decode()
    assert Project.objects.get(pk=project.pk).name == project.name
    # With its version the same post saves.
    data["version"] = project.version
    response = client_for(office).post(reverse("ledger:project_edit", args=[project.pk]), data)
    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).name == "无版本号的改名"


@pytest.mark.parametrize("year", ["0", "-1", "-2022", "10000"])
@pytest.mark.parametrize("url", ["ledger:project_list", "importer:export_ledger"])
def test_impossible_year_is_a_400_not_a_500(client_for, office, project, year, url):
    response = client_for(office).get(reverse(url), {"year": year})
    assert response.status_code == 400


def test_csrf_failure_page_is_chinese(office):
    c = Client(enforce_csrf_checks=True)
    c.force_login(office)
    response = c.post(reverse("security:password_change"), {"old_password": PASSWORD})
    assert response.status_code == 403
    body = response.content.decode()
    assert "请求未通过安全校验" in body and "Forbidden" not in body


def test_uploaded_photos_and_backups_are_owner_only(settings, tmp_path, transactional_db):
    settings.MEDIA_ROOT = tmp_path / "media"
    name = default_storage.save("photos/2022/x.jpg", ContentFile(b"\xff\xd8 photo"))
    photo = settings.MEDIA_ROOT / name
    assert stat.S_IMODE(photo.stat().st_mode) == 0o600
    assert stat.S_IMODE(photo.parent.stat().st_mode) == 0o700
    from django.core.management import call_command

    call_command("backup", str(tmp_path / "b" / "kp.tar.gz"))
    assert stat.S_IMODE((tmp_path / "b" / "kp.tar.gz").stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.DATA_DIR.stat().st_mode) == 0o700
