"""The monthly trend of a closed month is frozen with it (figures.trend, #15 item 1)."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from keyprojects.dashboard.permissions import trend_scope
from keyprojects.dispatch import services as dispatch_services
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.figures import ledger as figures
from keyprojects.figures import periods, services, trend
from keyprojects.figures.models import ReportingPeriod
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)


def _year(dept, other_dept):
    a = factories.started_project(
        dept, annual_plan_wan=Decimal(1200), total_investment_wan=Decimal(9000)
    )
    b = factories.started_project(
        other_dept, annual_plan_wan=Decimal(600), total_investment_wan=Decimal(9000)
    )
    factories.project(dept, category="reserve", annual_plan_wan=0)  # no trend
    for m, (x, y) in enumerate(((Decimal("100.10"), 30), (120, 40), (90, 0)), start=1):
        factories.report(a, m, x)
        factories.report(b, m, y)
    factories.report(b, 4, 77)  # a later month is not in March's trend
    return a, b


def test_closing_keeps_the_totals_by_department_and_month(dept, other_dept, office):
    _year(dept, other_dept)
    period = services.close_period(2022, 3, by=office, today=TODAY)
    assert period.month_totals == {
        str(dept.pk): {"1": "100.10", "2": "120.00", "3": "90.00"},
        str(other_dept.pk): {"1": "30.00", "2": "40.00", "3": "0.00"},
    }


def test_a_closed_months_trend_stays_as_issued_and_agrees_with_its_summary(
    dept, other_dept, office, reporter, client_for
):
    _year(dept, other_dept)
    services.close_period(2022, 3, by=office, today=TODAY)
    march = periods.month_period(2022, 3, today=TODAY)
    county = trend.by_month(march)
    assert county == {1: Decimal("130.10"), 2: Decimal("160.00"), 3: Decimal("90.00")}
    assert trend.by_month(march, factories.Project.objects.none()) == {}  # a scope, read live
    # A correction after the close: the summary stays frozen, and so does the trend.
    silent = factories.started_project(
        other_dept, annual_plan_wan=Decimal(300), total_investment_wan=Decimal(9000)
    )
    late = factories.report(silent, 3, 500, status=ReportStatus.SUBMITTED)
    dispatch_services.approve(late, by=office)
    assert trend.by_month(march) == county
    assert sum(county.values()) == figures.summary(march).investment.completed_ytd_wan
    assert trend.by_month(periods.month_period(2022, 4, today=TODAY))[3] == Decimal("590.00")

    data = client_for(office).get(reverse("dashboard:data") + "?year=2022&month=3").json()
    assert [r["completed_wan"] for r in data["trend"][:4]] == [130.1, 160.0, 90.0, None]
    assert data["trend"][2]["cumulative_wan"] == data["headline"]["completed_wan"]["value"]
    # A reporter's trend is their department's frozen totals.
    assert trend_scope(reporter)[1] == dept.pk and trend_scope(office) == (None, None)
    mine = client_for(reporter).get(reverse("dashboard:data") + "?year=2022&month=3").json()
    assert [r["completed_wan"] for r in mine["trend"][:3]] == [100.1, 120.0, 90.0]
    assert mine["trend"][2]["cumulative_wan"] == mine["headline"]["completed_wan"]["value"]


def test_an_open_month_and_a_narrowed_scope_are_read_live(dept, other_dept, office):
    a, _ = _year(dept, other_dept)
    live = periods.month_period(2022, 3, today=date(2022, 4, 5))
    assert trend.by_month(live) == {1: Decimal("130.10"), 2: Decimal("160.00"), 3: Decimal("90.00")}
    mine = factories.Project.objects.filter(pk=a.pk)
    assert trend.by_month(live, mine) == {
        1: Decimal("100.10"),
        2: Decimal("120.00"),
        3: Decimal("90.00"),
    }


def test_months_closed_before_the_totals_were_kept_get_them_unless_corrected(
    dept, other_dept, office
):
    _year(dept, other_dept)
    kept = services.close_period(2022, 2, by=office, today=TODAY)
    corrected = services.close_period(2022, 3, by=office, today=TODAY)
    silent = factories.started_project(
        other_dept, annual_plan_wan=Decimal(300), total_investment_wan=Decimal(9000)
    )
    late = factories.report(silent, 4, 10, status=ReportStatus.SUBMITTED)
    services.close_period(2022, 4, by=office, today=TODAY)
    dispatch_services.approve(late, by=office)  # approved after April closed: a correction
    expected = kept.month_totals
    ReportingPeriod.objects.update(month_totals=None)
    migration = importlib.import_module(
        "keyprojects.figures.migrations.0003_period_month_totals_pace_index"
    )
    migration.keep_month_totals(apps, None)
    kept.refresh_from_db()
    corrected.refresh_from_db()
    assert kept.month_totals == expected
    assert corrected.month_totals is not None  # no correction entered March
    april = ReportingPeriod.objects.get(year=2022, month=4)
    assert april.month_totals is None  # corrected: its trend stays live
    assert trend.by_month(periods.month_period(2022, 4, today=TODAY))[4] == Decimal("87.00")
