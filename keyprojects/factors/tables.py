"""The factor tables as one registry: pages, exports and imports walk the same description.

Each table names its model, permission kind (permissions.LAND/HOUSING/FISCAL/FUNDING), the
fields a person enters (form, export and import share them, in this order), the columns of its
list page (figures come from figures.py), its natural key (an import updates the record with the
same key) and how the list is narrowed to a year.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from keyprojects import units
from keyprojects.factors import figures
from keyprojects.factors import models as m
from keyprojects.factors.forms import form_for
from keyprojects.factors.permissions import FISCAL, FUNDING, HOUSING, LAND


@dataclass
class Column:
    label: str
    value: Callable  # (record, today) → display text or number
    num: bool = False


@dataclass
class Table:
    slug: str
    title: str
    model: type
    kind: str
    fields: list[str]
    columns: list[Column]
    key: tuple[str, ...]
    year_filter: Callable | None = None  # (qs, year) → qs
    related: tuple[str, ...] = ()
    note: str = ""
    form: type = field(init=False)

    def __post_init__(self):
        self.form = form_for(self.model, self.kind, self.fields)

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    def field_label(self, name: str) -> str:
        return str(self.model._meta.get_field(name).verbose_name)


def _area(ha):
    return units.format_area(ha)


def _cn(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "—"


def _wan(v) -> str:
    return "—" if v is None else f"{units.round_half_up(v, 2):,}"


def _year(field_name):
    return lambda qs, year: qs.filter(**{f"{field_name}__year": year})


def _parcel_flag(p, today):
    due = figures.parcel_due(p, today)
    return "；".join(due.late) if due.is_late else "—"


def _quota_flag(q, today):
    days = figures.quota_overdue_days(q, today)
    return f"逾期{days}天" if days else q.get_status_display()


def _bond_flag(b, today):
    v = figures.bond_verdict(b, today)
    return {"green": "绿", "yellow": "黄", "red": "红"}.get(v.colour, "—") + "：" + v.reason


LAND_AREA_FIELDS = [f"{o}_{c}_ha" for o in m.OWNERSHIPS for c in m.LAND_CLASSES] + [
    "expropriation_ha"
]

TABLES: dict[str, Table] = {
    t.slug: t
    for t in [
        Table(
            "land-batches",
            "批次用地（农用地转用和土地征收）",
            m.LandBatch,
            LAND,
            [
                "name",
                "document_no",
                "department",
                "status",
                "reported_on",
                "approved_on",
                "projects",
                *LAND_AREA_FIELDS,
                "notes",
            ],
            [
                Column("批次名称", lambda b, t: b.name),
                Column("状态", lambda b, t: b.get_status_display()),
                Column("上报日期", lambda b, t: _cn(b.reported_on)),
                Column("服务项目", lambda b, t: f"{b.projects.count()}个"),
                Column("新增建设用地", lambda b, t: _area(b.new_construction_ha)),
                Column("征收", lambda b, t: _area(b.expropriation_ha)),
            ],
            key=("name",),
            year_filter=_year("reported_on"),
            related=("department",),
            note="新增建设用地 = 农用地 + 未利用地（集体与国有合计），亩 = 公顷 × 15",
        ),
        Table(
            "farmland",
            "占用永久基本农田",
            m.FarmlandOccupation,
            LAND,
            [
                "project",
                "department",
                "kind",
                "stage",
                "started_on",
                "approved_on",
                "occupied_ha",
                "supplement_ha",
                "notes",
            ],
            [
                Column("重点项目", lambda r, t: r.project.name),
                Column("重大项目类别", lambda r, t: r.get_kind_display()),
                Column("工作阶段", lambda r, t: r.get_stage_display()),
                Column("开展日期", lambda r, t: _cn(r.started_on)),
                Column("占用", lambda r, t: _area(r.occupied_ha)),
                Column("补划", lambda r, t: _area(r.supplement_ha)),
            ],
            key=("project",),
            year_filter=lambda qs, year: qs.filter(project__year=year),
            related=("project", "department"),
        ),
        Table(
            "land-quotas",
            "用地指标“一对一”跟踪",
            m.LandQuota,
            LAND,
            [
                "project",
                "department",
                "quota_ha",
                "follower",
                "follower_phone",
                "deadline",
                "status",
                "secured_on",
                "notes",
            ],
            [
                Column("重点项目", lambda r, t: r.project.name),
                Column("所需指标", lambda r, t: _area(r.quota_ha)),
                Column("跟踪责任人", lambda r, t: r.follower),
                Column("落实时限", lambda r, t: _cn(r.deadline)),
                Column("状态", _quota_flag),
            ],
            key=("project",),
            year_filter=lambda qs, year: qs.filter(project__year=year),
            related=("project", "department"),
        ),
        Table(
            "parcels",
            "出让地块",
            m.Parcel,
            LAND,
            [
                "code",
                "location",
                "department",
                "area_m2",
                "use",
                "term_years",
                "plot_ratio",
                "starting_price_wan",
                "status",
                "listed_on",
                "expected_deal_month",
                "sold_on",
                "contract_on",
                "expected_revenue_wan",
                "deal_price_wan",
                "collected_wan",
                "half_paid_on",
                "fully_paid_on",
                "notes",
            ],
            [
                Column("地块编号", lambda p, t: p.code),
                Column("宗地位置", lambda p, t: p.location),
                Column("面积", lambda p, t: units.format_m2_area(p.area_m2)),
                Column("状态", lambda p, t: p.get_status_display()),
                Column("挂牌日期", lambda p, t: _cn(p.listed_on)),
                Column("预计收入（万元）", lambda p, t: _wan(p.expected_revenue_wan), num=True),
                Column("缴款预警", _parcel_flag),
            ],
            key=("code",),
            year_filter=lambda qs, year: (
                qs.filter(listed_on__year=year) | qs.filter(listed_on__isnull=True)
            ),
            related=("department",),
            note="缴款规则：成交后10个工作日内签订合同，合同签订后1个月内缴纳50%，1年内缴清（可在设置中调整）",
        ),
        Table(
            "housing",
            "商品房网签备案（月度）",
            m.HousingMonth,
            HOUSING,
            [
                "year",
                "month",
                "region",
                "department",
                "residential_units",
                "residential_area_m2",
                "nonresidential_units",
                "nonresidential_area_m2",
                "parking_units",
                "notes",
            ],
            [
                Column("月份", lambda r, t: f"{r.year}年{r.month}月"),
                Column("区域", lambda r, t: r.get_region_display()),
                Column("住宅（套）", lambda r, t: r.residential_units, num=True),
                Column(
                    "住宅（万平方米）",
                    lambda r, t: units.m2_to_wan_m2(r.residential_area_m2),
                    num=True,
                ),
                Column("非住宅（套）", lambda r, t: r.nonresidential_units, num=True),
                Column(
                    "非住宅（万平方米）",
                    lambda r, t: units.m2_to_wan_m2(r.nonresidential_area_m2),
                    num=True,
                ),
                Column("车位（个）", lambda r, t: r.parking_units, num=True),
            ],
            key=("year", "month", "region"),
            year_filter=lambda qs, year: qs.filter(year__in=[year, year - 1]),
            related=("department",),
            note="套数与面积计住宅和商业等非住宅，车位以“个”单列；同比取上年同月",
        ),
        Table(
            "sales-events",
            "房交会",
            m.SalesEvent,
            HOUSING,
            [
                "name",
                "department",
                "starts_on",
                "ends_on",
                "future_units",
                "future_area_m2",
                "existing_units",
                "existing_area_m2",
                "subsidy_fiscal_wan",
                "subsidy_enterprise_wan",
                "notes",
            ],
            [
                Column("活动名称", lambda e, t: e.name),
                Column(
                    "期间",
                    lambda e, t: f"{_cn(e.starts_on)}至{_cn(e.ends_on) if e.ends_on else '今'}",
                ),
                Column("成交（套）", lambda e, t: e.units, num=True),
                Column("面积（万平方米）", lambda e, t: units.m2_to_wan_m2(e.area_m2), num=True),
                Column("优惠合计（万元）", lambda e, t: _wan(e.subsidy_wan), num=True),
            ],
            key=("name", "starts_on"),
            year_filter=_year("starts_on"),
            related=("department",),
        ),
        Table(
            "fiscal-tasks",
            "财税任务",
            m.FiscalTask,
            FISCAL,
            ["year", "department", "item", "target_wan", "growth_target_pct", "notes"],
            [
                Column("年度", lambda r, t: f"{r.year}年"),
                Column("单位", lambda r, t: r.department.label if r.department_id else "全县"),
                Column("指标", lambda r, t: r.item),
                Column("年度目标（万元）", lambda r, t: _wan(r.target_wan), num=True),
                Column(
                    "增长目标",
                    lambda r, t: "—" if r.growth_target_pct is None else f"{r.growth_target_pct}%",
                ),
            ],
            key=("year", "department", "item"),
            year_filter=lambda qs, year: qs.filter(year=year),
            related=("department",),
        ),
        Table(
            "fiscal-months",
            "财税任务月度完成",
            m.FiscalMonth,
            FISCAL,
            ["task", "month", "amount_wan"],
            [
                Column("任务", lambda r, t: str(r.task)),
                Column("月份", lambda r, t: f"{r.month}月"),
                Column("当月完成（万元）", lambda r, t: _wan(r.amount_wan), num=True),
            ],
            key=("task", "month"),
            year_filter=lambda qs, year: qs.filter(task__year=year),
            related=("task", "task__department"),
        ),
        Table(
            "funding-plans",
            "资金筹措计划",
            m.FundingPlan,
            FUNDING,
            ["project", "year", "source", "planned_wan"],
            [
                Column("重点项目", lambda r, t: r.project.name),
                Column("年度", lambda r, t: f"{r.year}年"),
                Column("资金来源", lambda r, t: r.get_source_display()),
                Column("年度计划到位（万元）", lambda r, t: _wan(r.planned_wan), num=True),
            ],
            key=("project", "year", "source"),
            year_filter=lambda qs, year: qs.filter(year=year),
            related=("project",),
        ),
        Table(
            "funding-arrivals",
            "资金到位",
            m.FundingArrival,
            FUNDING,
            ["project", "year", "month", "source", "amount_wan"],
            [
                Column("重点项目", lambda r, t: r.project.name),
                Column("月份", lambda r, t: f"{r.year}年{r.month}月"),
                Column("资金来源", lambda r, t: r.get_source_display()),
                Column("到位金额（万元）", lambda r, t: _wan(r.amount_wan), num=True),
            ],
            key=("project", "year", "month", "source"),
            year_filter=lambda qs, year: qs.filter(year=year),
            related=("project",),
        ),
        Table(
            "bonds",
            "专项债券批次",
            m.BondBatch,
            FUNDING,
            ["project", "name", "issued_on", "amount_wan", "used_wan", "used_as_of", "notes"],
            [
                Column("债券批次", lambda r, t: r.name),
                Column("重点项目", lambda r, t: r.project.name),
                Column("发行日期", lambda r, t: _cn(r.issued_on)),
                Column("发行金额（万元）", lambda r, t: _wan(r.amount_wan), num=True),
                Column("已支出（万元）", lambda r, t: _wan(r.used_wan), num=True),
                Column("使用进度", _bond_flag),
            ],
            key=("project", "name"),
            year_filter=_year("issued_on"),
            related=("project",),
            note="使用规则：发行次月起6个月内支出完毕，按月直线计算应支出比例；滞后不超过30个百分点为黄，超过为红",
        ),
    ]
}


def table(slug: str) -> Table | None:
    return TABLES.get(slug)
