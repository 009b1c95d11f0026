"""keyprojects/stats.py: the figures every page, export and report shows."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from keyprojects import stats
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.ledger.models import YearSchedule
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "year, quarter, end",
    [
        (2022, 1, date(2022, 3, 31)),
        (2022, 2, date(2022, 6, 30)),
        (2022, 3, date(2022, 9, 30)),
        (2022, 4, date(2022, 12, 31)),
    ],
)
def test_quarter_end(year, quarter, end):
    assert stats.quarter_end(year, quarter) == end


def test_quarter_out_of_range():
    with pytest.raises(ValueError):
        stats.quarter_end(2022, 5)


def build_year(dept, other_dept):
    on = factories.started_project(dept, category="continuing", annual_plan_wan=Decimal(400))
    behind = factories.started_project(dept, annual_plan_wan=Decimal(400))
    late = factories.started_project(other_dept, start=date(2022, 4, 2))  # after Q1
    factories.project(other_dept)  # not started
    factories.project(dept, category="reserve", annual_plan_wan=0, total_investment_wan=5000)
    factories.project(dept, year=2021)  # another year
    gone = factories.started_project(dept)
    gone.deleted_at = gone.updated_at
    gone.save()
    for m in (1, 2, 3):
        factories.report(on, m, 40)  # 120 of 400 = 30% ≥ 25%
        factories.report(behind, m, 20)  # 60 of 400 = 15%
    factories.report(behind, 3, 999, status=ReportStatus.SUBMITTED, year=2023)  # other year
    factories.report(late, 4, 100)
    return on, behind


def test_summary_counts(dept, other_dept):
    on, behind = build_year(dept, other_dept)
    factories.report(on, 4, 1000, status=ReportStatus.SUBMITTED)  # not approved, not Q1
    s = stats.ledger_summary(2022, quarter=1)
    p = s.projects
    assert (p.total, p.continuing, p.new, p.reserve, p.listed) == (4, 1, 3, 1, 5)
    assert (p.started, p.not_started, p.on_schedule, p.behind_schedule) == (2, 2, 1, 1)
    assert p.start_rate == Decimal("50.0")
    assert s.investment.completed_ytd_wan == Decimal("180.00")
    assert s.investment.annual_plan_wan == Decimal("1600")
    assert s.investment.expected_share == Decimal("25.0")
    assert s.investment.investment_rate == Decimal("11.3")
    assert [p.pk for p, _ in s.behind_projects] == [behind.pk]


def test_only_approved_reports_count(dept, other_dept):
    on, behind = build_year(dept, other_dept)
    report = behind.reports.get(year=2022, month=3)
    report.status = ReportStatus.SUBMITTED
    report.save()
    s = stats.ledger_summary(2022, quarter=1)
    assert s.investment.completed_ytd_wan == Decimal("160.00")


def test_departments_rows(dept, other_dept):
    build_year(dept, other_dept)
    rows = {d.name: d for d in stats.ledger_summary(2022, quarter=1).departments}
    mine = rows[dept.name]
    assert (mine.total, mine.continuing, mine.new, mine.reserve, mine.listed) == (2, 1, 1, 1, 3)
    assert mine.total_investment_wan == Decimal(2000)
    assert mine.reserve_investment_wan == Decimal(5000)
    assert mine.listed_investment_wan == Decimal(7000)
    other = rows[other_dept.name]
    assert (other.total, other.started, other.start_rate) == (2, 0, Decimal("0.0"))


def test_second_quarter_sees_the_april_start(dept, other_dept):
    build_year(dept, other_dept)
    assert stats.ledger_summary(2022, quarter=2).projects.started == 3


def test_scope_narrows_the_figures(dept, other_dept, reporter):
    from keyprojects.ledger.permissions import projects_for

    build_year(dept, other_dept)
    s = stats.ledger_summary(2022, quarter=1, projects=projects_for(reporter))
    assert s.projects.total == 2
    assert [d.name for d in s.departments] == [dept.name]


def test_county_curve_changes_the_expected_share(dept, other_dept):
    build_year(dept, other_dept)
    YearSchedule.objects.create(year=2022, curve={"3": 10})
    s = stats.ledger_summary(2022, quarter=1)
    assert s.investment.expected_share == Decimal("10.0")
    assert s.projects.behind_schedule == 0


def test_default_as_of_for_a_past_year_is_its_last_reported_month(dept, other_dept):
    build_year(dept, other_dept)
    assert stats.default_as_of(2022, date(2026, 11, 25)) == date(2022, 4, 30)
    assert stats.default_as_of(2021, date(2026, 11, 25)) == date(2021, 12, 31)
    assert stats.default_as_of(2026, date(2026, 11, 25)) == date(2026, 11, 25)


def test_stats_command_json(dept, other_dept, capsys):
    build_year(dept, other_dept)
    call_command("stats", "--year", "2022", "--quarter", "1", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == 2022 and data["quarter"] == 1 and data["as_of"] == "2022-03-31"
    assert data["projects"]["total"] == 4
    assert data["projects"]["start_rate"] == 50.0
    assert data["investment"]["completed_ytd_wan"] == "180.00"
    dept_row = next(d for d in data["departments"] if d["name"] == dept.name)
    assert set(dept_row) >= {
        "name",
        "total",
        "continuing",
        "new",
        "reserve",
        "total_investment_wan",
    }
    assert dept_row["total_investment_wan"] == "2000.00"


def sample_block(*, year, quarter, period=None):
    """A figures block as another app would register it (used by the test below)."""
    return {
        "year": year,
        "quarter": quarter,
        "area_ha": Decimal("66.4923"),
        "on": date(2022, 3, 31),
    }


def test_stats_command_collects_app_blocks(dept, other_dept, capsys, monkeypatch):
    from django.apps import apps

    config = apps.get_app_config("ledger")
    monkeypatch.setattr(
        config, "stats_blocks", {"sample": "tests.ledger.test_stats.sample_block"}, raising=False
    )
    build_year(dept, other_dept)
    call_command("stats", "--year", "2022", "--quarter", "1", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["sample"] == {"year": 2022, "quarter": 1, "area_ha": "66.4923", "on": "2022-03-31"}
    assert data["projects"]["total"] == 4


def test_stats_command_refuses_a_block_named_like_a_summary_field(dept, capsys, monkeypatch):
    from django.apps import apps
    from django.core.management import CommandError

    config = apps.get_app_config("ledger")
    monkeypatch.setattr(
        config, "stats_blocks", {"projects": "tests.ledger.test_stats.sample_block"}, raising=False
    )
    with pytest.raises(CommandError, match="统计块“projects”与台账统计的字段重名"):
        call_command("stats", "--year", "2022", "--quarter", "1", "--json")
