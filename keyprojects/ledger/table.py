"""The ledger list's table rows and sort links, written in Python.

A page of 50 rows through the template engine resolved some 850 variables and filters; that was
the larger part of the page's time at county scale. The markup is the template's, byte for byte
(a sort link lacks only the newline its include file ended with; tests/ledger/test_table.py
renders the old template fragments beside these and compares), and amounts, months and the
verdict badge go through the filters the templates use (kp.wan, kp.cn_month, kp.light), so
their formatting stays in one place.
"""

import html
from functools import cache

from django.utils.safestring import SafeString, mark_safe

from keyprojects.core.templatetags.kp import cn_month, light, wan
from keyprojects.ledger.models import Project

PLAN_PENDING = (
    ' <span class="tag status-submitted plan-pending"'
    ' title="导入时没有年度计划投资，补充前不判断序时进度">年度计划待补充</span>'
)
EMPTY = '\n    <tr><td colspan="10" class="muted">没有符合条件的项目</td></tr>\n  '
NO_VERDICT = str(light(None))  # kp.light's "—"


def escape(value) -> str:
    """What {{ value }} writes for a plain (not safe) string: Django's escape, without its
    lazy-string wrapper, which cost more than the escaping on a page of 600 cells."""
    return html.escape(str(value))


@cache
def _labels(field: str) -> dict:
    return dict(Project._meta.get_field(field).flatchoices)


def display(project, field: str) -> str:
    """get_<field>_display() with the choices read once (the model method rebuilds its
    dict on every call): the label, or the stored value when it is not a choice."""
    value = getattr(project, field)
    return str(_labels(field).get(value, value))


@cache
def _escaped_labels(field: str) -> dict:
    return {value: escape(label) for value, label in _labels(field).items()}


def _shown(project, field: str) -> str:
    """display(), escaped: the choices' labels are escaped once per process."""
    value = getattr(project, field)
    label = _escaped_labels(field).get(value)
    return escape(value) if label is None else label


def rows_html(rows, flags_of: dict, department_labels: dict | None = None) -> SafeString:
    """The <tbody> content for `rows` [(project, verdict or None)]; `flags_of` maps a project
    id to its open risk flags (problems' risk_map), shown as tags beside the status;
    `department_labels` {pk: label} names the departments (else each project's loaded one)."""
    if not rows:
        return mark_safe(EMPTY)
    url = escape(Project.detail_url_prefix())
    departments: dict[int, str] = {}  # escaped labels: a page has a few departments
    out = []
    for p, v in rows:
        if p.department_id not in departments:
            label = department_labels[p.department_id] if department_labels else p.department.label
            departments[p.department_id] = escape(label)
        department = departments[p.department_id]
        out.append(row_html(p, v, flags_of.get(p.pk, ()), url=url, department=department))
    return mark_safe("".join(out))


def row_html(p, v, flags, *, url: str, department: str) -> str:
    """One project's row: `url` is the project pages' escaped prefix, `department` the escaped
    label of its department.

    Amounts (digits, separators and a point, or "—") and months (2022年3月) hold nothing
    to escape; every text from the ledger is escaped."""
    href = f"{url}{p.pk}/"
    pending = PLAN_PENDING if p.annual_plan_pending else ""
    risks = "".join(
        f'<span class="tag risk risk-{escape(f.kind)}" title="{escape(f.reason)}">'
        f"{escape(f.get_kind_display())}</span>"
        for f in flags
    )
    if v:
        reason = escape(v.reason_text)
        colour = v.colour
        verdict = f'<span class="light light-{colour.value}" title="{reason}">{colour.label}</span>'
        if v.reasons:
            verdict += f'<div class="small muted">{reason}</div>'
    else:
        verdict = NO_VERDICT
    return (
        "\n    <tr>"
        f'\n      <td class="nowrap" data-label="编号">{escape(p.code)}</td>'
        f'\n      <td class="card-title" data-label="项目名称">'
        f'<a href="{href}">{escape(p.name)}</a>{pending}</td>'
        f'\n      <td class="nowrap" data-label="牵头单位">{department}</td>'
        f'\n      <td data-label="类别"><span class="tag">{_shown(p, "category")}</span></td>'
        f'\n      <td class="hide-sm nowrap" data-label="领域">{_shown(p, "sector")}</td>'
        f'\n      <td class="nowrap" data-label="状态">{_shown(p, "status")}{risks}</td>'
        f'\n      <td class="num" data-label="总投资（万元）">{wan(p.total_investment_wan)}</td>'
        f'\n      <td class="num" data-label="年度计划（万元）">{wan(p.annual_plan_wan)}</td>'
        f'\n      <td class="hide-sm nowrap" data-label="计划开工">{cn_month(p.planned_start)}</td>'
        f'\n      <td data-label="序时预警">{verdict}</td>'
        "\n    </tr>\n  "
    )


def sort_link(header: dict, label: str) -> SafeString:
    """A column header that sorts the list: `header` is one of views.sort_headers' entries
    ({"query", "arrow"}); `label` is markup (the template's own text, e.g. 总投资<br>（万元）)."""
    arrow = header["arrow"]
    sorted_ = " sorted" if arrow else ""
    shown = f' <span class="arrow">{escape(arrow)}</span>' if arrow else ""
    return mark_safe(
        f'<a class="sort-link{sorted_}" href="?{escape(header["query"])}" title="点击排序">'
        f"{label}{shown}</a>"
    )


def hidden_inputs(pairs) -> SafeString:
    """<input type="hidden"> for each (name, value): a form carrying the list's query along."""
    return mark_safe(
        "".join(
            f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
            for name, value in pairs
        )
    )


def column_checks(columns) -> SafeString:
    """The column chooser's checkboxes, one per (key, label, ticked) (views._column_choice)."""
    return mark_safe(
        "".join(
            f'<label><input type="checkbox" name="columns" value="{escape(key)}"'
            f"{' checked' if on else ''}> {escape(label)}</label> "
            for key, label, on in columns
        )
    )
