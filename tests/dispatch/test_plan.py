"""倒排工期: phase templates (office) and the plan page saving milestones."""

from datetime import date

import pytest
from django.urls import reverse

from keyprojects.dispatch.models import PhaseTemplate
from keyprojects.ledger.models import Milestone
from tests import factories

pytestmark = pytest.mark.django_db

TEMPLATE = {
    "land_preview_days": "30",
    "planning_permit_days": "30",
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
    assert 'name="date_approval" value="2022-07-05"' in page
    data = {
        "date_approval": "2022-07-05",
        "date_land_preview": "2022-08-04",
        "date_planning_permit": "2022-09-03",
        "date_construction_permit": "2022-10-03",
        "date_start": "2022-10-20",  # adjusted by the user
        "date_main_works": "2023-05-01",
        "date_acceptance": "2023-06-30",
    }
    response = c.post(url, data)
    assert response.status_code == 302
    live = {m.phase: m for m in Milestone.objects.filter(project=project, deleted_at=None)}
    assert len(live) == 7
    assert live["start"].planned_date == date(2022, 10, 20) and live["start"].name == "开工"
    existing.refresh_from_db()
    assert existing.planned_date == date(2022, 10, 3) and existing.actual_date == date(2022, 2, 3)
    assert existing.history.count() == 2  # created, then the plan changed it


def test_plan_refuses_dates_out_of_order(client_for, reporter, project):
    url = reverse("dispatch:plan", args=[project.pk])
    data = {
        "date_approval": "2022-07-25",
        "date_land_preview": "2022-06-01",
        "date_planning_permit": "2022-09-23",
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
