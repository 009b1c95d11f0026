"""The reserve pool (储备库): a profile on each 储备 project of the ledger (one to one), so the
ledger's reserve projects stay the one list; stages and the sufficiency target are data."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from keyprojects.core.models import Department, Versioned
from keyprojects.reserve.choices import IntakeSource, ReserveLevel

_EXCLUDED = ["created_at", "updated_at"]


class Stage(models.Model):
    """A stage of the pipeline (default 谋划 → 策划 → 包装（预可研） → 成熟 → 转化; no national
    ladder exists, so the office edits them)."""

    order = models.PositiveSmallIntegerField("顺序", unique=True)
    name = models.CharField("阶段名称", max_length=50)
    is_converted = models.BooleanField(
        "转化阶段", default=False, help_text="列入年度计划后的阶段；转化时自动进入此阶段"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "储备阶段"
        ordering = ["order"]

    def __str__(self):
        return self.name


class ReserveTarget(models.Model):
    """Sufficiency target of a plan year's pool: reserve investment ÷ next year's planned
    investment should reach `target_ratio` (default 1.5×)."""

    year = models.PositiveSmallIntegerField("储备年度", unique=True)
    next_year_plan_wan = models.DecimalField(
        "下一年度计划投资（万元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="留空：有下一年度台账时取其年度计划投资合计，否则取本年度计划投资",
    )
    target_ratio = models.DecimalField(
        "目标倍数",
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.5"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal(20))],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "储备充足度目标"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年储备目标"


class ReserveProfile(Versioned):
    """What the pool knows about a 储备 project: intake, level, stage, 前期 work, conversion."""

    project = models.OneToOneField(
        "ledger.Project",
        verbose_name="项目",
        on_delete=models.CASCADE,
        related_name="reserve_profile",
    )
    source = models.CharField(
        "入库来源", max_length=20, choices=IntakeSource.choices, default=IntakeSource.DEPARTMENT
    )
    level = models.CharField(
        "储备级别", max_length=10, choices=ReserveLevel.choices, default=ReserveLevel.COUNTY
    )
    stage = models.ForeignKey(Stage, verbose_name="阶段", on_delete=models.PROTECT)
    intake_on = models.DateField("入库日期")
    expected_start_year = models.PositiveSmallIntegerField(
        "预计开工年度",
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    person = models.CharField("责任人", max_length=50, blank=True)
    notes = models.TextField("储备说明", blank=True)
    converted_year = models.PositiveSmallIntegerField("转化年度", null=True, blank=True)
    converted_on = models.DateField("转化日期", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=_EXCLUDED)

    class Meta:
        verbose_name = verbose_name_plural = "储备项目档案"
        ordering = ["stage__order", "project__code"]

    def __str__(self):
        return f"{self.project.name}（储备）"

    def get_absolute_url(self):
        return reverse("reserve:detail", args=[self.pk])


class PrepTask(Versioned):
    """A 前期 task of a reserve project (可研、用地预审、环评 …) with owner and deadline."""

    profile = models.ForeignKey(
        ReserveProfile, verbose_name="储备项目", on_delete=models.CASCADE, related_name="tasks"
    )
    name = models.CharField("前期工作", max_length=100)
    department = models.ForeignKey(
        Department, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField("完成期限")
    done_on = models.DateField("完成日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=_EXCLUDED)

    class Meta:
        verbose_name = verbose_name_plural = "前期工作"
        ordering = ["deadline", "id"]

    def __str__(self):
        return self.name
