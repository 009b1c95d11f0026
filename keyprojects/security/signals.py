"""Audit rows for log-in, log-in failure, log-out and lock-out (connected in apps.ready)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from keyprojects.security import audit
from keyprojects.security.choices import EventType, Result
from keyprojects.security.middleware import LOGIN_AT


def _username(credentials) -> str:
    return str((credentials or {}).get("username") or "")[:150]


@receiver(user_logged_in, dispatch_uid="kp_audit_login")
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = timezone.now().timestamp()
    audit.record(EventType.LOGIN, user=user, request=request)


@receiver(user_login_failed, dispatch_uid="kp_audit_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    # The user name as typed (it may not exist); never the password.
    locked = bool(getattr(request, "axes_locked_out", False))
    audit.record(
        EventType.LOGIN_FAILED,
        request=request,
        result=Result.FAILURE,
        username=_username(credentials),
        reason="账号已锁定" if locked else "用户名或密码错误",
    )


@receiver(user_logged_out, dispatch_uid="kp_audit_logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(EventType.LOGOUT, user=user, request=request)


@receiver(user_locked_out, dispatch_uid="kp_audit_lockout")
def on_locked_out(sender, request, username, ip_address, **kwargs):
    # Axes also sends this for every attempt while locked; only the attempt that locks counts.
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    audit.record(
        EventType.LOCKOUT,
        request=request,
        result=Result.DENIED,
        username=str(username or "")[:150],
        failures=request.axes_failures_since_start,
    )
