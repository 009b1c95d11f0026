"""On the demo: the seed's problems and risks, 15 reserve profiles, a ranking for 2022 Q1 that
explains every point, and the ledger's figures untouched."""

import pytest
from django.core.management import call_command

from keyprojects import stats
from keyprojects.core.models import User
from keyprojects.figures import periods
from keyprojects.problems import figures
from keyprojects.problems.models import Interview, Problem
from keyprojects.reserve import figures as reserve_figures
from keyprojects.reserve.models import ReserveProfile

pytestmark = pytest.mark.django_db


def test_demo_tells_the_seed_second_part(client_for):
    call_command("demo")
    s = stats.ledger_summary(2022, quarter=1)
    assert (s.projects.total, s.projects.started, s.projects.reserve) == (36, 23, 15)

    reserve = reserve_figures.reserve_block(year=2022, quarter=1)
    assert reserve["count"] == 15 == ReserveProfile.objects.count()
    assert reserve["sufficiency"]["verdict"] == "储备不足"

    problems = figures.problems_block(year=2022, quarter=1)
    assert problems["open"] == 8 and problems["overdue"] == 2
    assert problems["by_level"] == {"提示": 5, "督办": 2, "约谈·通报": 1}
    risks = figures.risks_block(year=2022, quarter=1)
    named = risks.pop("projects")
    assert risks == {"stopped": 1, "funding": 3, "labour": 1, "demolition": 2, "quality": 1}
    # The report names the projects behind each count.
    assert {k: len(v) for k, v in named.items()} == risks
    assert any("碧桂园" in name for name in named["stopped"])

    states = dict(Problem.objects.values_list("project__name", "status"))
    assert states["凤凰隧道及连接道工程"] == "closed"
    assert states["碧桂园·凤凰城项目"] == "in_progress"
    assert Interview.objects.filter(problem__project__name="中昂新城商住项目").exists()

    r = figures.ranking(periods.quarter_period(2022, 1))
    assert len(r.departments) == 7
    for d in r.departments:
        assert sum(line.points for line in d.score.lines) == d.score.total
        assert all(line.note for line in d.score.lines)
    assert {x.project.name for x in r.slow} >= {"健康路改造工程", "学府二路至外环线道路工程"}

    office = client_for(User.objects.get(username="office"))
    page = office.get("/projects/?year=2022").content.decode()
    assert "risk-stopped" in page
    page = office.get("/projects/summary/?year=2022&quarter=1").content.decode()
    assert "停工项目1个" in page
    assert office.get("/problems/ranking/?year=2022&quarter=1").status_code == 200
    assert office.get("/reserve/?year=2022").status_code == 200
