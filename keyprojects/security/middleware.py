"""Session limits, forced password changes, and auditing of refused requests."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone

from keyprojects.core.links import fixed_url
from keyprojects.security import audit
from keyprojects.security.choices import EventType, Result

LOGIN_AT = "kp_login_at"


class SessionLimitMiddleware:
    """A session ends after KP_SESSION_ABSOLUTE_HOURS in all, however active the user is.

    (The idle limit is SESSION_COOKIE_AGE, renewed on every request.) The log-in time is put in
    the session by the user_logged_in receiver (security.signals)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(LOGIN_AT)
            limit = timedelta(hours=settings.KP_SESSION_ABSOLUTE_HOURS)
            now = timezone.now().timestamp()
            if started is None:
                request.session[LOGIN_AT] = now
            elif now - started > limit.total_seconds():
                audit.record(EventType.SESSION_EXPIRED, user=user, request=request)
                logout(request)
                hours = settings.KP_SESSION_ABSOLUTE_HOURS
                messages.info(request, f"登录已超过 {hours} 小时，请重新登录")
                return redirect(f"{fixed_url('login')}?next={request.path}")
        return self.get_response(request)


def password_change_reason(user) -> str:
    """Why this user must change their password now ("" when they need not)."""
    if getattr(user, "is_demo", False):
        return ""  # demo accounts keep the published demo password
    from keyprojects.security.models import PasswordState

    state = PasswordState.objects.filter(user=user).first()
    if state is not None and state.must_change:
        return "首次登录或密码被重置后，请先修改密码"
    max_age = settings.KP_PASSWORD_MAX_AGE_DAYS
    if max_age:
        changed = state.changed_at if state is not None else user.date_joined
        if changed is not None and timezone.now() - changed > timedelta(days=max_age):
            return f"密码已超过 {max_age} 天未修改，请修改密码"
    return ""


class PasswordPolicyMiddleware:
    """Sends a user whose password is new (set by an administrator) or expired to the
    password-change page before anything else."""

    ALLOWED = ("security:password_change", "logout", "login")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._allowed(request.path):
            reason = password_change_reason(user)
            if reason:
                messages.warning(request, reason)
                return redirect("security:password_change")
        return self.get_response(request)

    def _allowed(self, path: str) -> bool:
        if path.startswith((settings.STATIC_URL, "/healthz")):
            return True
        return any(path == fixed_url(name) for name in self.ALLOWED)


class AuditDeniedMiddleware:
    """Every PermissionDenied (403) raised by a view becomes an audit row."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            audit.record(
                EventType.PERMISSION_DENIED,
                request=request,
                result=Result.DENIED,
                path=request.path[:300],
                method=request.method,
                message=str(exception)[:200],
            )
        return None
