"""Account and security administration. Each write is one transaction with its audit row."""

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from keyprojects.core.choices import BUSINESS_ROLES, Role
from keyprojects.core.errors import NotAllowed
from keyprojects.core.models import User
from keyprojects.security import audit
from keyprojects.security.choices import EventType
from keyprojects.security.models import PasswordState

ADMIN_ROLES = (Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN)


def _force_change(user) -> None:
    PasswordState.objects.update_or_create(
        user=user, defaults={"changed_at": timezone.now(), "must_change": True}
    )


@transaction.atomic
def create_account(user: User, password: str, *, by, request=None) -> User:
    """Create an account (validated by AccountCreateForm); the user must change the password
    at first log-in. Side effects: audit row."""
    if user.role not in BUSINESS_ROLES:
        raise NotAllowed("系统管理员只能创建业务账号；管理员角色由安全管理员授予")
    user.set_password(password)
    user.save()
    _force_change(user)
    audit.record(
        EventType.ACCOUNT_CREATE,
        user=by,
        request=request,
        obj=user,
        role=user.role,
        department=str(user.department or ""),
    )
    return user


@transaction.atomic
def set_active(user: User, active: bool, *, by, request=None) -> User:
    if user.pk == by.pk:
        raise NotAllowed("不能停用自己的账号")
    user.is_active = active
    user.save(update_fields=["is_active"])
    event = EventType.ACCOUNT_ACTIVATE if active else EventType.ACCOUNT_DEACTIVATE
    audit.record(event, user=by, request=request, obj=user)
    return user


@transaction.atomic
def reset_password(user: User, password: str, *, by, request=None) -> User:
    """Set a new password chosen by the system administrator; the user must change it."""
    user.set_password(password)
    user.save()
    _force_change(user)
    audit.record(EventType.PASSWORD_RESET, user=by, request=request, obj=user)
    return user


@transaction.atomic
def change_password(user: User, password: str, *, request=None) -> User:
    """The user's own change (validated by PasswordChangeForm)."""
    user.set_password(password)
    user.save()
    audit.record(EventType.PASSWORD_CHANGE, user=user, request=request, obj=user)
    return user


@transaction.atomic
def change_role(user: User, role: str, department, *, by, request=None) -> User:
    """Assign a role (one person holds one role, so at most one of the three administrators)."""
    if user.pk == by.pk:
        raise NotAllowed("不能修改自己的角色")
    if role == Role.REPORTER and department is None:
        raise NotAllowed("部门填报员必须选择所属单位")
    old = (user.role, str(user.department or ""))
    user.role = role
    user.department = department if role == Role.REPORTER else None
    if role in ADMIN_ROLES:
        # Administrators never hold Django's all-powerful flags.
        user.is_superuser = False
    user.save()
    audit.record(
        EventType.ROLE_CHANGE,
        user=by,
        request=request,
        obj=user,
        old_role=old[0],
        old_department=old[1],
        new_role=user.role,
        new_department=str(user.department or ""),
    )
    return user


def locked_attempts():
    """User names locked now (failures at the limit within the cool-off time)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")


@transaction.atomic
def unlock(username: str, *, by, request=None) -> int:
    count = axes_reset(username=username)
    audit.record(
        EventType.UNLOCK, user=by, request=request, target=username, attempts_cleared=count
    )
    return count
