"""The ledger print view (issue 22): the Excel export's column choice, the user's scope, the
合计 once after the last department's 小计, a bad column or filter a Chinese 400."""

import re

import pytest
from django.urls import reverse

from keyprojects.ledger.adapters import PRINT_DEFAULT
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("ledger:project_print")


def cells(html: str, row_class: str) -> list[list[str]]:
    rows = re.findall(rf'<tr class="{row_class}"[^>]*>(.*?)</tr>', html, re.S)
    return [
        [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)] for r in rows
    ]


def test_default_columns_sections_and_one_total(client_for, office, dept, other_dept):
    factories.started_project(dept, name="甲", total_investment_wan=1200, annual_plan_wan=300)
    factories.project(dept, name="乙", total_investment_wan=800, annual_plan_wan=100)
    factories.project(other_dept, name="丙", total_investment_wan=50, annual_plan_wan=10)
    html = client_for(office).get(URL, {"year": 2022}).content.decode()
    heads = re.findall(r"<th(?: [^>]*)?>(.*?)</th>", html.split('id="print-table"')[1])
    assert len(heads) == len(PRINT_DEFAULT)
    assert [s[0] for s in cells(html, "section")] == [
        "一、县交通运输委员会（1个）",
        "二、县住房和城乡建设委员会（2个）",
    ]
    # 小计/合计 span the four text columns left of 总投资; then 总投资, 年度计划, 累计完成.
    assert [r[:4] for r in cells(html, "subtotal")] == [
        ["小计", "50.00", "10.00", "0.00"],
        ["小计", "2,000.00", "400.00", "0.00"],
    ]
    assert cells(html, "total")[0][:3] == ["合计（3个项目）", "2,050.00", "410.00"]
    assert html.count("合计（") == 1
    assert html.index('id="print-total"') > html.rindex('class="subtotal"')


def test_chosen_columns_and_scope(client_for, reporter, dept, other_dept):
    factories.project(dept, name="本单位项目")
    factories.project(other_dept, name="外单位项目")
    r = client_for(reporter).get(URL + "?year=2022&columns=name&columns=planned_start")
    html = r.content.decode()
    heads = re.findall(r"<th(?: [^>]*)?>(.*?)</th>", html.split('id="print-table"')[1])
    assert heads == ["项目名称", "计划开工"]
    assert "本单位项目" in html and "外单位项目" not in html
    assert "2022年1月1日" in html  # the house date


def test_bad_column_or_filter_is_a_chinese_400(client_for, office):
    r = client_for(office).get(URL, {"columns": "nope"})
    assert r.status_code == 400 and "导出列“nope”不存在" in r.content.decode()
    r = client_for(office).get(URL, {"year": "abc"})
    assert r.status_code == 400 and "年度" in r.content.decode()


def test_a_list_past_the_print_limit_is_not_laid_out(client_for, office, dept, monkeypatch):
    """A province's unfiltered ledger: no print of thousands of pages and no cut printout; the
    page says how many there are and points to the filter and the Excel export."""
    from keyprojects.ledger import views

    for name in ("甲", "乙", "丙"):
        factories.project(dept, name=name)
    monkeypatch.setattr(views, "PRINT_LIMIT", 2)
    response = client_for(office).get(URL, {"year": 2022, "category": "new"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "筛选结果共3个项目，超过打印上限2个" in html
    assert 'id="print-table"' not in html and "甲" not in html
    assert "category=new" in html.split('id="print-too-many"')[1]
    monkeypatch.setattr(views, "PRINT_LIMIT", 3)
    assert 'id="print-table"' in client_for(office).get(URL, {"year": 2022}).content.decode()
