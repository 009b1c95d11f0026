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

from keyprojects.core.fields import latitude_field, longitude_field
from keyprojects.core.models import Versioned
from keyprojects.dispatch.choices import PhotoPlaceSource, PhotoTimeSource, ReportStatus
from keyprojects.ledger.choices import Phase, Sector
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
    # Lateness is judged on the first submission: a resubmission after a return keeps it.
    first_submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True)
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
    # Set when the office writes or submits the report for the department (代报), so the
    # report, its history and the figures' trace say who actually filed it.
    proxy_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="代报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

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
        indexes = [
            models.Index(fields=["year", "month", "status"], name="dispatch_ym_status"),
            # The office's 待审核 count on every to-do list.
            models.Index(fields=["status"], name="dispatch_status"),
            # Late reports are few; the ranking counts them per department.
            models.Index(fields=["year", "month"], condition=Q(is_late=True), name="dispatch_late"),
        ]

    def __str__(self):
        return f"{self.project.name} {self.year}年{self.month}月"


def _photo_path(instance, filename):
    """Random stored names: the uploader's file name never reaches the file system."""
    import secrets

    ext = "png" if filename.lower().endswith(".png") else "jpg"
    return f"dispatch/photos/{secrets.token_hex(16)}.{ext}"


class ReportPhoto(Versioned):
    """A site photo (现场照片) of a monthly report, served only through a permission check."""

    report = models.ForeignKey(
        MonthlyReport, verbose_name="调度报告", on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField("照片文件", upload_to=_photo_path, max_length=200)
    content_type = models.CharField("文件类型", max_length=20)
    caption = models.CharField("说明", max_length=200, blank=True)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    taken_at = models.DateTimeField(
        "拍摄时间", null=True, blank=True, help_text="取自照片的EXIF信息，或手机提供的文件时间"
    )
    time_source = models.CharField(
        "拍摄时间来源", max_length=10, choices=PhotoTimeSource.choices, blank=True
    )
    latitude = latitude_field()
    longitude = longitude_field()
    accuracy_m = models.PositiveIntegerField("定位精度（米）", null=True, blank=True)
    place_source = models.CharField(
        "位置来源", max_length=10, choices=PhotoPlaceSource.choices, blank=True
    )
    width = models.PositiveIntegerField("宽度（像素）", default=0)
    height = models.PositiveIntegerField("高度（像素）", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = verbose_name_plural = "现场照片"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=["image/jpeg", "image/png"]),
                name="dispatch_photo_jpeg_png",
                violation_error_message="照片只能是JPEG或PNG格式",
            ),
            # A place is both coordinates or none: half a position is no position.
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="dispatch_photo_place_whole",
                violation_error_message="照片位置应同时有经度和纬度",
            ),
        ]

    def __str__(self):
        return self.caption or self.original_name or f"照片{self.pk}"


class PhaseTemplate(Versioned):
    """Standard durations of the phases of one project sector (倒排工期模板).

    Each `*_days` is the number of days from the previous phase to this one
    (立项 → 用地预审 → 规划许可 → 招投标 → 施工许可 → 开工 → 主体完工 → 竣工验收).
    A sector without a saved template uses rules.SECTOR_DEFAULT_DAYS.
    """

    sector = models.CharField("行业领域", max_length=20, choices=Sector.choices, unique=True)
    land_preview_days = models.PositiveIntegerField("立项→用地预审（天）", default=60)
    planning_permit_days = models.PositiveIntegerField("用地预审→规划许可（天）", default=60)
    bidding_days = models.PositiveIntegerField("规划许可→招投标（天）", default=45)
    construction_permit_days = models.PositiveIntegerField("招投标→施工许可（天）", default=30)
    start_days = models.PositiveIntegerField("施工许可→开工（天）", default=30)
    main_works_days = models.PositiveIntegerField("开工→主体完工（天）", default=365)
    acceptance_days = models.PositiveIntegerField("主体完工→竣工验收（天）", default=120)
    note = models.CharField("说明", max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    GAP_FIELDS = (
        (Phase.LAND_PREVIEW, "land_preview_days"),
        (Phase.PLANNING_PERMIT, "planning_permit_days"),
        (Phase.BIDDING, "bidding_days"),
        (Phase.CONSTRUCTION_PERMIT, "construction_permit_days"),
        (Phase.START, "start_days"),
        (Phase.MAIN_WORKS, "main_works_days"),
        (Phase.ACCEPTANCE, "acceptance_days"),
    )

    class Meta:
        verbose_name = verbose_name_plural = "倒排工期模板"
        ordering = ["sector"]

    def __str__(self):
        return f"{self.get_sector_display()}倒排工期模板"

    def steps(self) -> list[tuple[str, int]]:
        """(phase, days after the previous phase) in order, 立项 first with 0."""
        return [(Phase.APPROVAL.value, 0)] + [
            (phase.value, getattr(self, name)) for phase, name in self.GAP_FIELDS
        ]
