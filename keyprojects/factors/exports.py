"""Excel export of a factor table: title, unit line, one header row of the fields' labels (the
import reads the same labels back), 亩 beside every 公顷 column, and text that starts with
= + - @ stored as text, never a formula (as importer/exports.py does)."""

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.db import models
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from keyprojects import dates, units
from keyprojects.importer.exports import BORDER, DATE_FORMAT, FORMULA_START, MONEY_FORMAT

AREA_FORMAT = "0.0000"


def mu_label(label: str) -> str:
    # Not "（亩）": header matching drops unit suffixes, and the column would collide with 公顷.
    return label.replace("（公顷）", "") + "折合亩数"


def cell_value(obj, name: str):
    """The value as the import reads it back: labels for choices, names for linked records."""
    f = obj._meta.get_field(name)
    if isinstance(f, models.ManyToManyField):
        return "、".join(p.name for p in getattr(obj, name).all())
    value = getattr(obj, name)
    if value is None:
        return None
    if f.choices:
        return str(getattr(obj, f"get_{name}_display")())
    if isinstance(f, models.ForeignKey):
        return getattr(value, "name", None) or str(value)
    return value


def headers(t) -> list[tuple[str, str | None]]:
    """(label, field name or None for a derived column)."""
    out = []
    for name in t.fields:
        label = t.field_label(name)
        out.append((label, name))
        if name.endswith("_ha"):
            out.append((mu_label(label), None))
    return out


def workbook(t, qs, *, year: int | None, today: date) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = t.title[:31].replace("/", "、")
    cols = headers(t)
    ws.append([f"{t.title}{f'（{year}年）' if year else ''}"])
    ws.append([f"单位：面积公顷（折合亩）、平方米；金额万元。导出日期：{dates.cn_date(today)}"])
    ws.append([label for label, _ in cols])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, len(cols)))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    for i, (label, _) in enumerate(cols, start=1):
        c = ws.cell(row=3, column=i)
        c.font = Font(bold=True)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = BORDER
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(label) * 2 + 2))
    ws.freeze_panes = "A4"
    r = 3
    for obj in qs:
        r += 1
        last_ha = None
        for i, (_label, name) in enumerate(cols, start=1):
            if name is None:
                value = units.ha_to_mu(last_ha, 2) if last_ha is not None else None
            else:
                value = cell_value(obj, name)
                if name.endswith("_ha"):
                    last_ha = value
            c = ws.cell(row=r, column=i, value=value)
            if isinstance(value, str) and value.startswith(FORMULA_START):
                c.data_type = "s"  # text, never a formula
            elif isinstance(value, date):
                c.number_format = DATE_FORMAT
            elif isinstance(value, Decimal):
                c.number_format = AREA_FORMAT if (name or "").endswith("_ha") else MONEY_FORMAT
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
