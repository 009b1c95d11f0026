"""Factor tables beside the projects (要素保障与市场): land batches, basic farmland, land quotas,
parcels, housing sales, sales events, fiscal tasks, project funding and special-bond batches.

Every table is `Versioned` (optimistic locking) with django-simple-history, so each change
records who, when, old and new. Areas of land are 公顷 with four decimals (亩 beside, through
units.py); floor and parcel areas are 平方米; money is 万元.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from keyprojects import units
from keyprojects.core.models import Department, LiveManager, SoftDeletable, Versioned
from keyprojects.factors.choices import (
    BatchStatus,
    FarmlandStage,
    FundingSource,
    MajorProjectKind,
    ParcelStatus,
    ParcelUse,
    QuotaStatus,
    Region,
)

_HISTORY_EXCLUDED = ["created_at", "updated_at"]
_NOT_NEGATIVE = [MinValueValidator(Decimal(0))]
YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
MONTH_VALIDATORS = [MinValueValidator(1), MaxValueValidator(12)]


def hectares(label: str, **kw):
    return models.DecimalField(
        label, max_digits=12, decimal_places=4, default=Decimal(0), validators=_NOT_NEGATIVE, **kw
    )


def money(label: str, **kw):
    kw.setdefault("default", Decimal(0))
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, validators=_NOT_NEGATIVE, **kw
    )


def square_metres(label: str, **kw):
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, default=Decimal(0), validators=_NOT_NEGATIVE, **kw
    )


def count(label: str):
    return models.PositiveIntegerField(label, default=0)


def dept_field(label="填报单位"):
    return models.ForeignKey(
        Department, verbose_name=label, on_delete=models.PROTECT, related_name="+"
    )


class FactorRecord(Versioned, SoftDeletable):
    """A row of a factor table. Deleting moves it to the table's recycle bin (回收站), from
    which it can be restored; `objects` never returns deleted rows, so no figure, list,
    export or import counts them."""

    objects = LiveManager()
    all_objects = models.Manager()

    class Meta:
        abstract = True


# Unique keys hold among live rows only: a deleted month of housing figures does not stop the
# right one being entered again (restoring it is refused while its place is taken).
LIVE = Q(deleted_at__isnull=True)


# --- Land ------------------------------------------------------------------------------------

LAND_CLASSES = ("farmland", "cultivated", "basic", "construction", "unused")
OWNERSHIPS = ("collective", "state")


class LandBatch(FactorRecord):
    """One batch of 农用地转用和土地征收 (批次用地) serving one or more key projects."""

    name = models.CharField("批次名称", max_length=200)
    document_no = models.CharField("文号", max_length=100, blank=True)
    department = dept_field()
    status = models.CharField(
        "办理状态", max_length=20, choices=BatchStatus.choices, default=BatchStatus.ASSEMBLING
    )
    reported_on = models.DateField("上报日期", null=True, blank=True)
    approved_on = models.DateField("批复日期", null=True, blank=True)
    projects = models.ManyToManyField(
        "ledger.Project", verbose_name="服务的重点项目", related_name="land_batches", blank=True
    )
    collective_farmland_ha = hectares("集体·农用地（公顷）")
    collective_cultivated_ha = hectares("集体·其中耕地（公顷）")
    collective_basic_ha = hectares("集体·其中永久基本农田（公顷）")
    collective_construction_ha = hectares("集体·建设用地（公顷）")
    collective_unused_ha = hectares("集体·未利用地（公顷）")
    state_farmland_ha = hectares("国有·农用地（公顷）")
    state_cultivated_ha = hectares("国有·其中耕地（公顷）")
    state_basic_ha = hectares("国有·其中永久基本农田（公顷）")
    state_construction_ha = hectares("国有·建设用地（公顷）")
    state_unused_ha = hectares("国有·未利用地（公顷）")
    expropriation_ha = hectares("征收集体土地（公顷）")
    notes = models.TextField("备注", blank=True)

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDED, m2m_fields=["projects"])

    class Meta:
        verbose_name = verbose_name_plural = "批次用地（农用地转用和土地征收）"
        ordering = ["-reported_on", "name"]

    def __str__(self):
        return self.name

    def area(self, ownership: str, land_class: str) -> Decimal:
        return getattr(self, f"{ownership}_{land_class}_ha") or Decimal(0)

    @property
    def new_construction_ha(self) -> Decimal:
        """新增建设用地: 农用地 and 未利用地 turned into construction land (both ownerships)."""
        return sum(
            (self.area(o, c) for o in OWNERSHIPS for c in ("farmland", "unused")), Decimal(0)
        )

    @property
    def total_ha(self) -> Decimal:
        return sum(
            (self.area(o, c) for o in OWNERSHIPS for c in ("farmland", "construction", "unused")),
            Decimal(0),
        )

    def clean(self):
        errors = {}
        for o, label in (("collective", "集体"), ("state", "国有")):
            farm, cult, basic = (self.area(o, c) for c in ("farmland", "cultivated", "basic"))
            if cult > farm:
                errors[f"{o}_cultivated_ha"] = (
                    f"{label}耕地面积不能大于农用地面积（耕地属于农用地）"
                )
            if basic > cult:
                errors[f"{o}_basic_ha"] = (
                    f"{label}永久基本农田面积不能大于耕地面积（永久基本农田属于耕地）"
                )
        collective_total = sum(
            (self.area("collective", c) for c in ("farmland", "construction", "unused")),
            Decimal(0),
        )
        if (self.expropriation_ha or 0) > collective_total:
            errors["expropriation_ha"] = "征收面积不能大于集体土地面积合计"
        if self.status in (BatchStatus.REPORTED, BatchStatus.APPROVED) and not self.reported_on:
            errors["reported_on"] = f"办理状态为“{self.get_status_display()}”，请填写上报日期"
        if self.status == BatchStatus.APPROVED and not self.approved_on:
            errors["approved_on"] = "办理状态为“批复”，请填写批复日期"
        if self.approved_on and self.status != BatchStatus.APPROVED:
            errors["approved_on"] = "尚未批复的批次不能填写批复日期"
        if self.reported_on and self.approved_on and self.approved_on < self.reported_on:
            errors["approved_on"] = "批复日期不能早于上报日期"
        if errors:
            raise ValidationError(errors)


class FarmlandOccupation(FactorRecord):
    """A key project occupying 永久基本农田: its kind under the national rule, stage, areas."""

    project = models.OneToOneField(
        "ledger.Project",
        verbose_name="重点项目",
        on_delete=models.PROTECT,
        related_name="farmland_occupation",
    )
    department = dept_field()
    kind = models.CharField("重大项目类别", max_length=20, choices=MajorProjectKind.choices)
    stage = models.CharField(
        "工作阶段", max_length=20, choices=FarmlandStage.choices, default=FarmlandStage.SURVEY
    )
    started_on = models.DateField("开展日期", help_text="开始踏勘论证的日期")
    approved_on = models.DateField("批复日期", null=True, blank=True)
    occupied_ha = hectares("占用永久基本农田（公顷）")
    supplement_ha = hectares("补划面积（公顷）")
    notes = models.TextField("备注", blank=True)

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDED)

    class Meta:
        verbose_name = verbose_name_plural = "占用永久基本农田"
        ordering = ["started_on", "id"]

    def __str__(self):
        return f"{self.project}（占用永久基本农田）"

    def clean(self):
        errors = {}
        if self.stage == FarmlandStage.APPROVED and not self.approved_on:
            errors["approved_on"] = "工作阶段为“批复”，请填写批复日期"
        if self.approved_on and self.stage != FarmlandStage.APPROVED:
            errors["approved_on"] = "尚未批复，不能填写批复日期"
        if self.approved_on and self.started_on and self.approved_on < self.started_on:
            errors["approved_on"] = "批复日期不能早于开展日期"
        if errors:
            raise ValidationError(errors)


class LandQuota(FactorRecord):
    """用地指标“一对一”跟踪: the quota a project needs, who follows it, by when."""

    project = models.OneToOneField(
        "ledger.Project",
        verbose_name="重点项目",
        on_delete=models.PROTECT,
        related_name="land_quota",
    )
    department = dept_field("跟踪单位")
    quota_ha = hectares("所需用地指标（公顷）")
    follower = models.CharField("跟踪责任人", max_length=50)
    follower_phone = models.CharField("联系电话", max_length=30, blank=True)
    deadline = models.DateField("落实时限")
    status = models.CharField(
        "跟踪状态", max_length=20, choices=QuotaStatus.choices, default=QuotaStatus.FOLLOWING
    )
    secured_on = models.DateField("落实日期", null=True, blank=True)
    notes = models.TextField("跟踪情况", blank=True)

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDED)

    class Meta:
        verbose_name = verbose_name_plural = "用地指标跟踪"
        ordering = ["deadline", "id"]

    def __str__(self):
        return f"{self.project}（用地指标）"

    def clean(self):
        errors = {}
        if self.status == QuotaStatus.SECURED and not self.secured_on:
            errors["secured_on"] = "跟踪状态为“已落实”，请填写落实日期"
        if self.secured_on and self.status != QuotaStatus.SECURED:
            errors["secured_on"] = "尚未落实，不能填写落实日期"
        if errors:
            raise ValidationError(errors)


# --- Parcels ---------------------------------------------------------------------------------


class Parcel(FactorRecord):
    """A parcel for transfer (出让地块) from the 挂牌 notice to the last payment."""

    code = models.CharField("地块编号", max_length=50, unique=True, help_text="如 C31-4/02")
    location = models.CharField("宗地位置", max_length=200)
    department = dept_field()
    area_m2 = square_metres("出让面积（平方米）")
    use = models.CharField("规划用途", max_length=20, choices=ParcelUse.choices)
    term_years = models.PositiveSmallIntegerField(
        "出让年限（年）", validators=[MinValueValidator(1), MaxValueValidator(70)]
    )
    plot_ratio = models.DecimalField(
        "容积率", max_digits=5, decimal_places=2, null=True, blank=True, validators=_NOT_NEGATIVE
    )
    starting_price_wan = money("挂牌起始价（万元）")
    status = models.CharField(
        "出让状态", max_length=20, choices=ParcelStatus.choices, default=ParcelStatus.PLANNED
    )
    listed_on = models.DateField("挂牌日期", null=True, blank=True)
    expected_deal_month = models.DateField(
        "预计完成出让月份", null=True, blank=True, help_text="填该月任一日期，按月统计"
    )
    sold_on = models.DateField("成交日期", null=True, blank=True)
    contract_on = models.DateField("合同签订日期", null=True, blank=True)
    expected_revenue_wan = money("预计出让收入（万元）")
    deal_price_wan = money("成交价（万元）", null=True, blank=True, default=None)
    collected_wan = money("已缴出让价款（万元）")
    half_paid_on = models.DateField("缴足50%日期", null=True, blank=True)
    fully_paid_on = models.DateField("缴清日期", null=True, blank=True)
    notes = models.TextField("备注", blank=True)

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDED)

    class Meta:
        verbose_name = verbose_name_plural = "出让地块"
        ordering = ["-listed_on", "code"]

    def __str__(self):
        return f"{self.code}地块"

    @property
    def area_mu(self) -> Decimal:
        return units.m2_to_mu(self.area_m2)

    def clean(self):
        errors = {}
        order = [s for s, _ in ParcelStatus.choices]
        reached = order.index(self.status) if self.status in order else 0
        needs = [
            (ParcelStatus.LISTED, "listed_on", "挂牌日期"),
            (ParcelStatus.SOLD, "sold_on", "成交日期"),
            (ParcelStatus.SOLD, "deal_price_wan", "成交价"),
            (ParcelStatus.CONTRACTED, "contract_on", "合同签订日期"),
            (ParcelStatus.PAID, "fully_paid_on", "缴清日期"),
        ]
        for status, name, label in needs:
            if reached >= order.index(status) and getattr(self, name) in (None, ""):
                errors[name] = f"出让状态为“{self.get_status_display()}”，请填写{label}"
        dates = [
            ("listed_on", "挂牌日期"),
            ("sold_on", "成交日期"),
            ("contract_on", "合同签订日期"),
        ]
        for (a, la), (b, lb) in zip(dates, dates[1:], strict=False):
            if getattr(self, a) and getattr(self, b) and getattr(self, b) < getattr(self, a):
                errors.setdefault(b, f"{lb}不能早于{la}")
        price = self.deal_price_wan
        if price is not None and (self.collected_wan or 0) > price:
            errors["collected_wan"] = "已缴出让价款不能超过成交价"
        if self.fully_paid_on and price is not None and (self.collected_wan or 0) < price:
            errors["fully_paid_on"] = "已缴价款未达成交价，不能填写缴清日期"
        if self.half_paid_on and not self.sold_on:
            errors["half_paid_on"] = "尚未成交，不能填写缴足50%日期"
        if errors:
            raise ValidationError(errors)


# --- Housing ---------------------------------------------------------------------------------


class HousingMonth(FactorRecord):
    """One month of 商品房网签备案 in one area (县城区 / 乡镇), entered by 住建."""

    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField("月份", validators=MONTH_VALIDATORS)
    region = models.CharField("区域", max_length=20, choices=Region.choices)
    department = dept_field()
    residential_units = count("住宅（套）")
    residential_area_m2 = square_metres("住宅面积（平方米）")
    nonresidential_units = count("商业等非住宅（套）")
    nonresidential_area_m2 = square_metres("商业等非住宅面积（平方米）")
    parking_units = count("车位（个）")
    notes = models.CharField("备注", max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDED)

    class Meta:
        verbose_name = verbose_name_plural = "商品房网签备案（月度）"
        ordering = ["-year", "-month", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "region"],
                condition=LIVE,
                name="factors_housing_one_per_month_region",
                violation_error_message="该月该区域的网签备案数据已存在，请修改原记录",
            )
        ]

    def __str__(self):
        return f"{self.year}年{self.month}月{self.get_region_display()}网签备案"

    @property
    def units(self) -> int:
        return (self.residential_units or 0) + (self.nonresidential_units or 0)

    @property
    def area_m2(self) -> Decimal:
        return (self.residential_area_m2 or 0) + (self.nonresidential_area_m2 or 0)


class SalesEvent(FactorRecord):
    """A housing fair (房交会): what sold during it, by kind, and the benefits by source."""

    name = models.CharField("活动名称", max_length=100)
    department = dept_field()
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField(
        "结束日期", null=True, blank=True, help_text="仍在进行则留空（至今）"
    )
    future_units = count("期房（套）")
    future_area_m2 = square_metres("期房面积（平方米）")
    existing_units = count("现房（套）")
    existing_area_m2 = square_metres("现房面积（平方米）")
    subsidy_fiscal_wan = money("财政补贴（万元）")
    subsidy_enterprise_wan = money("企业优惠（万元）")
    notes = models.TextField("备注", blank=True)

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDED)

    class Meta:
        verbose_name = verbose_name_plural = "房交会"
        ordering = ["-starts_on", "name"]

    def __str__(self):
        return self.name

    @property
    def units(self) -> int:
        return (self.future_units or 0) + (self.existing_units or 0)

    @property
    def area_m2(self) -> Decimal:
        return (self.future_area_m2 or 0) + (self.existing_area_m2 or 0)

    @property
    def subsidy_wan(self) -> Decimal:
        return (self.subsidy_fiscal_wan or 0) + (self.subsidy_enterprise_wan or 0)

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "结束日期不能早于开始日期"})


# --- Fiscal ----------------------------------------------------------------------------------


class FiscalTask(FactorRecord):
    """A year's fiscal task (财税任务) of a department, or a county-wide goal (no department)."""

    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    department = models.ForeignKey(
        Department,
        verbose_name="责任单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="留空表示全县指标（如一般公共预算收入）",
    )
    item = models.CharField("指标名称", max_length=50, default="财税任务")
    target_wan = money("年度目标（万元）", null=True, blank=True, default=None)
    growth_target_pct = models.DecimalField(
        "增长目标（%）",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-100)), MaxValueValidator(Decimal(1000))],
    )
    notes = models.CharField("备注", max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDED)

    class Meta:
        verbose_name = verbose_name_plural = "财税任务"
        ordering = ["-year", "department__order", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "department", "item"],
                condition=LIVE,
                name="factors_fiscal_task_unique",
                violation_error_message="该单位该年度已有同名指标",
            )
        ]

    def __str__(self):
        who = self.department.label if self.department_id else "全县"
        return f"{self.year}年{who}{self.item}"

    def clean(self):
        if self.target_wan is None and self.growth_target_pct is None:
            raise ValidationError({"target_wan": "年度目标和增长目标至少填写一项"})


class FiscalMonth(FactorRecord):
    """The amount of a fiscal task completed in one month (当月完成)."""

    task = models.ForeignKey(
        FiscalTask, verbose_name="财税任务", on_delete=models.PROTECT, related_name="months"
    )
    month = models.PositiveSmallIntegerField("月份", validators=MONTH_VALIDATORS)
    amount_wan = models.DecimalField("当月完成（万元）", max_digits=14, decimal_places=2)

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDED)

    class Meta:
        verbose_name = verbose_name_plural = "财税任务月度完成"
        ordering = ["task", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "month"],
                condition=LIVE,
                name="factors_fiscal_month_unique",
                violation_error_message="该任务该月的完成数已存在，请修改原记录",
            )
        ]

    def __str__(self):
        return f"{self.task} {self.month}月完成"


# --- Funding ---------------------------------------------------------------------------------


class FundingPlan(FactorRecord):
    """How much a project plans to raise from one source in a year (资金筹措计划)."""

    project = models.ForeignKey(
        "ledger.Project",
        verbose_name="重点项目",
        on_delete=models.PROTECT,
        related_name="funding_plans",
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    source = models.CharField("资金来源", max_length=20, choices=FundingSource.choices)
    planned_wan = money("年度计划到位（万元）")

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDED)

    class Meta:
        verbose_name = verbose_name_plural = "资金筹措计划"
        ordering = ["-year", "project__code", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "source"],
                condition=LIVE,
                name="factors_funding_plan_unique",
                violation_error_message="该项目该年度该来源的计划已存在，请修改原记录",
            )
        ]

    def __str__(self):
        return f"{self.project} {self.year}年{self.get_source_display()}计划"


class FundingArrival(FactorRecord):
    """Funds of one source that arrived for a project in one month (资金到位)."""

    project = models.ForeignKey(
        "ledger.Project",
        verbose_name="重点项目",
        on_delete=models.PROTECT,
        related_name="funding_arrivals",
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField("月份", validators=MONTH_VALIDATORS)
    source = models.CharField("资金来源", max_length=20, choices=FundingSource.choices)
    amount_wan = money("到位金额（万元）")

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDED)

    class Meta:
        verbose_name = verbose_name_plural = "资金到位"
        ordering = ["-year", "-month", "project__code", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month", "source"],
                condition=LIVE,
                name="factors_funding_arrival_unique",
                violation_error_message="该项目该月该来源的到位记录已存在，请修改原记录",
            )
        ]

    def __str__(self):
        return f"{self.project} {self.year}年{self.month}月{self.get_source_display()}到位"


class BondBatch(FactorRecord):
    """A special-bond (专项债) batch allocated to a project, checked against the use window."""

    project = models.ForeignKey(
        "ledger.Project",
        verbose_name="重点项目",
        on_delete=models.PROTECT,
        related_name="bond_batches",
    )
    name = models.CharField("债券批次", max_length=100)
    issued_on = models.DateField("发行日期")
    amount_wan = money("发行金额（万元）")
    used_wan = money("已支出（万元）")
    used_as_of = models.DateField("支出统计截止日期", null=True, blank=True)
    notes = models.CharField("备注", max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=_HISTORY_EXCLUDED)

    class Meta:
        verbose_name = verbose_name_plural = "专项债券批次"
        ordering = ["-issued_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(used_wan__lte=models.F("amount_wan")),
                name="factors_bond_used_within_amount",
                violation_error_message="已支出不能超过发行金额",
            )
        ]

    def __str__(self):
        return f"{self.name}（{self.project}）"

    def clean(self):
        errors = {}
        if (
            self.used_wan is not None
            and self.amount_wan is not None
            and self.used_wan > self.amount_wan
        ):
            errors["used_wan"] = "已支出不能超过发行金额"
        if self.used_as_of and self.issued_on and self.used_as_of < self.issued_on:
            errors["used_as_of"] = "支出统计截止日期不能早于发行日期"
        if errors:
            raise ValidationError(errors)
