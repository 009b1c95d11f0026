"""The ledger (台账): projects of a plan year and their milestones (节点)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from simple_history.models import HistoricalRecords

from keyprojects import geo
from keyprojects.core.fields import latitude_field, longitude_field
from keyprojects.core.links import fixed_url
from keyprojects.core.models import Department, SoftDeletable, Versioned
from keyprojects.ledger.choices import (
    CONSTRUCTION_CATEGORIES,
    STARTED_STATUSES,
    Category,
    ChangeKind,
    ChangeState,
    FundingRoute,
    Nature,
    Phase,
    Sector,
    Status,
)

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}
# `version` stays in history: a refused stale save names what changed since the editor's version.
_HISTORY_EXCLUDED = ["created_at", "updated_at"]


class ProjectQuerySet(models.QuerySet):
    def live(self):
        return self.filter(deleted_at__isnull=True)

    def of_year(self, year: int):
        return self.filter(year=year)

    def construction(self):
        """续建 + 新开工: the year's construction plan."""
        return self.filter(category__in=CONSTRUCTION_CATEGORIES)


class Project(Versioned, SoftDeletable):
    """One key project in one plan year's list (重点项目)."""

    code = models.CharField(
        "项目编号",
        max_length=40,
        unique=True,
        blank=True,
        help_text="本系统内唯一；留空则自动编号",
    )
    approval_code = models.CharField(
        "项目代码",
        max_length=30,
        blank=True,
        help_text="全国投资项目在线审批监管平台赋予的24位代码",
    )
    name = models.CharField("项目名称", max_length=200)
    year = models.PositiveSmallIntegerField(
        "计划年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    department = models.ForeignKey(
        Department, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="projects"
    )
    responsible_units = models.CharField(
        "责任单位", max_length=200, blank=True, help_text="配合推进的单位，多个用顿号分隔"
    )
    leader = models.CharField("责任领导", max_length=50, blank=True)
    owner_unit = models.CharField("建设单位（业主）", max_length=200, blank=True)
    contact_person = models.CharField("责任人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    category = models.CharField("项目类别", max_length=20, choices=Category.choices)
    sector = models.CharField("行业领域", max_length=20, choices=Sector.choices)
    nature = models.CharField(
        "建设性质", max_length=20, choices=Nature.choices, default=Nature.NEW_BUILD
    )
    content = models.TextField("建设规模及内容", blank=True)
    town = models.CharField("乡镇（街道）", max_length=50, blank=True)
    location = models.CharField("建设地点", max_length=200, blank=True)
    latitude = latitude_field()
    longitude = longitude_field()
    coord_system = models.CharField(
        "坐标来源",
        max_length=20,
        choices=list(geo.SYSTEMS.items()),
        default=geo.WGS84,
        help_text="经纬度一律按WGS-84/CGCS2000保存；这里记录录入时所用的坐标系",
    )
    total_investment_wan = models.DecimalField("总投资（万元）", **MONEY)
    completed_before_year_wan = models.DecimalField(
        "以前年度累计完成（万元）", default=Decimal(0), **MONEY
    )
    annual_plan_wan = models.DecimalField("年度计划投资（万元）", **MONEY)
    annual_plan_pending = models.BooleanField(
        "年度计划待补充",
        default=False,
        help_text="导入时没有年度计划的建设项目；补充年度计划前不判断序时进度",
    )
    planned_start = models.DateField("计划开工日期", null=True, blank=True)
    planned_end = models.DateField("计划竣工日期", null=True, blank=True)
    actual_start = models.DateField("实际开工日期", null=True, blank=True)
    actual_end = models.DateField("实际竣工日期", null=True, blank=True)
    status = models.CharField(
        "建设状态", max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    funding_route = models.CharField(
        "资金来源",
        max_length=20,
        choices=FundingRoute.choices,
        default=FundingRoute.FISCAL,
        blank=True,  # an imported file that does not say stays blank (待补充), never guessed
    )
    funding_note = models.CharField("资金筹措说明", max_length=200, blank=True)
    monthly_plan = models.JSONField(
        "分月计划投资（万元）",
        default=list,
        blank=True,
        help_text="1—12月各月计划完成投资；填写后按本项目自己的分月计划计算序时进度",
    )
    image_progress = models.CharField("形象进度", max_length=300, blank=True)
    notes = models.TextField("备注", blank=True)

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDED)
    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "重点项目"
        ordering = ["department__order", "department__name", "code"]
        indexes = [
            models.Index(fields=["year", "category"], name="ledger_project_year_cat"),
            models.Index(fields=["department", "year"], name="ledger_project_dept_year"),
            # Every page's year selector lists the years of live projects from this index alone.
            models.Index(
                fields=["year"],
                name="ledger_project_live_year",
                condition=Q(deleted_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_investment_wan__gte=0)
                & Q(completed_before_year_wan__gte=0)
                & Q(annual_plan_wan__gte=0),
                name="ledger_project_money_not_negative",
                violation_error_message="投资金额不能为负数",
            ),
            models.CheckConstraint(
                condition=Q(completed_before_year_wan__lte=F("total_investment_wan")),
                name="ledger_project_before_within_total",
                violation_error_message="以前年度累计完成不能超过总投资",
            ),
            models.CheckConstraint(
                # SQLite compares decimals as floating point: 9160026.48 ≤ 23487247.38 −
                # 14327220.90 fails by rounding. Half a cent of slack cannot admit a real
                # violation (amounts have two decimals) and keeps the check exact in effect.
                condition=Q(
                    annual_plan_wan__lte=F("total_investment_wan")
                    - F("completed_before_year_wan")
                    + Value(Decimal("0.005"))
                ),
                name="ledger_project_plan_within_remaining",
                violation_error_message="年度计划投资不能超过剩余投资（总投资减以前年度累计完成）",
            ),
            models.CheckConstraint(
                condition=Q(planned_start__isnull=True)
                | Q(planned_end__isnull=True)
                | Q(planned_start__lte=F("planned_end")),
                name="ledger_project_planned_dates_order",
                violation_error_message="计划竣工日期不能早于计划开工日期",
            ),
            models.CheckConstraint(
                condition=Q(actual_start__isnull=True)
                | Q(actual_end__isnull=True)
                | Q(actual_start__lte=F("actual_end")),
                name="ledger_project_actual_dates_order",
                violation_error_message="实际竣工日期不能早于实际开工日期",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{self.detail_url_prefix()}{self.pk}/"

    @staticmethod
    def detail_url_prefix() -> str:
        """The project pages' URL without the id (…/projects/): a long list writes the
        prefix once, not a reverse per row."""
        return fixed_url("ledger:project_detail", 0)[:-2]  # …/0/ → …/

    @property
    def is_construction(self) -> bool:
        return self.category in CONSTRUCTION_CATEGORIES

    @property
    def is_started(self) -> bool:
        return self.status in STARTED_STATUSES

    @property
    def monthly_plan_amounts(self) -> list[Decimal] | None:
        """The 12 monthly planned amounts, or None when the project has no plan of its own."""
        if not self.monthly_plan:
            return None
        return [Decimal(str(v)) for v in self.monthly_plan]

    @property
    def remaining_wan(self) -> Decimal:
        return self.total_investment_wan - self.completed_before_year_wan

    def clean(self):
        errors: dict[str, str] = {}
        if self.actual_end and not self.actual_start:
            errors["actual_start"] = "已填写实际竣工日期，请同时填写实际开工日期"
        if self.status in STARTED_STATUSES and not self.actual_start:
            errors["actual_start"] = f"建设状态为“{self.get_status_display()}”，请填写实际开工日期"
        if self.status == Status.COMPLETED and not self.actual_end:
            errors["actual_end"] = "建设状态为“已竣工”，请填写实际竣工日期"
        if self.status == Status.NOT_STARTED and self.actual_start:
            errors["status"] = "已填写实际开工日期，建设状态不能是“未开工”"
        if self.category == Category.RESERVE and self.status != Status.NOT_STARTED:
            errors["status"] = "储备项目尚未列入建设计划，建设状态应为“未开工”"
        if (
            self.total_investment_wan is not None
            and self.completed_before_year_wan is not None
            and self.completed_before_year_wan > self.total_investment_wan
        ):
            errors["completed_before_year_wan"] = "以前年度累计完成不能超过总投资"
        elif (
            self.total_investment_wan is not None
            and self.completed_before_year_wan is not None
            and self.annual_plan_wan is not None
            and self.annual_plan_wan > self.remaining_wan
        ):
            errors["annual_plan_wan"] = (
                f"年度计划投资不能超过剩余投资 {self.remaining_wan} 万元"
                "（总投资减以前年度累计完成）"
            )
        if self.planned_start and self.planned_end and self.planned_start > self.planned_end:
            errors["planned_end"] = "计划竣工日期不能早于计划开工日期"
        if self.actual_start and self.actual_end and self.actual_start > self.actual_end:
            errors["actual_end"] = "实际竣工日期不能早于实际开工日期"
        if self.monthly_plan:
            try:
                amounts = [Decimal(str(v)) for v in self.monthly_plan]
            except (ArithmeticError, ValueError, TypeError):
                amounts = []
            if len(amounts) != 12 or any(a < 0 for a in amounts):
                errors["monthly_plan"] = "分月计划应为12个不小于0的金额"
            elif self.annual_plan_wan is not None and sum(amounts) != self.annual_plan_wan:
                errors["monthly_plan"] = (
                    f"分月计划合计 {sum(amounts):.2f} 万元，"
                    f"与年度计划投资 {self.annual_plan_wan:.2f} 万元不一致"
                )
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = "经度和纬度须同时填写或同时留空"
        if errors:
            raise ValidationError(errors)


class Milestone(Versioned, SoftDeletable):
    """A node on a project's road map (节点): planned date, and actual date once reached."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="milestones"
    )
    phase = models.CharField("节点类型", max_length=30, choices=Phase.choices)
    name = models.CharField("节点名称", max_length=100)
    planned_date = models.DateField("计划完成日期")
    actual_date = models.DateField("实际完成日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    # The date the office approved (基准计划). A later move changes planned_date only, so the
    # slip against the approved plan stays visible; moving or deleting a baselined node is a
    # MilestoneChange the office decides.
    baseline_date = models.DateField("基准计划日期", null=True, blank=True, editable=False)
    baseline_approved_at = models.DateTimeField(
        "基准计划批准时间", null=True, blank=True, editable=False
    )
    baseline_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="基准计划批准人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDED)

    class Meta:
        verbose_name = verbose_name_plural = "项目节点"
        ordering = ["planned_date", "id"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.name and self.phase:
            self.name = Phase(self.phase).label
        super().save(*args, **kwargs)


class MilestoneChange(Versioned):
    """A department's request to move or delete a baselined node, decided by the office.

    State changes only through ledger.services.CHANGE_TRANSITIONS.
    """

    milestone = models.ForeignKey(
        Milestone, verbose_name="节点", on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField("申请类型", max_length=10, choices=ChangeKind.choices)
    old_date = models.DateField("原计划日期")
    new_date = models.DateField("调整后日期", null=True, blank=True)
    reason = models.CharField("申请理由", max_length=500)
    state = models.CharField(
        "状态", max_length=10, choices=ChangeState.choices, default=ChangeState.PROPOSED
    )
    proposed_at = models.DateTimeField("申请时间")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_comment = models.CharField("审核意见", max_length=500, blank=True)

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDED)

    class Meta:
        verbose_name = verbose_name_plural = "节点调整申请"
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="delete") | Q(new_date__isnull=False),
                name="ledger_change_move_has_date",
                violation_error_message="调整日期的申请须填写调整后日期",
            )
        ]

    def __str__(self):
        return f"{self.milestone.name}{self.get_kind_display()}申请"


class YearSchedule(models.Model):
    """How 序时进度 is measured in one plan year (the county's rule, as data).

    `target_pct` is the share of the annual plan due by December (some provinces set 120%);
    `curve` maps month → cumulative percent due by that month's end where the county publishes
    a non-linear curve (e.g. {"5": 50, "7": 70, "8": 80}); empty means linear m/12.
    """

    year = models.PositiveSmallIntegerField("年度", unique=True)
    target_pct = models.DecimalField(
        "年度目标（%）",
        max_digits=5,
        decimal_places=1,
        default=Decimal(100),
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(200))],
    )
    curve = models.JSONField("序时进度曲线（月→累计%）", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度序时进度规则"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年序时进度规则"

    def clean(self):
        try:
            points = {int(k): Decimal(str(v)) for k, v in (self.curve or {}).items()}
        except (TypeError, ValueError, ArithmeticError):
            raise ValidationError({"curve": '曲线格式应为 {"月份": 累计百分比}'}) from None
        if any(not 1 <= m <= 12 for m in points):
            raise ValidationError({"curve": "曲线的月份应为1至12"})
        ordered = [points[m] for m in sorted(points)]
        if any(b < a for a, b in zip(ordered, ordered[1:], strict=False)):
            raise ValidationError({"curve": "累计百分比应随月份递增"})

    @property
    def target(self) -> Decimal:
        return self.target_pct / 100

    @property
    def curve_shares(self) -> dict[int, Decimal] | None:
        if not self.curve:
            return None
        return {int(k): Decimal(str(v)) / 100 for k, v in self.curve.items()}
