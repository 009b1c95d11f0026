"""The columns of both sheets: what each header may be called, its type, and its export label.

One table serves import (header recognition) and export (header text), so what is exported
is recognised on import. The office adds synonyms in the admin (HeaderSynonym); built-in ones
are below. Header text is compared after values.header_key (no spaces, line breaks or unit).
"""

import re
from dataclasses import dataclass

from keyprojects.importer.values import header_key


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # export header and the preview's column name
    kind: str  # text | money | date | choice | department | decimal | int | percent | ignore
    synonyms: tuple[str, ...] = ()
    group: str = ""  # export: the merged header above (e.g. 投资情况（万元）)
    width: int = 12


LEDGER_COLUMNS: list[Column] = [
    Column("serial", "序号", "ignore", ("序号", "编号序号", "排序"), width=6),
    Column("code", "项目编号", "text", ("项目编号", "系统编号", "编号"), width=14),
    Column("approval_code", "项目代码", "text", ("项目代码", "代码", "统一项目代码"), width=26),
    Column("name", "项目名称", "text", ("项目名称", "名称", "项目"), width=30),
    Column(
        "department",
        "牵头单位",
        "department",
        ("牵头单位", "牵头部门", "主管单位", "主管部门", "责任部门"),
        width=18,
    ),
    Column("responsible_units", "责任单位", "text", ("责任单位", "配合单位"), width=18),
    Column("leader", "责任领导", "text", ("责任领导", "分管领导", "联系领导", "包联领导")),
    Column("owner_unit", "建设单位（业主）", "text", ("建设单位（业主）", "建设单位", "业主单位")),
    Column("contact_person", "责任人", "text", ("责任人", "联系人", "项目负责人")),
    Column("contact_phone", "联系电话", "text", ("联系电话", "联系方式", "电话"), width=14),
    Column("category", "项目类别", "choice", ("项目类别", "类别", "项目类型"), width=8),
    Column("sector", "行业领域", "choice", ("行业领域", "领域", "行业", "项目领域"), width=10),
    Column("nature", "建设性质", "choice", ("建设性质", "性质"), width=8),
    Column(
        "content",
        "建设规模及内容",
        "text",
        ("建设规模及内容", "建设内容及规模", "主要建设内容", "建设内容", "建设规模"),
        width=36,
    ),
    Column("town", "乡镇（街道）", "text", ("乡镇（街道）", "乡镇", "乡镇街道", "所在乡镇")),
    Column("location", "建设地点", "text", ("建设地点", "地点", "项目地点"), width=16),
    Column("latitude", "纬度", "decimal", ("纬度",), width=10),
    Column("longitude", "经度", "decimal", ("经度",), width=10),
    Column(
        "total_investment_wan",
        "总投资",
        "money",
        ("总投资", "计划总投资", "项目总投资"),
        group="投资情况（万元）",
    ),
    Column(
        "completed_before_year_wan",
        "以前年度累计完成",
        "money",
        ("以前年度累计完成", "以前年度完成投资", "以前年度累计完成投资", "截至上年底累计完成"),
        group="投资情况（万元）",
    ),
    Column(
        "annual_plan_wan",
        "年度计划投资",
        "money",
        ("年度计划投资", "年度计划", "本年计划投资", "年度投资计划"),
        group="投资情况（万元）",
    ),
    Column(
        "ytd_wan",
        "年度累计完成",
        "ignore",
        ("年度累计完成", "本年累计完成", "年度完成投资"),
        group="投资情况（万元）",
    ),
    Column("completion_rate", "年度完成率", "ignore", ("年度完成率", "完成率"), width=10),
    Column(
        "planned_start",
        "计划开工",
        "date",
        ("计划开工", "计划开工日期", "计划开工时间"),
        group="建设时间",
        width=11,
    ),
    Column(
        "planned_end",
        "计划竣工",
        "date",
        ("计划竣工", "计划竣工日期", "计划竣工时间", "计划完工"),
        group="建设时间",
        width=11,
    ),
    Column(
        "actual_start",
        "实际开工",
        "date",
        ("实际开工", "实际开工日期", "实际开工时间", "开工时间"),
        group="建设时间",
        width=11,
    ),
    Column(
        "actual_end",
        "实际竣工",
        "date",
        ("实际竣工", "实际竣工日期", "实际竣工时间", "竣工时间"),
        group="建设时间",
        width=11,
    ),
    Column("status", "建设状态", "choice", ("建设状态", "状态", "项目状态"), width=8),
    Column("funding_route", "资金来源", "choice", ("资金来源", "资金渠道"), width=12),
    Column("funding_note", "资金筹措说明", "text", ("资金筹措说明", "资金筹措"), width=18),
    Column(
        "image_progress",
        "形象进度",
        "text",
        ("形象进度", "目前进展", "进展情况", "工作进展"),
        width=24,
    ),
    Column("notes", "备注", "text", ("备注",), width=16),
    Column("year", "计划年度", "int", ("计划年度", "年度"), width=8),
]

DISPATCH_COLUMNS: list[Column] = [
    Column("serial", "序号", "ignore", ("序号",), width=6),
    Column("code", "项目编号", "text", ("项目编号", "系统编号", "编号"), width=14),
    Column("name", "项目名称", "text", ("项目名称", "名称", "项目"), width=30),
    Column(
        "department",
        "牵头单位",
        "text",
        ("牵头单位", "牵头部门", "主管单位", "责任部门", "责任单位"),
        width=18,
    ),
    Column("leader", "责任领导", "ignore", ("责任领导", "分管领导", "联系领导"), width=10),
    Column("total_investment_wan", "总投资", "ignore", ("总投资", "计划总投资"), width=12),
    Column(
        "annual_plan_wan",
        "年度计划投资",
        "ignore",
        ("年度计划投资", "年度计划", "本年计划投资"),
        width=12,
    ),
    Column("ytd", "合计", "money", ("累计完成投资", "年度累计完成", "本年累计完成"), width=12),
    Column("prior", "其中：前几月", "money", (), width=12),
    Column(
        "month_amount", "其中：当月", "money", ("当月完成", "本月完成", "当月完成投资"), width=12
    ),
    Column("rate", "年度完成率", "percent", ("年度完成率", "完成率", "投资完成率"), width=10),
    Column("progress_text", "形象进度", "text", ("形象进度", "目前进展", "进展情况"), width=30),
    Column("problems", "存在问题", "text", ("存在问题", "存在的问题", "问题及困难"), width=24),
    Column(
        "next_steps",
        "下一步工作及时限",
        "text",
        ("下一步工作及时限", "下一步工作", "下一步及时限", "下一步计划"),
        width=24,
    ),
]

# A header that names the department when no 牵头单位 column exists (issue: 责任单位/牵头单位).
LEDGER_FALLBACK = {"responsible_units": "department"}
_DASH = r"[-－—–~～至到]+"
_YTD = re.compile(
    rf"^(?:\d{{4}}年)?1{_DASH}(\d{{1,2}})月(?:份)?(?:累计)?(?:完成投资|完成|投资)?(?:额)?$"
)
_ONE_MONTH = re.compile(r"^(?:其中[:：]?)?(?:\d{4}年)?(\d{1,2})月(?:份)?(?:完成投资|完成|投资)?$")
_RANGE = re.compile(
    rf"^(?:其中[:：]?)(?:\d{{4}}年)?1{_DASH}(\d{{1,2}})月(?:份)?(?:完成投资|完成|投资)?$"
)
_YEAR_PLAN = re.compile(r"^\d{4}年(?:度)?(?:计划投资|投资计划|计划)$")


def columns_of(kind: str) -> list[Column]:
    return LEDGER_COLUMNS if kind == "ledger" else DISPATCH_COLUMNS


def field_choices(kind: str) -> list[tuple[str, str]]:
    return [(c.key, c.label) for c in columns_of(kind)]


def synonym_table(kind: str, extra: list[tuple[str, str]] = ()) -> dict[str, str]:
    """header key → column key; the office's synonyms (extra) win over the built-in ones."""
    table: dict[str, str] = {}
    for col in columns_of(kind):
        for s in (col.label, *col.synonyms):
            table.setdefault(header_key(s), col.key)
    for text, key in extra:
        table[header_key(text)] = key
    return table


def match_header(
    parts: list[str], kind: str, table: dict[str, str], month: int | None
) -> str | None:
    """The column key of a header made of stacked parts (top to bottom), or None.

    The lowest part is tried first (合计 under 1–3月完成投资), then the whole, then upper parts.
    Dispatch headers with months are read against the import month N: 1–N月 is the
    year-to-date total, 其中：1–(N−1)月 the earlier months, 其中：N月 the month itself.
    """
    keys = [header_key(p) for p in parts if header_key(p)]
    if not keys:
        return None
    if kind == "dispatch":
        found = _dispatch_month_column(keys, month)
        if found:
            return found
    else:
        if _YEAR_PLAN.match(keys[-1]):
            return "annual_plan_wan"
        if _YTD.match(keys[-1]):
            return "ytd_wan"
    for candidate in (keys[-1], "".join(keys), *reversed(keys[:-1])):
        if candidate in table:
            return table[candidate]
    return None


def _dispatch_month_column(keys: list[str], month: int | None) -> str | None:
    last = keys[-1]
    group_is_ytd = any(_YTD.match(k) for k in keys[:-1])
    if last in ("合计", "小计", "累计") and group_is_ytd:
        return "ytd"
    m = _RANGE.match(last)
    if m:
        return "prior"
    m = _YTD.match(last)
    if m:
        n = int(m[1])
        if group_is_ytd or (month is not None and n == month - 1 and len(keys) > 1):
            return "prior"
        return "ytd"
    m = _ONE_MONTH.match(last)
    if m and (month is None or int(m[1]) == month):
        return "month_amount"
    if m and month == 2 and int(m[1]) == 1:
        return "prior"  # 其中：1月 is 1–(N−1)月 when N is 2
    if last in ("当月", "本月", "其中当月", "其中：当月", "其中:当月"):
        return "month_amount"
    return None


def header_month(parts: list[str]) -> int | None:
    """N of a 1–N月 header, to check it against the import month."""
    for p in parts:
        m = _YTD.match(header_key(p))
        if m:
            return int(m[1])
    return None
