"""Edit conflicts that cannot lose work: a stale save shows both values per field and keeps
the version the editor saw, so a second 保存 is refused again; a save without a version is
refused for every versioned form."""

from decimal import Decimal

import pytest
from django.urls import reverse

from keyprojects.dispatch import services as dispatch_services
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.dispatch.models import MonthlyReport, PhaseTemplate
from keyprojects.ledger.models import Project
from tests import factories
from tests.ledger.test_views import form_data

pytestmark = pytest.mark.django_db


def test_second_save_after_conflict_cannot_overwrite(client_for, office, reporter, project):
    url = reverse("ledger:project_edit", args=[project.pk])
    mine = form_data(project, notes="甲的备注")  # the reporter loaded version 0
    colleague = client_for(office).post(url, form_data(project, notes="乙的备注"))
    assert colleague.status_code == 302
    r = client_for(reporter)
    first = r.post(url, mine)
    assert first.status_code == 409
    page = first.content.decode()
    assert "您填写的" in page and "对方已改为" in page
    conflicts = first.context["form"].conflicts
    assert [(c.label, c.mine, c.theirs) for c in conflicts] == [("备注", "甲的备注", "乙的备注")]
    # The hidden version is still the one the reporter saw, not the colleague's.
    assert f'name="version" value="{project.version}"' in page
    assert 'id="take-theirs"' in page and "以对方版本为准重新编辑" in page
    # Pressing 保存 again sends what the form now holds: refused again.
    resubmit = {**mine, "version": first.context["form"]["version"].value()}
    second = r.post(url, resubmit)
    assert second.status_code == 409
    assert Project.objects.get(pk=project.pk).notes == "乙的备注"
    # Taking over the colleague's version: a reload shows their values and the new version.
    reload = r.get(url)
    fresh = reload.context["form"]
    assert fresh["notes"].value() == "乙的备注"
    assert fresh["version"].value() == Project.objects.get(pk=project.pk).version


def test_report_conflict_lists_both_values(client_for, reporter, office, project):
    report = factories.report(project, 3, "10", status=ReportStatus.DRAFT)
    loaded = report.version
    report.invested_wan = Decimal("20")
    dispatch_services.save_draft(report, by=office, expected_version=loaded)
    url = reverse("dispatch:report_edit", args=[report.pk])
    data = {"invested_wan": "33.5", "progress_text": "", "version": loaded}
    response = client_for(reporter).post(url, data)
    assert response.status_code == 409
    rows = [(c.label, c.mine, c.theirs) for c in response.context["form"].conflicts]
    assert rows == [("当月完成投资（万元）", "33.5", "20.00")]
    assert client_for(reporter).post(url, data).status_code == 409
    assert MonthlyReport.objects.get(pk=report.pk).invested_wan == Decimal("20")


def _versionless(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "version"}


def test_versionless_project_and_milestone_saves_refused(client_for, office, project):
    c = client_for(office)
    r = c.post(reverse("ledger:project_edit", args=[project.pk]), _versionless(form_data(project)))
    assert r.status_code == 400 and "缺少版本信息" in r.content.decode()
    m = factories.milestone(project)
    r = c.post(
        reverse("ledger:milestone_edit", args=[project.pk, m.pk]),
        {"phase": m.phase, "name": "改名", "planned_date": "2022-03-01"},
    )
    assert r.status_code == 400 and "缺少版本信息" in r.content.decode()
    m.refresh_from_db()
    assert m.name == "施工许可"


def test_versionless_report_saves_and_transitions_refused(client_for, reporter, office, project):
    draft = factories.report(project, 3, "10", status=ReportStatus.DRAFT)
    r = client_for(reporter).post(
        reverse("dispatch:report_edit", args=[draft.pk]), {"invested_wan": "99"}
    )
    assert r.status_code == 400 and "缺少版本信息" in r.content.decode()
    r = client_for(reporter).post(reverse("dispatch:report_submit", args=[draft.pk]))
    assert r.status_code == 400 and "缺少版本信息" in r.content.decode()
    submitted = factories.report(project, 2, "10", status=ReportStatus.SUBMITTED)
    r = client_for(office).post(reverse("dispatch:report_approve", args=[submitted.pk]))
    assert r.status_code == 400
    r = client_for(office).post(
        reverse("dispatch:report_return", args=[submitted.pk]), {"comment": "请补充"}
    )
    assert r.status_code == 400 and "缺少版本信息" in r.content.decode()
    statuses = dict(MonthlyReport.objects.values_list("month", "status"))
    assert statuses == {3: ReportStatus.DRAFT, 2: ReportStatus.SUBMITTED}
    assert MonthlyReport.objects.get(pk=draft.pk).invested_wan == Decimal("10")


def test_versionless_template_save_refused(client_for, office):
    PhaseTemplate.objects.create(sector="industry")
    data = {name: "10" for _, name in PhaseTemplate.GAP_FIELDS} | {"note": ""}
    r = client_for(office).post(reverse("dispatch:template_edit", args=["industry"]), data)
    assert r.status_code == 400 and "缺少版本信息" in r.content.decode()
    assert PhaseTemplate.objects.get().main_works_days == 365
