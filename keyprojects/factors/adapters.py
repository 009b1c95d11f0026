"""Excel import of the factor tables, as plain functions the importer's registry wires in:

    read_<table>(path_or_file, *, by, commit=False) -> importer.base.Preview

Each reads every visible sheet (importer.reading: .xlsx/.xls/.ods, hostile files refused),
finds the header row by the fields' labels (the export writes the same labels), parses each
row (importer.values), builds or updates the record with the same natural key, validates it as
the form would, and — when `commit` and nothing is wrong — writes every row through
services.save_many in one transaction (all or nothing). Problems name sheet, row and column in
Chinese. Derived columns (折合亩数) and unknown columns are listed and not imported.
"""

import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction

from keyprojects.core import permissions as core
from keyprojects.core.errors import NotAllowed
from keyprojects.core.models import Department
from keyprojects.factors import exports, permissions, services
from keyprojects.factors import models as fm
from keyprojects.factors.tables import TABLES
from keyprojects.importer import values
from keyprojects.importer.adapter import Adapter
from keyprojects.importer.base import ImportRejected, Preview
from keyprojects.importer.columns import Column
from keyprojects.importer.layout import col_letter
from keyprojects.importer.reading import UnreadableFile, read_grids
from keyprojects.ledger import permissions as ledger_permissions

HEADER_SCAN_ROWS = 15


class NotPermitted(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _load(path_or_file) -> tuple[bytes, str]:
    if isinstance(path_or_file, (str, Path)):
        p = Path(path_or_file)
        return p.read_bytes(), p.name
    data = path_or_file.read()
    return data, getattr(path_or_file, "name", "upload.xlsx") or "upload.xlsx"


def _find_header(grid, labels: dict[str, str], required: set[str]):
    """(row index, {field: column}, [unknown column labels]) of the best header row, or None."""
    best = None
    for r, row in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        found = {}
        for c, v in enumerate(row):
            key = values.header_key(v) if isinstance(v, str) else ""
            if key in labels and labels[key] not in found and c not in grid.hidden_cols:
                found[labels[key]] = c
        if required <= set(found) and (best is None or len(found) > len(best[1])):
            unknown = [
                f"{col_letter(c)}列（{values.text(v)}）"
                for c, v in enumerate(row)
                if values.text(v) and c not in found.values()
            ]
            best = (r, found, unknown)
    return best


def _project(text_value: str):
    from keyprojects.ledger.models import Project

    live = Project.objects.live()
    by_code = live.filter(code=text_value).first()
    if by_code:
        return by_code
    matches = list(live.filter(name=text_value).order_by("-year")[:2])
    if not matches:
        raise values.CellError(f"找不到名为“{text_value[:40]}”的重点项目")
    if len(matches) > 1:
        raise values.CellError(f"“{text_value[:40]}”对应多个年度的项目，请改填项目编号")
    return matches[0]


def _department(text_value: str):
    d = (
        Department.objects.filter(name=text_value).first()
        or Department.objects.filter(short_name=text_value).first()
    )
    if d is None:
        raise values.CellError(f"找不到单位“{text_value[:40]}”")
    return d


def _choice(f, raw: str):
    s = values.nfkc(raw).strip()
    for value, label in f.choices:
        if s in (value, str(label), str(label).removeprefix("其中")):
            return value
    labels = "、".join(str(label) for _, label in f.choices)
    raise values.CellError(f"“{raw[:20]}”不是可选值（应为：{labels}）")


def _integer(raw) -> int:
    d = values.decimal(raw, places=0)
    if d is None:
        return None
    if d < 0:
        raise values.CellError("不能为负数")
    return int(d)


def parse(f, raw):
    """One cell → the field's Python value (raises values.CellError with a Chinese message)."""
    if values.is_empty(raw):
        return None
    if isinstance(f, models.ManyToManyField):
        names = [n for n in re.split(r"[、,，;；\n]+", values.text(raw)) if n.strip()]
        return [_project(n.strip()) for n in names]
    if isinstance(f, models.ForeignKey):
        s = values.text(raw)
        if f.related_model is Department:
            return _department(s)
        if f.related_model is fm.FiscalTask:
            task = next((t for t in fm.FiscalTask.objects.all() if str(t) == s), None)
            if task is None:
                raise values.CellError(f"找不到财税任务“{s[:40]}”（格式如“2022年规资财税任务”）")
            return task
        return _project(s)
    if f.choices:
        return _choice(f, values.text(raw))
    if isinstance(f, models.DateField):
        return values.parse_date(raw)
    if isinstance(f, models.DecimalField):
        return values.decimal(raw, places=f.decimal_places)
    if isinstance(f, (models.IntegerField,)):
        return _integer(raw)
    return values.text(raw)


def read_table(slug: str, path_or_file, *, by, commit: bool = False) -> Preview:
    """Read (and with `commit`, write) one factor table from a spreadsheet. All or nothing:
    with any error nothing is written and ImportRejected carries the preview."""
    data, filename = _load(path_or_file)
    preview, planned = plan_table(slug, data, filename, by=by)
    return _finish(preview, planned, commit, by=by)


def plan_table(slug: str, data: bytes, filename: str, *, by, kind: str = "") -> tuple:
    """Read and check one factor table; write nothing. (Preview, planned rows for save_many);
    raises NotPermitted when `by` may not enter this table."""
    t = TABLES[slug]
    if not permissions.can_create(by, t.kind):
        raise NotPermitted(f"您没有导入“{t.title}”的权限")
    preview = Preview(kind=kind or f"factors:{slug}")
    try:
        grids = read_grids(data, filename)
    except UnreadableFile as exc:
        preview.error(filename, None, "—", exc.message)
        return preview, []
    labels = {values.header_key(t.field_label(n)): n for n in t.fields}
    required = {n for n in t.key if n in t.fields}
    planned = []
    seen: dict[tuple, str] = {}
    for grid in grids:
        header = _find_header(grid, labels, required)
        if header is None:
            if any(any(v not in (None, "") for v in row) for row in grid.rows):
                preview.skipped.append(
                    {"sheet": grid.name, "row": 0, "reason": "未找到表头", "text": "整个工作表"}
                )
            continue
        top, columns, unknown = header
        preview.sheets.append(grid.name)
        preview.unknown_columns += [f"{grid.name} {u}" for u in unknown]
        for r in range(top + 1, len(grid.rows)):
            row = grid.rows[r]
            if r in grid.hidden_rows or all(values.is_empty(v) for v in row):
                continue
            preview.rows_read += 1
            item = _row(t, grid.name, r + 1, row, columns, by, preview)
            if item is None:
                continue
            obj, projects, key = item
            if key in seen:
                preview.error(grid.name, r + 1, "—", f"与{seen[key]}重复（同一条记录出现两次）")
                continue
            seen[key] = f"{grid.name} 第{r + 1}行"
            planned.append((obj, projects, grid.name, r + 1, columns))
    if not preview.sheets and not preview.errors:
        preview.error(
            filename, None, "—", f"没有找到“{t.title}”的表头（应含：{_required_labels(t)}）"
        )
    return preview, planned


def _required_labels(t) -> str:
    return "、".join(t.field_label(n) for n in t.key)


def _row(t, sheet, excel_row, row, columns, by, preview):
    parsed, bad = {}, False
    for name, c in columns.items():
        f = t.model._meta.get_field(name)
        try:
            parsed[name] = parse(f, row[c] if c < len(row) else None)
        except values.CellError as exc:
            preview.error(
                sheet, excel_row, f"{col_letter(c)}列（{t.field_label(name)}）", exc.message
            )
            bad = True
    if bad:
        return None
    for name in t.key:
        if parsed.get(name) is None:
            preview.error(sheet, excel_row, "—", f"缺少“{t.field_label(name)}”")
            return None
    key = tuple(getattr(parsed[n], "pk", parsed[n]) for n in t.key)
    existing = t.model.objects.filter(**{n: parsed[n] for n in t.key}).first()
    obj = existing or t.model()
    if existing is not None and not permissions.can_edit(by, t.kind, existing):
        preview.error(sheet, excel_row, "—", f"无权修改已有记录“{existing}”")
        return None
    before = {n: getattr(obj, n) for n in t.fields if n != "projects"} if existing else {}
    projects = parsed.pop("projects", None)
    for name, value in parsed.items():
        f = t.model._meta.get_field(name)
        if value is None and not f.null:
            if f.has_default():
                value = f.get_default()
            elif isinstance(f, (models.CharField, models.TextField)):
                value = ""
        setattr(obj, name, value)
    reporter = core.is_reporter(by)
    if reporter and "department" in t.fields and getattr(obj, "department_id", None) is None:
        obj.department = by.department
    if reporter and "department" in t.fields and obj.department_id != by.department_id:
        preview.error(sheet, excel_row, "—", "只能导入本单位的记录（填报单位应为本单位）")
        return None
    funding_project = t.kind == permissions.FUNDING and getattr(obj, "project_id", None)
    if funding_project and not ledger_permissions.can_edit_project(by, obj.project):
        preview.error(sheet, excel_row, "—", f"无权填报项目“{obj.project}”的资金")
        return None
    try:
        obj.full_clean(validate_unique=existing is None)
        services.check_transition(obj)
    except ValidationError as exc:
        for name, errors in exc.message_dict.items():
            c = columns.get(name)
            where = (
                f"{col_letter(c)}列（{t.field_label(name)}）"
                if c is not None
                else (t.field_label(name) if name in t.fields else "—")
            )
            for e in errors:
                preview.error(sheet, excel_row, where, e)
        return None
    label = str(obj)
    if existing:
        changes = [
            [t.field_label(n), str(before[n]), str(getattr(obj, n))]
            for n in before
            if before[n] != getattr(obj, n)
        ]
        if changes:
            preview.updates.append(
                {"sheet": sheet, "row": excel_row, "code": "", "name": label, "changes": changes}
            )
        else:
            preview.unchanged += 1
    else:
        preview.creates.append({"sheet": sheet, "row": excel_row, "code": "", "name": label})
    return obj, projects, key


def _finish(preview, planned, commit, *, by=None) -> Preview:
    if not commit:
        return preview
    if preview.errors:
        raise ImportRejected(preview)
    try:
        with transaction.atomic():
            services.save_many([(obj, projects) for obj, projects, *_ in planned], by=by)
    except ValidationError as exc:
        preview.error("—", None, "—", "；".join(exc.messages))
        raise ImportRejected(preview) from None
    return preview


def read_land_batches(path_or_file, *, by, commit=False) -> Preview:
    return read_table("land-batches", path_or_file, by=by, commit=commit)


def read_farmland(path_or_file, *, by, commit=False) -> Preview:
    return read_table("farmland", path_or_file, by=by, commit=commit)


def read_land_quotas(path_or_file, *, by, commit=False) -> Preview:
    return read_table("land-quotas", path_or_file, by=by, commit=commit)


def read_parcels(path_or_file, *, by, commit=False) -> Preview:
    return read_table("parcels", path_or_file, by=by, commit=commit)


def read_housing(path_or_file, *, by, commit=False) -> Preview:
    return read_table("housing", path_or_file, by=by, commit=commit)


def read_sales_events(path_or_file, *, by, commit=False) -> Preview:
    return read_table("sales-events", path_or_file, by=by, commit=commit)


def read_fiscal_tasks(path_or_file, *, by, commit=False) -> Preview:
    return read_table("fiscal-tasks", path_or_file, by=by, commit=commit)


def read_fiscal_months(path_or_file, *, by, commit=False) -> Preview:
    return read_table("fiscal-months", path_or_file, by=by, commit=commit)


def read_funding_plans(path_or_file, *, by, commit=False) -> Preview:
    return read_table("funding-plans", path_or_file, by=by, commit=commit)


def read_funding_arrivals(path_or_file, *, by, commit=False) -> Preview:
    return read_table("funding-arrivals", path_or_file, by=by, commit=commit)


def read_bonds(path_or_file, *, by, commit=False) -> Preview:
    return read_table("bonds", path_or_file, by=by, commit=commit)


# slug → reader, for the importer's registry.
READERS = {
    "land-batches": read_land_batches,
    "farmland": read_farmland,
    "land-quotas": read_land_quotas,
    "parcels": read_parcels,
    "housing": read_housing,
    "sales-events": read_sales_events,
    "fiscal-tasks": read_fiscal_tasks,
    "fiscal-months": read_fiscal_months,
    "funding-plans": read_funding_plans,
    "funding-arrivals": read_funding_arrivals,
    "bonds": read_bonds,
}


# --- the importer's adapters (importer/README.md “Adding a table”) --------------------------
# One adapter per factor table, kind = the table's slug (parcels, land-batches …): the upload
# page (/excel/), its jobs (preview → confirm → write), the import_table command and
# /excel/export/<kind>/ find them through importer.registry. Reading and checking are the
# readers' own (plan_table); the write is services.save_many inside the importer's transaction.


class FactorAdapter(Adapter):
    slug = ""

    @property
    def table(self):
        return TABLES[self.slug]

    def can_import(self, user) -> bool:
        """The factors' write rule: 规资 land tables, 住建 housing, the office fiscal tasks."""
        return permissions.can_create(user, self.table.kind)

    def plan(self, data, filename, *, user, year=None, month=None, progress=None, mapping=None):
        try:
            preview, planned = plan_table(self.slug, data, filename, by=user, kind=self.kind)
        except NotPermitted as exc:
            preview = Preview(kind=self.kind)
            preview.error(filename, None, "—", exc.message)
            return preview, None
        return preview, planned

    def write(self, plan, *, by, reason):
        try:
            services.save_many(
                [(obj, projects) for obj, projects, *_ in plan], by=by, reason=reason
            )
        except ValidationError as exc:
            raise NotAllowed("；".join(exc.messages)) from None

    def export(self, query, *, user, today):
        t = self.table
        raw = (query.get("year") or "").strip()
        if raw and (not raw.isdigit() or not 2000 <= int(raw) <= 2100):
            raise ValueError(f"年度“{raw[:10]}”无效：应为2000至2100之间的四位数字")
        year = int(raw) if raw else None
        qs = t.model.objects.select_related(*t.related) if t.related else t.model.objects.all()
        qs = permissions.scope(user, t.kind, qs)
        if year and t.year_filter:
            qs = t.year_filter(qs, year)
        data = exports.workbook(t, qs, year=year, today=today)
        name = f"{t.title}{f'（{year}年）' if year else ''}.xlsx"
        return data, name, {"table": self.slug, "year": year, "rows": qs.count()}


def _adapter(slug: str) -> type:
    t = TABLES[slug]
    attrs = {
        "slug": slug,
        "kind": slug,
        "label": t.title,
        "columns": [Column(n, t.field_label(n), "text") for n in t.fields],
        "models": (t.model,),
        "__module__": __name__,
        "__doc__": f"{t.title}（{slug}）: read by read_{slug.replace('-', '_')}.",
    }
    name = "".join(part.title() for part in slug.split("-")) + "Adapter"
    return type(name, (FactorAdapter,), attrs)


LandBatchesAdapter = _adapter("land-batches")
FarmlandAdapter = _adapter("farmland")
LandQuotasAdapter = _adapter("land-quotas")
ParcelsAdapter = _adapter("parcels")
HousingAdapter = _adapter("housing")
SalesEventsAdapter = _adapter("sales-events")
FiscalTasksAdapter = _adapter("fiscal-tasks")
FiscalMonthsAdapter = _adapter("fiscal-months")
FundingPlansAdapter = _adapter("funding-plans")
FundingArrivalsAdapter = _adapter("funding-arrivals")
BondsAdapter = _adapter("bonds")
