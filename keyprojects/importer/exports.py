"""Excel out, in the layout offices print: title, unit line, merged two-row header, sections by
department with 小计, a 合计 row, number formats, frozen header, widths, A3 landscape with the
header repeated on each page. Written with openpyxl's write-only mode (streaming). The rows
and their figures come from each table's adapter (ledger/adapters.py, dispatch/adapters.py).

What is exported imports back unchanged: the headers are the importer's own column labels,
sections and totals are rows the importer skips, and text starting with = + - @ is stored as
text (never a formula).
"""

from collections.abc import Callable
from copy import copy
from datetime import date
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from keyprojects.importer.columns import Column

MONEY_FORMAT = "#,##0.00"
# The house date (2022年3月5日) as an Excel format: the cell stays a real date, so sorting,
# filtering and the import read it as one.
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
PERCENT_FORMAT = "0.0%"
_CN_NUM = "一二三四五六七八九十"
_thin = Side(style="thin", color="808080")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEAD_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=16)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)
FORMULA_START = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\u2212")


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
            if c.kind == "money" or c.key.endswith("_wan")  # 万元 figures the import ignores
            else PERCENT_FORMAT
            if c.kind == "percent" or c.key.endswith("rate")
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


def column_sums(columns: list[Column], figures: dict) -> dict[int, Decimal]:
    """The cells of a 小计 or 合计 row: {column index: figure} for each column `figures` has a
    figure for (the figures layer's totals, keyed like the columns)."""
    return {i: figures[c.key] for i, c in enumerate(columns) if c.key in figures}


def write_by_department(
    w: SheetWriter,
    rows: list,
    *,
    department_name: Callable[[object], str],
    line: Callable[[object, int], list],
    subtotal: Callable[[int], dict[int, Decimal]],
    total: dict[int, Decimal],
) -> None:
    """The body of an office table: `rows` (ordered by department, each with a department_id)
    in one section a department, opened by “一、name（n个）” and closed by 小计 (`subtotal`
    of its department id), then 合计 (`total`). `line(row, serial)` gives a data row's
    values; the serial number runs on across sections, as the offices number their sheets."""
    groups: dict[int, list] = {}
    for row in rows:
        groups.setdefault(row.department_id, []).append(row)
    serial = 0
    for n, (department_id, items) in enumerate(groups.items(), start=1):
        w.label_row(f"{cn_number(n)}、{department_name(items[0])}（{len(items)}个）")
        for row in items:
            serial += 1
            w.data(line(row, serial))
        w.label_row("小计", subtotal(department_id))
    w.label_row(f"合计（{len(rows)}个项目）", total)


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def save_workbook(wb: Workbook) -> bytes:
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
