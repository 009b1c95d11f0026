"""Figures come from one layer, with a fixed number of queries whatever the project count."""

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keyprojects.figures import services
from tests import factories

ROOT = Path(__file__).resolve().parents[2] / "keyprojects"
CONSUMERS = ["dispatch/brief.py", "dispatch/wallchart.py"]


@pytest.mark.parametrize("module", CONSUMERS)
def test_brief_and_wall_chart_import_no_model_and_no_rule(module):
    """They render figures.*; a model or a schedule rule imported here would be a recomputation."""
    tree = ast.parse((ROOT / module).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
    forbidden = {
        m for m in imported if m.endswith(".models") or m.endswith("schedule") or m == "django.db"
    }
    assert not forbidden, forbidden
    assert "keyprojects.stats" not in imported


def _world(n: int, dept, other_dept, office):
    for i in range(n):
        p = factories.started_project(dept if i % 2 else other_dept, annual_plan_wan=Decimal(400))
        factories.report(p, 1, 10 * (i + 1))
        factories.milestone(p, planned_date=date(2022, 1, 15))
    factories.project(dept, category="reserve", annual_plan_wan=0)
    services.set_current_year(2022, by=office)
    services.close_period(2022, 1, by=office, today=date(2026, 11, 25))


PAGES = [
    ("ledger:summary", ""),
    ("ledger:project_list", ""),
    ("ledger:project_list", "?colour=yellow"),
    ("ledger:project_list", "?o=colour"),
    ("dispatch:wall_chart", ""),
    ("dispatch:brief", ""),
    ("dispatch:brief_docx", ""),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name, query", PAGES)
def test_queries_do_not_grow_with_projects(name, query, client_for, office, dept, other_dept):
    _world(1, dept, other_dept, office)
    c = client_for(office)
    url = reverse(name) + query

    def count():
        c.get(url)  # warm: session, settings row
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    from keyprojects.figures.models import PeriodSnapshot, ReportingPeriod

    PeriodSnapshot.objects.all().delete()
    ReportingPeriod.objects.all().delete()
    for _ in range(2):
        p = factories.started_project(dept, annual_plan_wan=Decimal(400))
        factories.report(p, 1, 5)
    services.close_period(2022, 1, by=office, today=date(2026, 11, 25))
    assert count() == one
