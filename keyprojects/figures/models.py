"""Reporting periods (月度调度关账) and the figures frozen when one closes.

A month's dispatch is open while reports come in; the office closes it (or it closes itself on
the set day). Closing writes one PeriodSnapshot row per project of the plan year, so every page,
export and document of that month reads the same frozen figures and an issued report can be
reproduced later. A report approved after its month closed is a PeriodCorrection: recorded and
shown, never a silent rewrite of the snapshot.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from keyprojects.core.models import Department
from keyprojects.ledger.models import Project

_NO_HISTORY = ["created_at", "updated_at"]


class PeriodSettings(models.Model):
    """The office's settings of the reporting calendar (one row)."""

    current_year = models.PositiveSmallIntegerField(
        "当前计划年度",
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="各页面默认显示的计划年度；新建下一年度项目不会改变它",
    )
    auto_close_day = models.PositiveSmallIntegerField(
        "自动关账日",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="每月几日自动结束上月调度（留空则只由办公室手动结束）",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = verbose_name_plural = "调度周期设置"

    def __str__(self):
        return "调度周期设置"


class PeriodState(models.TextChoices):
    OPEN = "open", "调度中"
    CLOSED = "closed", "已结束"


class ReportingPeriod(models.Model):
    """One month of one plan year's dispatch (月度调度周期)."""

    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField(
        "月份", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    state = models.CharField(
        "状态", max_length=10, choices=PeriodState.choices, default=PeriodState.OPEN
    )
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="结束人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="空表示按自动关账日自动结束",
    )
    expected_share = models.DecimalField(
        "序时进度（%）", max_digits=6, decimal_places=1, null=True, blank=True
    )
    # Approved investment of the year's construction projects by department and month, frozen
    # with the snapshot ({"department id": {"month": "万元"}}), so the dashboard's monthly trend
    # of a closed month agrees with its summary and needs no scan of the reports. Null for a
    # month closed before it was kept: its trend is read live.
    month_totals = models.JSONField("各月完成投资（万元）", null=True, blank=True, editable=False)
    # The county-wide figures of the snapshot, computed once at the close (figures.frozen): the
    # counts and sums by department and the few names a report quotes. The snapshot never changes
    # after the close, so these agree with it; every page of a closed month reads them instead of
    # aggregating its rows again. Null for a month closed before they were kept: read live.
    county = models.JSONField("全县汇总", null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "调度周期"
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month"],
                name="figures_one_period_per_month",
                violation_error_message="该月的调度周期已存在",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12),
                name="figures_period_month_1_12",
                violation_error_message="月份应为1至12",
            ),
        ]

    def __str__(self):
        return f"{self.year}年{self.month}月调度"

    @property
    def is_closed(self) -> bool:
        return self.state == PeriodState.CLOSED


class PeriodSnapshot(models.Model):
    """One project's figures as they stood when its period closed (frozen, never edited)."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name="调度周期", on_delete=models.PROTECT, related_name="rows"
    )
    # The reverse name lets a ledger list join a period's row (FilteredRelation) to sort by it.
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="period_snapshots"
    )
    department = models.ForeignKey(
        Department, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField("项目类别", max_length=20)
    # As the ledger said at the close: an issued report's count of projects late to start does
    # not move when the date is edited afterwards.
    planned_start = models.DateField("计划开工", null=True, blank=True)
    total_investment_wan = models.DecimalField("总投资（万元）", max_digits=14, decimal_places=2)
    annual_plan_wan = models.DecimalField("年度计划投资（万元）", max_digits=14, decimal_places=2)
    ytd_wan = models.DecimalField("年初至今完成（万元）", max_digits=14, decimal_places=2)
    started = models.BooleanField("已开工", default=False)
    completed = models.BooleanField("已竣工", default=False)
    unreported = models.BooleanField("未报送", default=False)
    behind = models.BooleanField("未达到序时进度", default=False)
    colour = models.CharField("预警", max_length=10, blank=True)  # blank: reserve, no schedule
    colour_rank = models.PositiveSmallIntegerField("预警排序", default=3)  # red 0 … none 3
    rate = models.DecimalField("年度完成率", max_digits=12, decimal_places=6, null=True)
    expected = models.DecimalField("序时进度", max_digits=12, decimal_places=6, null=True)
    reasons = models.JSONField("预警理由", default=list)
    nodes = models.JSONField("节点状态", default=list)  # [[name, planned, actual|None, state]]

    class Meta:
        verbose_name = verbose_name_plural = "调度周期快照"
        constraints = [
            models.UniqueConstraint(
                fields=["period", "project"], name="figures_one_snapshot_per_project"
            )
        ]
        indexes = [
            models.Index(fields=["period", "colour_rank"], name="figures_snap_colour"),
            models.Index(fields=["period", "department"], name="figures_snap_dept"),
            # Rankings read the largest and smallest gaps to 序时 of a period in index order.
            models.Index(
                F("period"),
                F("rate") - F("expected"),
                name="figures_snap_pace",
                condition=Q(
                    started=True, unreported=False, rate__isnull=False, expected__isnull=False
                ),
            ),
        ]

    def __str__(self):
        return f"{self.period}：项目{self.project_id}"


class PeriodCorrection(models.Model):
    """A report approved after its month closed: the frozen figures stay, the change is recorded."""

    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name="调度周期",
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="+"
    )
    report_id = models.PositiveIntegerField("调度报告ID")
    report_month = models.PositiveSmallIntegerField("报告月份")
    invested_wan = models.DecimalField("当月完成投资（万元）", max_digits=14, decimal_places=2)
    ytd_frozen_wan = models.DecimalField("关账时年初至今（万元）", max_digits=14, decimal_places=2)
    ytd_corrected_wan = models.DecimalField(
        "更正后年初至今（万元）", max_digits=14, decimal_places=2
    )
    recorded_at = models.DateTimeField("记录时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "关账后更正"
        ordering = ["period", "recorded_at", "id"]

    def __str__(self):
        return f"{self.period}：{self.project}更正"

    @property
    def text(self) -> str:
        return (
            f"{self.project.name}的{self.period.year}年{self.report_month}月调度报告在关账后审核通过，"
            f"1—{self.period.month}月累计由{self.ytd_frozen_wan}万元更正为"
            f"{self.ytd_corrected_wan}万元（已发布的数字保持不变）"
        )
