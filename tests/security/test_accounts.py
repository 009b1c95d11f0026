"""身份鉴别: lock-out, unlock, password policy, forced change, expiry, session limits."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from keyprojects.core.choices import Role
from keyprojects.security import services
from keyprojects.security.middleware import LOGIN_AT
from keyprojects.security.models import Approval, AuditEvent, PasswordState
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOCK_TEXT = "该账号已被锁定 30 分钟"


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def _fail_five(client, username):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, username, "Wrong#pass1")


def test_five_failures_lock_the_user_name_with_429(client, office):
    for _ in range(4):
        assert _login(client, "office", "Wrong#pass1").status_code == 200
    response = _login(client, "office", "Wrong#pass1")
    assert response.status_code == 429
    assert LOCK_TEXT in response.content.decode()
    # Locked: even the right password is refused, from another client too.
    response = _login(Client(), "office", PASSWORD)
    assert response.status_code == 429
    assert AuditEvent.objects.filter(event="lockout", username="office").count() == 1


def test_unknown_and_known_names_get_the_same_lockout_page(office):
    known, unknown = Client(), Client()
    _fail_five(known, "office")
    _fail_five(unknown, "ghost")
    a = _login(known, "office", "x")
    b = _login(unknown, "ghost", "x")
    assert a.status_code == b.status_code == 429
    strip = lambda r: r.content.decode().replace("csrfmiddlewaretoken", "")  # noqa: E731
    assert LOCK_TEXT in strip(a) and LOCK_TEXT in strip(b)
    assert "office" not in strip(a) and "ghost" not in strip(b)


def test_lockout_expires_after_cool_off(office, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=0)
    client = Client()
    _fail_five(client, "office")
    response = _login(client, "office", PASSWORD)
    assert response.status_code == 302


def test_secadmin_unlocks(client_for, secadmin, office):
    _fail_five(Client(), "office")
    page = client_for(secadmin).get(reverse("security:locks"))
    assert "office" in page.content.decode()
    response = client_for(secadmin).post(reverse("security:locks"), {"username": "office"})
    assert response.status_code == 302
    assert _login(Client(), "office", PASSWORD).status_code == 302
    assert AuditEvent.objects.get(event="unlock").details["target"] == "office"


@pytest.mark.parametrize(
    "password, ok, fragment",
    [
        ("Kp#2024x", True, ""),
        ("Ab1#", False, "至少"),  # shorter than 8
        ("abcdefgh12", False, "3 类"),  # two classes only
        ("ABCDEFGH!!", False, "3 类"),
        ("Password1", False, "太常见"),  # common
        ("Zhangsan#2024", False, "相似"),  # like the user name / full name
        ("12345678", False, ""),  # numeric and common
        ("长城长城长城Aa1", True, ""),  # CJK counts as no class; upper, lower, digit suffice
    ],
)
def test_password_policy(password, ok, fragment):
    user = factories.user(Role.OFFICE, username="zhangsan", full_name="zhangsan")
    if ok:
        validate_password(password, user)
    else:
        with pytest.raises(ValidationError) as exc, translation.override("zh-hans"):
            validate_password(password, user)
        assert fragment in " ".join(exc.value.messages)


def test_last_five_passwords_cannot_be_reused():
    user = factories.user(Role.OFFICE)
    used = [PASSWORD] + [f"Kp#reuse{i}x" for i in range(5)]
    for p in used[1:]:
        user.set_password(p)
        user.save()
    for p in used[1:]:  # the last five, including the current one
        with pytest.raises(ValidationError, match="最近 5 次"):
            validate_password(p, user)
    validate_password(used[0], user)  # the sixth-last is allowed again


def test_sysadmin_created_account_must_change_password_first(client_for, sysadmin, secadmin, dept):
    response = client_for(sysadmin).post(
        reverse("security:account_create"),
        {
            "username": "newbie",
            "full_name": "新同事",
            "role": Role.REPORTER,
            "department": dept.pk,
            "password1": "Start#2024q",
            "password2": "Start#2024q",
        },
    )
    assert response.status_code == 302
    # Active once the security administrator approved it (tests/security/test_approvals.py).
    approval = Approval.objects.get(account__username="newbie")
    services.approve(approval, by=secadmin)
    client = Client()
    assert _login(client, "newbie", "Start#2024q").status_code == 302
    response = client.get(reverse("ledger:summary"))
    assert response.status_code == 302 and response.url == reverse("security:password_change")
    response = client.post(
        reverse("security:password_change"),
        {
            "old_password": "Start#2024q",
            "new_password1": "Mine#2024zz",
            "new_password2": "Mine#2024zz",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("ledger:summary")).status_code != 302
    assert not PasswordState.objects.get(user__username="newbie").must_change
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {"account_create", "login", "password_change"} <= events


def test_password_change_rejects_reuse_in_chinese(client_for, office):
    response = client_for(office).post(
        reverse("security:password_change"),
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 400
    assert "最近 5 次" in response.content.decode()


def test_expired_password_redirects_but_demo_accounts_are_exempt(client_for, office, leader):
    PasswordState.objects.filter(user__in=[office, leader]).update(
        changed_at=timezone.now() - timedelta(days=91)
    )
    leader.is_demo = True
    leader.save()
    response = client_for(office).get(reverse("ledger:summary"))
    assert response.status_code == 302 and response.url == reverse("security:password_change")
    assert client_for(leader).get(reverse("ledger:summary")).status_code != 302
    # The password page itself and log-out stay reachable.
    assert client_for(office).get(reverse("security:password_change")).status_code == 200


def test_session_idle_limit_is_30_minutes_renewed_at_most_once_a_minute(client_for, office):
    """Renewed by core.session_touch, not by a write on every request (a long import holds
    SQLite's write lock; pages that only read must not wait for it)."""
    from django.contrib.sessions.models import Session

    from keyprojects.core.session_touch import TOUCHED

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    client = client_for(office)
    client.get(reverse("ledger:summary"))
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    client.get(reverse("ledger:summary"))
    assert Session.objects.get(session_key=key).expire_date == first  # within the minute
    session = client.session
    session[TOUCHED] = session[TOUCHED] - settings.KP_SESSION_TOUCH_SECONDS
    session.save()
    saved = Session.objects.get(session_key=key).expire_date
    client.get(reverse("ledger:summary"))
    assert Session.objects.get(session_key=key).expire_date > saved


def test_session_ends_after_8_hours_in_all(client_for, office):
    client = client_for(office)
    session = client.session
    session[LOGIN_AT] = (timezone.now() - timedelta(hours=8, minutes=1)).timestamp()
    session.save()
    response = client.get(reverse("ledger:summary"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(event="session_expired", username="office").exists()


def test_logged_out_session_cookie_is_dead(office):
    client = Client()
    assert _login(client, "office", PASSWORD).status_code == 302
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = replay.get(reverse("ledger:summary"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
