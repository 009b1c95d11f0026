"""三员分立, two-person rule: the system administrator's new accounts and password resets take
effect only when the second administrator approves (the security administrator; for the
security administrator's own account, the audit administrator)."""

import pytest
from django.urls import reverse

from keyprojects.core.choices import Role
from keyprojects.core.models import User
from keyprojects.security.models import Approval, AuditEvent, PasswordState
from tests import factories

pytestmark = pytest.mark.django_db

NEW = "Neu#Passwort2024"
APPROVERS = ("sysadmin", "secadmin", "auditadmin")


@pytest.fixture
def admins(sysadmin, secadmin, auditadmin):
    return {"sysadmin": sysadmin, "secadmin": secadmin, "auditadmin": auditadmin}


# Target role → who may approve a password reset of it.
RESET_MATRIX = [
    (Role.OFFICE, "secadmin"),
    (Role.REPORTER, "secadmin"),
    (Role.LEADER, "secadmin"),
    (Role.AUDITADMIN, "secadmin"),
    (Role.SYSADMIN, "secadmin"),
    (Role.SECADMIN, "auditadmin"),
]


def _target(role, dept, admins):
    if role == Role.SECADMIN:
        return admins["secadmin"]
    if role == Role.AUDITADMIN:
        return admins["auditadmin"]
    department = dept if role == Role.REPORTER else None
    return factories.user(role, username=f"t-{role}", department=department)


@pytest.mark.parametrize(("role", "approver"), RESET_MATRIX)
@pytest.mark.parametrize("decider", APPROVERS)
def test_password_reset_needs_the_second_administrator(
    client_for, admins, dept, role, approver, decider
):
    if role == Role.SYSADMIN:
        target = factories.user(Role.SYSADMIN, username="other-sysadmin")
    else:
        target = _target(role, dept, admins)
    old_hash = target.password
    response = client_for(admins["sysadmin"]).post(
        reverse("security:account_password", args=[target.pk]),
        {"password1": NEW, "password2": NEW},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.password == old_hash  # nothing changed by the system administrator alone
    approval = Approval.objects.get(account=target)
    response = client_for(admins[decider]).post(
        reverse("security:approval_decide", args=[approval.pk]), {"decision": "approve"}
    )
    target.refresh_from_db()
    approval.refresh_from_db()
    if decider == approver and admins[decider].pk != target.pk:
        assert response.status_code == 302 and approval.status == "approved"
        assert target.check_password(NEW)
        assert PasswordState.objects.get(user=target).must_change
        row = AuditEvent.objects.get(event="approval_grant")
        assert (row.username, row.object_id) == (decider, str(target.pk))
    else:
        # sysadmin has no approvals page (403); the other admin does not see it (404).
        assert response.status_code in (403, 404)
        assert approval.status == "pending" and target.password == old_hash


def test_system_administrator_cannot_reset_own_password_here(client_for, sysadmin):
    response = client_for(sysadmin).post(
        reverse("security:account_password", args=[sysadmin.pk]),
        {"password1": NEW, "password2": NEW},
    )
    assert response.status_code == 400 and "修改密码" in response.content.decode()
    assert not Approval.objects.exists()


def test_new_business_account_is_inactive_until_approved(client_for, admins, dept):
    sys_client = client_for(admins["sysadmin"])
    sys_client.post(
        reverse("security:account_create"),
        {
            "username": "newoffice",
            "full_name": "新同事",
            "role": Role.OFFICE,
            "password1": NEW,
            "password2": NEW,
        },
    )
    account = User.objects.get(username="newoffice")
    assert not account.is_active
    from django.test import Client

    assert not Client().login(username="newoffice", password=NEW)
    # The system administrator cannot switch it on by the toggle either.
    sys_client.post(reverse("security:account_toggle", args=[account.pk]))
    account.refresh_from_db()
    assert not account.is_active
    approval = Approval.objects.get(account=account)
    assert approval.kind == "account" and approval.role == Role.OFFICE
    # Neither the audit administrator decides it …
    response = client_for(admins["auditadmin"]).post(
        reverse("security:approval_decide", args=[approval.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    # … nor does a rejection activate it; the security administrator's approval does.
    secadmin = client_for(admins["secadmin"])
    assert "newoffice" in secadmin.get(reverse("security:approvals")).content.decode()
    secadmin.post(reverse("security:approval_decide", args=[approval.pk]), {"decision": "approve"})
    account.refresh_from_db()
    assert account.is_active
    assert Client().login(username="newoffice", password=NEW)
    events = list(AuditEvent.objects.order_by("seq").values_list("event", flat=True))
    assert "account_create" in events and events[-2:] == ["approval_grant", "login"]


def test_rejected_account_stays_inactive(client_for, admins):
    account = factories.user(Role.LEADER, username="pending")
    from keyprojects.security import services

    account.is_active = False
    account.save()
    approval = Approval.objects.create(
        kind="account", account=account, role=Role.LEADER, requested_by=admins["sysadmin"]
    )
    services.reject(approval, by=admins["secadmin"])
    client_for(admins["sysadmin"]).post(reverse("security:account_toggle", args=[account.pk]))
    account.refresh_from_db()
    assert not account.is_active
    assert AuditEvent.objects.filter(event="approval_reject", result="denied").count() == 1
