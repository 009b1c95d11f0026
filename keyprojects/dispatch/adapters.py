"""The monthly dispatch table (月度调度表) for the importer: columns, header rules, import into
monthly reports of month N through dispatch.services, and the export.

Rows are matched to projects by code, else by name (+ department when the name is ambiguous).
The file's 1–N月 figure is the truth: the month's own amount is that figure minus what the
system already holds for months 1..N−1 (approved or submitted), so after the import the
system's year-to-date equals the file's. A 其中：N月 column that disagrees is an error, a
年度完成率 that disagrees a warning: both are read and checked, never trusted over the figures.

Every write is a dispatch.services transition, so the web form's rules hold: a report only for
a started project and for months from its start (services.start_errors), a submitted or
approved report is never changed (services.locked_message). A department reporter's import
saves and submits; the office's import saves, submits and approves (history shows 审核通过).
A reporter's messages never name another department's projects or say which codes exist.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db.models import F, Sum
from django.utils import timezone

from keyprojects import stats
from keyprojects.core import permissions
from keyprojects.dispatch import services as dispatch_services
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.dispatch.models import MonthlyReport
from keyprojects.importer import values
from keyprojects.importer.adapter import Adapter
from keyprojects.importer.base import (
    Preview,
    Progress,
    RowsRead,
    cell,
    locate_tables,
)
from keyprojects.importer.columns import ONE_MONTH, RANGE, YTD, Column, synonym_table
from keyprojects.importer.exports import (
    SheetWriter,
    column_sums,
    new_workbook,
    save_workbook,
    write_by_department,
)
from keyprojects.importer.layout import section_label
from keyprojects.importer.reading import read_grids
from keyprojects.ledger import kpis
from keyprojects.ledger import permissions as ledger_permissions
from keyprojects.ledger.choices import Category
from keyprojects.ledger.models import Project

ZERO = Decimal(0)
RATE_TOLERANCE = Decimal("0.6")  # percentage points: files often round the rate to integers
TEXT_FIELDS = ("progress_text", "problems", "next_steps")

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


def _month_column(keys: list[str], month: int | None) -> str | None:
    """1-N月 / 合计, 其中：1-(N−1)月, 其中：N月 read against the import month N."""
    last = keys[-1]
    group_is_ytd = any(YTD.match(k) for k in keys[:-1])
    if last in ("合计", "小计", "累计") and group_is_ytd:
        return "ytd"
    m = RANGE.match(last)
    if m:
        return "prior"
    m = YTD.match(last)
    if m:
        n = int(m[1])
        if group_is_ytd or (month is not None and n == month - 1 and len(keys) > 1):
            return "prior"
        return "ytd"
    m = ONE_MONTH.match(last)
    if m and (month is None or int(m[1]) == month):
        return "month_amount"
    if m and month == 2 and int(m[1]) == 1:
        return "prior"  # 其中：1月 is 1–(N−1)月 when N is 2
    if last in ("当月", "本月", "其中当月", "其中：当月", "其中:当月"):
        return "month_amount"
    return None


class DispatchAdapter(Adapter):
    kind = "dispatch"
    label = "月度调度表"
    columns = DISPATCH_COLUMNS
    figure_keys = ("total_investment_wan", "annual_plan_wan", "ytd", "month_amount")
    needs_month = True
    models = (MonthlyReport,)

    def special_header(self, keys, month):
        return _month_column(keys, month)

    def plan(self, data, filename, *, user, year, month, progress=None, mapping):
        return plan(
            data, filename, user=user, year=year, month=month, progress=progress, mapping=mapping
        )

    def write(self, plan, *, by, reason):
        return write(plan, by=by, reason=reason)

    def export(self, query, *, user, today):
        from keyprojects.ledger.filters import ProjectFilter

        try:
            ym = values.month_of(query.get("month", ""))
        except values.CellError:
            ym = None
        if ym is None:
            raise ValueError("请指定月份，如 ?month=2022-03")
        year, month = ym
        params = query.copy()
        params["year"] = str(year)
        params.pop("month", None)
        f = ProjectFilter(
            params,
            queryset=ledger_permissions.projects_for(user),
            as_of=stats.month_end(year, month),
        )
        if not f.is_valid():
            raise ValueError("筛选条件无效")
        data = export_dispatch(f.qs, year=year, month=month)
        details = {"year": year, "month": month, "filters": params.dict(), "rows": f.qs.count()}
        return data, f"{year}年{month}月重点项目调度表.xlsx", details


@dataclass
class _Write:
    """One report to write: created or changed (saved, submitted, and approved by the office),
    or only approved (a submitted report the office's file confirms)."""

    project: Project
    report: MonthlyReport | None
    amount: Decimal
    texts: dict
    approve_only: bool = False


@dataclass
class _Context:
    user: object
    year: int
    month: int
    office: bool
    mapping: object
    by_code: dict[str, Project]
    by_name: dict[str, list[Project]]
    earlier: dict[int, Decimal]
    pending_earlier: dict[int, list[int]]
    current: dict[int, MonthlyReport]
    today: object
    writes: list[_Write] = field(default_factory=list)
    seen: dict[int, int] = field(default_factory=dict)


def _context(user, year: int, month: int, mapping) -> _Context:
    # A reporter's file is read against their own projects only, so a row naming another
    # department's project is “not found”, exactly like a code that exists nowhere.
    scope = (
        Project.objects.live()
        if permissions.is_office(user)
        else ledger_permissions.projects_for(user)
    )
    projects = list(
        scope.filter(year=year, deleted_at__isnull=True).select_related("department").order_by("pk")
    )
    by_code = {p.code: p for p in projects}
    by_name: dict[str, list[Project]] = {}
    for p in projects:
        by_name.setdefault(values.header_key(p.name), []).append(p)
    ids = [p.pk for p in projects]
    earlier: dict[int, Decimal] = {}
    rows = (
        MonthlyReport.objects.filter(
            year=year,
            month__lt=month,
            status__in=(ReportStatus.APPROVED, ReportStatus.SUBMITTED),
        )
        .values("project_id")
        .annotate(total=Sum("invested_wan"))
    )
    for r in rows:
        earlier[r["project_id"]] = Decimal(r["total"]).quantize(Decimal("0.01"))
    pending: dict[int, list[int]] = {}
    for pid, m in (
        MonthlyReport.objects.filter(year=year, month__lt=month)
        .exclude(status=ReportStatus.APPROVED)
        .values_list("project_id", "month")
    ):
        pending.setdefault(pid, []).append(m)
    current = {
        r.project_id: r
        for r in MonthlyReport.objects.filter(year=year, month=month, project_id__in=ids)
    }
    return _Context(
        user,
        year,
        month,
        permissions.is_office(user),
        mapping,
        by_code,
        by_name,
        earlier,
        pending,
        current,
        timezone.localdate(),
    )


def plan(
    data: bytes,
    filename: str,
    *,
    user,
    year: int,
    month: int,
    progress: Progress = None,
    mapping,
) -> tuple[Preview, _Context | None]:
    """Read and check a dispatch table for month N of `year`; nothing is written."""
    preview = Preview(kind="dispatch")
    if not (permissions.is_office(user) or permissions.is_reporter(user)):
        preview.error(filename, None, "—", "您的角色不能导入调度表")
        return preview, None
    grids = read_grids(data, filename)
    tables = locate_tables(
        grids, "dispatch", synonym_table("dispatch", mapping.synonyms), month, preview
    )
    if not tables:
        preview.error(filename, None, "—", "未找到调度表表头（至少需要“项目名称”和投资完成列）")
        return preview, None
    ctx = _context(user, year, month, mapping)
    rows = RowsRead(tables, preview, progress)
    for grid, table in tables:
        if not ({"ytd", "month_amount"} & set(table.columns)):
            preview.error(
                grid.name,
                table.header_bottom + 1,
                "—",
                f"缺少“1-{month}月完成投资”列（或“其中：{month}月”列）",
            )
            continue
        for key, n in table.header_months.items():
            if key == "ytd" and n != month:
                preview.error(
                    grid.name,
                    table.header_bottom + 1,
                    table.column_name(key),
                    f"表头是1-{n}月，导入月份是{month}月，请核对月份",
                )
        for key, y in table.header_years.items():
            if key in ("ytd", "prior", "month_amount") and y != year:
                preview.error(
                    grid.name,
                    table.header_bottom + 1,
                    table.column_name(key),
                    f"表头是{y}年，导入的是{year}年{month}月，请核对年份",
                )
        for row_no, row, sections in rows.of(grid, table):
            _plan_row(preview, ctx, grid.name, table, row_no, row, sections)
    rows.finish()
    return preview, ctx


def _money(preview, sheet, table, row_no, row, key):
    try:
        return values.decimal(cell(row, table, key), unit=table.units.get(key, "万元")), True
    except values.CellError as exc:
        preview.error(sheet, row_no, table.column_name(key), exc.message)
        return None, False


def _find(preview, ctx: _Context, sheet, table, row_no, row, sections):
    code = values.text(cell(row, table, "code"))
    name = values.text(cell(row, table, "name"))
    written = values.text(cell(row, table, "department"))
    dept = ctx.mapping.department(written) if written else None
    if dept is None:
        for text in reversed(sections):
            dept = ctx.mapping.department(section_label(text))
            if dept is not None:
                break
    if code:
        project = ctx.by_code.get(code)
        if project is None:
            where = "您单位" if not ctx.office else ""
            preview.error(
                sheet,
                row_no,
                table.column_name("code"),
                f"未在{where}{ctx.year}年的项目中找到项目编号“{code}”（{name}）",
            )
            return None
    else:
        candidates = ctx.by_name.get(values.header_key(name), [])
        if len(candidates) > 1 and dept is not None:
            candidates = [p for p in candidates if p.department_id == dept.pk]
        if not candidates:
            where = "您单位" if not ctx.office else ""
            preview.error(
                sheet,
                row_no,
                table.column_name("name"),
                f"未在{where}{ctx.year}年的项目中找到“{name}”"
                + (f"（{written}）" if written else ""),
            )
            return None
        if len(candidates) > 1:
            preview.error(
                sheet,
                row_no,
                table.column_name("name"),
                f"有{len(candidates)}个同名项目“{name}”，请填写项目编号或牵头单位",
            )
            return None
        project = candidates[0]
    first = ctx.seen.get(project.pk)
    if first:
        preview.error(
            sheet, row_no, table.column_name("name"), f"与第{first}行是同一个项目（{project.code}）"
        )
        return None
    ctx.seen[project.pk] = row_no
    return project


def _plan_row(preview, ctx: _Context, sheet, table, row_no, row, sections):
    project = _find(preview, ctx, sheet, table, row_no, row, sections)
    if project is None:
        return
    ytd, ok1 = _money(preview, sheet, table, row_no, row, "ytd")
    prior, ok2 = _money(preview, sheet, table, row_no, row, "prior")
    month_amount, ok3 = _money(preview, sheet, table, row_no, row, "month_amount")
    if not (ok1 and ok2 and ok3):
        return
    if project.category == Category.RESERVE:
        if any(v for v in (ytd, prior, month_amount)):
            preview.error(
                sheet, row_no, table.column_name("ytd"), f"“{project.name}”是储备项目，不填报投资"
            )
        else:
            preview.skipped.append(
                {"sheet": sheet, "row": row_no, "reason": "储备项目", "text": project.name}
            )
        return
    earlier = ctx.earlier.get(project.pk, ZERO)
    if ytd is None and month_amount is None:
        preview.skipped.append(
            {"sheet": sheet, "row": row_no, "reason": "无投资数据", "text": project.name}
        )
        return
    n, m = ctx.month, ctx.month
    if ytd is None:
        ytd = (prior if prior is not None else earlier) + month_amount
    elif prior is not None and month_amount is not None and prior + month_amount != ytd:
        preview.error(
            sheet,
            row_no,
            table.column_name("ytd"),
            f"合计{ytd}万元不等于其中1-{n - 1}月{prior}万元与{m}月{month_amount}万元之和",
        )
        return
    if ctx.office and ctx.pending_earlier.get(project.pk):
        months = "、".join(f"{x}月" for x in sorted(ctx.pending_earlier[project.pk]))
        preview.error(
            sheet,
            row_no,
            table.column_name("ytd"),
            f"“{project.name}”{months}的报告尚未审核，请先审核后再导入{m}月",
        )
        return
    derived = ytd - earlier
    if derived < 0:
        preview.error(
            sheet,
            row_no,
            table.column_name("ytd"),
            f"1-{n}月累计{ytd}万元小于系统已有的1-{n - 1}月合计{earlier}万元",
        )
        return
    if month_amount is not None and month_amount != derived:
        preview.error(
            sheet,
            row_no,
            table.column_name("month_amount"),
            f"{m}月填写为{month_amount}万元，但按1-{n}月累计{ytd}万元减系统已有"
            f"1-{n - 1}月{earlier}万元应为{derived}万元",
        )
        return
    if prior is not None and prior != earlier:
        preview.warn(
            sheet,
            row_no,
            table.column_name("prior"),
            f"其中1-{n - 1}月填写为{prior}万元，系统已有{earlier}万元；以1-{n}月累计为准",
        )
    _check_rate(preview, sheet, table, row_no, row, ytd, project)
    texts = {
        k: "" if values.is_empty(raw) else values.text(raw)  # “—” says there is nothing
        for k in TEXT_FIELDS
        if k in table.columns
        for raw in [cell(row, table, k)]
    }
    _stage(preview, ctx, sheet, table, row_no, project, derived, texts)


def _check_rate(preview, sheet, table, row_no, row, ytd, project):
    if "rate" not in table.columns:
        return
    try:
        read = values.percent(cell(row, table, "rate"))
    except values.CellError as exc:
        preview.warn(sheet, row_no, table.column_name("rate"), exc.message + "，已忽略")
        return
    computed = kpis.investment_rate(ytd, project.annual_plan_wan)
    if read is None or computed is None:
        return
    if not any(c is not None and abs(c - computed) <= RATE_TOLERANCE for c in read):
        shown = read[1] if read[1] is not None and read[0] <= 1 else read[0]
        preview.warn(
            sheet,
            row_no,
            table.column_name("rate"),
            f"年度完成率填写为{shown.normalize():f}%，按投资数字计算为{computed}%，以投资数字为准",
        )


LABELS = {
    "invested_wan": "完成投资（万元）",
    "status": "状态",
    "progress_text": "形象进度",
    "problems": "存在问题",
    "next_steps": "下一步工作及时限",
}


def _stage(preview, ctx: _Context, sheet, table, row_no, project, amount, texts):
    report = ctx.current.get(project.pk)
    target = ReportStatus.APPROVED if ctx.office else ReportStatus.SUBMITTED
    if report is None and amount == 0 and not any(texts.values()):
        # Nothing reported and nothing to report: the system's year-to-date already equals
        # the file's, and an exported table imports back without creating empty reports.
        preview.unchanged += 1
        return
    column = table.column_name("ytd" if "ytd" in table.columns else "month_amount")
    if report is None:
        # The web form's own rule, with its own words (dispatch.services.start_errors).
        errors = dispatch_services.start_errors(project, ctx.year, ctx.month, today=ctx.today)
        for message in errors:
            preview.error(sheet, row_no, column, message)
        if errors:
            return
        draft = MonthlyReport(
            project=project, year=ctx.year, month=ctx.month, invested_wan=amount, **texts
        )
        if not _valid(preview, sheet, table, row_no, draft):
            return
        ctx.writes.append(_Write(project, None, amount, texts))
        preview.creates.append(
            {
                "sheet": sheet,
                "row": row_no,
                "code": project.code,
                "name": project.name,
                "amount": str(amount),
                "values": [
                    [f"{ctx.month}月完成投资", f"{amount:,}万元"],
                    ["状态", ReportStatus(target).label],
                ],
            }
        )
        return
    same = report.invested_wan == amount and all(getattr(report, k) == v for k, v in texts.items())
    if same and (report.status == target or report.status == ReportStatus.APPROVED):
        preview.unchanged += 1
        return
    if report.status not in dispatch_services.EDITABLE and not same:
        # Submitted or approved: only a transition changes it, as on the report page.
        preview.error(sheet, row_no, column, dispatch_services.locked_message(report))
        return
    changes = []
    if same:  # the office's file confirms a submitted report: the approve transition
        ctx.writes.append(_Write(project, report, amount, texts, approve_only=True))
    else:
        old = {"invested_wan": report.invested_wan, **{k: getattr(report, k) for k in texts}}
        report.invested_wan = amount
        for k, v in texts.items():
            setattr(report, k, v)
        if not _valid(preview, sheet, table, row_no, report):
            return
        for k, o in old.items():
            new = getattr(report, k)
            if o != new:
                changes.append([LABELS[k], str(o) or "（空）", str(new) or "（空）"])
        ctx.writes.append(_Write(project, report, amount, texts))
    changes.append(["状态", ReportStatus(report.status).label, ReportStatus(target).label])
    preview.updates.append(
        {
            "sheet": sheet,
            "row": row_no,
            "code": project.code,
            "name": project.name,
            "changes": changes,
        }
    )


def _valid(preview, sheet, table, row_no, report) -> bool:
    try:
        report.clean_fields(exclude=["project", "submitted_by", "reviewed_by"])
    except ValidationError as exc:
        for fname, msgs in exc.message_dict.items():
            key = "ytd" if fname == "invested_wan" else fname
            for msg in msgs:
                preview.error(sheet, row_no, table.column_name(key), msg)
        return False
    return True


def write(ctx: _Context, *, by, reason: str) -> tuple[int, int]:
    """All reports through dispatch.services.import_reports: save_draft → submit (→ approve by
    the office) in bulk, under the same rules as one report at a time.

    Side effects: the services' history rows, each naming the import (`reason`)."""
    rows = [
        dispatch_services.ImportRow(w.report, {}, approve_only=True)
        if w.approve_only
        else dispatch_services.ImportRow(
            w.report or MonthlyReport(project=w.project, year=ctx.year, month=ctx.month),
            {"invested_wan": w.amount, **w.texts},
        )
        for w in ctx.writes
    ]
    return dispatch_services.import_reports(
        rows, by=by, approve=ctx.office, note=reason, today=ctx.today
    )


# --- export --------------------------------------------------------------------------------


def dispatch_columns(month: int) -> list[Column]:
    group = f"1-{month}月完成投资（万元）"
    cols = [
        Column("serial", "序号", "ignore", width=6),
        Column("code", "项目编号", "text", width=14),
        Column("name", "项目名称", "text", width=30),
        Column("department", "牵头单位", "text", width=18),
        Column("leader", "责任领导", "ignore", width=10),
        Column("total_investment_wan", "总投资（万元）", "money", width=12),
        Column("annual_plan_wan", "年度计划投资（万元）", "money", width=12),
        Column("ytd", "合计", "money", group=group, width=12),
    ]
    if month > 1:
        label = "其中：1月" if month == 2 else f"其中：1-{month - 1}月"
        cols.append(Column("prior", label, "money", group=group, width=12))
    cols += [
        Column("month_amount", f"其中：{month}月", "money", group=group, width=12),
        Column("rate", "年度完成率", "percent", width=10),
        Column("progress_text", "形象进度", "text", width=30),
        Column("problems", "存在问题", "text", width=24),
        Column("next_steps", "下一步工作及时限", "text", width=24),
    ]
    return cols


def export_dispatch(projects, *, year: int, month: int) -> bytes:
    """Month N's dispatch table of `projects` (filtered, in scope): approved figures only.

    1–N月 is the approved year-to-date (stats.ytd_by_project), 其中 the earlier months and
    month N; reserve projects carry no figures and are left out. Subtotals and the total come
    from the figures layer (stats.list_totals, stats.ytd_total) over the same rows.
    """
    in_plan = projects.filter(year=year).exclude(category=Category.RESERVE)
    # Plain rows, not model instances: building 10,000 projects and their departments was a
    # third of the export's time.
    rows = [
        SimpleNamespace(**r)
        for r in in_plan.order_by("department__order", "department__name", "code").values(
            "pk",
            "code",
            "name",
            "leader",
            "department_id",
            "total_investment_wan",
            "annual_plan_wan",
            department_name=F("department__name"),
        )
    ]
    ids = [p.pk for p in rows]
    ytd: dict[int, Decimal] = {}
    prior: dict[int, Decimal] = {}
    reports: dict[int, dict] = {}
    for i in range(0, len(ids), 5000):
        chunk = ids[i : i + 5000]
        ytd.update(stats.ytd_by_project(chunk, year, month))
        prior.update(stats.ytd_by_project(chunk, year, month - 1))
        reports.update(
            (pid, {"progress_text": a, "problems": b, "next_steps": c})
            for pid, a, b, c in MonthlyReport.objects.approved()
            .filter(project_id__in=chunk, year=year, month=month)
            .values_list("project_id", "progress_text", "problems", "next_steps")
        )
    columns = dispatch_columns(month)

    def sums(qs) -> dict[int, Decimal]:
        done = stats.ytd_total(qs, year, month)
        before = stats.ytd_total(qs, year, month - 1)
        figures = {**stats.list_totals(qs), "ytd": done, "prior": before}
        figures["month_amount"] = done - before
        return column_sums(columns, figures)

    def line(p, serial: int) -> list:
        done, before = ytd.get(p.pk, ZERO), prior.get(p.pk, ZERO)
        report = reports.get(p.pk)
        rate = kpis.investment_rate(done, p.annual_plan_wan)
        figures = {
            "total_investment_wan": p.total_investment_wan,
            "annual_plan_wan": p.annual_plan_wan,
            "ytd": done,
            "prior": before,
            "month_amount": done - before,
        }
        out = []
        for c in columns:
            if c.key in figures:
                out.append(figures[c.key])
            elif c.key == "serial":
                out.append(serial)
            elif c.key == "department":
                out.append(p.department_name)
            elif c.key == "rate":
                out.append(float(rate) / 100 if rate is not None else None)
            elif c.key in TEXT_FIELDS:
                out.append((report or {}).get(c.key) or None)
            else:
                out.append(getattr(p, c.key) or None)
        return out

    wb = new_workbook()
    w = SheetWriter(
        wb,
        f"{year}年{month}月",
        columns,
        heading=f"{year}年1-{month}月重点项目推进情况调度表",
        unit_line="单位：万元",
    )
    write_by_department(
        w,
        rows,
        department_name=lambda p: p.department_name,
        line=line,
        subtotal=lambda department_id: sums(in_plan.filter(department_id=department_id)),
        total=sums(in_plan),
    )
    return save_workbook(wb)
