"""The ledger export says why a project is red (序时预警 and its reason, from stats.verdicts),
lets the office choose the columns, and still imports back unchanged."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from keyprojects import stats
from keyprojects.ledger.adapters import export_columns
from tests import factories

pytestmark = pytest.mark.django_db


def _sheet(response):
    ws = load_workbook(BytesIO(response.content)).worksheets[0]
    return [[c for c in row] for row in ws.iter_rows(values_only=True)]


def _header_row(rows, first):
    return next(i for i, r in enumerate(rows) if r[0] == first)


def test_export_has_the_verdict_and_its_reason(client_for, office, dept):
    late = factories.project(dept, name="迟开工项目")
    verdict = stats.verdicts([late], stats.default_as_of(2022, late.created_at.date()))[late.pk]
    r = client_for(office).get(reverse("importer:export_ledger"), {"year": 2022})
    assert r.status_code == 200
    rows = _sheet(r)
    head = _header_row(rows, "序号")
    colour_at = rows[head].index("序时预警")
    assert rows[head][colour_at + 1] == "预警原因"
    row = next(r for r in rows if "迟开工项目" in r)
    # Same words as the list page: the figures layer's, not recomputed here.
    assert [row[colour_at], row[colour_at + 1]] == [verdict.colour.label, verdict.reason_text]


def test_export_column_choice(client_for, office, dept):
    factories.project(dept, name="甲项目")
    url = reverse("importer:export_ledger")
    r = client_for(office).get(url + "?year=2022&columns=name&columns=colour&columns=code")
    rows = _sheet(r)
    head = _header_row(rows, "项目编号")
    assert list(rows[head]) == ["项目编号", "项目名称", "序时预警"]
    assert client_for(office).get(url, {"columns": "nope"}).status_code == 400


def test_export_columns_parsing():
    assert export_columns("") is None
    assert export_columns("name，code") == ["code", "name"]
    with pytest.raises(ValueError, match="导出列“nope”不存在"):
        export_columns("name,nope")


def test_export_dates_are_real_dates_in_the_house_format(client_for, office, dept):
    from datetime import datetime

    factories.project(dept, name="丙项目")
    r = client_for(office).get(reverse("importer:export_ledger"), {"year": 2022})
    ws = load_workbook(BytesIO(r.content)).worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, datetime)]
    assert cells
    assert {c.number_format for c in cells} == {'yyyy"年"m"月"d"日"'}
