"""Demo data (示例数据) for plan year 2022, modelled on the seed quarterly report.

36 projects on the construction plan (续建 + 新开工), 23 of them started by 2022-03-31
(开工率 63.9%), 15 reserve projects; the projects the report names in the states it describes;
January–March reports approved. Everything goes through the services, so history is real.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from keyprojects.core.choices import Role
from keyprojects.core.models import DemoMarker, Department, User

DEMO_PASSWORD = "Kp@2022demo"

DEPARTMENTS = [
    ("guizi", "县规划和自然资源局", "规资", 1),
    ("zhujian", "县住房和城乡建设委员会", "住建", 2),
    ("chengguan", "县城市管理局", "城管", 3),
    ("jiaotong", "县交通运输委员会", "交通", 4),
    ("jiaowei", "县教育委员会", "教委", 5),
    ("weijian", "县卫生健康委员会", "卫健", 6),
    ("jingxin", "县经济和信息化委员会", "经信", 7),
]

USERS = [
    # username, full name, role, department key
    ("office", "王主任（重点项目办）", Role.OFFICE, None),
    ("leader", "李县长", Role.LEADER, None),
    ("guizi", "张填报（规资局）", Role.REPORTER, "guizi"),
    ("zhujian", "刘填报（住建委）", Role.REPORTER, "zhujian"),
    ("chengguan", "陈填报（城管局）", Role.REPORTER, "chengguan"),
    ("jiaotong", "杨填报（交通委）", Role.REPORTER, "jiaotong"),
    ("jiaowei", "赵填报（教委）", Role.REPORTER, "jiaowei"),
    # 三员分立: none of them sees business data.
    ("sysadmin", "孙工（系统管理员）", Role.SYSADMIN, None),
    ("secadmin", "周工（安全管理员）", Role.SECADMIN, None),
    ("auditadmin", "吴工（审计管理员）", Role.AUDITADMIN, None),
]


@dataclass
class P:
    """One demo project. `months` are Jan–Mar 2022 investments (万元) for started projects."""

    name: str
    dept: str
    category: str
    sector: str
    total: int
    before: int
    plan: int
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None = None
    status: str = "not_started"
    months: tuple = ()
    town: str = "中和街道"
    content: str = ""
    notes: str = ""
    actual_end: date | None = None
    milestones: list = field(default_factory=list)  # (phase, name, planned, actual|None)
    funding: str = "fiscal"


C, N, R = "continuing", "new", "reserve"
UC, NS, SUS, DONE = "under_construction", "not_started", "suspended", "completed"
D = date

PROJECTS = [
    # --- 规资局 -------------------------------------------------------------------------
    P(
        "平凯南部新城土地整理及配套工程",
        "guizi",
        C,
        "urban",
        48000,
        21000,
        12000,
        D(2021, 3, 1),
        D(2023, 12, 31),
        D(2021, 3, 18),
        UC,
        (1100, 1050, 1200),
        "平凯街道",
        "南部新城C31、C32地块土地平整及道路、管网配套，约1200亩",
        funding="special_bond",
    ),
    P(
        "西门塘片区土地收储及基础设施",
        "guizi",
        C,
        "urban",
        26000,
        9000,
        8000,
        D(2021, 6, 1),
        D(2023, 6, 30),
        D(2021, 6, 20),
        UC,
        (700, 650, 800),
        "中和街道",
        "西门塘片区土地收储、场平及市政配套",
    ),
    P(
        "全域土地综合整治试点项目",
        "guizi",
        N,
        "ecology",
        15000,
        0,
        5000,
        D(2022, 2, 1),
        D(2024, 12, 31),
        D(2022, 2, 10),
        UC,
        (0, 600, 750),
        "清溪场镇",
        "农用地整理、建设用地整理和乡村生态保护修复",
    ),
    P(
        "城乡建设用地增减挂钩项目",
        "guizi",
        N,
        "ecology",
        6800,
        0,
        3000,
        D(2022, 5, 1),
        D(2023, 10, 31),
        town="溶溪镇",
        content="复垦农村闲置建设用地约800亩",
    ),
    P(
        "县城地质灾害综合治理工程",
        "guizi",
        N,
        "ecology",
        4200,
        0,
        2500,
        D(2022, 3, 1),
        D(2022, 12, 31),
        D(2022, 3, 5),
        UC,
        (0, 0, 700),
        "官庄街道",
        "县城周边7处地质灾害隐患点工程治理",
    ),
    # --- 住建委 -------------------------------------------------------------------------
    P(
        "中昂新城商住项目",
        "zhujian",
        C,
        "real_estate",
        120000,
        45000,
        30000,
        D(2020, 9, 1),
        D(2024, 6, 30),
        D(2020, 10, 15),
        UC,
        (1500, 1200, 1800),
        "平凯街道",
        "商住楼21栋及地下车库，总建筑面积约32万平方米",
        notes="未按时间节点推进：主体结构进度滞后",
        funding="social",
        milestones=[("main_works", "一期主体结构封顶", D(2022, 2, 28), None)],
    ),
    P(
        "凤鸣江湾住宅小区",
        "zhujian",
        C,
        "real_estate",
        86000,
        38000,
        22000,
        D(2020, 5, 1),
        D(2023, 12, 31),
        D(2020, 6, 8),
        UC,
        (600, 500, 1500),
        "中和街道",
        "住宅14栋，总建筑面积约21万平方米",
        notes="返岗复工工人偏少，存在停工风险",
        funding="social",
    ),
    P(
        "碧桂园·凤凰城项目",
        "zhujian",
        C,
        "real_estate",
        95000,
        52000,
        18000,
        D(2020, 3, 1),
        D(2023, 12, 31),
        D(2020, 4, 1),
        SUS,
        (0, 0, 0),
        "乌杨街道",
        "住宅及商业综合体，总建筑面积约25万平方米",
        notes="前期进展较快，受资金影响目前仍未复工",
        funding="social",
    ),
    P(
        "老旧小区改造（2021年度续建）",
        "zhujian",
        C,
        "livelihood",
        9800,
        5200,
        4600,
        D(2021, 4, 1),
        D(2022, 10, 31),
        D(2021, 4, 20),
        UC,
        (420, 380, 520),
        "中和街道",
        "改造老旧小区32个，涉及居民2860户",
    ),
    P(
        "健康路改造工程",
        "zhujian",
        N,
        "infrastructure",
        5600,
        0,
        4000,
        D(2022, 2, 15),
        D(2022, 12, 31),
        town="中和街道",
        content="道路改造1.2公里，含雨污分流管网",
        notes="原定2月开工，因杆线迁改未完成至今未动工",
    ),
    P(
        "学府二路至外环线道路工程",
        "zhujian",
        N,
        "infrastructure",
        18000,
        0,
        9000,
        D(2022, 3, 1),
        D(2023, 12, 31),
        town="官庄街道",
        content="新建城市次干道2.6公里，宽24米",
        notes="原定3月开工，征地拆迁未完成",
        milestones=[("construction_permit", "施工许可", D(2022, 2, 20), None)],
    ),
    P(
        "城市污水管网改造工程",
        "zhujian",
        N,
        "ecology",
        12000,
        0,
        6000,
        D(2022, 1, 10),
        D(2023, 6, 30),
        D(2022, 1, 18),
        UC,
        (400, 500, 800),
        "中和街道",
        "改造污水管网38公里",
    ),
    P(
        "保障性租赁住房项目",
        "zhujian",
        N,
        "livelihood",
        16000,
        0,
        5000,
        D(2022, 6, 1),
        D(2024, 6, 30),
        town="乌杨街道",
        content="保障性租赁住房1200套",
    ),
    # --- 城管局 -------------------------------------------------------------------------
    P(
        "丹凤路综合改造工程",
        "chengguan",
        C,
        "infrastructure",
        14500,
        6500,
        8000,
        D(2021, 8, 1),
        D(2022, 9, 30),
        D(2021, 8, 25),
        UC,
        (300, 350, 800),
        "中和街道",
        "道路提升、人行道改造及杆线入地2.1公里",
        notes="未按时间节点推进：管网迁改滞后",
        milestones=[("other", "管网迁改完成", D(2022, 3, 15), None)],
    ),
    P(
        "凤凰隧道及连接道工程",
        "chengguan",
        C,
        "infrastructure",
        32000,
        31200,
        800,
        D(2019, 10, 1),
        D(2021, 12, 31),
        D(2019, 11, 2),
        DONE,
        (300, 200, 150),
        "凤凰镇",
        "隧道1.3公里及自行车便道、连接道",
        notes="竣工审计指出：自行车便道标高不一致，存在较陡切面，葫芦盖摆放、路沿石安装不标准",
        actual_end=D(2022, 1, 25),
    ),
    P(
        "城区生活垃圾分类处理中心",
        "chengguan",
        C,
        "ecology",
        11000,
        4000,
        5000,
        D(2021, 5, 1),
        D(2022, 12, 31),
        D(2021, 5, 12),
        UC,
        (450, 420, 500),
        "溶溪镇",
        "日处理能力300吨",
    ),
    P(
        "城市公园及绿道提升工程",
        "chengguan",
        N,
        "ecology",
        7600,
        0,
        4000,
        D(2022, 2, 1),
        D(2022, 12, 31),
        D(2022, 2, 8),
        UC,
        (0, 450, 600),
        "平凯街道",
        "滨河绿道8公里、口袋公园6处",
    ),
    P(
        "智慧城管平台建设",
        "chengguan",
        N,
        "infrastructure",
        2600,
        0,
        2600,
        D(2022, 4, 1),
        D(2022, 12, 31),
        town="中和街道",
    ),
    # --- 交通委 -------------------------------------------------------------------------
    P(
        "省道S526石堤至龙池段改建工程",
        "jiaotong",
        N,
        "infrastructure",
        68000,
        0,
        15000,
        D(2022, 9, 1),
        D(2024, 12, 31),
        town="石堤镇",
        content="二级公路改建32公里",
        notes="涉及占用永久基本农田，正开展踏勘论证及补划",
    ),
    P(
        "国道G242过境段公路改建工程",
        "jiaotong",
        N,
        "infrastructure",
        85000,
        0,
        12000,
        D(2022, 10, 1),
        D(2025, 6, 30),
        town="官庄街道",
        content="一级公路改建18公里",
        notes="涉及占用永久基本农田，正开展踏勘论证及补划",
    ),
    P(
        "农村公路提档升级工程",
        "jiaotong",
        C,
        "infrastructure",
        24000,
        12000,
        8000,
        D(2021, 3, 1),
        D(2022, 12, 31),
        D(2021, 3, 10),
        UC,
        (600, 700, 900),
        "峨溶镇",
        "农村公路提档升级210公里",
    ),
    P(
        "县城公交换乘枢纽",
        "jiaotong",
        C,
        "infrastructure",
        8500,
        3000,
        4000,
        D(2021, 7, 1),
        D(2022, 10, 31),
        D(2021, 7, 20),
        UC,
        (350, 330, 400),
        "乌杨街道",
    ),
    P(
        "物流园区进场道路工程",
        "jiaotong",
        N,
        "infrastructure",
        9000,
        0,
        6000,
        D(2022, 1, 5),
        D(2022, 11, 30),
        D(2022, 1, 12),
        UC,
        (500, 600, 700),
        "乌杨街道",
    ),
    # --- 教委 ---------------------------------------------------------------------------
    P(
        "物流园区岗前培训中心（凤起小学）",
        "jiaowei",
        N,
        "livelihood",
        12000,
        0,
        6000,
        D(2022, 6, 1),
        D(2023, 8, 31),
        town="乌杨街道",
        content="新建36班小学及岗前培训用房2.4万平方米",
        notes="一季度已上报农用地转用和土地征收",
    ),
    P(
        "职教中心扩建项目",
        "jiaowei",
        N,
        "livelihood",
        15000,
        0,
        7000,
        D(2022, 7, 1),
        D(2023, 12, 31),
        town="官庄街道",
        content="新建实训楼、宿舍楼3.1万平方米",
        notes="一季度已上报农用地转用和土地征收",
    ),
    P(
        "县第三中学扩建工程",
        "jiaowei",
        C,
        "livelihood",
        9600,
        4200,
        5400,
        D(2021, 2, 1),
        D(2022, 8, 31),
        D(2021, 2, 26),
        UC,
        (450, 420, 600),
        "中和街道",
    ),
    P(
        "城区幼儿园建设工程",
        "jiaowei",
        N,
        "livelihood",
        4800,
        0,
        3000,
        D(2022, 2, 20),
        D(2023, 2, 28),
        D(2022, 2, 25),
        UC,
        (0, 300, 500),
        "平凯街道",
    ),
    # --- 卫健委 -------------------------------------------------------------------------
    P(
        "县人民医院门急诊综合楼",
        "weijian",
        C,
        "livelihood",
        36000,
        15000,
        12000,
        D(2021, 1, 1),
        D(2023, 6, 30),
        D(2021, 1, 16),
        UC,
        (600, 500, 1200),
        "中和街道",
        "门急诊综合楼4.6万平方米",
    ),
    P(
        "县中医院康养中心",
        "weijian",
        C,
        "livelihood",
        18000,
        6000,
        7000,
        D(2021, 6, 1),
        D(2023, 3, 31),
        D(2021, 6, 28),
        UC,
        (600, 550, 700),
        "官庄街道",
    ),
    P(
        "乡镇卫生院能力提升工程",
        "weijian",
        N,
        "livelihood",
        5200,
        0,
        3200,
        D(2022, 5, 1),
        D(2022, 12, 31),
        town="龙池镇",
    ),
    # --- 经信委 -------------------------------------------------------------------------
    P(
        "工业园区标准厂房三期",
        "jingxin",
        C,
        "industry",
        28000,
        11000,
        10000,
        D(2021, 4, 1),
        D(2022, 12, 31),
        D(2021, 4, 15),
        UC,
        (700, 500, 1000),
        "乌杨街道",
        "标准厂房12万平方米",
    ),
    P(
        "锰产业绿色转型升级项目",
        "jingxin",
        C,
        "industry",
        42000,
        20000,
        12000,
        D(2021, 1, 1),
        D(2023, 12, 31),
        D(2021, 1, 20),
        UC,
        (1000, 900, 1200),
        "溶溪镇",
        funding="self",
    ),
    P(
        "电子信息产业园一期",
        "jingxin",
        N,
        "industry",
        30000,
        0,
        10000,
        D(2022, 1, 15),
        D(2023, 12, 31),
        D(2022, 1, 20),
        UC,
        (800, 900, 1000),
        "乌杨街道",
        funding="social",
    ),
    P(
        "农产品冷链物流中心",
        "jingxin",
        N,
        "industry",
        8800,
        0,
        5000,
        D(2022, 4, 1),
        D(2023, 3, 31),
        town="清溪场镇",
        funding="social",
    ),
    P(
        "茶叶精深加工项目",
        "jingxin",
        N,
        "industry",
        6500,
        0,
        3500,
        D(2022, 5, 1),
        D(2023, 4, 30),
        town="峨溶镇",
        funding="self",
    ),
    P(
        "5G基站及信息基础设施",
        "jingxin",
        N,
        "infrastructure",
        7200,
        0,
        4000,
        D(2022, 4, 1),
        D(2022, 12, 31),
        town="中和街道",
        funding="social",
    ),
]

RESERVE = [
    ("guizi", "平凯南部新城二期土地开发", "urban", 35000),
    ("guizi", "矿山生态修复工程", "ecology", 8000),
    ("guizi", "西门塘片区二期收储", "urban", 12000),
    ("zhujian", "城市更新示范片区", "urban", 45000),
    ("zhujian", "海绵城市建设项目", "ecology", 18000),
    ("zhujian", "城南片区供水管网工程", "infrastructure", 6000),
    ("chengguan", "城市地下综合管廊", "infrastructure", 38000),
    ("chengguan", "智慧停车场建设项目", "infrastructure", 5500),
    ("jiaotong", "县城至高铁站快速通道", "infrastructure", 56000),
    ("jiaotong", "通用机场前期工作", "infrastructure", 30000),
    ("jiaowei", "县第一中学新校区", "livelihood", 26000),
    ("weijian", "县妇幼保健院迁建", "livelihood", 22000),
    ("weijian", "疾控中心实验室建设", "livelihood", 4800),
    ("jingxin", "新材料产业园", "industry", 60000),
    ("jingxin", "数字经济产业园", "industry", 25000),
]

START_MILESTONES = [
    ("approval", "立项", -90),
    ("construction_permit", "施工许可", -10),
    ("start", "开工", 0),
]


def login_lines() -> list[str]:
    """The demo log-ins, as `demo` and `serve` print them."""
    lines = [f"示例账号（密码均为 {DEMO_PASSWORD}）："]
    lines += [
        f"  {username:<10} {role.label:<6} {full_name}" for username, full_name, role, _ in USERS
    ]
    return lines


def _april_reports(users, office):
    """April 2022 in every state of the flow, so each page has something to show: one submitted
    and awaiting approval, one returned with a comment, one draft (none counts in any figure)."""
    from keyprojects.dispatch import services as dispatch_services
    from keyprojects.dispatch.models import MonthlyReport
    from keyprojects.ledger.models import Project

    def draft(name, amount, reporter, progress):
        return dispatch_services.save_draft(
            MonthlyReport(
                project=Project.objects.get(name=name),
                year=2022,
                month=4,
                invested_wan=Decimal(amount),
                progress_text=progress,
            ),
            by=users[reporter],
        )

    submitted = draft("城市污水管网改造工程", 900, "zhujian", "完成管网改造12公里")
    dispatch_services.submit(submitted, by=users["zhujian"], when=_aware(date(2022, 5, 4)))
    returned = draft("丹凤路综合改造工程", 400, "chengguan", "人行道改造完成40%")
    dispatch_services.submit(returned, by=users["chengguan"], when=_aware(date(2022, 5, 6)))
    dispatch_services.return_report(
        returned,
        by=office,
        comment="当月完成投资与形象进度不符，请核实后重报",
        when=_aware(date(2022, 5, 7)),
    )
    draft("县第三中学扩建工程", 650, "jiaowei", "教学楼主体完工")


def _aware(d: date) -> datetime:
    return timezone.make_aware(datetime(d.year, d.month, d.day, 10, 0))


@transaction.atomic
def load(stdout=None) -> dict:
    """Load the demo data into an empty database. Returns counts."""
    from keyprojects.dispatch import services as dispatch_services
    from keyprojects.ledger import services
    from keyprojects.ledger.models import Milestone, Project

    if Project.objects.exists():
        raise RuntimeError("数据库已有项目，示例数据只能载入空库")

    depts = {}
    for key, name, short, order in DEPARTMENTS:
        depts[key], _ = Department.objects.get_or_create(
            name=name, defaults={"short_name": short, "order": order}
        )
    users = {}
    for username, full_name, role, dept in USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.full_name, user.role, user.is_demo = full_name, role, True
        user.department = depts[dept] if dept else None
        user.email = f"{username}@demo.invalid"  # reminders go to the console backend
        user.set_password(DEMO_PASSWORD)
        user.save()
        users[username] = user
    office = users["office"]

    year = 2022
    code_no = 0
    for p in PROJECTS:
        code_no += 1
        reporter = users.get(p.dept, office)
        project = services.save_project(
            Project(
                code=f"ZD{year}-{code_no:03d}",
                name=p.name,
                year=year,
                department=depts[p.dept],
                category=p.category,
                sector=p.sector,
                total_investment_wan=Decimal(p.total),
                completed_before_year_wan=Decimal(p.before),
                annual_plan_wan=Decimal(p.plan),
                planned_start=p.planned_start,
                planned_end=p.planned_end,
                actual_start=p.actual_start,
                actual_end=p.actual_end,
                status=p.status,
                town=p.town,
                location=f"{p.town}",
                content=p.content,
                notes=p.notes,
                funding_route=p.funding,
                leader="李县长" if p.dept in ("guizi", "zhujian") else "周副县长",
                responsible_units=depts[p.dept].name,
                owner_unit=f"{depts[p.dept].short_name}建设单位",
                latitude=Decimal("28.45") + Decimal(code_no % 9) / 100,
                longitude=Decimal("108.99") + Decimal(code_no % 7) / 100,
            ),
            by=office,
        )
        if p.actual_start and p.actual_start.year >= year - 1:
            for phase, name, offset in START_MILESTONES:
                planned = date.fromordinal(p.actual_start.toordinal() + offset)
                services.save_milestone(
                    Milestone(
                        project=project,
                        phase=phase,
                        name=name,
                        planned_date=planned,
                        actual_date=planned,
                    ),
                    by=reporter,
                )
        for phase, name, planned, actual in p.milestones:
            services.save_milestone(
                Milestone(
                    project=project,
                    phase=phase,
                    name=name,
                    planned_date=planned,
                    actual_date=actual,
                ),
                by=reporter,
            )
        for month, amount in enumerate(p.months, start=1):
            if amount == 0 and p.actual_start.year == year and month < p.actual_start.month:
                continue  # no report before the project started
            report = dispatch_services.demo_report(
                project,
                year,
                month,
                Decimal(amount),
                reporter=reporter,
                reviewer=office,
                submitted=_aware(date(year, month % 12 + 1, 3)),
                progress=p.notes or "按计划推进",
            )
            assert report.pk

    _april_reports(users, office)

    for i, (dept, name, sector, total) in enumerate(RESERVE, start=1):
        services.save_project(
            Project(
                code=f"CB{year}-{i:03d}",
                name=name,
                year=year,
                department=depts[dept],
                category="reserve",
                sector=sector,
                total_investment_wan=Decimal(total),
                annual_plan_wan=Decimal(0),
                status="not_started",
                town="中和街道",
                notes="储备库项目，正开展前期策划包装",
            ),
            by=office,
        )
    from keyprojects.figures import demo as figures_demo

    figures_demo.load(stdout)
    DemoMarker.objects.create(description="2022年示例数据（依据季度工作报告模拟）")
    return {
        "departments": len(depts),
        "users": len(users),
        "projects": len(PROJECTS) + len(RESERVE),
    }
