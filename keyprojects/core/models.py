"""Departments, users with a role, and the mixins every editable record shares."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from keyprojects.core.choices import Role


class Department(models.Model):
    """A county department or town that leads projects (牵头单位 / 责任单位)."""

    name = models.CharField("单位名称", max_length=100, unique=True)
    short_name = models.CharField(
        "简称", max_length=30, blank=True, help_text="报告中使用，如“规资”"
    )
    order = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class User(AbstractUser):
    """A person who logs in; what they may do follows from role and department."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.LEADER)
    department = models.ForeignKey(
        Department,
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField("联系电话", max_length=30, blank=True)
    is_demo = models.BooleanField("示例账号", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role=Role.REPORTER) | models.Q(department__isnull=False),
                name="core_user_reporter_has_department",
                violation_error_message="部门填报员必须属于一个单位",
            )
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class Versioned(models.Model):
    """A record edited by several people: `version` refuses stale saves (services check it)."""

    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        abstract = True


class SoftDeletable(models.Model):
    """Deleting sets `deleted_at`; the office can restore from the recycle bin (回收站)."""

    deleted_at = models.DateTimeField("删除时间", null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="删除人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def mark_deleted(self, by) -> None:
        self.deleted_at = timezone.now()
        self.deleted_by = by


class LiveManager(models.Manager):
    """Default manager of a SoftDeletable table whose readers (pages, figures, imports,
    exports, reverse relations, form choices) must all skip the recycle bin; the bin itself
    reads `all_objects`."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class DemoMarker(models.Model):
    """Present when the database holds demo data, so every page says 示例数据."""

    loaded_at = models.DateTimeField("载入时间", auto_now_add=True)
    description = models.CharField("说明", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "示例数据标记"

    def __str__(self):
        return self.description
