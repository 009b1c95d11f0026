"""The ledger's table (台账) for the importer: columns, header rules, import, export.

Import: every row is validated by keyprojects.ledger.forms.ProjectForm with the importing user
(so a reporter can only place projects in their own department), after the cell values are
read (units, text numbers, dates). Section rows (一、交通基础设施, 二、续建项目, 三、县住建委)
give their sector, category or department to the rows beneath. A value the file lacks is a
warning with the documented default (README.md “Missing is a warning”); a value present but
invalid is an error. The lookups the form would repeat for every row (department, unique code)
are answered from one query each; the database constraints still guard the write.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial

from django import forms

from keyprojects import stats
from keyprojects.core import permissions
from keyprojects.core.forms import labelled_errors
from keyprojects.core.models import Department
from keyprojects.dates import cn_date
from keyprojects.importer import constraints, values
from keyprojects.importer.adapter import Adapter
from keyprojects.importer.base import (
    Preview,
    Progress,
    RowsRead,
    cell,
    locate_tables,
)
from keyprojects.importer.columns import YEAR_PLAN, YTD, Column, synonym_table
from keyprojects.importer.exports import SheetWriter, cn_number, new_workbook, save_workbook
from keyprojects.importer.layout import section_label
from keyprojects.importer.reading import read_grids
from keyprojects.ledger import kpis, services
from keyprojects.ledger import permissions as ledger_permissions
from keyprojects.ledger.choices import (
    CONSTRUCTION_CATEGORIES,
    Category,
    FundingRoute,
    Nature,
    Sector,
    Status,
)
from keyprojects.ledger.forms import ProjectForm
from keyprojects.ledger.models import Project
from keyprojects.ledger.schedule import evaluation_month
from keyprojects.units import format_wan, round_half_up

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
        (
            "以前年度累计完成",
            "以前年度完成投资",
            "以前年度累计完成投资",
            "截至上年底累计完成",
            "以前年度完成",
            "以前年度已完成投资",
        ),
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
    Column("investment_rate", "年度完成率", "ignore", ("年度完成率", "完成率"), width=10),
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
    # Written by the export from the figures layer (period_verdicts); an import reads past them,
    # so an exported sheet goes back in unchanged.
    Column("colour", "序时预警", "ignore", ("序时预警", "预警"), width=8),
    Column("colour_reason", "预警原因", "ignore", ("预警原因", "序时预警原因"), width=26),
    Column("year", "计划年度", "int", ("计划年度", "年度"), width=8),
]


FORM_FIELDS = list(ProjectForm._meta.fields)
COLUMN = {c.key: c for c in LEDGER_COLUMNS}
# What a new project gets for a column the file does not have: the model's default. Funding is
# not among them: a file that does not say where the money comes from leaves it to be filled.
NEW_DEFAULTS = {
    f.name: str(f.get_default())
    for f in Project._meta.fields
    if f.name in FORM_FIELDS and f.has_default() and f.name != "funding_route"
}
# Blank cells that mean "nothing to say" rather than "clear it": a new project gets the
# default, an existing one keeps its value.
DEFAULTED = tuple(k for k in NEW_DEFAULTS if k not in ("year",)) + ("annual_plan_wan",)
CHOICES = {
    "category": Category,
    "sector": Sector,
    "nature": Nature,
    "status": Status,
    "funding_route": FundingRoute,
}
# Labels offices write that are not the system's own (the system's labels always work).
CHOICE_ALIASES = {
    "category": {
        "续建项目": "continuing",
        "新开工项目": "new",
        "新建项目": "new",
        "储备项目": "reserve",
        "前期项目": "reserve",
    },
    "sector": {
        "交通基础设施": "infrastructure",
        "交通": "infrastructure",
        "水利": "infrastructure",
        "能源": "infrastructure",
        "产业": "industry",
        "工业": "industry",
        "产业项目": "industry",
        "民生": "livelihood",
        "社会事业": "livelihood",
        "社会民生项目": "livelihood",
        "生态": "ecology",
        "环保": "ecology",
        "城建": "urban",
        "城市更新": "urban",
    },
    "status": {
        "已开工": "under_construction",
        "在建项目": "under_construction",
        "竣工": "completed",
        "完工": "completed",
        "已完工": "completed",
        "未开工项目": "not_started",
    },
    "funding_route": {
        "财政": "fiscal",
        "专项债": "special_bond",
        "债券": "special_bond",
        "中央预算内": "central",
        "自筹": "self",
        "社会资本": "social",
        "银行": "bank_loan",
    },
}

CHOICE_LOOKUP = {
    key: {
        **{values.header_key(a): v for a, v in CHOICE_ALIASES.get(key, {}).items()},
        **{values.header_key(label): value for value, label in choices.choices},
        **{value: value for value in choices.values},
    }
    for key, choices in CHOICES.items()
}
# A section row names a category or a sector when its text contains one of these words
# (longest first: 社会民生 before 民生).
SECTION_WORDS = {
    key: sorted(
        ((w, v) for w, v in CHOICE_LOOKUP[key].items() if not w.isascii()),
        key=lambda wv: -len(wv[0]),
    )
    for key in ("category", "sector")
}
_DEPARTMENT_END = re.compile(r"(委员会|委|局|办|办公室|中心|政府|街道|镇|乡|公司|集团)$")
FIELD_LABEL = {"category": "项目类别", "sector": "行业领域", "department": "牵头单位"}
# Shown for a new row in the preview: what the file's cells were read as.
PREVIEW_FIELDS = (
    "department",
    "category",
    "sector",
    "total_investment_wan",
    "completed_before_year_wan",
    "annual_plan_wan",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "status",
    "funding_route",
)
NATIONAL_CODE_LENGTH = 24  # 全国投资项目在线审批监管平台的项目代码


class _DepartmentField(forms.ModelChoiceField):
    """The form's department field answering from a dict loaded once (same allowed set)."""

    def __init__(self, original: forms.ModelChoiceField, allowed: dict[str, Department]):
        super().__init__(
            queryset=original.queryset, required=original.required, label=original.label
        )
        self._allowed = allowed

    def to_python(self, value):
        if value in self.empty_values:
            return None
        obj = self._allowed.get(str(value))
        if obj is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return obj


class ImportProjectForm(ProjectForm):
    """ProjectForm with its per-row lookups answered from the file's context."""

    def __init__(self, *args, context: "_Context", **kwargs):
        super().__init__(*args, **kwargs)
        self.context = context
        self.fields["department"] = _DepartmentField(self.fields["department"], context.allowed)
        # The model's CheckConstraints, evaluated without one query per constraint per row.
        self.instance.validate_constraints = partial(
            constraints.validate_constraints, self.instance
        )

    def rebind(self, data: dict, instance: Project) -> "ImportProjectForm":
        """The same form, bound to the next row: building a ModelForm deep-copies its 31
        fields, which was 40 % of an import's time. Validation is unchanged: full_clean()
        starts from empty errors and cleaned data, and the fields hold no per-row state."""
        self.data = data
        self.is_bound = True
        self.instance = instance
        self._errors = None
        instance.validate_constraints = partial(constraints.validate_constraints, instance)
        return self

    def _get_validation_exclusions(self):
        # The department came from the allowed departments loaded for this file, so the
        # model need not ask the database again whether it exists (one query per row).
        exclude = super()._get_validation_exclusions()
        if self.cleaned_data.get("department") is not None:
            exclude.add("department")
        return exclude

    def validate_unique(self):
        # Project.code is the only unique field: checked against all codes loaded once.
        code = self.cleaned_data.get("code")
        owner = self.context.code_owner.get(code) if code else None
        if owner is not None and owner != self.instance.pk:
            self.add_error("code", f"项目编号“{code}”已被其他项目使用")


@dataclass
class _Context:
    user: object
    year: int | None
    mapping: object
    allowed: dict[str, Department]
    code_owner: dict[str, int]
    scope: dict[str, Project]  # code → project the user may edit
    by_approval: dict[tuple[int, str], Project]
    by_name: dict[tuple[int, str], list[Project]]
    reporter: bool
    creates: list[Project] = field(default_factory=list)
    updates: list[tuple[Project, list[str]]] = field(default_factory=list)
    seen_codes: dict[str, int] = field(default_factory=dict)
    seen_pks: dict[int, int] = field(default_factory=dict)
    section_notes: dict[tuple[str, str], int] = field(default_factory=dict)
    pending: set[int] = field(default_factory=set)  # id() of new projects without a plan
    _form: ImportProjectForm | None = None

    def form(self, data: dict, instance: Project) -> ImportProjectForm:
        if self._form is None:
            self._form = ImportProjectForm(data, instance=instance, user=self.user, context=self)
            return self._form
        return self._form.rebind(data, instance)


def _context(user, year, mapping) -> _Context:
    allowed = {str(d.pk): d for d in ledger_permissions.departments_for_edit(user)}
    code_owner = dict(Project.objects.values_list("code", "pk"))
    scope_qs = ledger_permissions.projects_for(user).select_related("department")
    scope: dict[str, Project] = {}
    by_approval: dict[tuple[int, str], Project] = {}
    by_name: dict[tuple[int, str], list[Project]] = {}
    for p in scope_qs:
        scope[p.code] = p
        if p.approval_code:
            by_approval[(p.year, values.nfkc(p.approval_code).strip())] = p
        by_name.setdefault((p.year, p.name), []).append(p)
    return _Context(
        user,
        year,
        mapping,
        allowed,
        code_owner,
        scope,
        by_approval,
        by_name,
        permissions.is_reporter(user),
    )


def _form_value(project: Project, name: str) -> str:
    value = getattr(project, f"{name}_id" if name == "department" else name)
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _form_data(project: Project) -> dict[str, str]:
    """An existing project as the edit form would post it back unchanged (columns the file
    lacks keep their values). Multi-part widgets (分月计划) post one key per part."""
    data: dict[str, str] = {}
    for name in FORM_FIELDS:
        widget = ProjectForm.base_fields[name].widget
        if isinstance(widget, forms.MultiWidget):
            for i, part in enumerate(widget.decompress(getattr(project, name))):
                data[f"{name}_{i}"] = "" if part is None else str(part)
        else:
            data[name] = _form_value(project, name)
    return data


def _display(name: str, value) -> str:
    if value is None or value == "":
        return "（空）"
    if name in CHOICES:
        return str(CHOICES[name](value).label) if value in CHOICES[name].values else str(value)
    if name == "department":
        return str(value)
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def parse_cell(key: str, raw, unit: str, ctx: _Context) -> str:
    """A cell → the string the edit form expects for that field (CellError when unreadable).

    An unknown sector is not an error (the caller files it under 其他 with a warning)."""
    kind = COLUMN[key].kind
    if kind == "money":
        v = values.decimal(raw, unit=unit)
        return "" if v is None else str(v)
    if kind == "decimal":
        v = values.decimal(raw, places=6)
        return "" if v is None else str(v)
    if kind == "date":
        d = values.parse_date(raw)
        return "" if d is None else d.isoformat()
    if kind == "int":
        v = values.decimal(raw, places=0)
        return "" if v is None else str(int(v))
    if kind == "choice":
        if values.is_empty(raw):
            return ""
        found = CHOICE_LOOKUP[key].get(values.header_key(raw))
        if found:
            return found
        if key == "sector":
            raise UnknownSector(values.text(raw)[:20])
        labels = "、".join(str(label) for label in CHOICES[key].labels)
        raise values.CellError(f"“{values.text(raw)[:20]}”不是可选的值（可选：{labels}）")
    if kind == "department":
        name = values.text(raw)
        if not name:
            return ""  # blank: the section row, the reporter's unit or the project's own
        dept = ctx.mapping.department(name)
        if dept is None:
            raise UnknownDepartment(name[:50])
        return str(dept.pk)
    return values.text(raw)


class UnknownSector(values.CellError):
    pass


class UnknownDepartment(values.CellError):
    def __init__(self, name: str):
        super().__init__(f"单位“{name}”未识别，请在预览页选择对应的单位")
        self.name = name


def _special_header(keys: list[str]) -> str | None:
    last = keys[-1]
    if YEAR_PLAN.match(last):
        return "annual_plan_wan"
    # 2022年计划 / 计划投资: the year above says which plan the column is.
    if any(YEAR_PLAN.match(k) for k in keys[:-1]) and last in (
        "计划投资",
        "投资",
        "计划",
        "年度计划",
        "计划完成投资",
        "投资计划",
    ):
        return "annual_plan_wan"
    if YTD.match(last) or any(YTD.match(k) for k in keys[:-1]):
        return "ytd_wan"  # 投资完成情况 / 1-3月完成投资 / 其中：3月: figures, not imported
    return None


class LedgerAdapter(Adapter):
    kind = "ledger"
    label = "项目台账"
    columns = LEDGER_COLUMNS
    # 责任单位 names the lead department when the sheet has no 牵头单位 column.
    header_fallback = {"responsible_units": "department"}
    figure_keys = ("total_investment_wan", "annual_plan_wan", "completed_before_year_wan")
    models = (Project,)

    def special_header(self, keys, month):
        return _special_header(keys)

    def plan(self, data, filename, *, user, year=None, month=None, progress=None, mapping):
        return plan(data, filename, user=user, year=year, progress=progress, mapping=mapping)

    def write(self, plan, *, by, reason):
        return write(plan, by=by, reason=reason)

    def export(self, query, *, user, today):
        from keyprojects.ledger.filters import ProjectFilter

        base = ledger_permissions.projects_for(user)
        f = ProjectFilter.from_query(query, base, today)
        if not f.is_valid():
            raise ValueError("筛选条件无效：" + "；".join(labelled_errors(f.form)))
        data = export_ledger(
            f.qs,
            year=f.year,
            period=f.period,
            keys=export_columns(",".join(query.getlist("columns"))),
        )
        details = {
            "year": f.year,
            "filters": f.params.dict(),
            "rows": f.qs.filter(year=f.year).count(),
        }
        return data, f"{f.year}年重点项目台账.xlsx", details


def plan(
    data: bytes,
    filename: str,
    *,
    user,
    year: int | None = None,
    progress: Progress = None,
    mapping,
) -> tuple[Preview, _Context]:
    """Read and validate a ledger file; nothing is written. Returns the preview and the plan."""
    preview = Preview(kind="ledger")
    grids = read_grids(data, filename)
    tables = locate_tables(
        grids, "ledger", synonym_table("ledger", mapping.synonyms), None, preview
    )
    if not tables:
        preview.error(filename, None, "—", "未找到台账表头（至少需要“项目名称”等两列）")
        return preview, None
    ctx = _context(user, year, mapping)
    rows = RowsRead(tables, preview, progress)
    for grid, table in tables:
        if "name" not in table.columns:
            preview.error(grid.name, table.header_bottom + 1, "—", "缺少“项目名称”列")
            continue
        titled = title_year(table.title)
        ctx.year = year or titled
        if "year" not in table.columns and ctx.year is None:
            preview.error(
                grid.name, None, "—", "文件没有“计划年度”列，标题中也没有年份，请指定导入年度"
            )
            continue
        if "year" not in table.columns and year and titled and titled != year:
            preview.warn(
                grid.name, None, "—", f"标题是{titled}年，按指定的{year}年导入，请核对年度"
            )
        for key, y in table.header_years.items():
            if key == "annual_plan_wan" and ctx.year and y != ctx.year:
                preview.error(
                    grid.name,
                    table.header_bottom + 1,
                    table.column_name(key),
                    f"表头是{y}年计划，导入年度是{ctx.year}年，请核对年度",
                )
        for row_no, row, sections in rows.of(grid, table):
            _plan_row(preview, ctx, grid.name, table, row_no, row, sections)
    for (label, text), n in ctx.section_notes.items():
        preview.notes.append(f"{n} 行的{label}取自分组行“{text}”")
    rows.finish()
    return preview, ctx


def title_year(title: str) -> int | None:
    """2022 of a title such as “2022年全县重点项目台账”."""
    m = re.search(r"(20\d{2})\s*年", values.nfkc(title or ""))
    return int(m[1]) if m else None


def _section_attributes(preview, ctx: _Context, sheet, row_no, sections) -> dict:
    """{field: (value, section text)} that the open section rows give (deepest wins)."""
    out: dict[str, tuple[str, str]] = {}
    for text in sections:
        label = section_label(text)
        shown = re.sub(r"[（(]\s*[0-9０-９]+\s*个(?:项目)?\s*[）)]\s*$", "", text.strip())
        compact = values.header_key(label)
        dept = ctx.mapping.department(label)
        if dept is not None:  # first: 县交通运输委员会 is a department, not the sector 交通
            out["department"] = (str(dept.pk), shown)
            continue
        found = False
        for key in ("category", "sector"):
            for word, value in SECTION_WORDS[key]:
                if word in compact:
                    out[key] = (value, shown)
                    found = True
                    break
        if not found and _DEPARTMENT_END.search(compact):
            preview.unknown_department(label)
            out["department"] = ("?" + label, shown)
    return out


def _plan_row(preview, ctx: _Context, sheet, table, row_no, row, sections):
    parsed: dict[str, str] = {}
    failed: set[str] = set()  # cells already reported: the section does not stand in for them
    bad = False
    for key in table.columns:
        col = COLUMN[key]
        if col.kind == "ignore" or key not in FORM_FIELDS:
            continue
        try:
            parsed[key] = parse_cell(key, cell(row, table, key), table.units.get(key, "万元"), ctx)
        except UnknownSector as exc:
            preview.warn(
                sheet,
                row_no,
                table.column_name(key),
                f"行业领域“{exc.message}”不是可选的值，按“其他”导入",
            )
            parsed[key] = Sector.OTHER
        except UnknownDepartment as exc:
            preview.unknown_department(exc.name)
            preview.error(sheet, row_no, table.column_name(key), exc.message)
            failed.add(key)
            bad = True
        except values.CellError as exc:
            preview.error(sheet, row_no, table.column_name(key), exc.message)
            failed.add(key)
            bad = True
    if "year" in table.columns and parsed.get("year"):
        year = int(parsed["year"])
    else:
        year = ctx.year
        parsed["year"] = str(year)
    for key in ("department", "category", "sector"):
        if parsed.get(key) == "":
            del parsed[key]
    for key in DEFAULTED:
        if parsed.get(key) == "":
            del parsed[key]  # "—" or blank: the model's default for a new project (以前年度完成 0)
    from_section = _section_attributes(preview, ctx, sheet, row_no, sections)
    for key, (value, text) in from_section.items():
        if key in parsed or key in failed:
            continue
        if value.startswith("?"):
            preview.error(
                sheet,
                row_no,
                "—",
                f"分组行“{text}”的单位“{value[1:]}”未识别，请在预览页选择对应的单位",
            )
            bad = True
            continue
        parsed[key] = value
        note = (FIELD_LABEL[key], text)
        ctx.section_notes[note] = ctx.section_notes.get(note, 0) + 1
    if "department" not in parsed and ctx.reporter:
        parsed["department"] = str(ctx.user.department_id)
    name = parsed.get("name", "")
    code = parsed.get("code", "")
    existing = _match(preview, ctx, sheet, table, row_no, code, name, year, parsed)
    if existing is False or bad:
        return
    pending = False
    if existing is None:
        pending = _fill_missing(preview, ctx, sheet, table, row_no, parsed)
        data = dict(NEW_DEFAULTS)
        data.update(parsed)
        form = ctx.form(data, Project())
    else:
        for key in ("annual_plan_wan", "funding_route"):
            if parsed.get(key) == "":
                del parsed[key]  # a blank cell keeps what the project holds
        data = _form_data(existing)
        clears = existing.annual_plan_pending and Decimal(parsed.get("annual_plan_wan") or 0)
        if all(data[k] == v for k, v in parsed.items()) and not clears:
            # The file repeats what the project holds: nothing to validate or write.
            preview.unchanged += 1
            return
        data.update(parsed)
        data["version"] = str(existing.version)
        old = {f: getattr(existing, f"{f}_id" if f == "department" else f) for f in FORM_FIELDS}
        old["annual_plan_pending"] = existing.annual_plan_pending
        form = ctx.form(data, existing)
    if not form.is_valid():
        for fname, errs in form.errors.items():
            column = (
                table.column_name(fname)
                if fname in table.columns
                else (
                    "—"
                    if fname == "__all__"
                    else f"（{form.fields[fname].label}）"
                    if fname in form.fields
                    else "—"
                )
            )
            for e in errs:
                preview.error(sheet, row_no, column, str(e))
        return
    project = form.instance
    if existing is None:
        project.annual_plan_pending = pending
        ctx.creates.append(project)
        if project.code:
            ctx.code_owner[project.code] = -row_no
        preview.creates.append(
            {
                "sheet": sheet,
                "row": row_no,
                "code": project.code,
                "name": project.name,
                "values": _preview_values(ctx, project),
            }
        )
        return
    project.annual_plan_pending = project.annual_plan_pending and not project.annual_plan_wan
    changed = []
    for f in [*FORM_FIELDS, "annual_plan_pending"]:
        new = getattr(project, f"{f}_id" if f == "department" else f)
        if new != old[f]:
            changed.append(f)
    if not changed:
        preview.unchanged += 1
        return
    changes = []
    for f in changed:
        o, n = old[f], getattr(project, f"{f}_id" if f == "department" else f)
        if f == "department":
            o, n = ctx.mapping.department_name(o), ctx.mapping.department_name(n)
        if f == "annual_plan_pending":
            o, n = ("是" if o else "否"), ("是" if n else "否")
        changes.append(
            [str(Project._meta.get_field(f).verbose_name), _display(f, o), _display(f, n)]
        )
    ctx.updates.append((project, changed))
    preview.updates.append(
        {
            "sheet": sheet,
            "row": row_no,
            "code": project.code,
            "name": project.name,
            "changes": changes,
        }
    )


def _fill_missing(preview, ctx: _Context, sheet, table, row_no, parsed) -> bool:
    """Defaults for what a new project's row does not say, each with a warning (README.md).

    Returns True when the project has no annual plan yet (年度计划待补充)."""

    def warn(key, message):
        preview.warn(sheet, row_no, table.column_name(key), message)

    start = values.parse_date(parsed.get("actual_start") or None)
    year = int(parsed["year"]) if parsed.get("year") else None
    if "category" not in parsed:
        started_before = start is not None and year is not None and start.year < year
        parsed["category"] = Category.CONTINUING if started_before else Category.NEW
        label = Category(parsed["category"]).label
        warn("category", f"未填写项目类别，按“{label}”导入（依据实际开工日期），请核对")
    if "sector" not in parsed:
        parsed["sector"] = Sector.OTHER
        warn("sector", "未填写行业领域，也没有分组行说明，按“其他”导入")
    if not parsed.get("status"):
        end = parsed.get("actual_end")
        status = (
            Status.COMPLETED
            if end and parsed["category"] != Category.RESERVE
            else Status.UNDER_CONSTRUCTION
            if start and parsed["category"] != Category.RESERVE
            else Status.NOT_STARTED
        )
        parsed["status"] = status
        if status != Status.NOT_STARTED:
            warn("status", f"未填写建设状态，按实际开工/竣工日期取“{Status(status).label}”")
    if not parsed.get("funding_route"):
        parsed["funding_route"] = ""
        warn("funding_route", "未填写资金来源，导入后请补充")
    if parsed.get("annual_plan_wan"):
        return False
    parsed["annual_plan_wan"] = "0"
    if parsed["category"] in CONSTRUCTION_CATEGORIES:
        warn(
            "annual_plan_wan",
            "未填写年度计划投资：标记为“年度计划待补充”，补充前不判断序时进度",
        )
        return True
    return False  # 储备项目 has no annual plan


_PREVIEW_LABELS = {
    f: str(Project._meta.get_field(f).verbose_name).replace("（万元）", "") for f in PREVIEW_FIELDS
}


def _preview_values(ctx: _Context, project: Project) -> list[list[str]]:
    out = []
    for f in PREVIEW_FIELDS:
        value = getattr(project, f"{f}_id" if f == "department" else f)
        if value is None or value == "":
            continue
        if f == "department":
            value = ctx.mapping.department_name(value)
        label = _PREVIEW_LABELS[f]
        shown = format_wan(value) if f.endswith("_wan") else _display(f, value)
        out.append([label, shown])
    if project.annual_plan_pending:
        out.append(["年度计划", "待补充"])
    return out


def _match(preview, ctx: _Context, sheet, table, row_no, code, name, year, parsed):
    """The existing project a row updates, None for a new one, False after an error.

    By the national 24-character 项目代码 first, then the system's 项目编号, then the name
    within the row's department. A reporter is told the same thing whether a code belongs to
    another department or to nothing: pages never confirm that another unit's code exists.
    """
    national = values.nfkc(parsed.get("approval_code", "")).strip()
    if len(national) == NATIONAL_CODE_LENGTH:
        project = ctx.by_approval.get((year, national))
        if project is not None:
            if code and code != project.code:
                preview.error(
                    sheet,
                    row_no,
                    table.column_name("code"),
                    f"项目代码对应的项目编号是“{project.code}”，与本行的“{code}”不一致",
                )
                return False
            if code:
                ctx.seen_codes[code] = row_no
            return _once(preview, ctx, sheet, table, row_no, project)
    if code:
        first = ctx.seen_codes.get(code)
        if first:
            preview.error(
                sheet, row_no, table.column_name("code"), f"项目编号“{code}”与第{first}行重复"
            )
            return False
        ctx.seen_codes[code] = row_no
        project = ctx.scope.get(code)
        if project is None and ctx.reporter:
            preview.error(
                sheet,
                row_no,
                table.column_name("code"),
                f"本单位没有项目编号为“{code}”的项目；新项目请将项目编号留空，由系统编号",
            )
            return False
        if project is None and code in ctx.code_owner:
            preview.error(
                sheet,
                row_no,
                table.column_name("code"),
                f"项目编号“{code}”属于已删除的项目，请先在回收站恢复或改用新编号",
            )
            return False
        return _once(preview, ctx, sheet, table, row_no, project)
    candidates = ctx.by_name.get((year, name), [])
    if parsed.get("department"):
        candidates = [p for p in candidates if str(p.department_id) == parsed["department"]]
    if len(candidates) > 1:
        preview.error(
            sheet,
            row_no,
            table.column_name("name"),
            f"有{len(candidates)}个同名项目“{name}”，请填写项目编号或牵头单位以区分",
        )
        return False
    return _once(preview, ctx, sheet, table, row_no, candidates[0] if candidates else None)


def _once(preview, ctx, sheet, table, row_no, project):
    if project is None:
        return None
    first = ctx.seen_pks.get(project.pk)
    if first:
        preview.error(
            sheet, row_no, table.column_name("name"), f"与第{first}行是同一个项目（{project.code}）"
        )
        return False
    ctx.seen_pks[project.pk] = row_no
    return project


def write(ctx: _Context, *, by, reason: str) -> tuple[int, int]:
    """Write a validated plan through ledger.services.import_projects (one change set)."""
    return services.import_projects(ctx.creates, ctx.updates, by=by, reason=reason)


# --- export --------------------------------------------------------------------------------

# The ledger export leaves out what belongs to the system rather than the office's sheet.
LEDGER_EXPORT = [c for c in LEDGER_COLUMNS if c.key not in ("latitude", "longitude")]
_MONEY_KEYS = ("total_investment_wan", "completed_before_year_wan", "annual_plan_wan", "ytd_wan")
# Choice labels by value (get_FOO_display hashes its choices on every call: 0.6 s per 10,000).
_CHOICE_LABELS = {
    key: {value: str(label) for value, label in choices.choices} for key, choices in CHOICES.items()
}


def export_columns(text: str) -> list[str] | None:
    """`?columns=code,name,colour` → the chosen export columns in the sheet's own order (None:
    all of them). An unknown key is a Chinese ValueError naming it and the keys offered."""
    keys = [k.strip() for k in str(text).replace("，", ",").split(",") if k.strip()]
    if not keys:
        return None
    offered = {c.key: c.label for c in LEDGER_EXPORT}
    unknown = [k for k in keys if k not in offered]
    if unknown:
        names = "、".join(f"{k}（{v}）" for k, v in offered.items())
        raise ValueError(f"导出列“{'、'.join(unknown)}”不存在，可选的列：{names}")
    return [c.key for c in LEDGER_EXPORT if c.key in keys]


# What a printed A3 page shows unless the user adds columns: the 31 of the sheet fitted to one
# page width print too small to read, so the default is what the office reads across a row.
PRINT_DEFAULT = (
    "serial",
    "name",
    "department",
    "responsible_units",
    "total_investment_wan",
    "annual_plan_wan",
    "ytd_wan",
    "investment_rate",
    "status",
    "image_progress",
    "colour",
    "colour_reason",
)


@dataclass
class LedgerTable:
    """The ledger as the office lays it out: a section per lead department with its rows and
    小计, then one 合计. The Excel export and the print view both write this one table, so a
    column choice means the same in both."""

    year: int
    as_of: date
    month: int
    columns: list[Column]
    # (section heading, rows of values in column order, 小计 by column key)
    sections: list[tuple[str, list[list], dict[str, Decimal]]]
    total: dict[str, Decimal]
    count: int
    statement: str = ""  # the period's 数据截至… line


def ledger_table(
    projects,
    *,
    year: int,
    as_of: date | None = None,
    period=None,
    keys: list[str] | None = None,
) -> LedgerTable:
    """The table of `projects` (already filtered and in the user's scope) in `year`, with the
    columns `keys` (None: all). `period` (figures.periods) is the reporting period the list
    page showed: the verdicts are the frozen ones of a closed month, so paper and Excel say
    what the page said; without one, `as_of` is judged live. Sums and verdicts come from the
    figures layer (list_totals, ytd_total, period_verdicts) over the same rows."""
    from keyprojects.figures import ledger as ledger_figures
    from keyprojects.figures.periods import Period

    if period is None:
        period = Period(as_of.year, as_of.month, as_of, False)
    as_of = period.as_of
    in_year = projects.filter(year=year)
    rows = list(
        in_year.select_related("department").order_by(
            "department__order", "department__name", "code"
        )
    )
    month = evaluation_month(year, as_of)
    ytd: dict[int, Decimal] = {}
    ids = [p.pk for p in rows]
    for i in range(0, len(ids), 5000):
        ytd.update(stats.ytd_by_project(ids[i : i + 5000], year, month))
    columns = [
        Column(
            c.key,
            f"1-{month}月累计完成" if c.key == "ytd_wan" else c.label,
            c.kind,
            c.synonyms,
            c.group,
            c.width,
        )
        for c in LEDGER_EXPORT
        if keys is None or c.key in keys
    ]
    verdict_of = (
        ledger_figures.period_verdicts(rows, period)
        if {"colour", "colour_reason"} & {c.key for c in columns}
        else {}
    )
    money_keys = [c.key for c in columns if c.key in _MONEY_KEYS]

    def sums(qs) -> dict[str, Decimal]:
        figures = {**stats.list_totals(qs), "ytd_wan": stats.ytd_total(qs, year, month)}
        return {k: figures[k] for k in money_keys}

    groups: dict[int, list] = {}
    for p in rows:
        groups.setdefault(p.department_id, []).append(p)
    sections = []
    serial = 0
    for n, items in enumerate(groups.values(), start=1):
        dept = items[0].department
        cells = []
        for p in items:
            serial += 1
            done = ytd.get(p.pk, Decimal(0)) if p.category != Category.RESERVE else None
            cells.append(
                [_ledger_value(c.key, p, serial, done, verdict_of.get(p.pk)) for c in columns]
            )
        sections.append(
            (
                f"{cn_number(n)}、{dept.name}（{len(items)}个）",
                cells,
                sums(in_year.filter(department_id=dept.pk)),
            )
        )
    return LedgerTable(
        year, as_of, month, columns, sections, sums(in_year), len(rows), period.statement
    )


def export_ledger(
    projects,
    *,
    year: int,
    as_of: date | None = None,
    period=None,
    title: str = "",
    keys: list[str] | None = None,
) -> bytes:
    """The ledger of `projects` (already filtered and in the user's scope) as .xlsx bytes,
    with the columns `keys` (None: all), 序时预警 and its reason included by default; the
    period as in ledger_table."""
    table = ledger_table(projects, year=year, as_of=as_of, period=period, keys=keys)
    columns = table.columns
    wb = new_workbook()
    w = SheetWriter(
        wb,
        f"{year}年重点项目",
        columns,
        heading=title or f"{year}年重点项目台账",
        unit_line=f"单位：万元　　{table.statement}",
    )
    rate_at = [i for i, c in enumerate(columns) if c.key == "investment_rate"]

    def by_index(sums: dict[str, Decimal]) -> dict[int, Decimal]:
        return {i: sums[c.key] for i, c in enumerate(columns) if c.key in sums}

    for label, rows, subtotal in table.sections:
        w.label_row(label, bold=True)
        for row in rows:
            for i in rate_at:  # a percentage cell holds the fraction
                row[i] = float(row[i]) / 100 if row[i] is not None else None
            w.data(row)
        w.label_row("小计", by_index(subtotal))
    w.label_row(f"合计（{table.count}个项目）", by_index(table.total))
    return save_workbook(wb)


def print_text(column: Column, value) -> str:
    """A cell of the print view as read on paper: 万元 with separators, the house date, a rate
    with %, nothing for an empty cell."""
    if value is None or value == "":
        return ""
    if column.key in _MONEY_KEYS:
        return f"{round_half_up(Decimal(value), 2):,}"
    if column.key == "investment_rate":
        return f"{value}%"
    if isinstance(value, date):
        return cn_date(value)
    return str(value)


def _ledger_value(key: str, p, serial: int, done, verdict=None):
    if key == "serial":
        return serial
    if key == "colour":
        return verdict.colour.label if verdict is not None else None
    if key == "colour_reason":
        return verdict.reason_text or None if verdict is not None else None
    if key == "department":
        return p.department.name
    if key == "ytd_wan":
        return done
    if key == "investment_rate":
        return kpis.investment_rate(done, p.annual_plan_wan) if done is not None else None
    if key in _CHOICE_LABELS:
        return _CHOICE_LABELS[key].get(getattr(p, key), getattr(p, key))
    value = getattr(p, key)
    return value if value != "" else None
