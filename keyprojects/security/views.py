"""Pages of the three administrators (三员分立), the password change and the lock-out page."""

import csv
import io
import json
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from keyprojects.core import permissions
from keyprojects.core.choices import Role
from keyprojects.core.errors import NotAllowed
from keyprojects.core.models import User
from keyprojects.security import audit, backup, details, services
from keyprojects.security import permissions as security_permissions
from keyprojects.security.choices import ApprovalStatus, EventType, Result
from keyprojects.security.forms import (
    AccountCreateForm,
    AuditFilterForm,
    PasswordResetForm,
    RoleForm,
    UnlockForm,
)
from keyprojects.security.models import AuditEvent
from keyprojects.security.permissions import approver_role


def only(predicate, message):
    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not predicate(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


sysadmin_view = only(permissions.can_manage_accounts, "仅系统管理员可以执行此操作")
secadmin_view = only(permissions.can_manage_security, "仅安全管理员可以执行此操作")
auditadmin_view = only(permissions.can_view_audit, "仅审计管理员可以查看审计记录")


# --- Everyone -------------------------------------------------------------------------------


@login_not_required
def lockout(request, original_response=None, credentials=None):
    """django-axes lock-out response: the same for known and unknown user names (HTTP 429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "security/lockout.html",
        {"minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


@login_not_required
def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: Django's page is English and technical; ours says what to do."""
    return render(request, "security/csrf_failure.html", status=403)


ADMIN_START = {
    "sysadmin": "security:accounts",
    "secadmin": "security:roles",
    "auditadmin": "security:audit_log",
}


def start(request):
    """Where log-in lands: the administrators' first page, else the business home page."""
    return redirect(ADMIN_START.get(request.user.role, "ledger:summary"))


def password_change_failures(user) -> int:
    """Wrong current passwords typed at the change form within the lock-out period (counted
    from the audit rows, so every process sees the same count)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AuditEvent.objects.filter(
        event=EventType.PASSWORD_CHANGE,
        result=Result.FAILURE,
        user_id=user.pk,
        created_at__gte=since,
    ).count()


def password_change(request):
    """The user's own password change; also serves /admin/password_change/ (keyprojects/urls.py),
    so both routes share the failure limit and the audit rows."""
    limit = settings.AXES_FAILURE_LIMIT
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.method == "POST" and password_change_failures(request.user) >= limit:
        audit.record(
            EventType.PASSWORD_CHANGE,
            request=request,
            obj=request.user,
            result=Result.DENIED,
            reason="原密码连续输错，暂停修改",
        )
        locked = f"原密码已连续输错 {limit} 次，请 {minutes} 分钟后再试，或联系系统管理员"
        return render(
            request,
            "security/password_change.html",
            {"form": PasswordChangeForm(request.user), "locked": locked},
            status=429,
        )
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(request.user, form.cleaned_data["new_password1"], request=request)
        update_session_auth_hash(request, request.user)
        messages.success(request, "密码已修改")
        return redirect("home")
    if form.is_bound and form.has_error("old_password", "password_incorrect"):
        audit.record(
            EventType.PASSWORD_CHANGE,
            request=request,
            obj=request.user,
            result=Result.FAILURE,
            reason="原密码错误",
        )
    return render(
        request,
        "security/password_change.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


# --- 系统管理员 -----------------------------------------------------------------------------


@sysadmin_view
def accounts(request):
    users = User.objects.select_related("department").order_by("role", "username")
    awaiting = {u.pk for u in users if not u.is_active and services.awaiting_approval(u)}
    return render(request, "security/accounts.html", {"users": users, "awaiting": awaiting})


@sysadmin_view
def account_create(request):
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_account(
                form.save(commit=False),
                form.cleaned_data["password1"],
                by=request.user,
                request=request,
            )
        except NotAllowed as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                f"已创建账号 {user.username}，经安全管理员批准角色后启用；首次登录须修改密码",
            )
            return redirect("security:accounts")
    return render(
        request, "security/account_form.html", {"form": form}, status=400 if form.errors else 200
    )


@sysadmin_view
@require_POST
def account_toggle(request, pk):
    user = get_object_or_404(User, pk=pk)
    try:
        services.set_active(user, not user.is_active, by=request.user, request=request)
    except NotAllowed as exc:
        messages.error(request, exc.message)
        return redirect("security:accounts")
    messages.success(request, f"已{'启用' if user.is_active else '停用'}账号 {user.username}")
    return redirect("security:accounts")


@sysadmin_view
def account_password(request, pk):
    user = get_object_or_404(User, pk=pk)
    form = PasswordResetForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reset_password(
                user, form.cleaned_data["password1"], by=request.user, request=request
            )
        except NotAllowed as exc:
            form.add_error(None, exc.message)
        else:
            who = Role(approver_role(user)).label
            messages.success(
                request,
                f"已提交 {user.username} 的密码重置，经{who}批准后生效；该用户登录后须修改密码",
            )
            return redirect("security:accounts")
    return render(
        request,
        "security/account_password.html",
        {"form": form, "account": user},
        status=400 if form.errors else 200,
    )


@sysadmin_view
def backups(request):
    if request.method == "POST":
        try:
            path = backup.backup_to_dir(by=request.user, request=request)
        except backup.BackupError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"备份完成：{path.name}")
        return redirect("security:backups")
    return render(request, "security/backups.html", {"files": backup.list_backups()})


# --- 安全管理员 -----------------------------------------------------------------------------


@secadmin_view
def roles(request):
    users = User.objects.select_related("department").order_by("role", "username")
    return render(request, "security/roles.html", {"users": users})


@secadmin_view
def role_edit(request, pk):
    user = get_object_or_404(User, pk=pk)
    if not permissions.can_change_role_of(request.user, user):
        raise PermissionDenied("不能修改自己或超级用户的角色")
    form = RoleForm(
        request.POST or None, initial={"role": user.role, "department": user.department}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_role(
                user,
                form.cleaned_data["role"],
                form.cleaned_data["department"],
                by=request.user,
                request=request,
            )
        except NotAllowed as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已将 {user.username} 的角色改为 {user.get_role_display()}")
            return redirect("security:roles")
    return render(
        request,
        "security/role_form.html",
        {"form": form, "account": user},
        status=400 if form.errors else 200,
    )


approvals_view = only(
    security_permissions.can_see_approvals, "仅安全管理员、审计管理员可以审批系统管理员的申请"
)


@approvals_view
def approvals(request):
    qs = security_permissions.approvals_for(request.user)
    pending = [a for a in qs.filter(status=ApprovalStatus.PENDING)]
    for a in pending:
        a.decidable = security_permissions.can_decide(request.user, a)
    decided = qs.exclude(status=ApprovalStatus.PENDING)[:50]
    return render(request, "security/approvals.html", {"pending": pending, "decided": decided})


@approvals_view
@require_POST
def approval_decide(request, pk):
    approval = get_object_or_404(security_permissions.approvals_for(request.user), pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, "请选择批准或驳回")
        return redirect("security:approvals")
    if approval.status == ApprovalStatus.PENDING and not security_permissions.can_decide(
        request.user, approval
    ):
        raise PermissionDenied("不能审批自己提交或涉及自己账号的事项")
    action = services.approve if decision == "approve" else services.reject
    try:
        action(approval, by=request.user, request=request)
    except NotAllowed as exc:
        messages.error(request, exc.message)
    else:
        done = "批准" if decision == "approve" else "驳回"
        messages.success(request, f"已{done}：{approval.get_kind_display()} {approval.account}")
    return redirect("security:approvals")


@secadmin_view
def locks(request):
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        services.unlock(username, by=request.user, request=request)
        messages.success(request, f"已解除 {username} 的登录锁定")
        return redirect("security:locks")
    return render(
        request,
        "security/locks.html",
        {"attempts": services.locked_attempts(), "form": form},
        status=400 if form.errors else 200,
    )


@secadmin_view
def policy(request):
    validators = [v.get_help_text() for v in _validators()]
    return render(
        request,
        "security/policy.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            "password_rules": validators,
            "max_age_days": settings.KP_PASSWORD_MAX_AGE_DAYS,
            "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
            "absolute_hours": settings.KP_SESSION_ABSOLUTE_HOURS,
            "retention_days": audit.retention_days(),
            "https": settings.HTTPS,
        },
    )


def _validators():
    from django.contrib.auth.password_validation import get_default_password_validators

    return get_default_password_validators()


# --- 审计管理员 -----------------------------------------------------------------------------

# OWASP "CSV injection": a spreadsheet treats a cell starting with = + - @ (and their full-width
# forms, as the ledger export) or tab / CR as a formula. User names typed at the log-in form are
# the attacker's text: in the CSV such a field gets a leading apostrophe, in the workbook every
# text cell is typed as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\u2212")


def csv_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


# 详情 as the page words it; the stored JSON beside it, since the hash chain is computed on it.
EXPORT_COLUMNS = [
    *("序号", "时间", "用户", "IP地址", "事件类型", "对象", "结果"),
    *("详情", "原始详情（JSON）", "哈希"),
]


def _filtered(request):
    form = AuditFilterForm(request.GET or None)
    qs = AuditEvent.objects.all()
    if form.is_bound and form.is_valid():
        qs = form.filter(qs)
    return form, qs


@auditadmin_view
def audit_log(request):
    form, qs = _filtered(request)
    if form.is_bound and not form.is_valid():
        return render(request, "security/audit_log.html", {"form": form}, status=400)
    page = Paginator(qs, settings.KP_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    words = details.readable(page.object_list)
    rows = [(e, words[e.pk]) for e in page.object_list]
    return render(
        request,
        "security/audit_log.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


def _row(e: AuditEvent, words: list[tuple[str, str]]) -> list:
    obj = " ".join(part for part in (e.object_type, e.object_id, e.object_repr) if part)
    return [
        e.seq,
        # ISO with the +08:00 offset: the audit trail is read by tools as well as people.
        timezone.localtime(e.created_at).isoformat(timespec="seconds"),
        e.username,
        e.ip,
        e.get_event_display(),
        obj,
        e.get_result_display(),
        "；".join(f"{label}：{text}" for label, text in words),
        json.dumps(e.details, ensure_ascii=False) if e.details else "",
        e.hash,
    ]


@auditadmin_view
def audit_export(request):
    form, qs = _filtered(request)
    if form.is_bound and not form.is_valid():
        return render(request, "security/audit_log.html", {"form": form}, status=400)
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        return render(
            request,
            "security/audit_log.html",
            {"form": form, "format_error": "导出格式只能是 csv 或 xlsx"},
            status=400,
        )
    events = list(qs.order_by("seq"))
    words = details.readable(events)
    rows = [_row(e, words[e.pk]) for e in events]
    filters = {k: v for k, v in request.GET.items() if k not in ("format", "page") and v}
    audit.record(
        EventType.AUDIT_EXPORT, request=request, format=fmt, filters=filters, rows=len(rows)
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows([csv_safe(v) for v in row] for row in rows)
        response = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("安全审计记录")
        ws.append(EXPORT_COLUMNS)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(ws, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, never a formula
                cells.append(cell)
            ws.append(cells)
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.{fmt}"'
    return response
