"""Reporting periods: default period, closing, snapshots, corrections, 未报送 (#15 items 1, 2)."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from keyprojects.core.errors import NotAllowed
from keyprojects.dispatch import services as dispatch_services
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.figures import ledger as figures
from keyprojects.figures import periods, services
from keyprojects.figures.models import PeriodCorrection, PeriodSnapshot
from keyprojects.ledger.models import Project
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)


def _stats_json(year=2022, quarter=1) -> dict:
    out = StringIO()
    call_command("stats", "--year", str(year), "--quarter", str(quarter), "--json", stdout=out)
    return json.loads(out.getvalue())


def _headline(p: dict) -> tuple:
    return (p["total"], p["started"], p["reserve"], p["start_rate"], p["behind_schedule"])


def test_demo_default_view_survives_an_april_approval_and_next_years_projects(client_for):
    """The issue's Done-when on the demo: 36/23/15/63.9 with 6 behind, whatever happens next."""
    from keyprojects.core.models import User
    from keyprojects.dispatch.models import MonthlyReport
    from keyprojects.ledger import services as ledger_services

    call_command("demo", stdout=StringIO())
    office = User.objects.get(username="office")
    default = periods.default_period(today=TODAY)
    assert (default.key, default.final) == ("2022-03", True)
    assert default.statement == "数据截至2022年3月31日（3月调度已结束）"

    april = MonthlyReport.objects.get(year=2022, month=4, status=ReportStatus.SUBMITTED)
    dispatch_services.approve(april, by=office)
    office_client = client_for(office)

    def check():
        data = _stats_json()
        assert _headline(data["projects"]) == (36, 23, 15, 63.9, 6)
        assert data["projects"]["unreported"] == 0
        assert data["period"]["statement"] == "数据截至2022年3月31日（3月调度已结束）"
        s = figures.summary(periods.default_period())
        assert (s.projects.total, s.projects.started, s.projects.behind_schedule) == (36, 23, 6)
        page = office_client.get(reverse("ledger:summary")).content.decode()
        assert "数据截至2022年3月31日（3月调度已结束）" in page
        assert "未达到序时进度的项目（6个）" in page
        chart = office_client.get(reverse("dispatch:wall_chart")).content.decode()
        assert "2022年重点项目挂图作战图" in chart and "3月调度已结束" in chart
        listing = office_client.get(reverse("ledger:project_list")).content.decode()
        assert "3月调度已结束" in listing and "ZD2022-001" in listing

    check()
    guizi = Project.objects.filter(year=2022, department__short_name="规资").first().department
    for year, category in ((2023, "reserve"), (2026, "new")):
        ledger_services.save_project(
            Project(
                name=f"{year}年新录入项目",
                year=year,
                department=guizi,
                category=category,
                sector="infrastructure",
                total_investment_wan=Decimal(1000),
                annual_plan_wan=Decimal(0),
            ),
            by=office,
        )
    check()


def test_closing_freezes_what_the_live_figures_said(dept, other_dept, office):
    a = factories.started_project(dept, annual_plan_wan=Decimal(400))
    b = factories.started_project(other_dept, annual_plan_wan=Decimal(400))
    factories.project(dept, category="reserve", annual_plan_wan=0, total_investment_wan=9000)
    factories.report(a, 1, 40)
    factories.milestone(b, planned_date=date(2022, 1, 20))
    live = figures.ledger_summary(2022, as_of=date(2022, 1, 31))
    assert (live.projects.started, live.projects.unreported) == (2, 1)
    period = services.close_period(2022, 1, by=office, today=TODAY)
    closed = figures.summary(periods.month_period(2022, 1, today=TODAY))
    assert closed.period.final and closed.period.record_id == period.pk
    for key in ("projects", "investment", "departments", "unreported_projects"):
        assert closed.as_json()[key] == live.as_json()[key], key
    assert PeriodSnapshot.objects.filter(period=period).count() == 3
    # Later reports do not move a closed month: the snapshot is what was issued.
    factories.report(a, 1, 999, status=ReportStatus.SUBMITTED, year=2023)
    b_report = factories.report(b, 1, 50, status=ReportStatus.SUBMITTED)
    dispatch_services.approve(b_report, by=office)
    again = figures.summary(periods.month_period(2022, 1, today=TODAY))
    assert again.as_json()["projects"] == live.as_json()["projects"]
    correction = PeriodCorrection.objects.get()
    assert (correction.ytd_frozen_wan, correction.ytd_corrected_wan) == (0, Decimal("50.00"))
    assert "关账后审核通过" in correction.text and correction.recorded_by == office


def test_unreported_is_not_behind(dept, office):
    reported = factories.started_project(dept, annual_plan_wan=Decimal(400))
    silent = factories.started_project(dept, annual_plan_wan=Decimal(400))
    factories.report(reported, 1, 10)
    s = figures.ledger_summary(2022, as_of=date(2022, 1, 31))
    p = s.projects
    assert (p.started, p.on_schedule, p.behind_schedule, p.unreported) == (2, 0, 1, 1)
    assert p.started == p.on_schedule + p.behind_schedule + p.unreported
    v = figures.verdicts([silent], date(2022, 1, 31))[silent.pk]
    assert (v.unreported, v.behind, v.colour) == (True, False, "yellow")
    assert v.reasons[0] == "1月无已审核的调度报告（未报送）"
    assert [(q.pk, q.department.name) for q, _ in s.unreported_projects] == [(silent.pk, dept.name)]
    assert s.departments[0].unreported == 1


def test_a_missing_month_is_not_counted_as_zero(dept):
    project = factories.started_project(
        dept, annual_plan_wan=Decimal(1200), total_investment_wan=Decimal(5000)
    )
    for m in (1, 2, 3):
        factories.report(project, m, 100)  # 300 of 1200 = 25 % = 序时 at March
    v = figures.verdicts([project], date(2022, 6, 30))[project.pk]
    assert (v.behind, v.colour) == (False, "green")
    assert "4—6月调度报告未报送（按1—3月已审核数字判断）" in v.reasons


def test_current_plan_year_is_the_offices_not_the_largest(dept, office):
    factories.project(dept, year=2022)
    factories.project(dept, year=2027, category="reserve", annual_plan_wan=0)
    assert periods.current_plan_year(today=TODAY) == 2022  # latest year not after today
    services.set_current_year(2023, by=office)
    assert periods.current_plan_year(today=TODAY) == 2023
    with pytest.raises(NotAllowed):
        services.set_current_year(1999, by=office)


def test_quarter_shows_its_closed_months(dept, office):
    factories.started_project(dept)
    for m in (1, 2, 3, 4):
        services.close_period(2022, m, by=office, today=TODAY)
    q2 = periods.quarter_period(2022, 2, today=TODAY)
    assert (q2.month, q2.months_label, q2.final) == (4, "1—4月", True)
    q3 = periods.quarter_period(2022, 3, today=TODAY)
    assert (q3.month, q3.final) == (9, False)
    assert q3.statement == "数据截至2022年9月30日（9月调度未结束，数据未最终确定）"
    with pytest.raises(NotAllowed, match="已于"):
        services.close_period(2022, 4, by=office, today=TODAY)
    with pytest.raises(NotAllowed, match="尚未结束"):
        services.close_period(2026, 11, by=office, today=TODAY)


def test_auto_close_on_the_set_day(dept, office):
    factories.started_project(dept)
    services.set_current_year(2022, by=office)
    assert services.close_due_periods(date(2022, 3, 9)) == []  # no day set: office only
    services.set_auto_close_day(10, by=office)
    assert services.close_due_periods(date(2022, 3, 9)) != []  # January only
    assert sorted(periods.closed_months(2022)) == [1]
    services.close_due_periods(date(2022, 3, 10))
    assert sorted(periods.closed_months(2022)) == [1, 2]


def test_close_command(dept, office):
    factories.started_project(dept)
    out = StringIO()
    call_command("dispatch", "close", "--month", "2022-03", stdout=out)
    assert "已结束2022年3月调度，冻结1个项目的数字" in out.getvalue()
    with pytest.raises(CommandError, match="已于"):
        call_command("dispatch", "close", "--month", "2022-03", stdout=StringIO())
    with pytest.raises(CommandError, match="格式不正确"):
        call_command("dispatch", "close", "--month", "March", stdout=StringIO())


def test_period_page_closes_and_sets_the_year(client_for, office, reporter, dept):
    factories.started_project(dept)
    c = client_for(office)
    r = c.post(reverse("figures:period_settings"), {"current_year": "2022", "auto_close_day": ""})
    assert r.status_code == 302
    r = c.post(reverse("figures:period_close"), {"month": "2022-02"})
    assert r.status_code == 302 and periods.closed_months(2022).keys() == {2}
    page = c.get(reverse("figures:period_list")).content.decode()
    assert "2022年月度调度周期" in page and "数据截至2022年2月28日（2月调度已结束）" in page
    mine = client_for(reporter).get(reverse("figures:period_list")).content.decode()
    assert "结束本月调度" not in mine
