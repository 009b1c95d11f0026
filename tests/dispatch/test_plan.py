"""倒排工期: phase templates (office) and the plan page saving milestones."""

from datetime import date

import pytest
from django.urls import reverse

from keyprojects.dispatch.models import PhaseTemplate
from keyprojects.dispatch.services import plan_stamp
from keyprojects.ledger.models import Milestone
from tests import factories

pytestmark = pytest.mark.django_db

PHASES = [
    "approval",
    "land_preview",
    "planning_permit",
    "bidding",
    "construction_permit",
    "start",
    "main_works",
    "acceptance",
]

TEMPLATE = {
    "land_preview_days": "30",
    "planning_permit_days": "30",
    "bidding_days": "20",
    "construction_permit_days": "30",
    "start_days": "10",
    "main_works_days": "200",
    "acceptance_days": "60",
    "note": "市政道路",
}


def test_office_edits_template(client_for, office):
    c = client_for(office)
    url = reverse("dispatch:template_edit", args=["infrastructure"])
    assert c.get(url).status_code == 200
    assert c.post(url, TEMPLATE).status_code == 302
    t = PhaseTemplate.objects.get(sector="infrastructure")
    assert t.main_works_days == 200 and t.history.count() == 1
    page = c.get(reverse("dispatch:template_list")).content.decode()
    assert "市政道路" in page
    # Stale second edit refused, input kept.
    response = c.post(url, {**TEMPLATE, "main_works_days": "250", "version": "0"})
    assert response.status_code == 409 and 'value="250"' in response.content.decode()
    response = c.post(url, {**TEMPLATE, "start_days": "-1", "version": str(t.version)})
    assert response.status_code == 400
    t.refresh_from_db()
    assert t.main_works_days == 200 and t.start_days == 10


def test_template_edit_office_only(client_for, reporter, leader, office):
    url = reverse("dispatch:template_edit", args=["infrastructure"])
    assert client_for(reporter).get(url).status_code == 403
    assert client_for(leader).post(url, TEMPLATE).status_code == 403
    assert not PhaseTemplate.objects.exists()
    assert (
        client_for(office).get(reverse("dispatch:template_edit", args=["nope"])).status_code == 404
    )


def test_plan_proposes_backwards_and_saves_milestones(client_for, reporter, project):
    PhaseTemplate.objects.create(
        sector=project.sector, **{k: int(v) for k, v in TEMPLATE.items() if k != "note"}
    )
    existing = factories.milestone(
        project,
        phase="construction_permit",
        planned_date=date(2022, 2, 1),
        actual_date=date(2022, 2, 3),
    )
    c = client_for(reporter)
    url = reverse("dispatch:plan", args=[project.pk])
    page = c.get(url + "?anchor=acceptance&target=2023-06-30").content.decode()
    # 竣工验收 2023-06-30 → 主体完工 60 days earlier → 开工 200 days before that …
    assert 'name="date_acceptance" value="2023-06-30"' in page
    assert 'name="date_main_works" value="2023-05-01"' in page
    assert 'name="date_start" value="2022-10-13"' in page
    assert 'name="date_construction_permit" value="2022-10-03"' in page
    assert 'name="date_bidding" value="2022-09-03"' in page
    assert 'name="date_approval" value="2022-06-15"' in page
    data = {
        "date_approval": "2022-06-15",
        "date_land_preview": "2022-07-15",
        "date_planning_permit": "2022-08-14",
        "date_bidding": "2022-09-03",
        "date_construction_permit": "2022-10-03",
        "date_start": "2022-10-20",  # adjusted by the user
        "date_main_works": "2023-05-01",
        "date_acceptance": "2023-06-30",
        "stamp": plan_stamp(project),
    }
    # Every date is past today and 开工 differs from the ledger's 计划开工: a confirm step first.
    response = c.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "保存前请确认" in page and "确认保存" in page
    assert "开工节点 2022年10月20日 比台账计划开工 2022年1月1日 晚9个月" in page
    assert not Milestone.objects.filter(phase="start").exists()
    confirm = ",".join(data[f"date_{p}"] for p in PHASES)
    response = c.post(url, {**data, "confirm": confirm})
    assert response.status_code == 302
    live = {m.phase: m for m in Milestone.objects.filter(project=project, deleted_at=None)}
    assert len(live) == 8
    assert live["start"].planned_date == date(2022, 10, 20) and live["start"].name == "开工"
    assert live["bidding"].name == "招投标"
    existing.refresh_from_db()
    assert existing.planned_date == date(2022, 10, 3) and existing.actual_date == date(2022, 2, 3)
    assert existing.history.count() == 2  # created, then the plan changed it


def test_plan_refuses_dates_out_of_order(client_for, reporter, project):
    url = reverse("dispatch:plan", args=[project.pk])
    data = {
        "date_approval": "2022-07-25",
        "date_land_preview": "2022-06-01",
        "date_planning_permit": "2022-09-23",
        "date_bidding": "2022-09-30",
        "date_construction_permit": "2022-10-03",
        "date_start": "2022-10-20",
        "date_main_works": "2023-05-01",
        "date_acceptance": "",
    }
    response = client_for(reporter).post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "“用地预审”的计划日期不能早于“立项”" in page
    assert "请填写“竣工验收”的计划日期" in page
    assert not Milestone.objects.exists()


def test_plan_bad_target_and_scope(client_for, reporter, other_reporter, leader, project):
    url = reverse("dispatch:plan", args=[project.pk])
    assert client_for(reporter).get(url + "?anchor=acceptance&target=abc").status_code == 400
    assert client_for(reporter).get(url + "?anchor=bogus&target=2023-01-01").status_code == 400
    assert client_for(other_reporter).get(url).status_code == 404
    assert client_for(leader).get(url).status_code == 403
    # Default durations when the office set no template for the sector.
    page = client_for(reporter).get(url + "?anchor=start&target=2022-03-01").content.decode()
    assert 'name="date_start" value="2022-03-01"' in page and "默认工期" in page


def test_template_created_concurrently_is_409(client_for, office, monkeypatch):
    from keyprojects.dispatch import services

    real = services.template_for
    monkeypatch.setattr(services, "template_for", lambda sector: PhaseTemplate(sector=sector))
    PhaseTemplate.objects.create(sector="infrastructure")
    url = reverse("dispatch:template_edit", args=["infrastructure"])
    response = client_for(office).post(url, TEMPLATE)
    assert response.status_code == 409
    assert "刚由他人创建" in response.content.decode()
    assert real("infrastructure").main_works_days == 365  # unchanged


def _ledger_2099(project):
    project.planned_start, project.planned_end = date(2099, 6, 1), date(2100, 9, 1)
    project.save()


def _future_plan(project, **dates):
    base = {
        "date_approval": "2099-01-05",
        "date_land_preview": "2099-02-01",
        "date_planning_permit": "2099-03-01",
        "date_bidding": "2099-04-01",
        "date_construction_permit": "2099-05-01",
        "date_start": "2099-06-01",
        "date_main_works": "2100-06-01",
        "date_acceptance": "2100-09-01",
        "stamp": plan_stamp(project),
    }
    return {**base, **{f"date_{k}": v for k, v in dates.items()}}


def test_plan_target_prefilled_from_ledger_end(client_for, reporter, project):
    page = client_for(reporter).get(reverse("dispatch:plan", args=[project.pk])).content.decode()
    assert 'name="target" value="2023-12-31"' in page  # the project's 计划竣工
    assert 'value="acceptance" selected' in page


def test_plan_future_dates_matching_ledger_save_at_once(client_for, reporter, project):
    _ledger_2099(project)
    response = client_for(reporter).post(
        reverse("dispatch:plan", args=[project.pk]), _future_plan(project)
    )
    assert response.status_code == 302
    assert Milestone.objects.filter(project=project).count() == 8


def test_plan_confirm_asks_again_when_a_date_changes(client_for, reporter, project):
    _ledger_2099(project)
    c = client_for(reporter)
    url = reverse("dispatch:plan", args=[project.pk])
    data = _future_plan(project, approval="2021-03-01")
    page = c.post(url, data).content.decode()
    assert "“立项”计划日期2021年3月1日早于今天" in page
    confirmed = ",".join(data[f"date_{p}"] for p in PHASES)
    # A date changed after the warning was shown: the new plan is checked again.
    changed = {**data, "date_approval": "2020-03-01", "confirm": confirmed}
    page = c.post(url, changed).content.decode()
    assert "“立项”计划日期2020年3月1日早于今天" in page
    assert not Milestone.objects.exists()


def test_plan_save_is_versioned(client_for, reporter, office, project):
    _ledger_2099(project)
    url = reverse("dispatch:plan", args=[project.pk])
    data = _future_plan(project)
    # A colleague adds a node after the planner opened the page.
    factories.milestone(project, phase="other", name="征地拆迁", planned_date=date(2099, 1, 1))
    response = client_for(reporter).post(url, data)
    assert response.status_code == 409
    assert "该项目的节点已被他人修改" in response.content.decode()
    assert Milestone.objects.filter(project=project).count() == 1
    # Without the plan's version the save is refused, with a Chinese message.
    response = client_for(reporter).post(url, {**data, "stamp": ""})
    assert response.status_code == 400
    assert "缺少版本信息" in response.content.decode()
    assert Milestone.objects.filter(project=project).count() == 1


def test_plan_cannot_move_baselined_node_for_a_department(client_for, reporter, office, project):
    from keyprojects.ledger import services as ledger_services

    _ledger_2099(project)
    url = reverse("dispatch:plan", args=[project.pk])
    assert client_for(reporter).post(url, _future_plan(project)).status_code == 302
    ledger_services.approve_baseline(project, by=office)
    moved = _future_plan(project, acceptance="2100-12-01")
    response = client_for(reporter).post(url, moved)
    assert response.status_code == 400
    assert "节点“竣工验收”已列入基准计划" in response.content.decode()
    assert Milestone.objects.get(phase="acceptance").planned_date == date(2100, 9, 1)
    # The office may move it directly; the baseline date stays and the move is in history.
    assert client_for(office).post(url, moved).status_code == 302
    m = Milestone.objects.get(phase="acceptance")
    assert (m.planned_date, m.baseline_date) == (date(2100, 12, 1), date(2100, 9, 1))


@pytest.mark.parametrize(
    "sector, main_works_days",
    [("infrastructure", 540), ("industry", 300), ("real_estate", 540), ("livelihood", 420)],
)
def test_default_templates_by_sector_include_bidding(sector, main_works_days):
    from keyprojects.dispatch import services

    t = services.template_for(sector)
    assert t.pk is None and t.main_works_days == main_works_days
    assert [p for p, _ in t.steps()] == PHASES
