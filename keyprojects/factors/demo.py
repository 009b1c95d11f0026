"""Factor demo data reproducing the seed report's first quarter of 2022 (issue 17 item 10).

Land batches serve projects the ledger demo already holds (keyprojects/demo/data.py), so the
ledger's figures (36 construction projects, 23 started, 15 reserve) do not change. Everything is
written through services.save_record with the entering department's demo user, so history is real.

What the seed states and this reproduces exactly: 10 projects in batches reported in Q1 with
66.4923 公顷 (997 亩) of new construction land; 5 projects occupying basic farmland in
踏勘论证/补划;
parcels C31-4/02, C31-5/03, A55-1/03 listed, 4595.55万元 expected, deal expected April 2022;
网签 1125套 12.65万m² against 495套 5.9万m²; the 房交会 from 8 February, 986套 10.99万m² 期房,
2200万元 of benefits (1000 财政 + 1200 企业); fiscal tasks 规资 14亿元, 住建 1.2亿元; growth of
一般公共预算收入 8.0%. The split of these totals over batches, months and areas, the fiscal
actuals and the funding figures are invented for the demo (the seed gives none).
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from keyprojects.core.models import Department, User
from keyprojects.factors import models as m
from keyprojects.factors import services

D = date
GUIZI, ZHUJIAN = "县规划和自然资源局", "县住房和城乡建设委员会"

# name, reported, project names, areas {field: 公顷}
BATCHES = [
    (
        "2022年第1批次城镇建设用地（物流园区岗前培训中心（凤起小学）、职教中心扩建项目等4个项目）",
        D(2022, 2, 18),
        [
            "物流园区岗前培训中心（凤起小学）",
            "职教中心扩建项目",
            "城区幼儿园建设工程",
            "城市公园及绿道提升工程",
        ],
        {
            "collective_farmland_ha": "18.3605",
            "collective_cultivated_ha": "10.2214",
            "collective_unused_ha": "1.2040",
            "state_construction_ha": "0.8000",
            "expropriation_ha": "19.5645",
        },
    ),
    (
        "2022年第2批次城镇建设用地（物流园区进场道路工程等3个项目）",
        D(2022, 3, 10),
        ["物流园区进场道路工程", "学府二路至外环线道路工程", "保障性租赁住房项目"],
        {
            "collective_farmland_ha": "21.4470",
            "collective_cultivated_ha": "12.0035",
            "collective_unused_ha": "0.9830",
            "state_farmland_ha": "1.0520",
            "expropriation_ha": "22.4300",
        },
    ),
    (
        "2022年第3批次城镇建设用地（电子信息产业园一期等3个项目）",
        D(2022, 3, 28),
        ["电子信息产业园一期", "农产品冷链物流中心", "乡镇卫生院能力提升工程"],
        {
            "collective_farmland_ha": "22.1158",
            "collective_cultivated_ha": "14.3012",
            "state_unused_ha": "1.3300",
            "expropriation_ha": "22.1158",
        },
    ),
]

FARMLAND = [
    ("省道S526石堤至龙池段改建工程", "transport", "survey", D(2022, 1, 20), "12.3500"),
    ("国道G242过境段公路改建工程", "transport", "supplement", D(2022, 1, 12), "9.8600"),
    ("农村公路提档升级工程", "transport", "survey", D(2022, 2, 16), "2.1400"),
    ("学府二路至外环线道路工程", "provincial", "survey", D(2022, 3, 2), "1.6200"),
    ("物流园区进场道路工程", "transport", "supplement", D(2022, 2, 25), "0.9800"),
]

QUOTAS = [
    ("职教中心扩建项目", "8.2000", "陈科长（规资局用途管制科）", D(2022, 4, 30), "following"),
    ("保障性租赁住房项目", "5.6000", "吴股长（规资局耕保科）", D(2022, 3, 20), "following"),
    (
        "物流园区岗前培训中心（凤起小学）",
        "6.1000",
        "陈科长（规资局用途管制科）",
        D(2022, 3, 15),
        "secured",
    ),
]

PARCELS = [
    ("C31-4/02", "平凯南部新城", "12140.50", "mixed", 70, "2.50", "1820.40", D(2022, 3, 18)),
    ("C31-5/03", "平凯南部新城", "10236.80", "residential", 70, "2.20", "1535.15", D(2022, 3, 18)),
    ("A55-1/03", "西门塘", "8265.30", "commercial", 40, "1.80", "1240.00", D(2022, 3, 25)),
]

# (year, month, region, res units, res m², nonres units, nonres m², parking)
HOUSING = [
    (2021, 1, "county_town", 118, 14100, 6, 600, 20),
    (2021, 1, "townships", 26, 3100, 0, 0, 0),
    (2021, 2, "county_town", 95, 11500, 5, 500, 15),
    (2021, 2, "townships", 20, 2400, 0, 0, 0),
    (2021, 3, "county_town", 176, 21000, 9, 900, 30),
    (2021, 3, "townships", 40, 4900, 0, 0, 2),
    (2022, 1, "county_town", 218, 24600, 14, 1300, 35),
    (2022, 1, "townships", 55, 6200, 3, 400, 4),
    (2022, 2, "county_town", 352, 40100, 18, 1700, 60),
    (2022, 2, "townships", 80, 9200, 5, 600, 6),
    (2022, 3, "county_town", 290, 33000, 16, 1500, 48),
    (2022, 3, "townships", 70, 7500, 4, 400, 5),
]

FISCAL = [(GUIZI, "140000", (9800, 7600, 13500)), (ZHUJIAN, "12000", (820, 760, 1050))]

# project, {source: planned}, [(month, source, amount)]
FUNDING = [
    (
        "平凯南部新城土地整理及配套工程",
        {"special_bond": 8000, "local_fiscal": 4000},
        [(1, "special_bond", 1500), (2, "special_bond", 1200), (3, "local_fiscal", 800)],
    ),
    (
        "城市污水管网改造工程",
        {"central": 3000, "local_fiscal": 3000},
        [(2, "central", 1000), (3, "local_fiscal", 600)],
    ),
    (
        "电子信息产业园一期",
        {"social": 6000, "bank_loan": 4000},
        [(1, "social", 1200), (3, "bank_loan", 1500)],
    ),
    (
        "县人民医院门急诊综合楼",
        {"special_bond": 6000, "local_fiscal": 6000},
        [(2, "special_bond", 2000)],
    ),
]

BONDS = [
    ("平凯南部新城土地整理及配套工程", "2022年第一批新增专项债券", D(2022, 1, 20), 8000, 2700),
    ("县人民医院门急诊综合楼", "2022年第二批新增专项债券", D(2022, 2, 15), 6000, 2000),
]


def _project(name):
    from keyprojects.ledger.models import Project

    return Project.objects.live().get(name=name, year=2022)


@transaction.atomic
def load(stdout=None) -> dict:
    """Create the factor demo records (once: a second call changes nothing). Returns counts."""
    if m.Parcel.objects.filter(code="C31-4/02").exists():
        return {"factors": 0}
    guizi, zhujian = Department.objects.get(name=GUIZI), Department.objects.get(name=ZHUJIAN)
    land_user = User.objects.get(username="guizi")
    housing_user = User.objects.get(username="zhujian")
    office = User.objects.get(username="office")
    n = 0

    def save(obj, by, **kw):
        nonlocal n
        services.save_record(obj, by=by, **kw)
        n += 1

    for name, reported, projects, areas in BATCHES:
        batch = m.LandBatch(
            name=name,
            document_no=f"县规资文〔2022〕{len(name) % 50 + 10}号",
            department=guizi,
            status="reported",
            reported_on=reported,
            **{k: Decimal(v) for k, v in areas.items()},
        )
        save(batch, land_user, projects=[_project(p) for p in projects])
    save(
        m.LandBatch(
            name="2022年第4批次城镇建设用地（全域土地综合整治试点项目，组卷中）",
            department=guizi,
            collective_farmland_ha=Decimal("5.0000"),
            collective_cultivated_ha=Decimal("3.2000"),
        ),
        land_user,
        projects=[_project("全域土地综合整治试点项目")],
    )
    for name, kind, stage, started, area in FARMLAND:
        save(
            m.FarmlandOccupation(
                project=_project(name),
                department=guizi,
                kind=kind,
                stage=stage,
                started_on=started,
                occupied_ha=Decimal(area),
                supplement_ha=Decimal(area) if stage == "supplement" else Decimal(0),
                notes="开展占用永久基本农田踏勘论证及永久基本农田补划工作",
            ),
            land_user,
        )
    for name, quota, follower, deadline, status in QUOTAS:
        save(
            m.LandQuota(
                project=_project(name),
                department=guizi,
                quota_ha=Decimal(quota),
                follower=follower,
                deadline=deadline,
                status=status,
                secured_on=D(2022, 3, 10) if status == "secured" else None,
                notes="土地指标实行“一对一”跟踪服务",
            ),
            land_user,
        )
    for code, where, area, use, term, ratio, revenue, listed in PARCELS:
        save(
            m.Parcel(
                code=code,
                location=where,
                department=guizi,
                area_m2=Decimal(area),
                use=use,
                term_years=term,
                plot_ratio=Decimal(ratio),
                starting_price_wan=Decimal(revenue),
                status="listed",
                listed_on=listed,
                expected_deal_month=D(2022, 4, 1),
                expected_revenue_wan=Decimal(revenue),
            ),
            land_user,
        )
    for year, month, region, ru, ra, nu, na, parking in HOUSING:
        save(
            m.HousingMonth(
                year=year,
                month=month,
                region=region,
                department=zhujian,
                residential_units=ru,
                residential_area_m2=Decimal(ra),
                nonresidential_units=nu,
                nonresidential_area_m2=Decimal(na),
                parking_units=parking,
            ),
            housing_user,
        )
    save(
        m.SalesEvent(
            name="2022年春季房交会",
            department=zhujian,
            starts_on=D(2022, 2, 8),
            future_units=986,
            future_area_m2=Decimal("109900"),
            subsidy_fiscal_wan=Decimal(1000),
            subsidy_enterprise_wan=Decimal(1200),
            notes="财政补贴与企业各类优惠促销折合资金",
        ),
        housing_user,
    )
    for dept_name, target, months in FISCAL:
        task = m.FiscalTask(
            year=2022,
            department=Department.objects.get(name=dept_name),
            item="财税任务",
            target_wan=Decimal(target),
        )
        save(task, office)
        for month, amount in enumerate(months, start=1):
            save(m.FiscalMonth(task=task, month=month, amount_wan=Decimal(amount)), office)
    save(
        m.FiscalTask(
            year=2022,
            item="一般公共预算收入",
            growth_target_pct=Decimal("8.0"),
            notes="年均增长8.0%以上",
        ),
        office,
    )
    for name, plans, arrivals in FUNDING:
        project = _project(name)
        for source, amount in plans.items():
            save(
                m.FundingPlan(project=project, year=2022, source=source, planned_wan=amount),
                office,
            )
        for month, source, amount in arrivals:
            save(
                m.FundingArrival(
                    project=project, year=2022, month=month, source=source, amount_wan=amount
                ),
                office,
            )
    for name, batch, issued, amount, used in BONDS:
        save(
            m.BondBatch(
                project=_project(name),
                name=batch,
                issued_on=issued,
                amount_wan=Decimal(amount),
                used_wan=Decimal(used),
                used_as_of=D(2022, 3, 31),
            ),
            office,
        )
    if stdout is not None:
        stdout.write(f"要素保障示例数据：{n}条")
    return {"factors": n}
