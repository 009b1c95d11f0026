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


def rows_html(rows, flags_of: dict) -> SafeString:
    """The <tbody> content for `rows` [(project, verdict or None)]; `flags_of` maps a project
    id to its open risk flags (problems' risk_map), shown as tags beside the status."""
    if not rows:
        return mark_safe(EMPTY)
    return mark_safe("".join(row_html(p, v, flags_of.get(p.pk, ())) for p, v in rows))


def row_html(p, v, flags) -> str:
    """One project's row (the department is expected loaded: select_related)."""
    url, name, code = escape(p.get_absolute_url()), escape(p.name), escape(p.code)
    pending = PLAN_PENDING if p.annual_plan_pending else ""
    category, sector = escape(display(p, "category")), escape(display(p, "sector"))
    status = escape(display(p, "status"))
    risks = "".join(
        f'<span class="tag risk risk-{escape(f.kind)}" title="{escape(f.reason)}">'
        f"{escape(f.get_kind_display())}</span>"
        for f in flags
    )
    total, plan = escape(wan(p.total_investment_wan)), escape(wan(p.annual_plan_wan))
    start = escape(cn_month(p.planned_start))
    reasons = f'<div class="small muted">{escape(v.reason_text)}</div>' if v and v.reasons else ""
    return (
        "\n    <tr>"
        f'\n      <td class="nowrap" data-label="编号">{code}</td>'
        f'\n      <td class="card-title" data-label="项目名称">'
        f'<a href="{url}">{name}</a>{pending}</td>'
        f'\n      <td class="nowrap" data-label="牵头单位">{escape(p.department.label)}</td>'
        f'\n      <td data-label="类别"><span class="tag">{category}</span></td>'
        f'\n      <td class="hide-sm nowrap" data-label="领域">{sector}</td>'
        f'\n      <td class="nowrap" data-label="状态">{status}{risks}</td>'
        f'\n      <td class="num" data-label="总投资（万元）">{total}</td>'
        f'\n      <td class="num" data-label="年度计划（万元）">{plan}</td>'
        f'\n      <td class="hide-sm nowrap" data-label="计划开工">{start}</td>'
        f'\n      <td data-label="序时预警">{light(v)}{reasons}</td>'
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
