"""Excel imports: the header synonyms the office can extend, and one record per uploaded file."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from keyprojects.core.models import Versioned

IGNORE = "_ignore"  # a header the office chose not to import


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    PARSING = "parsing", "正在读取与校验"
    PREVIEW = "preview", "待确认"
    REJECTED = "rejected", "有错误，未导入"
    APPLYING = "applying", "正在写入"
    DONE = "done", "已导入"
    FAILED = "failed", "导入失败"


class HeaderSynonym(Versioned):
    """One more header text meaning a known column (e.g. “主管单位” → 牵头单位).

    The built-in synonyms live in importer/columns.py; rows here extend them per office.
    """

    # The kinds come from the registered adapters (importer.registry), not a fixed list.
    kind = models.CharField("表格类型", max_length=20, default="ledger")
    field = models.CharField("对应栏目", max_length=40, help_text=f"“{IGNORE}”表示该列不导入")
    text = models.CharField("表头文字", max_length=100, help_text="换行、空格和括号内单位不计")
    note = models.CharField("说明", max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = verbose_name_plural = "表头同义词"
        ordering = ["kind", "field", "text"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "text"],
                name="importer_synonym_unique_text",
                violation_error_message="该表格类型中已有相同的表头文字",
            )
        ]

    def __str__(self):
        return f"{self.text} → {self.field}"

    def get_kind_display(self) -> str:
        from keyprojects.importer.registry import kind_label

        return kind_label(self.kind)

    def clean(self):
        from django.core.exceptions import ValidationError

        from keyprojects.importer.columns import field_choices

        if self.field != IGNORE and self.field not in dict(field_choices(self.kind)):
            raise ValidationError({"field": "对应栏目不存在"})


class DepartmentAlias(Versioned):
    """A name the county's files use for a department (规资局 → 县规划和自然资源局).

    Most written forms resolve without an alias (importer/names.py); an alias is kept when the
    office answered the preview's question once, so the next file imports without asking.
    """

    text = models.CharField("文件中的名称", max_length=100, unique=True)
    department = models.ForeignKey(
        "core.Department",
        verbose_name="对应单位",
        on_delete=models.CASCADE,
        related_name="aliases",
    )
    note = models.CharField("说明", max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = verbose_name_plural = "单位别名"
        ordering = ["department__order", "text"]

    def __str__(self):
        return f"{self.text} → {self.department}"


class ImportJob(Versioned):
    """One uploaded file: kept as uploaded, its preview, and what happened to it."""

    kind = models.CharField("表格类型", max_length=20)
    file = models.FileField("上传文件", upload_to="imports/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=255)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    month = models.PositiveSmallIntegerField("月份", null=True, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=JobState.choices, default=JobState.QUEUED
    )
    progress = models.PositiveIntegerField("已处理行数", default=0)
    total = models.PositiveIntegerField("总行数", default=0)
    preview = models.JSONField("预览", default=dict, blank=True)
    fingerprint = models.CharField("预览指纹", max_length=64, blank=True)
    message = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "preview"])

    class Meta:
        verbose_name = verbose_name_plural = "Excel导入记录"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__isnull=True)
                | (models.Q(month__gte=1) & models.Q(month__lte=12)),
                name="importer_job_month_1_12",
                violation_error_message="月份应为1至12",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}导入 #{self.pk}（{self.original_name}）"

    def get_absolute_url(self):
        return reverse("importer:job_detail", args=[self.pk])

    def get_kind_display(self) -> str:
        from keyprojects.importer.registry import kind_label

        return kind_label(self.kind)

    @property
    def change_reason(self) -> str:
        """Written on every history row this import makes: one change set per import."""
        return f"Excel导入 #{self.pk}"

    @property
    def is_running(self) -> bool:
        return self.state in (JobState.QUEUED, JobState.PARSING, JobState.APPLYING)

    @property
    def percent(self) -> int:
        if not self.total:
            return 0
        return min(100, self.progress * 100 // self.total)
