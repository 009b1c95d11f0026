"""Ledger sheets (台账) → projects, through the project edit form, all or nothing.

Every row is validated by keyprojects.ledger.forms.ProjectForm with the importing user (so a
reporter can only place projects in their own department), after the cell values are read
(units, text numbers, dates). The few lookups the form would repeat for every row (the
department, the unique project code) are answered from one query each; the database
constraints still guard the write.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django import forms
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from keyprojects.core import permissions as core_permissions
from keyprojects.core.models import Department
from keyprojects.importer import constraints, values
from keyprojects.importer.base import (
    Preview,
    Progress,
    cell,
    data_rows,
    locate_tables,
)
from keyprojects.importer.columns import LEDGER_COLUMNS, synonym_table
from keyprojects.importer.layout import section_label
from keyprojects.importer.reading import read_grids
from keyprojects.ledger import permissions as ledger_permissions
from keyprojects.ledger import services
from keyprojects.ledger.choices import Category, FundingRoute, Nature, Sector, Status
from keyprojects.ledger.forms import ProjectForm
from keyprojects.ledger.models import Project

FORM_FIELDS = list(ProjectForm._meta.fields)
COLUMN = {c.key: c for c in LEDGER_COLUMNS}
# What a new project gets for a column the file does not have: the model's default.
NEW_DEFAULTS = {
    f.name: str(f.get_default())
    for f in Project._meta.fields
    if f.name in FORM_FIELDS and f.has_default()
}
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
    allowed: dict[str, Department]
    dept_by_name: dict[str, Department]
    code_owner: dict[str, int]
    scope: dict[str, Project]  # code → project the user may edit
    by_name: dict[tuple[int, str], list[Project]]
    creates: list[Project] = field(default_factory=list)
    updates: list[tuple[Project, list[str]]] = field(default_factory=list)
    seen_codes: dict[str, int] = field(default_factory=dict)
    seen_pks: dict[int, int] = field(default_factory=dict)
    _form: ImportProjectForm | None = None

    def form(self, data: dict, instance: Project) -> ImportProjectForm:
        if self._form is None:
            self._form = ImportProjectForm(data, instance=instance, user=self.user, context=self)
            return self._form
        return self._form.rebind(data, instance)


def _context(user, year) -> _Context:
    allowed = {str(d.pk): d for d in ledger_permissions.departments_for_edit(user)}
    dept_by_name: dict[str, Department] = {}
    for d in Department.objects.all():
        dept_by_name[d.name] = d
        if d.short_name:
            dept_by_name.setdefault(d.short_name, d)
    code_owner = dict(Project.objects.values_list("code", "pk"))
    scope_qs = ledger_permissions.projects_for(user).select_related("department")
    scope: dict[str, Project] = {}
    by_name: dict[tuple[int, str], list[Project]] = {}
    for p in scope_qs:
        scope[p.code] = p
        by_name.setdefault((p.year, p.name), []).append(p)
    return _Context(user, year, allowed, dept_by_name, code_owner, scope, by_name)


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
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def parse_cell(key: str, raw, unit: str, ctx: _Context, section: str) -> str:
    """A cell → the string the edit form expects for that field (CellError when unreadable)."""
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
        labels = "、".join(str(label) for label in CHOICES[key].labels)
        raise values.CellError(f"“{values.text(raw)[:20]}”不是可选的值（可选：{labels}）")
    if kind == "department":
        name = values.text(raw)
        if not name:
            return ""  # blank: the section row, the reporter's unit or the project's own
        dept = ctx.dept_by_name.get(name) or ctx.dept_by_name.get(values.header_key(name))
        if dept is None:
            raise values.CellError(f"单位“{name[:30]}”不存在，请先在单位表中添加或改为已有单位")
        return str(dept.pk)
    return values.text(raw)


def plan(
    data: bytes,
    filename: str,
    *,
    user,
    year: int | None = None,
    progress: Progress = None,
    extra_synonyms=(),
) -> tuple[Preview, _Context]:
    """Read and validate a ledger file; nothing is written. Returns the preview and the plan."""
    preview = Preview(kind="ledger")
    grids = read_grids(data, filename)
    tables = locate_tables(grids, "ledger", synonym_table("ledger", extra_synonyms), None, preview)
    if not tables:
        preview.error(filename, None, "—", "未找到台账表头（至少需要“项目名称”等两列）")
        return preview, None
    ctx = _context(user, year)
    total = sum(len(g.rows) - t.data_start for g, t in tables)
    done = 0
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
        for row_no, row, section in data_rows(grid, table, preview):
            preview.rows_read += 1
            _plan_row(preview, ctx, grid.name, table, row_no, row, section)
            done += 1
            if progress and done % 200 == 0:
                progress(done, total)
    if progress:
        progress(total, total)
    return preview, ctx


def title_year(title: str) -> int | None:
    """2022 of a title such as “2022年全县重点项目台账”."""
    m = re.search(r"(20\d{2})\s*年", values.nfkc(title or ""))
    return int(m[1]) if m else None


def _plan_row(preview, ctx: _Context, sheet, table, row_no, row, section):
    parsed: dict[str, str] = {}
    bad = False
    for key in table.columns:
        col = COLUMN[key]
        if col.kind == "ignore" or key not in FORM_FIELDS:
            continue
        try:
            parsed[key] = parse_cell(
                key, cell(row, table, key), table.units.get(key, "万元"), ctx, section
            )
        except values.CellError as exc:
            preview.error(sheet, row_no, table.column_name(key), exc.message)
            bad = True
    if "year" in table.columns and parsed.get("year"):
        year = int(parsed["year"])
    else:
        year = ctx.year
        parsed["year"] = str(year)
    if parsed.get("department") == "":
        del parsed["department"]
    if "department" not in parsed and section:
        dept = ctx.dept_by_name.get(section_label(section))
        if dept:
            parsed["department"] = str(dept.pk)
    if "department" not in parsed and core_permissions.is_reporter(ctx.user):
        parsed["department"] = str(ctx.user.department_id)
    name = parsed.get("name", "")
    code = parsed.get("code", "")
    existing = _match(preview, ctx, sheet, table, row_no, code, name, year, parsed)
    if existing is False or bad:
        return
    if existing is None:
        data = dict(NEW_DEFAULTS)
        data.update(parsed)
        form = ctx.form(data, Project())
    else:
        data = _form_data(existing)
        if all(data[k] == v for k, v in parsed.items()):
            # The file repeats what the project holds: nothing to validate or write.
            preview.unchanged += 1
            return
        data.update(parsed)
        data["version"] = str(existing.version)
        old = {f: getattr(existing, f"{f}_id" if f == "department" else f) for f in FORM_FIELDS}
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
        ctx.creates.append(project)
        if project.code:
            ctx.code_owner[project.code] = -row_no
        preview.creates.append(
            {"sheet": sheet, "row": row_no, "code": project.code, "name": project.name}
        )
        return
    changed = []
    for f in FORM_FIELDS:
        new = getattr(project, f"{f}_id" if f == "department" else f)
        if new != old[f]:
            changed.append(f)
    if not changed:
        preview.unchanged += 1
        return
    dept_label = {d.pk: d.name for d in ctx.dept_by_name.values()}
    changes = []
    for f in changed:
        o, n = old[f], getattr(project, f"{f}_id" if f == "department" else f)
        if f == "department":
            o, n = dept_label.get(o, o), dept_label.get(n, n)
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


def _match(preview, ctx: _Context, sheet, table, row_no, code, name, year, parsed):
    """The existing project a row updates, None for a new one, False after an error."""
    if code:
        first = ctx.seen_codes.get(code)
        if first:
            preview.error(
                sheet, row_no, table.column_name("code"), f"项目编号“{code}”与第{first}行重复"
            )
            return False
        ctx.seen_codes[code] = row_no
        project = ctx.scope.get(code)
        if project is None and code in ctx.code_owner:
            preview.error(
                sheet,
                row_no,
                table.column_name("code"),
                f"项目编号“{code}”属于已删除的项目或其他单位的项目，不能通过导入修改",
            )
            return False
        return _once(preview, ctx, sheet, table, row_no, project)
    candidates = ctx.by_name.get((year, name), [])
    if len(candidates) > 1 and parsed.get("department"):
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


def _assign_codes(projects: list[Project]) -> None:
    """Blank codes get the next free automatic numbers of their year (KP2022-0001 …)."""
    blank: dict[int, list[Project]] = {}
    for p in projects:
        if not p.code:
            blank.setdefault(p.year, []).append(p)
    for year, group in blank.items():
        for p, code in zip(group, services.next_codes(year, len(group)), strict=True):
            p.code = code


def write(ctx: _Context, *, by, reason: str) -> tuple[int, int]:
    """Write a validated plan: bulk inserts and updates with one history row each."""
    now = timezone.now()
    _assign_codes(ctx.creates)
    for p in ctx.creates:
        p.created_at = p.updated_at = now
        p.version = 1
    if ctx.creates:
        bulk_create_with_history(
            ctx.creates,
            Project,
            batch_size=500,
            default_user=by,
            default_change_reason=reason,
            default_date=now,
        )
    if ctx.updates:
        fields = {"version", "updated_at"}
        objs = []
        for project, changed in ctx.updates:
            project.version += 1
            project.updated_at = now
            fields.update("department" if f == "department" else f for f in changed)
            objs.append(project)
        bulk_update_with_history(
            objs,
            Project,
            fields=sorted(fields),
            batch_size=500,
            default_user=by,
            default_change_reason=reason,
            default_date=now,
        )
    return len(ctx.creates), len(ctx.updates)
