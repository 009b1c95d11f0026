"""On the demo, `keyprojects stats --year 2022 --quarter 1 --json` gives the seed's figures."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from keyprojects.factors import demo as factors_demo
from keyprojects.factors import models as m

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def stats_json(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            call_command("demo", stdout=StringIO())
            out = StringIO()
            call_command("stats", year=2022, quarter=1, json=True, stdout=out)
            data = json.loads(out.getvalue())
            transaction.set_rollback(True)
    return data


def test_land_block(stats_json):
    assert stats_json["land"] == {
        "conversion_projects": 10,
        "new_construction_land_ha": "66.4923",
        "new_construction_land_mu": "997",
        "farmland_projects": 5,
        "parcels_listed": 3,
        "expected_transfer_revenue_wan": "4595.55",
    }


def test_housing_block(stats_json):
    assert stats_json["housing"] == {
        "units": 1125,
        "area_wan_m2": "12.65",
        "units_last_year": 495,
        "area_last_year_wan_m2": "5.9",
        "units_yoy_pct": 127,
        "area_yoy_pct": 114,
        "event": {
            "name": "2022年春季房交会",
            "units": 986,
            "area_wan_m2": "10.99",
            "subsidy_wan": "2200",
            "subsidy_fiscal_wan": "1000",
            "subsidy_enterprise_wan": "1200",
        },
    }


def test_fiscal_block(stats_json):
    targets = {r["department"]: r["target_wan"] for r in stats_json["fiscal"]}
    assert targets == {"规资": "140000", "住建": "12000"}
    assert [set(r) for r in stats_json["fiscal"]] == [
        {"department", "target_wan", "actual_wan", "completion_pct"}
    ] * 2


def test_funding_block_keys_and_rate(stats_json):
    f = stats_json["funding"]
    assert set(f) == {"planned_wan", "arrived_wan", "arrival_pct", "by_source"}
    assert (f["planned_wan"], f["arrived_wan"], f["arrival_pct"]) == ("40000", "9800", 24.5)
    assert sum(float(r["planned_wan"]) for r in f["by_source"]) == 40000.0


def test_ledger_figures_unchanged(stats_json):
    p = stats_json["projects"]
    assert (p["total"], p["started"], p["reserve"], p["start_rate"], p["behind_schedule"]) == (
        36,
        23,
        15,
        63.9,
        6,
    )


def test_demo_is_idempotent_and_has_history():
    call_command("demo", stdout=StringIO())
    count = m.LandBatch.objects.count()
    assert factors_demo.load() == {"factors": 0}
    assert m.LandBatch.objects.count() == count
    for model in (
        m.LandBatch,
        m.FarmlandOccupation,
        m.LandQuota,
        m.Parcel,
        m.HousingMonth,
        m.SalesEvent,
        m.FiscalTask,
        m.FiscalMonth,
        m.FundingPlan,
        m.FundingArrival,
        m.BondBatch,
    ):
        obj = model.objects.first()
        assert obj is not None, model
        assert obj.history.first().history_user is not None, model


def test_county_goal_and_overdue_quota_on_the_demo():
    from keyprojects.core.models import User
    from keyprojects.dispatch.todo import todo_for
    from keyprojects.factors import figures

    call_command("demo", stdout=StringIO())
    goals = figures.county_goals(2022)
    assert [(g.item, str(g.growth_target_pct)) for g in goals] == [("一般公共预算收入", "8.0")]
    # A past year is judged at the end of its last approved month (2022-03-31), not today.
    quota_items = [
        i["text"] for i in todo_for(User.objects.get(username="zhujian")) if i["kind"] == "quota"
    ]
    assert quota_items == [
        "保障性租赁住房项目 用地指标逾期11天未落实（跟踪责任人：吴股长（规资局耕保科））"
    ]
