"""三员分立: the administrators' pages, what each may do, and the production system check."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from keyprojects.core.choices import Role
from keyprojects.core.models import DemoMarker, User
from keyprojects.security import audit
from keyprojects.security.checks import accounts_check
from keyprojects.security.models import Approval, AuditEvent, PasswordState
from tests import factories

pytestmark = pytest.mark.django_db

NEW = {"password1": "Start#2024q", "password2": "Start#2024q"}


def test_sysadmin_lists_creates_and_refuses_bad_input(client_for, sysadmin, dept):
    c = client_for(sysadmin)
    assert "sysadmin" in c.get(reverse("security:accounts")).content.decode()
    response = c.post(
        reverse("security:account_create"),
        {"username": "r1", "full_name": "填报员", "role": Role.REPORTER, **NEW},
    )
    assert response.status_code == 400
    assert "部门填报员必须选择所属单位" in response.content.decode()
    response = c.post(
        reverse("security:account_create"),
        {
            "username": "r1",
            "full_name": "填报员",
            "role": Role.REPORTER,
            "department": dept.pk,
            "password1": "abc",
            "password2": "abc",
        },
    )
    assert response.status_code == 400 and "新密码：" in response.content.decode()
    # Administrator roles are granted by the security administrator, not created here.
    response = c.post(
        reverse("security:account_create"),
        {"username": "a1", "full_name": "管理员", "role": Role.SECADMIN, **NEW},
    )
    assert response.status_code == 400
    assert not User.objects.filter(username__in=["r1", "a1"]).exists()


def test_sysadmin_deactivates_and_resets_but_not_self(client_for, sysadmin, secadmin, office):
    c = client_for(sysadmin)
    c.post(reverse("security:account_toggle", args=[office.pk]))
    office.refresh_from_db()
    assert not office.is_active
    c.post(reverse("security:account_toggle", args=[sysadmin.pk]))
    sysadmin.refresh_from_db()
    assert sysadmin.is_active
    response = c.post(reverse("security:account_password", args=[office.pk]), NEW)
    assert response.status_code == 302
    # The reset waits for the security administrator (tests/security/test_approvals.py).
    assert not PasswordState.objects.filter(user=office, must_change=True).exists()
    approval = Approval.objects.get(account=office)
    client_for(secadmin).post(
        reverse("security:approval_decide", args=[approval.pk]), {"decision": "approve"}
    )
    assert PasswordState.objects.get(user=office).must_change
    events = list(
        AuditEvent.objects.exclude(event="login").order_by("seq").values_list("event", flat=True)
    )
    assert events[-3:] == ["account_deactivate", "password_reset", "approval_grant"]


def test_secadmin_changes_roles_but_never_own(client_for, secadmin, office, dept):
    c = client_for(secadmin)
    response = c.post(
        reverse("security:role_edit", args=[office.pk]),
        {"role": Role.REPORTER, "department": dept.pk},
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert (office.role, office.department) == (Role.REPORTER, dept)
    row = AuditEvent.objects.get(event="role_change")
    assert row.details["old_role"] == "office" and row.details["new_role"] == "reporter"
    response = c.post(reverse("security:role_edit", args=[secadmin.pk]), {"role": Role.OFFICE})
    assert response.status_code == 403
    response = c.post(reverse("security:role_edit", args=[office.pk]), {"role": Role.REPORTER})
    assert response.status_code == 400 and "必须选择所属单位" in response.content.decode()


def test_one_person_holds_at_most_one_admin_role(client_for, secadmin, sysadmin):
    """The role is one field: making the system administrator an auditor ends the first role."""
    client_for(secadmin).post(
        reverse("security:role_edit", args=[sysadmin.pk]), {"role": Role.AUDITADMIN}
    )
    sysadmin.refresh_from_db()
    assert sysadmin.role == Role.AUDITADMIN
    assert client_for(sysadmin).get(reverse("security:accounts")).status_code == 403


def test_policy_page_shows_the_settings(client_for, secadmin):
    body = client_for(secadmin).get(reverse("security:policy")).content.decode()
    assert "连续 5 次失败锁定用户名 30 分钟" in body and "90 天" in body and "3 类" in body


def test_auditadmin_searches_and_exports(client_for, auditadmin, office, leader):
    audit.record("export", user=office, rows=3)
    audit.record("login_failed", result="failure", username="ghost")
    audit.record("report", user=leader)
    c = client_for(auditadmin)
    body = c.get(reverse("security:audit_log"), {"username": "ghost"}).content.decode()
    assert "ghost" in body and "<td>生成报告</td>" not in body
    body = c.get(reverse("security:audit_log"), {"event": "report"}).content.decode()
    assert "<td>生成报告</td>" in body
    # A search that finds nothing says so (an empty page used to show no table at all).
    body = c.get(reverse("security:audit_log"), {"username": "nobody"}).content.decode()
    assert "没有符合条件的记录" in body and "共 0 条" in body
    assert c.get(reverse("security:audit_log"), {"date_from": "2022-13-01"}).status_code == 400
    csv = c.get(reverse("security:audit_export"), {"format": "csv", "result": "failure"})
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("序号,时间,用户") and len(lines) == 2 and "ghost" in lines[1]
    xlsx = c.get(reverse("security:audit_export"), {"format": "xlsx"})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    # 3 rows + the auditor's own log-in + the csv export's row
    assert ws.title == "安全审计记录" and ws.max_row == 1 + 5
    exports = AuditEvent.objects.filter(event="audit_export").order_by("seq")
    assert [e.details["rows"] for e in exports] == [1, 5]
    assert exports[0].details["filters"] == {"result": "failure"}
    assert c.get(reverse("security:audit_export"), {"format": "pdf"}).status_code == 400


@pytest.mark.django_db(transaction=True)  # an online backup reads committed data
def test_sysadmin_takes_a_backup_from_the_page(client_for, sysadmin, settings, tmp_path):
    settings.KP_BACKUP_DIR = tmp_path
    c = client_for(sysadmin)
    response = c.post(reverse("security:backups"))
    assert response.status_code == 302
    files = list(tmp_path.glob("keyprojects-*.tar.gz"))
    assert len(files) == 1
    assert files[0].name in c.get(reverse("security:backups")).content.decode()
    assert AuditEvent.objects.get(event="backup").username == "sysadmin"


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.HTTPS = True


def test_check_refuses_superuser_in_production(production):
    User.objects.create_superuser("root", password="Kp#root2024")
    assert [e.id for e in accounts_check()] == ["security.E001"]


def test_check_refuses_demo_accounts_without_demo_data(production):
    factories.user(Role.OFFICE, username="office", is_demo=True)
    assert [e.id for e in accounts_check()] == ["security.E002"]
    DemoMarker.objects.create(description="示例数据")
    assert accounts_check() == []


def test_check_is_quiet_outside_production(settings):
    settings.DEBUG, settings.HTTPS = False, False
    User.objects.create_superuser("root", password="Kp#root2024")
    assert accounts_check() == []


@pytest.mark.parametrize(
    "role, landing",
    [
        (Role.SYSADMIN, "security:accounts"),
        (Role.SECADMIN, "security:roles"),
        (Role.AUDITADMIN, "security:audit_log"),
        (Role.OFFICE, "ledger:summary"),
        (Role.LEADER, "ledger:summary"),
    ],
)
def test_log_in_lands_on_a_page_the_role_may_use(client, role, landing):
    from django.urls import reverse as r

    factories.user(role, username="someone")
    response = client.post(r("login"), {"username": "someone", "password": factories.PASSWORD})
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.status_code == 302 and response.url == r(landing)


@pytest.mark.parametrize(
    "role, landing",
    [
        (Role.SYSADMIN, "security:accounts"),
        (Role.AUDITADMIN, "security:audit_log"),
        (Role.REPORTER, "ledger:summary"),
    ],
)
def test_home_link_leads_each_role_to_its_first_page(client_for, dept, role, landing):
    from django.urls import reverse as r

    user = factories.user(role, department=dept if role == Role.REPORTER else None)
    c = client_for(user)
    response = c.get(r("home"), follow=True)
    assert response.redirect_chain[-1][0] == r(landing)
    assert response.status_code == 200
