"""The ledger list's rows, sort links, hidden fields and column checkboxes, written in Python
(keyprojects.ledger.table), are the markup the template wrote: the template fragments the list
page used before are rendered here beside them on rows covering every branch."""

from datetime import date
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.template import engines
from django.urls import reverse

from keyprojects.ledger import table
from keyprojects.ledger.schedule import Colour, Verdict
from keyprojects.ledger.views import _column_choice, sort_headers
from keyprojects.problems.choices import RiskKind
from keyprojects.problems.models import RiskFlag
from tests import factories

pytestmark = pytest.mark.django_db

# Verbatim from keyprojects/templates/ledger/project_list.html before the rows moved to Python.
OLD_ROWS = """{% load kp problems_tags %}{% for p, v in rows %}
    <tr>
      <td class="nowrap" data-label="编号">{{ p.code }}</td>
      <td class="card-title" data-label="项目名称"><a href="{{ p.get_absolute_url }}">{{ p.name }}</a>{% if p.annual_plan_pending %} <span class="tag status-submitted plan-pending" title="导入时没有年度计划投资，补充前不判断序时进度">年度计划待补充</span>{% endif %}</td>
      <td class="nowrap" data-label="牵头单位">{{ p.department.label }}</td>
      <td data-label="类别"><span class="tag">{{ p.get_category_display }}</span></td>
      <td class="hide-sm nowrap" data-label="领域">{{ p.get_sector_display }}</td>
      <td class="nowrap" data-label="状态">{{ p.get_status_display }}{% for f in risk_of|flags_of:p.pk %}<span class="tag risk risk-{{ f.kind }}" title="{{ f.reason }}">{{ f.get_kind_display }}</span>{% endfor %}</td>
      <td class="num" data-label="总投资（万元）">{{ p.total_investment_wan|wan }}</td>
      <td class="num" data-label="年度计划（万元）">{{ p.annual_plan_wan|wan }}</td>
      <td class="hide-sm nowrap" data-label="计划开工">{{ p.planned_start|cn_month }}</td>
      <td data-label="序时预警">{{ v|light }}{% if v.reasons %}<div class="small muted">{{ v.reason_text }}</div>{% endif %}</td>
    </tr>
  {% empty %}
    <tr><td colspan="10" class="muted">没有符合条件的项目</td></tr>
  {% endfor %}"""  # noqa: E501

# keyprojects/templates/ledger/_sort.html, the include each sortable header used.
OLD_SORT = (
    '<a class="sort-link{% if h.arrow %} sorted{% endif %}" href="?{{ h.query }}" '
    'title="点击排序">{{ label|safe }}{% if h.arrow %} <span class="arrow">{{ h.arrow }}</span>'
    "{% endif %}</a>\n"
)
OLD_DRILL = (
    "{% for name in drill_params %}{% for bf in filter.form %}{% if bf.name == name and "
    'bf.value %}<input type="hidden" name="{{ name }}" value="{{ bf.value }}">{% endif %}'
    "{% endfor %}{% endfor %}"
)
OLD_EXPORT_PARAMS = (
    '{% for k, v in export_params %}<input type="hidden" name="{{ k }}" value="{{ v }}">'
    "{% endfor %}"
)
OLD_COLUMNS = (
    '{% for key, label, on in export_columns %}<label><input type="checkbox" name="columns" '
    'value="{{ key }}"{% if on %} checked{% endif %}> {{ label }}</label> {% endfor %}'
)


def _old(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def _rows(dept, other_dept):
    """Projects and verdicts through every branch of the row markup."""
    odd = factories.department(name="<县&住建>局", short_name="")
    plain = factories.project(dept)
    pending = factories.project(
        other_dept,
        name='带"引号"与<标签>&的项目',
        code="ZD<1>&'2'",
        annual_plan_pending=True,
        annual_plan_wan=Decimal("0"),
        total_investment_wan=Decimal("123456.785"),
        planned_start=None,
        category="reserve",
        sector="industry",
    )
    flagged = factories.started_project(
        odd, total_investment_wan=Decimal("1234567.89"), annual_plan_wan=Decimal("0.5")
    )
    flags = {
        flagged.pk: [
            RiskFlag(project=flagged, kind=RiskKind.FUNDING, reason='资金"未到位"<&>'),
            RiskFlag(project=flagged, kind=RiskKind.STOPPED, reason=""),
        ]
    }
    behind = ["低于序时进度12.3个百分点", "节点“主体封顶”逾期61天<&>"]
    rows = [
        (plain, Verdict(colour=Colour.GREEN)),
        (pending, None),
        (flagged, Verdict(colour=Colour.RED, reasons=behind, started=True, behind=True)),
        (plain, Verdict(colour=Colour.YELLOW, reasons=["未按期开工"])),
        (flagged, Verdict(colour=Colour.YELLOW, reasons=[], unreported=True)),
    ]
    return rows, flags


def test_rows_are_the_templates_rows(dept, other_dept):
    rows, flags = _rows(dept, other_dept)
    new = table.rows_html(rows, flags)
    assert new == _old(OLD_ROWS, rows=rows, risk_of=flags)
    assert new.count("<tr>") == 5
    assert new.count("risk-funding") == 2  # the flagged project appears twice
    assert "plan-pending" in new and "&lt;县&amp;住建&gt;局" in new and "light-red" in new


def test_no_rows_and_no_flags_are_the_templates_too(dept, other_dept):
    assert table.rows_html([], {}) == _old(OLD_ROWS, rows=[], risk_of={})
    rows, _flags = _rows(dept, other_dept)
    assert table.rows_html(rows, {}) == _old(OLD_ROWS, rows=rows, risk_of={})


def test_a_choice_missing_from_the_list_shows_as_stored(dept):
    p = factories.project(dept)
    p.status = "无此状态"  # an old value no longer among the choices
    assert table.display(p, "status") == p.get_status_display() == "无此状态"


@pytest.mark.parametrize("current", ["", "code", "-code", "colour", "-colour", "name"])
@pytest.mark.parametrize("label", ["编号", "总投资<br>（万元）"])
def test_sort_links_are_the_include(current, label):
    query = QueryDict("year=2022&q=<a&b>&colour=red&o=code", mutable=True)
    for header in sort_headers(current, query).values():
        old = _old(OLD_SORT, h=header, label=label)
        assert table.sort_link(header, label) == old.removesuffix("\n")  # the file's newline


def test_hidden_fields_and_column_checks_are_the_loops(dept, office):
    from keyprojects.ledger.filters import ProjectFilter
    from keyprojects.ledger.models import Project
    from keyprojects.ledger.views import DRILL_PARAMS

    factories.project(dept)  # the year list holds the years that have projects
    query = QueryDict(
        "year=2022&started=true&construction=false&reported_month=3&as_of=2022-06-30"
        "&q=<&columns=name&columns=code&colour=",
        mutable=True,
    )
    f = ProjectFilter.from_query(query, Project.objects.all(), date(2022, 7, 1))
    assert f.is_valid()
    drill_hidden = [(n, v) for n in DRILL_PARAMS if (v := f.form[n].value())]
    old = _old(OLD_DRILL, drill_params=DRILL_PARAMS, filter=f)
    assert table.hidden_inputs(drill_hidden) == old
    assert old.count("<input") == 4

    export_params = [(k, v) for k, vs in query.lists() if k != "columns" for v in vs]
    old = _old(OLD_EXPORT_PARAMS, export_params=export_params)
    assert table.hidden_inputs(export_params) == old
    columns = _column_choice(query)
    old = _old(OLD_COLUMNS, export_columns=columns)
    assert table.column_checks(columns) == old
    assert old.count(" checked") == 2


def test_the_list_page_writes_the_rows_and_hidden_fields(client_for, office, dept):
    p = factories.project(dept, name="<列表>项目")
    c = client_for(office)
    html = c.get(
        reverse("ledger:project_list"), {"year": 2022, "started": "false", "q": "列表"}
    ).content.decode()
    assert f'<a href="{p.get_absolute_url()}">&lt;列表&gt;项目</a>' in html
    assert '<input type="hidden" name="started" value="false">' in html
    assert '<th><a class="sort-link" href="?' in html
