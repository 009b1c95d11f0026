"""The sections of the quarterly report, their default wording and the figures they may quote.

The structure follows the county's report (docs/decisions/019-report-templates.md): 一、工作开展情况
(the county paragraph, then one paragraph per department, continued by that department's own
factor sentences), 二、存在主要问题 and 三、下一步工作打算 (numbered items （一）（二）… over the
items that could be written). Wording is the office's (ReportTemplate rows override these
defaults); the structure and the figure names are the system's.
"""

import re
from dataclasses import dataclass

from keyprojects.report.context import EXPECTED_BLOCKS


@dataclass(frozen=True)
class Section:
    key: str
    part: int  # 0: title and sign-off; 1: 工作开展情况; 2: 存在主要问题; 3: 下一步工作打算
    label: str  # what the editing page calls it
    heading: str  # （一）-item's lead words; "" for plain paragraphs
    body: str
    department: str = ""  # continues this department's paragraph (short name)
    per_department: bool = False  # written once per department, `dept.*` bound to it
    county_only: bool = False  # quotes county-wide data: left out of a department's report


PARTS = {1: "{quarter}工作开展情况", 2: "存在主要问题", 3: "下一步工作打算"}

SECTIONS = [
    Section(
        "title",
        0,
        "标题",
        "",
        "关于{{ period.year }}年{{ period.quarter }}{{ period.scope }}重点项目工作情况的报告",
    ),
    Section(
        "county",
        1,
        "总体情况段",
        "",
        "今年{{ period.scope }}确定了{{ county.listed }}个重点项目，其中续建项目"
        "{{ county.continuing }}个、新开工项目{{ county.new }}个、储备项目{{ county.reserve }}个，"
        "目前已开工项目{{ county.started }}个，还有{{ county.not_started }}个项目未开工，"
        "已开工项目中{{ county.on_schedule }}个项目在有序推进中、未达到序时进度的项目"
        "{{ county.behind_schedule }}个。",
    ),
    Section(
        "department",
        1,
        "各部门段（每个部门一段）",
        "",
        "{{ dept.short_name }}方面，涉及重点项目{{ dept.listed }}个，总投资"
        "{{ dept.listed_investment }}，其中续建项目{{ dept.continuing }}个，计划新开工"
        "{{ dept.new }}个，储备项目{{ dept.reserve }}个。",
        per_department=True,
    ),
    Section(
        "land",
        1,
        "规资方面：用地要素",
        "",
        "{{ period.quarter }}，上报{{ land.conversion_projects }}个建设项目农用地转用和土地征收，"
        "新增建设用地面积共计{{ land.new_construction_land_ha }}"
        "（合{{ land.new_construction_land_mu }}）。对{{ land.farmland_projects }}个涉及占用永久"
        "基本农田建设项目开展占用永久基本农田踏勘论证及永久基本农田补划工作。挂牌出让"
        "{{ land.parcels_listed }}宗地块，预计收取土地出让收入"
        "{{ land.expected_transfer_revenue_wan }}。",
        department="规资",
    ),
    Section(
        "housing",
        1,
        "住建方面：商品房销售与房交会",
        "",
        "{{ period.quarter }}，完成商品房网签备案{{ housing.units }}套{{ housing.area_wan_m2 }}，"
        "面积较去年{{ period.quarter }}（{{ housing.units_last_year }}套"
        "{{ housing.area_last_year_wan_m2 }}）同比增长{{ housing.area_yoy_pct }}。"
        "{{ housing.event.name }}期间，完成期房网签备案{{ housing.event.units }}套"
        "{{ housing.event.area_wan_m2 }}，预计群众享受优惠{{ housing.event.subsidy_wan }}"
        "（含财政补贴"
        "{{ housing.event.subsidy_fiscal_wan }}，企业各类优惠促销折合资金"
        "{{ housing.event.subsidy_enterprise_wan }}）。",
        department="住建",
    ),
    Section(
        "problem_reserve",
        2,
        "问题：项目储备",
        "项目储备不足",
        "项目储备作为项目工作的重要环节，既是项目工作的重点和基础，又是确保项目工作循序渐进和"
        "连贯推动的关键所在。{{ period.scope }}{{ period.year }}年重点项目储备仅有"
        "{{ county.reserve }}个，总投资{{ county.reserve_investment }}，投资增长后劲不足。",
    ),
    Section(
        "problem_progress",
        2,
        "问题：项目推进",
        "项目推进力度不够",
        "{{ county.total }}个重点项目中，已开工的只有{{ county.started }}个，开工率为"
        "{{ county.start_rate }}，未达到序时进度的项目{{ county.behind_schedule }}个。"
        "[[很多项目没有按时间节点推进，比如{{ county.behind_names }}等项目。]]"
        "[[原定开工但到了时间却没有动工的项目{{ county.late_start }}个，比如"
        "{{ county.late_start_names }}等项目。]]",
    ),
    Section(
        "problem_land",
        2,
        "问题：供地",
        "供地不足",
        "受国内大环境影响，土地市场供求规模明显缩量，{{ period.quarter }}挂牌出让"
        "{{ land.parcels_listed }}宗地块，预计土地出让收入"
        "{{ land.expected_transfer_revenue_wan }}，"
        "土地市场依然严峻。",
        county_only=True,
    ),
    Section(
        "problem_quality",
        2,
        "问题：施工质量",
        "施工质量不尽人意",
        "由于施工单位的组织不到位、赶工期等原因，导致一些项目形象和质量不达标准"
        "[[，比如{{ risks.projects.quality }}等项目]]。",
        county_only=True,
    ),
    Section(
        "problem_risk",
        2,
        "问题：隐性风险",
        "部分项目存在隐性风险",
        "由于受宏观政策影响，一些项目存在资金短缺、停工等隐性风险。"
        "[[比如{{ risks.projects.funding }}等项目资金短缺。]]"
        "[[{{ risks.projects.stopped }}等项目目前仍未复工。]]"
        "[[{{ risks.projects.labour }}等项目复工的工人太少，虽看起来在建设中，但随时有可能停摆。]]"
        "[[{{ risks.projects.demolition }}等项目的拆迁房屋受制于资金压力，没有拆除。]]",
        county_only=True,
    ),
    Section(
        "problem_register",
        2,
        "问题：问题整改",
        "问题整改不够及时",
        "问题台账中尚有{{ problems.open }}个问题未办结，其中{{ problems.overdue }}个"
        "已超过整改期限。",
        county_only=True,
    ),
    Section(
        "plan_fiscal",
        3,
        "打算：税费收入",
        "抓税费收入",
        "今年规资、住建的财税任务分别是{{ fiscal.规资.target_wan }}、{{ fiscal.住建.target_wan }}，"
        "这是硬任务、硬要求，必须不折不扣完成。",
        county_only=True,
    ),
    Section(
        "plan_projects",
        3,
        "打算：项目建设",
        "抓项目建设",
        "强力推进今年重点项目建设，倒排工期、挂图作战，确保形成有效投资。"
        "[[重点推动{{ county.behind_names }}等未达到序时进度的项目。]]"
        "[[督促{{ county.late_start_names }}等项目尽快开工。]]",
    ),
    Section(
        "plan_reserve",
        3,
        "打算：项目储备",
        "抓项目储备",
        "瞄准重点区域、重点产业、重点领域，充实重大项目储备库（目前{{ county.reserve }}个，"
        "总投资{{ county.reserve_investment }}），克服投资增长后劲不足问题。",
    ),
    Section(
        "plan_factors",
        3,
        "打算：要素保障",
        "抓要素保障",
        "加强用地指标、征地拆迁、杆线管网搬迁等要素保障，土地指标实行“一对一”跟踪服务。",
    ),
    Section(
        "plan_funding",
        3,
        "打算：项目融资",
        "抓项目融资",
        "统筹安排建设资金，确保重点项目资金按建设时序及时足额到位（目前计划资金"
        "{{ funding.planned_wan }}，已到位{{ funding.arrived_wan }}，"
        "到位率{{ funding.arrival_pct }}）。",
        county_only=True,
    ),
    Section("signature", 0, "落款", "", "县重点项目办公室"),
]

BY_KEY = {s.key: s for s in SECTIONS}

PERIOD = {"year", "quarter", "as_of", "scope"}
COUNTY = {
    "listed", "total", "continuing", "new", "reserve", "started", "not_started", "on_schedule",
    "behind_schedule", "completed", "red", "yellow", "start_rate", "total_investment",
    "reserve_investment", "listed_investment", "annual_plan", "completed_ytd", "investment_rate",
    "expected_share", "behind_names", "late_start_names", "late_start",
}  # fmt: skip
DEPT = {
    "name", "short_name", "listed", "total", "continuing", "new", "reserve", "started",
    "behind_schedule", "total_investment", "listed_investment", "reserve_investment",
    "annual_plan", "completed_ytd", "behind_names", "start_rate",
}  # fmt: skip
# The agreed fields of the blocks other apps provide (COMMON.md); a block may add more, which
# become known as soon as it reports them.
BLOCK_FIELDS = {
    "land": {
        "conversion_projects", "new_construction_land_ha", "new_construction_land_mu",
        "farmland_projects", "parcels_listed", "expected_transfer_revenue_wan",
    },
    "housing": {
        "units", "area_wan_m2", "units_last_year", "area_last_year_wan_m2", "units_yoy_pct",
        "area_yoy_pct", "event.name", "event.units", "event.area_wan_m2", "event.subsidy_wan",
        "event.subsidy_fiscal_wan", "event.subsidy_enterprise_wan",
    },
    "funding": {"planned_wan", "arrived_wan", "arrival_pct"},
    "reserve": {"count", "total_investment_wan"},
    "problems": {"open", "overdue"},
    "risks": {
        "stopped", "funding", "labour", "demolition", "quality", "projects.stopped",
        "projects.funding", "projects.labour", "projects.demolition", "projects.quality",
    },
}  # fmt: skip
ROW_FIELDS = {"fiscal": {"target_wan", "actual_wan", "completion_pct"}}
DYNAMIC = [
    re.compile(r"^departments\.[^.]+\.(" + "|".join(sorted(DEPT)) + r")$"),
    *[
        re.compile(rf"^{block}\.[^.]+\.(" + "|".join(sorted(f)) + r")$")
        for block, f in ROW_FIELDS.items()
    ],
    re.compile(
        r"^(problems\.by_level|problems\.by_type|reserve\.by_stage|funding\.by_source)\.[^.]+$"
    ),
]


def is_known(name: str, *, section: Section, present: set[str] = frozenset()) -> bool:
    """May `section` quote figure `name`? `present`: names the current data has (a block's
    extra fields)."""
    if name.startswith("dept."):
        return (section.per_department or bool(section.department)) and name[5:] in DEPT
    head, _, rest = name.partition(".")
    if head == "period":
        return rest in PERIOD
    if head == "county":
        return rest in COUNTY
    if rest in BLOCK_FIELDS.get(head, ()):
        return True
    if any(p.match(name) for p in DYNAMIC):
        return True
    return head in EXPECTED_BLOCKS and name in present


def catalogue() -> list[tuple[str, list[str]]]:
    """The names the editing page lists, grouped."""
    return [
        ("报告期", [f"period.{n}" for n in sorted(PERIOD)]),
        ("全县（或本部门）台账", [f"county.{n}" for n in sorted(COUNTY)]),
        ("部门段（仅用于各部门段）", [f"dept.{n}" for n in sorted(DEPT)]),
        ("指定部门", [f"departments.规资.{n}" for n in ("listed", "total_investment")]),
        *[(EXPECTED_BLOCKS[b], [f"{b}.{n}" for n in sorted(f)]) for b, f in BLOCK_FIELDS.items()],
        ("财税任务（按部门）", [f"fiscal.规资.{n}" for n in sorted(ROW_FIELDS["fiscal"])]),
    ]
