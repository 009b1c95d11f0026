"""The figures a report may quote, as one flat context: `county.started`, `dept.listed`,
`land.new_construction_land_ha` …

Two sources, both computed elsewhere (this module computes no figure of its own, it only
names, types and links them):

- the ledger summary of the period (keyprojects.stats.ledger_summary): county counts,
  investment and the per-department rows, plus the project lists behind them;
- every stats block an installed app declares in its AppConfig `stats_blocks`
  ({"land": "keyprojects.factors.figures.land_block", …}, each `fn(*, year, quarter)`).

Each figure knows its kind (how units.py writes it) and, where the rows behind it are ledger
projects, the ledger list query that shows those rows (数据溯源). The whole context serialises
to JSON, so a generated report keeps exactly the figures it used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from keyprojects import units
from keyprojects.figures import blocks as figure_blocks

QUARTER_LABELS = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}
# How many project names a sentence quotes before "等".
NAMES_IN_TEXT = 3
# How many projects an appendix table lists; a longer list says how many there are and where the
# whole list is (the ledger's Excel export): a province's thousands of rows are not a Word table.
APPENDIX_LIMIT = 500


class Kind:
    COUNT = "count"  # 23 (the template writes 个/套)
    MONEY = "money"  # 万元 / 亿元
    PERCENT = "percent"
    HECTARE = "hectare"
    MU = "mu"
    WAN_M2 = "wan_m2"  # 万平方米
    TEXT = "text"
    NAMES = "names"  # project names: 中昂新城商住项目、丹凤路综合改造工程


@dataclass(frozen=True)
class Figure:
    name: str
    kind: str
    value: object  # Decimal | int | str | list[str]
    link: str = ""  # the rows behind it (a URL), "" when none

    def display(self) -> str:
        v = self.value
        if self.kind == Kind.MONEY:
            return units.text_money(Decimal(v))
        if self.kind == Kind.PERCENT:
            return units.text_percent(Decimal(v))
        if self.kind == Kind.HECTARE:
            return units.text_hectare(Decimal(v))
        if self.kind == Kind.MU:
            return f"{units.plain(Decimal(v), 0)}亩"
        if self.kind == Kind.WAN_M2:
            return f"{units.plain(Decimal(v))}万平方米"
        if self.kind == Kind.COUNT:
            return units.plain(Decimal(v))
        if self.kind == Kind.NAMES:
            return "、".join(v[:NAMES_IN_TEXT])
        return str(v)

    def is_empty(self) -> bool:
        return self.kind == Kind.NAMES and not self.value

    def as_json(self) -> dict:
        value = self.value
        if isinstance(value, Decimal):
            value = str(value)
        return {"kind": self.kind, "value": value, "link": self.link}

    @classmethod
    def from_json(cls, name: str, data: dict) -> Figure:
        value = data["value"]
        if data["kind"] in (Kind.MONEY, Kind.PERCENT, Kind.HECTARE, Kind.MU, Kind.WAN_M2):
            value = Decimal(value)
        return cls(name, data["kind"], value, data.get("link", ""))


@dataclass
class Context:
    """The figures of one report: flat ones, per-department ones (bound to `dept.*` while a
    department's paragraph is written) and the blocks that were not available."""

    year: int
    quarter: int
    scope: str  # 全县 or a department's name
    department: str = ""  # short name when the report covers one department
    figures: dict[str, Figure] = field(default_factory=dict)
    departments: list[dict[str, Figure]] = field(default_factory=list)
    missing_blocks: dict[str, str] = field(default_factory=dict)  # key → why
    # The projects behind the counts, for the .docx appendix: (caption, [[name, dept, cat]]).
    appendix: list = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "year": self.year,
            "quarter": self.quarter,
            "scope": self.scope,
            "department": self.department,
            "figures": {k: f.as_json() for k, f in sorted(self.figures.items())},
            "departments": [
                {k: f.as_json() for k, f in sorted(d.items())} for d in self.departments
            ],
            "missing_blocks": self.missing_blocks,
            "appendix": [[caption, rows] for caption, rows in self.appendix],
        }

    @classmethod
    def from_json(cls, data: dict) -> Context:
        return cls(
            year=data["year"],
            quarter=data["quarter"],
            scope=data["scope"],
            department=data.get("department", ""),
            figures={k: Figure.from_json(k, v) for k, v in data["figures"].items()},
            departments=[
                {k: Figure.from_json(k, v) for k, v in d.items()} for d in data["departments"]
            ],
            missing_blocks=dict(data.get("missing_blocks", {})),
            appendix=[(caption, rows) for caption, rows in data.get("appendix", [])],
        )


# --- the registry of stats blocks ------------------------------------------------------------

Provider = Callable[..., dict]


# The blocks the report's sections quote, and which app provides each: a section that needs a
# block nobody registered is left out with this reason shown in the preview.
EXPECTED_BLOCKS = {
    "land": "用地要素（规资）",
    "housing": "商品房销售与房交会（住建）",
    "fiscal": "财税任务",
    "funding": "资金到位",
    "reserve": "项目储备",
    "problems": "问题台账",
    "risks": "风险项目",
    "kpis": "考核指标",
    "ranking": "部门排名",
}


# --- building the context --------------------------------------------------------------------


def quarter_summary(year: int, quarter: int, projects, *, lists: bool = False):
    """The ledger summary the report quotes: the quarter's reporting period.

    The one call into the figures layer for ledger figures: a closed quarter is read from its
    frozen snapshot (figures.periods), so the report, the summary page and `stats` agree.
    `lists`: with the project lists an appendix prints, cut at APPENDIX_LIMIT; the names a
    sentence quotes of a closed quarter come from its snapshot (figures.ledger.behind_names and
    late_starts). An open period's are judged whole anyway.
    """
    from keyprojects.figures import ledger as ledger_figures
    from keyprojects.figures import periods

    period = periods.quarter_period(year, quarter)
    return ledger_figures.summary(
        period,
        projects=projects,
        list_limit=APPENDIX_LIMIT if period.final else None,
        lists=("behind", "not_started") if lists or not period.final else (),
    )


def _ledger_link(base_url: str, **params) -> str:
    return f"{base_url}?{urlencode({k: v for k, v in params.items() if v not in (None, '')})}"


def _names(pairs) -> list[str]:
    return [p.name for p, _ in pairs]


def build(year: int, quarter: int, **kwargs) -> Context:
    """Every figure of the `quarter` report of plan year `year` (see _build)."""
    from keyprojects.figures import ledger as ledger_figures

    with ledger_figures.shared_summaries():
        return _build(year, quarter, **kwargs)


def _build(
    year: int,
    quarter: int,
    *,
    projects=None,
    department=None,
    providers: dict[str, Provider] | None = None,
    list_url: str = "",
    appendix: bool = False,
) -> Context:
    """Every figure of the `quarter` report of plan year `year`.

    `projects` narrows the ledger (a user's scope); `department` makes it that department's
    report; `appendix`: with the tables of the projects behind the figures (ctx.appendix).
    `providers` defaults to the registered stats blocks. `list_url` is the ledger
    list's address, which figure links filter.
    """
    from keyprojects.figures import ledger as ledger_figures
    from keyprojects.ledger.models import Project

    base = projects if projects is not None else Project.objects.live()
    if department is not None:
        base = base.filter(department=department)
    summary = quarter_summary(year, quarter, base, lists=appendix)
    as_of = summary.as_of
    scope = department.name if department is not None else "全县"
    ctx = Context(year, quarter, scope, department.label if department is not None else "")

    def link(**params):
        if not list_url:
            return ""
        if department is not None:
            params.setdefault("department", department.pk)
        return _ledger_link(list_url, year=year, as_of=as_of.isoformat(), **params)

    def put(name, kind, value, link_=""):
        ctx.figures[name] = Figure(name, kind, value, link_)

    put("period.year", Kind.TEXT, str(year))
    put("period.quarter", Kind.TEXT, QUARTER_LABELS[quarter])
    put("period.as_of", Kind.TEXT, f"{as_of.year}年{as_of.month}月{as_of.day}日")
    put("period.scope", Kind.TEXT, scope)

    p, inv = summary.projects, summary.investment
    put("county.listed", Kind.COUNT, p.listed, link())
    put("county.total", Kind.COUNT, p.total, link(started=""))
    put("county.continuing", Kind.COUNT, p.continuing, link(category="continuing"))
    put("county.new", Kind.COUNT, p.new, link(category="new"))
    put("county.reserve", Kind.COUNT, p.reserve, link(category="reserve"))
    put("county.started", Kind.COUNT, p.started, link(started="true"))
    put("county.not_started", Kind.COUNT, p.not_started, link(started="false"))
    put("county.on_schedule", Kind.COUNT, p.on_schedule, link(started="true", behind="false"))
    put("county.behind_schedule", Kind.COUNT, p.behind_schedule, link(behind="true"))
    put("county.completed", Kind.COUNT, p.completed, link(status="completed"))
    put("county.red", Kind.COUNT, p.red, link(colour="red"))
    put("county.yellow", Kind.COUNT, p.yellow, link(colour="yellow"))
    if p.start_rate is not None:
        put("county.start_rate", Kind.PERCENT, p.start_rate, link(started="true"))
    put("county.total_investment", Kind.MONEY, inv.total_investment_wan, link())
    put(
        "county.reserve_investment",
        Kind.MONEY,
        inv.reserve_investment_wan,
        link(category="reserve"),
    )
    put("county.listed_investment", Kind.MONEY, inv.listed_investment_wan, link())
    put("county.annual_plan", Kind.MONEY, inv.annual_plan_wan, link())
    put("county.completed_ytd", Kind.MONEY, inv.completed_ytd_wan, link())
    if inv.investment_rate is not None:
        put("county.investment_rate", Kind.PERCENT, inv.investment_rate, link())
    if inv.expected_share is not None:
        put("county.expected_share", Kind.PERCENT, inv.expected_share)
    # A closed period's lists are read only for an appendix, and then cut: the names a sentence
    # quotes and the counts come from its snapshot (the county's were kept at the close).
    if summary.period.final:
        behind_by_dept = ledger_figures.behind_names(summary.period, base, per=NAMES_IN_TEXT)
        behind = [n for d in summary.departments for n in behind_by_dept.get(d.department_id, [])]
        late_names, late_count = ledger_figures.late_starts(
            summary.period, base, as_of, names=NAMES_IN_TEXT
        )
    else:
        behind_by_dept = {}
        for pr, _ in summary.behind_projects:
            behind_by_dept.setdefault(pr.department_id, []).append(pr.name)
        behind = _names(summary.behind_projects)
        late_names = [
            pr.name
            for pr, _ in summary.not_started_projects
            if pr.planned_start is not None and pr.planned_start <= as_of
        ]
        late_count = len(late_names)
    put("county.behind_names", Kind.NAMES, behind, link(behind="true"))
    put("county.late_start_names", Kind.NAMES, late_names, link(started="false"))
    put("county.late_start", Kind.COUNT, late_count, link(started="false"))

    def rows(pairs):
        return [[pr.name, pr.department.label, pr.get_category_display()] for pr, _ in pairs]

    def table(title, pairs, total):
        pairs = pairs[:APPENDIX_LIMIT]
        if len(pairs) < total:
            title = f"{title}（{total}个，列出前{len(pairs)}个；完整清单请从项目台账导出Excel）"
        else:
            title = f"{title}（{total}个）"
        return title, rows(pairs)

    if appendix:
        ctx.appendix = [
            table("一、未达到序时进度的项目", summary.behind_projects, p.behind_schedule),
            table("二、未开工项目", summary.not_started_projects, p.not_started),
        ]
    for d in summary.departments:
        label = d.short_name or d.name

        def dlink(_d=d, **params):
            return link(department=_d.department_id, **params)

        row = {
            "dept.name": Figure("dept.name", Kind.TEXT, d.name),
            "dept.short_name": Figure("dept.short_name", Kind.TEXT, label),
            "dept.listed": Figure("dept.listed", Kind.COUNT, d.listed, dlink()),
            "dept.total": Figure("dept.total", Kind.COUNT, d.total, dlink()),
            "dept.continuing": Figure(
                "dept.continuing", Kind.COUNT, d.continuing, dlink(category="continuing")
            ),
            "dept.new": Figure("dept.new", Kind.COUNT, d.new, dlink(category="new")),
            "dept.reserve": Figure(
                "dept.reserve", Kind.COUNT, d.reserve, dlink(category="reserve")
            ),
            "dept.started": Figure("dept.started", Kind.COUNT, d.started, dlink(started="true")),
            "dept.behind_schedule": Figure(
                "dept.behind_schedule", Kind.COUNT, d.behind_schedule, dlink(behind="true")
            ),
            "dept.total_investment": Figure(
                "dept.total_investment", Kind.MONEY, d.total_investment_wan, dlink()
            ),
            "dept.listed_investment": Figure(
                "dept.listed_investment", Kind.MONEY, d.listed_investment_wan, dlink()
            ),
            "dept.reserve_investment": Figure(
                "dept.reserve_investment",
                Kind.MONEY,
                d.reserve_investment_wan,
                dlink(category="reserve"),
            ),
            "dept.annual_plan": Figure("dept.annual_plan", Kind.MONEY, d.annual_plan_wan, dlink()),
            "dept.completed_ytd": Figure(
                "dept.completed_ytd", Kind.MONEY, d.completed_ytd_wan, dlink()
            ),
            "dept.behind_names": Figure(
                "dept.behind_names",
                Kind.NAMES,
                behind_by_dept.get(d.department_id, []),
                dlink(behind="true"),
            ),
        }
        if d.start_rate is not None:
            row["dept.start_rate"] = Figure(
                "dept.start_rate", Kind.PERCENT, d.start_rate, dlink(started="true")
            )
        ctx.departments.append(row)
        # The same figures under the department's own name, for any section to quote.
        for key, fig in row.items():
            name = f"departments.{label}.{key.removeprefix('dept.')}"
            ctx.figures[name] = Figure(name, fig.kind, fig.value, fig.link)

    providers = figure_blocks.providers() if providers is None else providers
    for key in EXPECTED_BLOCKS:
        if key not in providers:
            ctx.missing_blocks[key] = f"未安装提供“{EXPECTED_BLOCKS[key]}”数据的模块"
    for key, fn in providers.items():
        try:
            block = fn(year=year, quarter=quarter, period=summary.period)
        except LookupError as exc:  # a block with no data for the period says so
            ctx.missing_blocks[key] = str(exc) or "本期无数据"
            continue
        for fig in flatten(key, block):
            ctx.figures[fig.name] = fig
    return ctx


# --- flattening a block ----------------------------------------------------------------------


def kind_of(key: str, value) -> str:
    """A block value's kind from its key's unit suffix (the agreed naming: `_wan`, `_ha` …)."""
    if isinstance(value, str):
        return Kind.TEXT
    if key.endswith("wan_m2"):
        return Kind.WAN_M2
    if key.endswith("_wan") or key == "wan":
        return Kind.MONEY
    if key.endswith("_ha"):
        return Kind.HECTARE
    if key.endswith("_mu"):
        return Kind.MU
    if key.endswith(("_pct", "_rate")) or key in ("pct", "rate"):
        return Kind.PERCENT
    return Kind.COUNT


def _item_key(item: dict, index: int) -> str:
    for key in ("department", "short_name", "name", "key"):
        if isinstance(item.get(key), str) and item[key]:
            return item[key]
    return str(index + 1)


def flatten(prefix: str, value, links: dict | None = None) -> list[Figure]:
    """`{"land": {"new_construction_land_ha": …}}` → Figure("land.new_construction_land_ha").

    Lists of names become one NAMES figure; lists of rows become `prefix.<row's department or
    name>.<field>`; `_links` in a dict gives the address of the rows behind its figures.
    """
    out: list[Figure] = []
    if isinstance(value, dict):
        inner_links = value.get("_links", {}) or {}
        for key, inner in value.items():
            if key == "_links":
                continue
            out += flatten(f"{prefix}.{key}", inner, inner_links)
        return out
    leaf = prefix.rsplit(".", 1)[-1]
    link = (links or {}).get(leaf, "")
    if value is None:
        return out
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return [Figure(prefix, Kind.NAMES, list(value), link)]
        if all(isinstance(v, dict) for v in value):
            names = [v["name"] for v in value if isinstance(v.get("name"), str)]
            has_rows_key = any(isinstance(v.get("department"), str) for v in value)
            if names and not has_rows_key:
                out.append(Figure(prefix, Kind.NAMES, names, link))
            for i, item in enumerate(value):
                out += flatten(f"{prefix}.{_item_key(item, i)}", item)
        return out
    if isinstance(value, bool):
        return [Figure(prefix, Kind.TEXT, "是" if value else "否", link)]
    if isinstance(value, (date,)):
        return [Figure(prefix, Kind.TEXT, f"{value.year}年{value.month}月{value.day}日", link)]
    kind = kind_of(leaf, value)
    if kind != Kind.TEXT:
        value = Decimal(str(value))
        if kind == Kind.COUNT and value == value.to_integral_value():
            value = int(value)
    return [Figure(prefix, kind, value, link)]
