"""安全审计: append-only rows, hash chain, same-transaction commit, purge limits, events."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from keyprojects.ledger.models import Project
from keyprojects.security import audit
from keyprojects.security.models import AuditEvent

pytestmark = pytest.mark.django_db


def _drop_guard():
    """Remove the triggers inside the test transaction (rolled back afterwards) to tamper."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER security_auditevent_no_update")
            cur.execute("DROP TRIGGER security_auditevent_no_delete")
        else:
            cur.execute("ALTER TABLE security_auditevent DISABLE TRIGGER USER")


def test_record_fills_every_column_and_chains(office, rf):
    request = rf.get("/", REMOTE_ADDR="10.1.2.3")
    request.user = office
    first = audit.record("export", request=request, obj=office, rows=12, filters={"year": 2022})
    second = audit.record("report", user=office, result="failure", reason="模板缺失")
    assert (first.seq, second.seq) == (1, 2)
    assert first.user_id == office.pk and first.username == "office" and first.ip == "10.1.2.3"
    assert first.object_type == "core.user" and first.object_id == str(office.pk)
    assert first.details == {"rows": 12, "filters": {"year": 2022}}
    assert second.prev_hash == first.hash and first.prev_hash == audit.GENESIS
    assert audit.verify() is None


def test_record_refuses_unknown_event_or_result():
    with pytest.raises(ValueError):
        audit.record("coffee")
    with pytest.raises(ValueError):
        audit.record("export", result="maybe")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE security_auditevent SET username = 'mallory'",
        "DELETE FROM security_auditevent",
    ],
)
def test_database_refuses_update_and_delete(office, sql):
    audit.record("export", user=office)
    with (
        pytest.raises(DatabaseError, match="安全审计记录只能追加"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute(sql)
    assert AuditEvent.objects.filter(username="office").count() == 1


def test_orm_delete_is_refused_too(office):
    row = audit.record("export", user=office)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=row.pk).delete()
    assert AuditEvent.objects.filter(pk=row.pk).exists()


def test_verify_command_passes_on_intact_chain(office, capsys):
    for _ in range(3):
        audit.record("export", user=office)
    call_command("audit", "verify")
    assert "校验通过" in capsys.readouterr().out


def test_verify_command_names_first_modified_row(office):
    rows = [audit.record("export", user=office, n=i) for i in range(5)]
    _drop_guard()
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE security_auditevent SET username = 'mallory' WHERE seq IN (%s, %s)",
            [rows[2].seq, rows[4].seq],
        )
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert f"第 {rows[2].seq} 号" in str(exc.value) and "被修改" in str(exc.value)


def test_verify_names_the_row_after_a_deleted_one(office):
    rows = [audit.record("export", user=office) for _ in range(4)]
    _drop_guard()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM security_auditevent WHERE seq = %s", [rows[1].seq])
    broken = audit.verify()
    assert broken.seq == rows[2].seq and "缺少" in broken.reason


def test_audit_row_commits_with_the_change_or_not_at_all(project, office):
    with pytest.raises(RuntimeError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(name="改名")
        audit.record("import", user=office, obj=project)
        raise RuntimeError("导入中途失败")
    assert not AuditEvent.objects.exists()
    assert Project.objects.get(pk=project.pk).name == project.name
    with transaction.atomic():
        Project.objects.filter(pk=project.pk).update(name="改名")
        audit.record("import", user=office, obj=project)
    assert AuditEvent.objects.get().object_repr == str(project)


def test_purge_refuses_rows_younger_than_180_days(office):
    audit.record("export", user=office)
    with pytest.raises(audit.AuditError, match="至少保存 180 天"):
        audit.purge(timezone.now() - timedelta(days=179))
    with pytest.raises(CommandError, match="至少保存"):
        call_command("audit", "purge", "--before", timezone.localdate().isoformat())
    assert AuditEvent.objects.count() == 1


def test_purge_deletes_old_rows_and_records_itself(office, monkeypatch):
    old = timezone.now() - timedelta(days=400)
    monkeypatch.setattr(audit.timezone, "now", lambda: old)
    for _ in range(3):
        audit.record("export", user=office)
    monkeypatch.undo()
    audit.record("export", user=office)
    assert audit.purge(timezone.now() - timedelta(days=200), by=office) == 3
    events = list(AuditEvent.objects.order_by("seq").values_list("event", flat=True))
    assert events == ["export", "audit_purge"]
    assert audit.verify() is None


def test_login_success_failure_and_logout_are_recorded(client, office):
    from tests.factories import PASSWORD

    client.post(
        reverse("login"), {"username": "office", "password": "wrong"}, REMOTE_ADDR="10.0.0.9"
    )
    client.post(reverse("login"), {"username": "nobody", "password": "x"})
    client.post(reverse("login"), {"username": "office", "password": PASSWORD})
    client.post(reverse("logout"))
    rows = list(AuditEvent.objects.order_by("seq").values_list("event", "username", "result", "ip"))
    assert rows == [
        ("login_failed", "office", "failure", "10.0.0.9"),
        ("login_failed", "nobody", "failure", "127.0.0.1"),
        ("login", "office", "success", "127.0.0.1"),
        ("logout", "office", "success", "127.0.0.1"),
    ]
    assert not any("wrong" in str(e.details) for e in AuditEvent.objects.all())


def test_permission_denied_is_recorded(client_for, sysadmin):
    response = client_for(sysadmin).get(reverse("ledger:project_list"))
    assert response.status_code == 403
    row = AuditEvent.objects.get(event="permission_denied")
    assert row.username == "sysadmin" and row.result == "denied"
    assert row.details["path"] == reverse("ledger:project_list")


def test_factories_users_are_not_blocked_by_password_policy(client_for, office):
    from keyprojects.security.middleware import password_change_reason

    assert password_change_reason(office) == ""
    response = client_for(office).get(reverse("ledger:summary"))
    assert response.status_code != 302


def test_time_is_shown_in_beijing_time(client_for, auditadmin, office):
    audit.record("export", user=office)
    response = client_for(auditadmin).get(reverse("security:audit_export") + "?format=csv")
    body = response.content.decode("utf-8-sig")
    assert "+08:00" in body.splitlines()[1]
