"""Excel out, in the layout offices print: title, unit line, merged two-row header, sections by
department with 小计, a 合计 row, number formats, frozen header, widths, A3 landscape with the
header repeated on each page. Written with openpyxl's write-only mode (streaming).

What is exported imports back unchanged: the headers are the importer's own column labels,
sections and totals are rows the importer skips, and text starting with = + - @ is stored as
text (never a formula).
"""

from copy import copy
from datetime import date
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

from django.db.models import F
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from keyprojects import stats
from keyprojects.importer.columns import LEDGER_COLUMNS, Column
from keyprojects.ledger import kpis
from keyprojects.ledger.choices import Category, FundingRoute, Nature, Sector, Status
from keyprojects.ledger.schedule import evaluation_month

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"
_CN_NUM = "一二三四五六七八九十"
_thin = Side(style="thin", color="808080")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEAD_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=16)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)
FORMULA_START = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\u2212")

# The ledger export leaves out what belongs to the system rather than the office's sheet.
LEDGER_EXPORT = [c for c in LEDGER_COLUMNS if c.key not in ("latitude", "longitude")]


def cn_number(n: int) -> str:
    if n <= 10:
        return _CN_NUM[n - 1]
    if n < 20:
        return "十" + _CN_NUM[n - 11]
    tens, ones = divmod(n, 10)
    return _CN_NUM[tens - 1] + "十" + (_CN_NUM[ones - 1] if ones else "")


class SheetWriter:
    """One write-only sheet with the office layout; rows are appended in order."""

    def __init__(
        self, wb: Workbook, title: str, columns: list[Column], *, heading: str, unit_line: str
    ):
        self.ws = wb.create_sheet(title)
        self._styles: dict = {}
        self.columns = columns
        self.width = len(columns)
        self.formats = [
            MONEY_FORMAT
            if c.kind == "money" or c.key in _MONEY_KEYS
            else PERCENT_FORMAT
            if c.key in ("completion_rate", "rate")
            else None
            for c in columns
        ]
        # Long text (names, 建设内容, 形象进度, 问题) wraps inside its column instead of running
        # over its neighbours on the printed sheet.
        self.wrap_over = [c.width if c.kind == "text" and c.width >= 16 else 0 for c in columns]
        self.row = 0
        for i, c in enumerate(columns, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = c.width
        # Write-only sheets write their head (views, properties) with the first row: set
        # everything that lives there before appending. Title, unit line, 2 header rows.
        name_col = next((i for i, c in enumerate(columns) if c.key == "name"), 0)
        self.ws.freeze_panes = f"{get_column_letter(name_col + 2)}5"
        self.ws.print_title_rows = "3:4"
        ps = self.ws.page_setup
        ps.orientation = "landscape"
        ps.paperSize = 8  # A3
        ps.fitToWidth = 1
        ps.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        self.ws.print_options.horizontalCentered = True
        self.ws.print_options.gridLines = True
        self._merged_row(heading, TITLE_FONT, height=30)
        self._merged_row(unit_line, None)
        self._header()

    def _cell(self, value, *, font=None, align=None, fmt=None, border=True):
        cell = WriteOnlyCell(self.ws, value=value)
        if isinstance(value, str) and value.startswith(FORMULA_START):
            cell.data_type = "s"  # text, never a formula
        if font:
            cell.font = font
        if align:
            cell.alignment = align
        if fmt:
            cell.number_format = fmt
        if border:
            cell.border = BORDER
        return cell

    def _data_cell(self, value, fmt, wrap_over=0):
        # Data cells carry no border of their own (the page prints grid lines): writing a
        # style per cell doubles the export time of a 10,000-row ledger.
        if value is None:
            return None
        # A CJK character takes about two width units.
        wrap = wrap_over and isinstance(value, str) and len(value) * 2 > wrap_over
        if (
            fmt is None
            and not wrap
            and not (isinstance(value, str) and value.startswith(FORMULA_START))
        ):
            return value
        cell = WriteOnlyCell(self.ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text, never a formula
        if wrap:
            style = self._styles.get("wrap")
            if style is None:
                cell.alignment = WRAP
                self._styles["wrap"] = copy(cell._style)
            else:
                cell._style = copy(style)
        if fmt:
            # The style of a number format is registered once and copied: setting
            # number_format on each of 50,000 cells looks it up in the workbook every time.
            style = self._styles.get(fmt)
            if style is None:
                cell.number_format = fmt
                self._styles[fmt] = copy(cell._style)
            else:
                cell._style = copy(style)
        return cell

    def _merged_row(self, text: str, font, height=None):
        self.row += 1
        self.ws.append([self._cell(text, font=font, border=False)])
        if self.width > 1:
            self.ws.merged_cells.add(f"A{self.row}:{get_column_letter(self.width)}{self.row}")
        if height:
            self.ws.row_dimensions[self.row].height = height

    def _header(self):
        top, bottom = self.row + 1, self.row + 2
        first, second = [], []
        i = 0
        while i < self.width:
            col = self.columns[i]
            if col.group:
                j = i
                while j < self.width and self.columns[j].group == col.group:
                    j += 1
                first.append(self._cell(col.group, font=HEAD_FONT, align=CENTER))
                first += [self._cell(None) for _ in range(i + 1, j)]
                second += [
                    self._cell(c.label, font=HEAD_FONT, align=CENTER) for c in self.columns[i:j]
                ]
                if j - i > 1:
                    self.ws.merged_cells.add(
                        f"{get_column_letter(i + 1)}{top}:{get_column_letter(j)}{top}"
                    )
                i = j
            else:
                first.append(self._cell(col.label, font=HEAD_FONT, align=CENTER))
                second.append(self._cell(None))
                letter = get_column_letter(i + 1)
                self.ws.merged_cells.add(f"{letter}{top}:{letter}{bottom}")
                i += 1
        self.ws.append(first)
        self.ws.append(second)
        self.row += 2

    def data(self, values: list):
        out = []
        for fmt, v, wrap_over in zip(self.formats, values, self.wrap_over, strict=True):
            if isinstance(v, Decimal):
                v = float(v)
            if fmt is None and isinstance(v, date):
                fmt = DATE_FORMAT
            out.append(self._data_cell(v, fmt, wrap_over))
        self.ws.append(out)
        self.row += 1

    def label_row(self, label: str, sums: dict[int, Decimal] | None = None, *, bold=True):
        """A section or subtotal row: label across the left, sums under their columns."""
        first_sum = min(sums) if sums else self.width
        out = [self._cell(label, font=HEAD_FONT if bold else None)]
        out += [self._cell(None) for _ in range(1, first_sum)]
        for i in range(first_sum, self.width):
            v = (sums or {}).get(i)
            out.append(
                self._cell(
                    float(v) if v is not None else None,
                    font=HEAD_FONT,
                    fmt=MONEY_FORMAT if v is not None else None,
                )
            )
        self.ws.append(out)
        self.row += 1
        if first_sum > 1:
            self.ws.merged_cells.add(f"A{self.row}:{get_column_letter(first_sum)}{self.row}")


def _save(wb: Workbook) -> bytes:
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_ledger(projects, *, year: int, as_of: date, title: str = "") -> bytes:
    """The ledger of `projects` (already filtered and in the user's scope) as .xlsx bytes."""
    rows = list(
        projects.filter(year=year)
        .select_related("department")
        .order_by("department__order", "department__name", "code")
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
    ]
    wb = Workbook(write_only=True)
    w = SheetWriter(
        wb,
        f"{year}年重点项目",
        columns,
        heading=title or f"{year}年重点项目台账",
        unit_line=f"单位：万元　　统计截至：{as_of.year}年{as_of.month}月{as_of.day}日",
    )
    money_index = {c.key: i for i, c in enumerate(columns) if c.key in _MONEY_KEYS}
    groups: dict[int, list] = {}
    for p in rows:
        groups.setdefault(p.department_id, []).append(p)
    serial = 0
    totals = {k: Decimal(0) for k in money_index}
    for n, items in enumerate(groups.values(), start=1):
        dept = items[0].department
        w.label_row(f"{cn_number(n)}、{dept.name}（{len(items)}个）", bold=True)
        sub = {k: Decimal(0) for k in money_index}
        for p in items:
            serial += 1
            done = ytd.get(p.pk, Decimal(0)) if p.category != Category.RESERVE else None
            w.data([_ledger_value(c.key, p, serial, done) for c in columns])
            for k in money_index:
                v = done if k == "ytd_wan" else getattr(p, k)
                sub[k] += v or 0
        w.label_row("小计", {money_index[k]: v for k, v in sub.items()})
        for k in totals:
            totals[k] += sub[k]
    w.label_row(f"合计（{len(rows)}个项目）", {money_index[k]: v for k, v in totals.items()})
    return _save(wb)


_MONEY_KEYS = ("total_investment_wan", "completed_before_year_wan", "annual_plan_wan", "ytd_wan")


# Choice labels by value (get_FOO_display hashes its choices on every call: 0.6 s per 10,000).
_CHOICE_LABELS = {
    key: {value: str(label) for value, label in choices.choices}
    for key, choices in {
        "category": Category,
        "sector": Sector,
        "nature": Nature,
        "status": Status,
        "funding_route": FundingRoute,
    }.items()
}


def _ledger_value(key: str, p, serial: int, done):
    if key == "serial":
        return serial
    if key == "department":
        return p.department.name
    if key == "ytd_wan":
        return done
    if key == "completion_rate":
        rate = kpis.investment_rate(done, p.annual_plan_wan) if done is not None else None
        return float(rate) / 100 if rate is not None else None
    if key in _CHOICE_LABELS:
        return _CHOICE_LABELS[key].get(getattr(p, key), getattr(p, key))
    value = getattr(p, key)
    return value if value != "" else None


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
    month N; reserve projects carry no figures and are left out.
    """
    from keyprojects.dispatch.models import MonthlyReport

    # Plain rows, not model instances: building 10,000 projects and their departments was a
    # third of the export's time.
    rows = [
        SimpleNamespace(**r)
        for r in projects.filter(year=year)
        .exclude(category=Category.RESERVE)
        .order_by("department__order", "department__name", "code")
        .values(
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
    money_keys = ("total_investment_wan", "annual_plan_wan", "ytd", "prior", "month_amount")
    money_index = {c.key: i for i, c in enumerate(columns) if c.key in money_keys}
    wb = Workbook(write_only=True)
    w = SheetWriter(
        wb,
        f"{year}年{month}月",
        columns,
        heading=f"{year}年1-{month}月重点项目推进情况调度表",
        unit_line="单位：万元",
    )
    groups: dict[int, list] = {}
    for p in rows:
        groups.setdefault(p.department_id, []).append(p)
    serial = 0
    totals = {k: Decimal(0) for k in money_index}
    for n, items in enumerate(groups.values(), start=1):
        w.label_row(f"{cn_number(n)}、{items[0].department_name}（{len(items)}个）")
        sub = {k: Decimal(0) for k in money_index}
        for p in items:
            serial += 1
            done, before = ytd.get(p.pk, Decimal(0)), prior.get(p.pk, Decimal(0))
            report = reports.get(p.pk)
            rate = kpis.investment_rate(done, p.annual_plan_wan)
            figures = {
                "total_investment_wan": p.total_investment_wan,
                "annual_plan_wan": p.annual_plan_wan,
                "ytd": done,
                "prior": before,
                "month_amount": done - before,
            }
            line = []
            for c in columns:
                if c.key in figures:
                    line.append(figures[c.key])
                elif c.key == "serial":
                    line.append(serial)
                elif c.key == "department":
                    line.append(p.department_name)
                elif c.key == "rate":
                    line.append(float(rate) / 100 if rate is not None else None)
                elif c.key in ("progress_text", "problems", "next_steps"):
                    line.append((report or {}).get(c.key) or None)
                else:
                    line.append(getattr(p, c.key) or None)
            w.data(line)
            for k in money_index:
                sub[k] += figures[k]
        w.label_row("小计", {money_index[k]: v for k, v in sub.items()})
        for k in totals:
            totals[k] += sub[k]
    w.label_row(f"合计（{len(rows)}个项目）", {money_index[k]: v for k, v in totals.items()})
    return _save(wb)
