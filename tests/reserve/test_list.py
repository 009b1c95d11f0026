"""The reserve pool page at scale: one page of projects, totals and the by-stage table from one
GROUP BY, each stage's count drilling down to its projects, the conversions bounded."""

from datetime import date
from decimal import Decimal

import pytest

from keyprojects.reserve import defaults
from keyprojects.reserve.models import ReserveProfile, Stage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _stages(db, settings):
    defaults.ensure()
    settings.KP_PAGE_SIZE = 5


def reserve(dept, n, total="100", **kw):
    return factories.project(
        dept,
        category="reserve",
        annual_plan_wan=Decimal(0),
        total_investment_wan=Decimal(total),
        name=f"储备项目{n:02d}",
        code=f"CB{n:03d}",
        **kw,
    )


def profiled(project, order):
    return ReserveProfile.objects.create(
        project=project, stage=Stage.objects.get(order=order), intake_on=date(2021, 11, 1)
    )


def names(response) -> list[str]:
    return [p.name for p in response.context["page"].object_list]


def test_the_pool_is_paged_with_totals_of_every_row(dept, office, client_for):
    for n in range(12):
        reserve(dept, n)
    c = client_for(office)
    r = c.get("/reserve/?year=2022")
    assert r.status_code == 200
    assert r.context["totals"] == {"count": 12, "investment_wan": Decimal("1200.00")}
    assert names(r) == [f"储备项目{n:02d}" for n in range(5)]
    body = r.content.decode()
    assert "共 12 个项目" in body
    assert "第 1 / 2 页" in body
    assert 'href="?year=2022&page=2"' in body
    # The last page takes the orphans (12 = 5 + 7) rather than leaving 2 rows on a third.
    assert names(c.get("/reserve/?year=2022&page=2")) == [f"储备项目{n:02d}" for n in range(5, 12)]
    assert len(names(c.get("/reserve/?year=2022&size=all"))) == 12
    r = c.get("/reserve/?year=2022&size=20")
    assert (len(names(r)), r.context["query"]) == (12, "year=2022&size=20")


def test_each_stage_count_drills_down_to_its_projects(dept, office, client_for):
    projects = [reserve(dept, n) for n in range(6)]
    for p in projects[:3]:
        profiled(p, order=2)
    profiled(projects[3], order=4)
    stage = Stage.objects.get(order=2)
    c = client_for(office)
    body = c.get("/reserve/?year=2022").content.decode()
    assert f'href="?year=2022&amp;stage={stage.pk}"' in body
    assert 'href="?year=2022&amp;stage=none"' in body
    r = c.get(f"/reserve/?year=2022&stage={stage.pk}")
    assert (names(r), r.context["totals"]["count"]) == (
        ["储备项目00", "储备项目01", "储备项目02"],
        3,
    )
    assert f"阶段：{stage.name}" in r.content.decode()
    assert names(c.get("/reserve/?year=2022&stage=none")) == ["储备项目04", "储备项目05"]
    # A stage with no project: an empty page, not an error.
    r = c.get(f"/reserve/?year=2022&stage={Stage.objects.get(order=1).pk}")
    assert (r.status_code, names(r)) == (200, [])


@pytest.mark.parametrize(
    "query, message",
    [
        ("stage=abc", "阶段无效"),
        ("stage=99999", "阶段无效"),
        ("year=abc", "年度无效"),
        ("year=1999", "年度应为2000至2100"),
    ],
)
def test_bad_filters_get_a_chinese_400(dept, office, client_for, query, message):
    reserve(dept, 1)
    r = client_for(office).get(f"/reserve/?{query}")
    assert r.status_code == 400
    assert message in r.content.decode()


@pytest.mark.parametrize(
    "query, first", [("page=abc", 0), ("page=0", 5), ("page=99", 5), ("size=7", 0)]
)
def test_a_bad_page_or_size_falls_back(dept, office, client_for, query, first):
    for n in range(12):
        reserve(dept, n)
    r = client_for(office).get(f"/reserve/?year=2022&{query}")
    assert (r.status_code, names(r)[0]) == (200, f"储备项目{first:02d}")


def test_a_reporter_pages_through_the_department_only(dept, other_dept, reporter, client_for):
    for n in range(3):
        reserve(dept, n)
    reserve(other_dept, 9, total="5000")
    r = client_for(reporter).get("/reserve/?year=2022")
    assert r.context["totals"] == {"count": 3, "investment_wan": Decimal("300.00")}
    assert names(r) == ["储备项目00", "储备项目01", "储备项目02"]
    # Sufficiency stays the county's figure.
    assert r.context["sufficiency"].reserve_wan == Decimal("5300.00")


def test_the_converted_list_is_bounded_newest_first(dept, office, client_for):
    converted = Stage.objects.get(is_converted=True)
    for n in range(23):
        p = factories.project(dept, year=2023, name=f"转化项目{n:02d}", code=f"ZH{n:03d}")
        ReserveProfile.objects.create(
            project=p,
            stage=converted,
            intake_on=date(2021, 11, 1),
            converted_year=2023,
            converted_on=date(2022, 1, 1 + n),
        )
    c = client_for(office)
    r = c.get("/reserve/?year=2022")
    shown = [p.project.name for p in r.context["converted"].object_list]
    assert shown == [f"转化项目{n:02d}" for n in range(22, 2, -1)]
    body = r.content.decode()
    assert "共 23 个项目，最近转化的在前" in body
    assert 'href="?year=2022&amp;cpage=2#converted"' in body
    r = c.get("/reserve/?year=2022&cpage=2")
    assert [p.project.name for p in r.context["converted"].object_list] == [
        "转化项目02",
        "转化项目01",
        "转化项目00",
    ]
