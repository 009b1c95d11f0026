"""The reserve pool: profiles on the ledger's 储备 projects, conversion into a plan year,
sufficiency against the target."""

from datetime import date
from decimal import Decimal

import pytest

from keyprojects import stats
from keyprojects.core.errors import NotAllowed
from keyprojects.ledger.models import Project
from keyprojects.reserve import defaults, figures, services
from keyprojects.reserve.models import ReserveProfile, ReserveTarget, Stage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "reserve, plan, target, ratio, verdict",
    [
        ("391300", "300000", "1.5", "1.30", "储备不足"),
        ("450000", "300000", "1.5", "1.50", "储备充足"),
        ("100", "0", "1.5", None, "无法计算"),
        ("0", "100", "1.5", "0.00", "储备不足"),
        ("2", "3", "0.5", "0.67", "储备充足"),
    ],
)
def test_ratio_verdict(reserve, plan, target, ratio, verdict):
    r, v = figures.ratio_verdict(Decimal(reserve), Decimal(plan), Decimal(target))
    assert (str(r) if r is not None else None, v) == (ratio, verdict)


def reserve_project(dept, total="30000", **kw):
    return factories.project(
        dept,
        category="reserve",
        annual_plan_wan=Decimal(0),
        total_investment_wan=Decimal(total),
        **kw,
    )


@pytest.fixture(autouse=True)
def _default_stages(db):
    # Stages are installed by a data migration; a live-server test run before this module may
    # have flushed them (TransactionTestCase), so put the defaults back as the app itself does.
    defaults.ensure()


def profile(project, office, order=2):
    return services.save_profile(
        ReserveProfile(
            project=project, stage=Stage.objects.get(order=order), intake_on=date(2021, 11, 1)
        ),
        by=office,
    )


def test_sufficiency_denominator_falls_back_and_says_so(dept, office):
    reserve_project(dept, "30000")
    factories.project(dept, annual_plan_wan=Decimal("400"))  # the 2022 plan
    s = figures.sufficiency(2022)
    assert (s.next_plan_wan, s.basis) == (
        Decimal("400"),
        "2023年度计划尚无，以2022年度计划投资代替",
    )
    factories.project(dept, year=2023, annual_plan_wan=Decimal("500"))
    s = figures.sufficiency(2022)
    assert (s.next_plan_wan, s.ratio, s.verdict) == (Decimal("500"), Decimal("60.00"), "储备充足")
    ReserveTarget.objects.create(
        year=2022, next_year_plan_wan=Decimal("30000"), target_ratio=Decimal("1.5")
    )
    s = figures.sufficiency(2022)
    assert (s.ratio, s.verdict, s.basis) == (
        Decimal("1.00"),
        "储备不足",
        "办公室填报的2023年度计划投资",
    )


def test_reserve_block_counts_the_ledger_reserve(dept, office):
    a = reserve_project(dept, "30000")
    reserve_project(dept, "5000")
    profile(a, office, order=3)
    block = figures.reserve_block(year=2022, quarter=1)
    assert block["count"] == stats.ledger_summary(2022, quarter=1).projects.reserve == 2
    assert block["total_investment_wan"] == "35000.00"
    by_stage = {row["stage"]: (row["count"], row["investment_wan"]) for row in block["by_stage"]}
    assert by_stage["包装（预可研）"] == (1, "30000.00")
    assert by_stage["未建档"] == (1, "5000.00")


def test_only_a_reserve_project_gets_a_profile(project, office):
    with pytest.raises(NotAllowed, match="只有类别为“储备”"):
        profile(project, office)


def test_promotion_moves_the_project_into_the_plan_year_with_history(dept, office):
    p = profile(reserve_project(dept, "30000", code="CB2022-001"), office)
    services.promote(
        p,
        year=2023,
        annual_plan_wan=Decimal("8000"),
        planned_start=date(2023, 3, 1),
        planned_end=date(2024, 12, 31),
        on=date(2022, 12, 20),
        by=office,
    )
    project = Project.objects.get(pk=p.project_id)
    assert (project.code, project.category, project.year, project.annual_plan_wan) == (
        "CB2022-001",
        "new",
        2023,
        Decimal("8000.00"),
    )
    assert project.history.first().history_change_reason == "储备转化：列入2023年度计划"
    p.refresh_from_db()
    assert (p.stage.name, p.converted_year) == ("转化（列入年度计划）", 2023)
    assert figures.reserve_block(year=2022, quarter=4)["count"] == 0
    with pytest.raises(NotAllowed, match="已于2023年度列入计划"):
        services.promote(
            p,
            year=2023,
            annual_plan_wan=Decimal(1),
            planned_start=None,
            planned_end=None,
            on=date(2022, 12, 21),
            by=office,
        )


def test_promotion_form_refuses_bad_input_in_chinese(dept, office, client_for):
    p = profile(reserve_project(dept, "300"), office)
    r = client_for(office).post(
        f"/reserve/{p.pk}/promote/",
        {
            "year": "2021",
            "annual_plan_wan": "500",
            "planned_start": "2023-05-01",
            "planned_end": "2023-01-01",
        },
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "年度计划投资不能超过估算总投资" in body
    assert "计划竣工日期不能早于计划开工日期" in body
    assert "列入计划年度不能早于储备年度2022年" in body
    assert Project.objects.get(pk=p.project_id).category == "reserve"


def test_profile_edit_keeps_one_investment_figure(dept, office, client_for):
    p = profile(reserve_project(dept, "300"), office)
    r = client_for(office).post(
        f"/reserve/{p.pk}/edit/",
        {
            "source": "investment",
            "level": "city",
            "stage": Stage.objects.get(order=3).pk,
            "intake_on": "2021-11-01",
            "total_investment_wan": "450",
            "version": p.version,
        },
    )
    assert r.status_code == 302
    p.refresh_from_db()
    assert (p.level, p.stage.order, p.project.total_investment_wan) == (
        "city",
        3,
        Decimal("450.00"),
    )
