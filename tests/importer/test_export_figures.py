"""Export subtotals and totals are the figures layer's (stats.list_totals, stats.ytd_total)."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest

from keyprojects import stats
from keyprojects.dispatch.adapters import export_dispatch
from keyprojects.ledger.adapters import export_ledger
from keyprojects.ledger.models import Project
from tests import factories

pytestmark = pytest.mark.django_db


def _labelled(data: bytes) -> dict[str, list]:
    ws = openpyxl.load_workbook(BytesIO(data)).active
    out: dict[str, list] = {}
    for row in ws.iter_rows(values_only=True):
        label = row[0]
        if isinstance(label, str) and (label == "小计" or label.startswith("合计")):
            out.setdefault(label, []).append(row)
    return out


def test_ledger_export_totals_are_the_figures_layers(dept, other_dept):
    a = factories.started_project(dept, total_investment_wan=Decimal("1000.25"))
    factories.project(dept, total_investment_wan=Decimal("433.33"))
    b = factories.started_project(other_dept, total_investment_wan=Decimal("500"))
    factories.report(a, 1, "12.345")
    factories.report(b, 1, 7)
    data = export_ledger(Project.objects.live(), year=2022, as_of=date(2022, 3, 31))
    rows = _labelled(data)
    header = [c.value for c in openpyxl.load_workbook(BytesIO(data)).active[4]]
    total_col = header.index("总投资")
    ytd_col = header.index("1-3月累计完成")
    subtotals = {(Decimal(str(r[total_col])), Decimal(str(r[ytd_col] or 0))) for r in rows["小计"]}
    assert subtotals == {
        (
            stats.list_totals(Project.objects.filter(department=d))["total_investment_wan"],
            stats.ytd_total(Project.objects.filter(department=d), 2022, 3),
        )
        for d in (dept, other_dept)
    }
    total = rows["合计（3个项目）"][0]
    assert (
        Decimal(str(total[total_col]))
        == stats.list_totals(Project.objects.all())["total_investment_wan"]
    )


def test_dispatch_export_totals_are_the_figures_layers(dept):
    a = factories.started_project(dept)
    factories.report(a, 1, 10)
    factories.report(a, 3, "2.5")
    rows = _labelled(export_dispatch(Project.objects.live(), year=2022, month=3))
    qs = Project.objects.filter(department=dept)
    assert stats.ytd_total(qs, 2022, 3) == Decimal("12.50")
    assert Decimal(str(rows["合计（1个项目）"][0][7])) == Decimal("12.50")  # 合计 under 1-3月
