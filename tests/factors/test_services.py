"""Writes: Chinese messages naming the field, transitions, nothing half-written, history."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from keyprojects.core.errors import StaleEdit
from keyprojects.factors import models as m
from keyprojects.factors import services

pytestmark = pytest.mark.django_db


def _errors(exc) -> dict:
    return {k: v for k, v in exc.value.message_dict.items()}


def test_batch_area_rules_name_the_field(land_dept, land_reporter):
    b = m.LandBatch(
        name="坏批次",
        department=land_dept,
        collective_farmland_ha=Decimal("1"),
        collective_cultivated_ha=Decimal("2"),
        collective_basic_ha=Decimal("3"),
        expropriation_ha=Decimal("9"),
        status="approved",
    )
    with pytest.raises(ValidationError) as exc:
        services.save_record(b, by=land_reporter)
    assert _errors(exc) == {
        "collective_cultivated_ha": ["集体耕地面积不能大于农用地面积（耕地属于农用地）"],
        "collective_basic_ha": ["集体永久基本农田面积不能大于耕地面积（永久基本农田属于耕地）"],
        "expropriation_ha": ["征收面积不能大于集体土地面积合计"],
        "reported_on": ["办理状态为“批复”，请填写上报日期"],
        "approved_on": ["办理状态为“批复”，请填写批复日期"],
    }
    assert not m.LandBatch.objects.exists()


def test_negative_area_refused_in_chinese(land_dept, land_reporter):
    b = m.LandBatch(name="负数", department=land_dept, state_unused_ha=Decimal("-1"))
    with pytest.raises(ValidationError) as exc:
        services.save_record(b, by=land_reporter)
    assert _errors(exc) == {"state_unused_ha": ["确保该值大于或等于0。"]}


def test_batch_figures_and_projects(batch, project):
    assert batch.new_construction_ha == Decimal("19.5645")
    assert list(batch.projects.all()) == [project]


def test_transition_refused_names_allowed_moves(batch, land_reporter):
    batch.status = "assembling"
    services.save_record(batch, by=land_reporter, expected_version=batch.version)
    batch.status = "approved"
    batch.approved_on = date(2022, 4, 1)
    batch.reported_on = date(2022, 2, 18)
    with pytest.raises(ValidationError) as exc:
        services.save_record(batch, by=land_reporter)
    assert _errors(exc) == {"status": ["办理状态不能从“组卷”直接改为“批复”：只能改为“上报”"]}
    assert m.LandBatch.objects.get().status == "assembling"


def test_stale_save_refused(batch, land_reporter, office):
    stale = m.LandBatch.objects.get(pk=batch.pk)
    batch.notes = "第一次修改"
    services.save_record(batch, by=office, expected_version=batch.version)
    stale.notes = "第二次修改"
    with pytest.raises(StaleEdit) as exc:
        services.save_record(stale, by=land_reporter, expected_version=stale.version)
    assert "王主任已于" in exc.value.message
    assert m.LandBatch.objects.get().notes == "第一次修改"


def test_history_records_actor_and_project_set(batch, land_reporter, other_project):
    services.save_record(batch, by=land_reporter, projects=[other_project])
    recs = list(batch.history.order_by("history_id"))
    assert {r.history_user for r in recs} == {land_reporter}
    names = [sorted(str(x.project) for x in r.projects.all()) for r in recs]
    assert names[0] == [] or names[0] == ["凤鸣江湾住宅小区"]
    assert names[-1] == ["省道S526石堤至龙池段改建工程"]


def test_parcel_states_need_their_dates(land_dept, land_reporter):
    p = m.Parcel(
        code="C31-4/02",
        location="平凯南部新城",
        department=land_dept,
        area_m2=Decimal("100"),
        use="mixed",
        term_years=70,
        status="contracted",
        listed_on=date(2022, 3, 18),
    )
    with pytest.raises(ValidationError) as exc:
        services.save_record(p, by=land_reporter)
    assert _errors(exc) == {
        "sold_on": ["出让状态为“签合同”，请填写成交日期"],
        "deal_price_wan": ["出让状态为“签合同”，请填写成交价"],
        "contract_on": ["出让状态为“签合同”，请填写合同签订日期"],
    }


def test_housing_month_unique_in_chinese(dept, reporter):
    kw = dict(year=2022, month=1, region="county_town", department=dept)
    services.save_record(m.HousingMonth(**kw), by=reporter)
    with pytest.raises(ValidationError) as exc:
        services.save_record(m.HousingMonth(**kw), by=reporter)
    assert exc.value.messages == ["该月该区域的网签备案数据已存在，请修改原记录"]


def test_save_many_is_all_or_nothing(dept, reporter):
    good = m.HousingMonth(year=2022, month=1, region="county_town", department=dept)
    bad = m.HousingMonth(year=2022, month=13, region="county_town", department=dept)
    with pytest.raises(ValidationError):
        services.save_many([(good, None), (bad, None)], by=reporter)
    assert not m.HousingMonth.objects.exists()


def test_bond_use_cannot_exceed_amount(project, office):
    b = m.BondBatch(
        project=project,
        name="专项债",
        issued_on=date(2022, 1, 20),
        amount_wan=Decimal(100),
        used_wan=Decimal(101),
    )
    with pytest.raises(ValidationError) as exc:
        services.save_record(b, by=office)
    assert _errors(exc)["used_wan"] == ["已支出不能超过发行金额"]


def test_fiscal_task_needs_a_target(office, dept):
    with pytest.raises(ValidationError) as exc:
        services.save_record(m.FiscalTask(year=2022, department=dept), by=office)
    assert _errors(exc) == {"target_wan": ["年度目标和增长目标至少填写一项"]}
