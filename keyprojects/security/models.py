"""Security records: the append-only audit log and password bookkeeping.

AuditEvent rows are never edited: database triggers (migration 0002) refuse UPDATE and DELETE,
and each row carries the SHA-256 of its content and of the previous row (hash chain), so
`keyprojects audit verify` finds a row changed behind the application's back.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from keyprojects.dates import cn_date
from keyprojects.security.choices import ApprovalKind, ApprovalStatus, EventType, Result


class AuditEvent(models.Model):
    """One security-relevant event (安全审计记录). Written only by security.audit.record()."""

    seq = models.PositiveBigIntegerField("序号", unique=True, editable=False)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True, editable=False)
    # No database FK: a user row may go, the audit row (and its username) must stay.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    ip = models.CharField("IP地址", max_length=45, blank=True)
    event = models.CharField("事件类型", max_length=30, choices=EventType.choices, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices)
    details = models.JSONField("详情", default=dict, blank=True, encoder=DjangoJSONEncoder)
    prev_hash = models.CharField("上一条哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "安全审计记录"
        ordering = ["-seq"]

    def __str__(self):
        return f"#{self.seq} {self.get_event_display()} {self.username}"


class PasswordHistory(models.Model):
    """Earlier password hashes of a user, so the last N cannot be chosen again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="password_history",
    )
    password = models.CharField("密码哈希", max_length=128)
    created_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user_id} @ {cn_date(timezone.localtime(self.created_at))}"


class PasswordState(models.Model):
    """When a user's password was last set, and whether they must change it at next log-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="password_state",
    )
    changed_at = models.DateTimeField("密码设置时间", default=timezone.now)
    must_change = models.BooleanField("下次登录须修改密码", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "密码状态"

    def __str__(self):
        return f"{self.user_id}"


class Approval(models.Model):
    """A system administrator's request that takes effect only when a second administrator
    approves it (三员分立): a new business account stays inactive, a password reset stays
    unapplied (only its hash is kept here) until then."""

    kind = models.CharField("事项", max_length=10, choices=ApprovalKind.choices)
    status = models.CharField(
        "状态", max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.CASCADE,
        related_name="approvals",
    )
    role = models.CharField("申请的角色", max_length=20, blank=True)
    password = models.CharField("新密码哈希", max_length=128, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "待批准事项"
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.account}"
