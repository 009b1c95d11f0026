"""Monthly dispatch reports (月度调度): one per project and month.

Only the month's own amount is stored; year-to-date and cumulative figures are derived
(stats.py), so nobody types a figure twice and they can never disagree.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from keyprojects.core.models import Versioned
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.ledger.models import Project


class MonthlyReportQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=ReportStatus.APPROVED)


class MonthlyReport(Versioned):
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="reports"
    )
    year = models.PositiveSmallIntegerField("年份")
    month = models.PositiveSmallIntegerField("月份")
    invested_wan = models.DecimalField(
        "当月完成投资（万元）",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    progress_text = models.CharField("形象进度", max_length=500, blank=True)
    progress_pct = models.PositiveSmallIntegerField(
        "形象进度（%）",
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下一步工作及时限", blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_late = models.BooleanField("逾期报送", default=False)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_comment = models.CharField("审核意见", max_length=500, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "月度调度报告"
        ordering = ["-year", "-month", "project__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"],
                name="dispatch_one_per_month",
                violation_error_message="该项目本月已有调度报告",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12),
                name="dispatch_month_1_12",
                violation_error_message="月份应为1至12",
            ),
            models.CheckConstraint(
                condition=Q(invested_wan__gte=0),
                name="dispatch_invested_not_negative",
                violation_error_message="当月完成投资不能为负数",
            ),
        ]
        indexes = [models.Index(fields=["year", "month", "status"], name="dispatch_ym_status")]

    def __str__(self):
        return f"{self.project.name} {self.year}年{self.month}月"
