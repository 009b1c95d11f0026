"""Factor pages: entering a batch, Chinese errors, 亩 beside 公顷, the project block, the to-do."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from keyprojects.dispatch.todo import todo_for
from keyprojects.factors import models as m
from keyprojects.factors import services

pytestmark = pytest.mark.django_db


def _batch_post(land_dept, project, **kw):
    data = {
        "name": "2022年第1批次",
        "department": land_dept.pk,
        "status": "reported",
        "reported_on": "2022-02-18",
        "projects": [project.pk],
        "collective_farmland_ha": "18.3605",
        "collective_cultivated_ha": "10.2214",
        "collective_unused_ha": "1.2040",
    }
    for f in m.LAND_CLASSES:
        for o in m.OWNERSHIPS:
            data.setdefault(f"{o}_{f}_ha", "0")
    data.setdefault("expropriation_ha", "0")
    data.update(kw)
    return data


def test_land_reporter_enters_a_batch(client_for, land_reporter, land_dept, project):
    c = client_for(land_reporter)
    r = c.post(reverse("factors:create", args=["land-batches"]), _batch_post(land_dept, project))
    assert r.status_code == 302
    batch = m.LandBatch.objects.get()
    assert list(batch.projects.all()) == [project]
    page = c.get(r["Location"]).content.decode()
    assert "19.5645公顷（合293亩）" in page
    assert "18.3605公顷（合275亩）" in page
    history = c.get(reverse("factors:history", args=["land-batches", batch.pk])).content.decode()
    assert "张填报" in history and "凤鸣江湾住宅小区" in history


def test_bad_batch_gets_chinese_field_errors(client_for, land_reporter, land_dept, project):
    c = client_for(land_reporter)
    r = c.post(
        reverse("factors:create", args=["land-batches"]),
        _batch_post(land_dept, project, reported_on="明天"),
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "输入一个有效的日期。" in body
    assert not m.LandBatch.objects.exists()


def test_model_rule_errors_on_the_form(client_for, land_reporter, land_dept, project):
    c = client_for(land_reporter)
    r = c.post(
        reverse("factors:create", args=["land-batches"]),
        _batch_post(land_dept, project, collective_cultivated_ha="99"),
    )
    assert r.status_code == 400
    assert "集体耕地面积不能大于农用地面积（耕地属于农用地）" in r.content.decode()


def test_transition_error_shown_on_the_form(client_for, batch, land_reporter, land_dept, project):
    c = client_for(land_reporter)
    services.save_record(batch, by=land_reporter)
    r = c.post(
        reverse("factors:edit", args=["land-batches", batch.pk]),
        _batch_post(
            land_dept,
            project,
            status="assembling",
            reported_on="",
            version=m.LandBatch.objects.get().version,
        ),
    )
    assert r.status_code == 302
    r = c.post(
        reverse("factors:edit", args=["land-batches", batch.pk]),
        _batch_post(
            land_dept,
            project,
            status="approved",
            approved_on="2022-04-01",
            version=m.LandBatch.objects.get().version,
        ),
    )
    assert r.status_code == 400
    assert "办理状态不能从“组卷”直接改为“批复”：只能改为“上报”" in r.content.decode()


def _overdue_quota(project, land_dept):
    return m.LandQuota.objects.create(
        project=project,
        department=land_dept,
        quota_ha=Decimal("5.6"),
        follower="吴股长",
        deadline=date(2022, 3, 31),
    )


def test_overdue_quota_on_project_page(client_for, office, project, land_dept):
    _overdue_quota(project, land_dept)
    body = client_for(office).get(project.get_absolute_url()).content.decode()
    assert 'id="quota-overdue"' in body
    assert "5.6000公顷（合84亩）" in body


def test_overdue_quota_on_todo(project, land_dept, land_reporter, reporter, other_reporter, leader):
    q = _overdue_quota(project, land_dept)
    today = date(2022, 4, 10)
    expected = {
        "kind": "quota",
        "text": "凤鸣江湾住宅小区 用地指标逾期10天未落实（跟踪责任人：吴股长）",
        "url": reverse("factors:detail", args=["land-quotas", q.pk]),
    }
    assert expected in todo_for(reporter, today)  # the project's department
    assert expected in todo_for(land_reporter, today)  # the following department
    assert expected not in todo_for(other_reporter, today)
    assert todo_for(leader, today) == []


def test_export_neutralises_formulas_and_puts_mu_beside(client_for, batch, leader):
    batch.notes = '=HYPERLINK("http://x")'
    batch.save()
    r = client_for(leader).get(reverse("factors:export", args=["land-batches"]) + "?year=2022")
    assert r.status_code == 200
    ws = load_workbook(BytesIO(r.content)).active
    headers = [c.value for c in ws[3]]
    i = headers.index("集体·农用地（公顷）")
    assert headers[i + 1] == "集体·农用地折合亩数"
    row = [c for c in ws[4]]
    assert row[i].value == 18.3605 and row[i + 1].value == 275.41
    notes = row[headers.index("备注")]
    assert notes.value == '=HYPERLINK("http://x")' and notes.data_type == "s"


def test_overview_shows_figures(client_for, batch, leader):
    body = client_for(leader).get(reverse("factors:overview") + "?year=2022&quarter=1").content
    assert "1个建设项目，新增建设用地19.5645公顷（合293亩）" in body.decode()
