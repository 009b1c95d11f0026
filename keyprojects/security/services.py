"""Account and security administration. Each write is one transaction with its audit row."""

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from keyprojects.core.choices import BUSINESS_ROLES, Role
from keyprojects.core.errors import NotAllowed
from keyprojects.core.models import User
from keyprojects.security import audit
from keyprojects.security.choices import ApprovalKind, ApprovalStatus, EventType, Result
from keyprojects.security.models import Approval, PasswordState
from keyprojects.security.permissions import approver_role, can_decide

ADMIN_ROLES = (Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN)


def _force_change(user) -> None:
    PasswordState.objects.update_or_create(
        user=user, defaults={"changed_at": timezone.now(), "must_change": True}
    )


@transaction.atomic
def create_account(user: User, password: str, *, by, request=None) -> User:
    """Create a business account (validated by AccountCreateForm), inactive until the security
    administrator approves its role (approve()); the user must change the password at first
    log-in. Side effects: Approval row, audit row."""
    if user.role not in BUSINESS_ROLES:
        raise NotAllowed("系统管理员只能创建业务账号；管理员角色由安全管理员授予")
    user.is_active = False
    user.set_password(password)
    user.save()
    _force_change(user)
    Approval.objects.create(
        kind=ApprovalKind.ACCOUNT, account=user, role=user.role, requested_by=by
    )
    audit.record(
        EventType.ACCOUNT_CREATE,
        user=by,
        request=request,
        obj=user,
        role=user.role,
        department=str(user.department or ""),
        status="待安全管理员批准",
    )
    return user


def awaiting_approval(user: User) -> bool:
    """Created by the system administrator and not (yet) approved."""
    approvals = Approval.objects.filter(account=user, kind=ApprovalKind.ACCOUNT)
    return approvals.exists() and not approvals.filter(status=ApprovalStatus.APPROVED).exists()


@transaction.atomic
def set_active(user: User, active: bool, *, by, request=None) -> User:
    if user.pk == by.pk:
        raise NotAllowed("不能停用自己的账号")
    if active and awaiting_approval(user):
        raise NotAllowed(f"账号 {user.username} 尚未经安全管理员批准，不能启用")
    user.is_active = active
    user.save(update_fields=["is_active"])
    event = EventType.ACCOUNT_ACTIVATE if active else EventType.ACCOUNT_DEACTIVATE
    audit.record(event, user=by, request=request, obj=user)
    return user


@transaction.atomic
def reset_password(user: User, password: str, *, by, request=None) -> Approval:
    """Request a new password chosen by the system administrator. It takes effect when the
    second administrator approves (approve()); until then the old password stays. An earlier
    pending request for the same account is superseded. Side effects: Approval row (the new
    password's hash only), audit row."""
    if user.pk == by.pk:
        raise NotAllowed("自己的密码请在“修改密码”页修改")
    Approval.objects.filter(
        account=user, kind=ApprovalKind.PASSWORD, status=ApprovalStatus.PENDING
    ).update(status=ApprovalStatus.SUPERSEDED, decided_at=timezone.now())
    approval = Approval.objects.create(
        kind=ApprovalKind.PASSWORD,
        account=user,
        password=make_password(password),
        requested_by=by,
    )
    audit.record(
        EventType.PASSWORD_RESET,
        user=by,
        request=request,
        obj=user,
        status="待批准",
        approver=Role(approver_role(user)).label,
    )
    return approval


@transaction.atomic
def approve(approval: Approval, *, by, request=None) -> Approval:
    """The second administrator lets the request take effect: the account is activated, or the
    new password replaces the old (which the user must change at next log-in).
    Side effects: approval decided, account saved, audit row."""
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    if not can_decide(by, approval):
        raise NotAllowed("您不能批准此事项（已处理，或须由另一位管理员批准）")
    account = approval.account
    if approval.kind == ApprovalKind.ACCOUNT:
        account.is_active = True
        account.save(update_fields=["is_active"])
    else:
        account.password = approval.password
        account.save(update_fields=["password"])
        password_validation.password_changed("", account)  # history and password date
        _force_change(account)
    approval.status = ApprovalStatus.APPROVED
    approval.decided_by, approval.decided_at = by, timezone.now()
    approval.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(
        EventType.APPROVAL_GRANT,
        user=by,
        request=request,
        obj=account,
        kind=approval.get_kind_display(),
        requested_by=approval.requested_by.get_username(),
    )
    return approval


@transaction.atomic
def reject(approval: Approval, *, by, request=None) -> Approval:
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    if not can_decide(by, approval):
        raise NotAllowed("您不能驳回此事项（已处理，或须由另一位管理员处理）")
    approval.status = ApprovalStatus.REJECTED
    approval.decided_by, approval.decided_at = by, timezone.now()
    approval.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(
        EventType.APPROVAL_REJECT,
        user=by,
        request=request,
        obj=approval.account,
        result=Result.DENIED,
        kind=approval.get_kind_display(),
        requested_by=approval.requested_by.get_username(),
    )
    return approval


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
