"""Monthly dispatch tables (月度调度表) → monthly reports of month N, all or nothing.

Rows are matched to projects by code, else by name (+ department when the name is ambiguous).
The file's 1–N月 figure is the truth: the month's own amount is that figure minus what the
system already holds for months 1..N−1 (approved or submitted), so after the import the
system's year-to-date equals the file's. A 其中：N月 column that disagrees is an error, a
年度完成率 that disagrees a warning: both are read and checked, never trusted over the figures.

Imported by the office the reports are approved (as if submitted and approved by the office);
imported by a department reporter they are submitted, for that department's projects only.
Field values are checked with the model's own validators (MonthlyReport.clean_fields).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from keyprojects.core import permissions as core_permissions
from keyprojects.dispatch import services as dispatch_services
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.dispatch.models import MonthlyReport
from keyprojects.importer import values
from keyprojects.importer.base import (
    Preview,
    Progress,
    cell,
    data_rows,
    locate_tables,
)
from keyprojects.importer.columns import synonym_table
from keyprojects.importer.layout import section_label
from keyprojects.importer.reading import read_grids
from keyprojects.ledger import kpis
from keyprojects.ledger import permissions as ledger_permissions
from keyprojects.ledger.choices import Category
from keyprojects.ledger.models import Project

ZERO = Decimal(0)
RATE_TOLERANCE = Decimal("0.6")  # percentage points: files often round the rate to integers
TEXT_FIELDS = ("progress_text", "problems", "next_steps")


@dataclass
class _Context:
    user: object
    year: int
    month: int
    office: bool
    by_code: dict[str, Project]
    by_name: dict[str, list[Project]]
    visible: set[int]
    earlier: dict[int, Decimal]
    pending_earlier: dict[int, list[int]]
    current: dict[int, MonthlyReport]
    creates: list[MonthlyReport] = field(default_factory=list)
    updates: list[MonthlyReport] = field(default_factory=list)
    seen: dict[int, int] = field(default_factory=dict)


def _context(user, year: int, month: int) -> _Context:
    projects = list(
        Project.objects.live().filter(year=year).select_related("department").order_by("pk")
    )
    visible = set(
        ledger_permissions.projects_for(user).filter(year=year).values_list("pk", flat=True)
    )
    by_code = {p.code: p for p in projects}
    by_name: dict[str, list[Project]] = {}
    for p in projects:
        by_name.setdefault(values.header_key(p.name), []).append(p)
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
    current = {r.project_id: r for r in MonthlyReport.objects.filter(year=year, month=month)}
    return _Context(
        user,
        year,
        month,
        core_permissions.is_office(user),
        by_code,
        by_name,
        visible,
        earlier,
        pending,
        current,
    )


def plan(
    data: bytes,
    filename: str,
    *,
    user,
    year: int,
    month: int,
    progress: Progress = None,
    extra_synonyms=(),
) -> tuple[Preview, _Context | None]:
    """Read and check a dispatch table for month N of `year`; nothing is written."""
    preview = Preview(kind="dispatch")
    if not (core_permissions.is_office(user) or core_permissions.is_reporter(user)):
        preview.error(filename, None, "—", "您的角色不能导入调度表")
        return preview, None
    grids = read_grids(data, filename)
    tables = locate_tables(
        grids, "dispatch", synonym_table("dispatch", extra_synonyms), month, preview
    )
    if not tables:
        preview.error(filename, None, "—", "未找到调度表表头（至少需要“项目名称”和投资完成列）")
        return preview, None
    ctx = _context(user, year, month)
    total = sum(len(g.rows) - t.data_start for g, t in tables)
    done = 0
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
        for row_no, row, section in data_rows(grid, table, preview):
            preview.rows_read += 1
            _plan_row(preview, ctx, grid.name, table, row_no, row, section)
            done += 1
            if progress and done % 200 == 0:
                progress(done, total)
    if progress:
        progress(total, total)
    return preview, ctx


def _money(preview, sheet, table, row_no, row, key):
    try:
        return values.decimal(cell(row, table, key), unit=table.units.get(key, "万元")), True
    except values.CellError as exc:
        preview.error(sheet, row_no, table.column_name(key), exc.message)
        return None, False


def _find(preview, ctx: _Context, sheet, table, row_no, row, section):
    code = values.text(cell(row, table, "code"))
    name = values.text(cell(row, table, "name"))
    dept = values.text(cell(row, table, "department")) or section_label(section)
    if code:
        project = ctx.by_code.get(code)
        if project is None:
            preview.error(
                sheet,
                row_no,
                table.column_name("code"),
                f"未找到{ctx.year}年项目编号为“{code}”的项目（{name}）",
            )
            return None
    else:
        candidates = ctx.by_name.get(values.header_key(name), [])
        if len(candidates) > 1 and dept:
            candidates = [
                p for p in candidates if dept in (p.department.name, p.department.short_name)
            ]
        if not candidates:
            preview.error(
                sheet,
                row_no,
                table.column_name("name"),
                f"未找到{ctx.year}年的项目“{name}”" + (f"（{dept}）" if dept else ""),
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
    if project.pk not in ctx.visible:
        preview.error(
            sheet,
            row_no,
            table.column_name("name"),
            f"项目“{project.name}”不属于您的单位，不能填报",
        )
        return None
    first = ctx.seen.get(project.pk)
    if first:
        preview.error(
            sheet, row_no, table.column_name("name"), f"与第{first}行是同一个项目（{project.code}）"
        )
        return None
    ctx.seen[project.pk] = row_no
    return project


def _plan_row(preview, ctx: _Context, sheet, table, row_no, row, section):
    project = _find(preview, ctx, sheet, table, row_no, row, section)
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
    texts = {k: values.text(cell(row, table, k)) for k in TEXT_FIELDS if k in table.columns}
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


def _stage(preview, ctx: _Context, sheet, table, row_no, project, amount, texts):
    report = ctx.current.get(project.pk)
    target = ReportStatus.APPROVED if ctx.office else ReportStatus.SUBMITTED
    if report is None and amount == 0 and not any(texts.values()):
        # Nothing reported and nothing to report: the system's year-to-date already equals
        # the file's, and an exported table imports back without creating empty reports.
        preview.unchanged += 1
        return
    if report is None:
        report = MonthlyReport(
            project=project, year=ctx.year, month=ctx.month, invested_wan=amount, **texts
        )
        old = None
    else:
        old = {
            "invested_wan": report.invested_wan,
            "status": report.status,
            **{k: getattr(report, k) for k in texts},
        }
        same = report.invested_wan == amount and all(
            getattr(report, k) == v for k, v in texts.items()
        )
        if same and (report.status == target or report.status == ReportStatus.APPROVED):
            preview.unchanged += 1
            return
        if not ctx.office and report.status == ReportStatus.APPROVED:
            preview.error(
                sheet,
                row_no,
                table.column_name("ytd"),
                f"“{project.name}”{ctx.month}月报告已审核，不能再修改，请联系办公室",
            )
            return
        report.invested_wan = amount
        for k, v in texts.items():
            setattr(report, k, v)
    try:
        report.clean_fields(exclude=["project", "submitted_by", "reviewed_by"])
    except ValidationError as exc:
        for fname, msgs in exc.message_dict.items():
            key = "ytd" if fname == "invested_wan" else fname
            for msg in msgs:
                preview.error(sheet, row_no, table.column_name(key), msg)
        return
    report.status = target
    if old is None:
        ctx.creates.append(report)
        preview.creates.append(
            {
                "sheet": sheet,
                "row": row_no,
                "code": project.code,
                "name": project.name,
                "amount": str(amount),
            }
        )
        return
    changes = []
    labels = {
        "invested_wan": f"{ctx.month}月完成投资（万元）",
        "status": "状态",
        "progress_text": "形象进度",
        "problems": "存在问题",
        "next_steps": "下一步工作及时限",
    }
    for k, o in old.items():
        n = getattr(report, k)
        if o != n:
            if k == "status":
                o, n = ReportStatus(o).label, ReportStatus(n).label
            changes.append([labels[k], str(o) or "（空）", str(n) or "（空）"])
    ctx.updates.append(report)
    preview.updates.append(
        {
            "sheet": sheet,
            "row": row_no,
            "code": project.code,
            "name": project.name,
            "changes": changes,
        }
    )


def write(ctx: _Context, *, by, reason: str) -> tuple[int, int]:
    """Create and update the month's reports with one history row each (as `by`)."""
    now = timezone.now()
    late = dispatch_services.is_late(ctx.year, ctx.month, now)
    for r in ctx.creates + ctx.updates:
        if r.pk is not None:
            r.version += 1
        r.updated_at = now
        if r.submitted_at is None or r.status == ReportStatus.SUBMITTED:
            r.submitted_at, r.submitted_by, r.is_late = now, by, late
        if r.status == ReportStatus.APPROVED:
            r.reviewed_at, r.reviewed_by, r.review_comment = now, by, ""
    for r in ctx.creates:
        r.created_at = now
    if ctx.creates:
        bulk_create_with_history(
            ctx.creates,
            MonthlyReport,
            batch_size=500,
            default_user=by,
            default_change_reason=reason,
            default_date=now,
        )
    if ctx.updates:
        fields = [
            "invested_wan",
            *TEXT_FIELDS,
            "status",
            "submitted_at",
            "submitted_by",
            "is_late",
            "reviewed_at",
            "reviewed_by",
            "review_comment",
            "version",
            "updated_at",
        ]
        bulk_update_with_history(
            ctx.updates,
            MonthlyReport,
            fields=fields,
            batch_size=500,
            default_user=by,
            default_change_reason=reason,
            default_date=now,
        )
    return len(ctx.creates), len(ctx.updates)
