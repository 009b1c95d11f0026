"""The audit log as a person reads it (issue 22): 详情 in Chinese with names instead of ids and
no empty filter values, escaped; the date filter takes the forms people type and says which
form it wants when it cannot read one."""

import re

import pytest
from django.urls import reverse

from keyprojects.dates import DATE_FORMS_HINT
from keyprojects.security import audit

pytestmark = pytest.mark.django_db


def details_cells(body: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", cell)
        for cell in re.findall(r'<td class="small audit-details">(.*?)</td>', body, re.S)
    ]


def test_details_name_things_instead_of_ids(client_for, auditadmin, office, dept, project):
    audit.record(
        "export",
        user=office,
        kind="ledger",
        year=2022,
        filters={
            "q": "",
            "year": "2022",
            "department": str(dept.pk),
            "status": "under_construction",
            "colour": "red",
            "as_of": "2022-03-31",
            "o": "-total_investment_wan",
            "category": "",
        },
        rows=3,
    )
    audit.record("report", user=office, kind="wall_chart_pdf", year=2022, project=project.pk)
    audit.record("role_change", user=office, obj=office, old_role="reporter", new_role="office")
    body = client_for(auditadmin).get(reverse("security:audit_log")).content.decode()
    cells = details_cells(body)
    assert "filters=" not in body and "department" not in body
    assert (
        "类型：项目台账；年度：2022年；筛选条件：年度：2022年，单位：县住房和城乡建设委员会，"
        "状态：在建，序时预警：红灯，评价日期：2022年3月31日，排序：总投资（万元）（降序）；行数：3"
    ) in cells
    assert "类型：挂图作战图（PDF）；年度：2022年；项目：凤鸣江湾住宅小区" in cells
    assert "原角色：部门填报员；新角色：办公室" in cells


def test_details_are_escaped(client_for, auditadmin, office):
    audit.record("export", user=office, kind="ledger", file="<script>alert(1)</script>.xlsx")
    body = client_for(auditadmin).get(reverse("security:audit_log")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "类型：项目台账；文件：&lt;script&gt;alert(1)&lt;/script&gt;.xlsx" in details_cells(body)


def test_a_removed_department_is_said_so(client_for, auditadmin, office):
    audit.record("export", user=office, kind="ledger", filters={"department": "99999"})
    body = client_for(auditadmin).get(reverse("security:audit_log")).content.decode()
    assert "类型：项目台账；筛选条件：单位：已删除（编号99999）" in details_cells(body)


@pytest.mark.parametrize(
    "typed", ["2026年11月30日", "2026-11-30", "2026/11/30", "2026.11.30", "20261130"]
)
def test_date_filter_takes_what_people_type(client_for, auditadmin, typed):
    c = client_for(auditadmin)
    response = c.get(reverse("security:audit_log"), {"date_from": typed, "date_to": typed})
    assert response.status_code == 200
    assert "无法识别" not in response.content.decode()


def test_date_filter_says_which_form_it_wants(client_for, auditadmin):
    c = client_for(auditadmin)
    response = c.get(reverse("security:audit_log"), {"date_from": "30.11.2026"})
    assert response.status_code == 400
    body = response.content.decode()
    assert f"日期“30.11.2026”无法识别，{DATE_FORMS_HINT}" in body
    response = c.get(reverse("security:audit_log"), {"date_to": "2026年2月30日"})
    assert response.status_code == 400
    assert "没有2026年2月30日这一天" in response.content.decode()


def test_export_carries_readable_details_beside_the_stored_json(client_for, auditadmin, dept):
    import csv
    import io
    import json

    audit.record("export", kind="ledger", filters={"q": "", "department": str(dept.pk)})
    response = client_for(auditadmin).get(
        reverse("security:audit_export"), {"format": "csv", "event": "export"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][7:10] == ["详情", "原始详情（JSON）", "哈希"]
    assert rows[1][7] == "类型：项目台账；筛选条件：单位：县住房和城乡建设委员会"
    assert json.loads(rows[1][8]) == {
        "kind": "ledger",
        "filters": {"q": "", "department": str(dept.pk)},
    }
