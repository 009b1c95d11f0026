"""One rule, one message, whoever writes (issue #14): a report only for a started project,
only for months from its start, never changing a submitted or approved report except through
a transition. The Excel import (page and command), the web form and the services refuse with
the same Chinese words, for the office and for a department reporter alike."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from keyprojects.dispatch import services as dispatch_services
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.dispatch.models import MonthlyReport
from keyprojects.importer import services
from keyprojects.importer.base import ImportRejected
from keyprojects.importer.models import ImportJob
from tests import factories
from tests.importer.builders import messy_dispatch
from tests.importer.test_views import upload

pytestmark = pytest.mark.django_db


def _table(project, dept, ytd=10, month=3):
    return messy_dispatch(
        [{"name": project.name, "dept": dept.name, "ytd": ytd}], month=month, split=False
    )


def _import_errors(data, user, month=3):
    with pytest.raises(ImportRejected) as exc:
        services.run_file("dispatch", data, "调度.xlsx", user=user, year=2022, month=month)
    return [e.message for e in exc.value.preview.errors]


def _page_errors(client, data, month=3):
    upload(client, data, name="调度.xlsx", kind="dispatch", month=f"2022-{month:02d}")
    job = ImportJob.objects.order_by("-pk").first()
    return [e["message"] for e in job.preview["errors"]]


def _command(tmp_path, data, user, month=3):
    path = tmp_path / "调度.xlsx"
    path.write_bytes(data)
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_dispatch",
            str(path),
            "--month",
            f"2022-{month:02d}",
            "--user",
            user.username,
            stdout=out,
        )
    return out.getvalue()


def _form(client, project, month="2022-03"):
    return client.post(
        reverse("dispatch:report_create"),
        {
            "project": project.pk,
            "period": month,
            "invested_wan": "10",
            "progress_text": "施工",
            "progress_pct": "10",
            "problems": "",
            "next_steps": "",
        },
    )


@pytest.mark.parametrize("who", ["office", "reporter"])
def test_not_started_project_refused_alike(who, request, client_for, dept, tmp_path):
    user = request.getfixturevalue(who)
    p = factories.project(dept)  # 未开工
    message = f"项目“{p.name}”未开工，开工后才能填报月度调度报告"
    data = _table(p, dept)
    assert _import_errors(data, user) == [message]
    assert _page_errors(client_for(user), data) == [message]
    assert message in _command(tmp_path, data, user)
    response = _form(client_for(user), p)
    assert response.status_code == 400 and message in response.content.decode()
    with pytest.raises(dispatch_services.NotAllowed) as exc:
        dispatch_services.save_draft(
            MonthlyReport(project=p, year=2022, month=3, invested_wan=Decimal(1)), by=user
        )
    assert exc.value.message == message
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize("who", ["office", "reporter"])
def test_month_before_start_refused_alike(who, request, client_for, dept, tmp_path):
    user = request.getfixturevalue(who)
    p = factories.started_project(dept, start=date(2022, 3, 15))
    message = f"项目“{p.name}”于2022年3月开工，不能填报开工前（2022年2月）的月报"
    data = _table(p, dept, month=2)
    assert _import_errors(data, user, month=2) == [message]
    assert _page_errors(client_for(user), data, month=2) == [message]
    assert message in _command(tmp_path, data, user, month=2)
    response = _form(client_for(user), p, month="2022-02")
    assert response.status_code == 400 and message in response.content.decode()
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.APPROVED])
@pytest.mark.parametrize("who", ["office", "reporter"])
def test_changing_a_submitted_or_approved_report_refused_alike(
    who, status, request, client_for, dept, tmp_path
):
    user = request.getfixturevalue(who)
    p = factories.started_project(dept)
    report = factories.report(p, 3, 10, status=status)
    message = f"该报告{report.get_status_display()}，不能再修改"
    data = _table(p, dept, ytd=25)
    assert _import_errors(data, user) == [message]
    assert _page_errors(client_for(user), data) == [message]
    assert message in _command(tmp_path, data, user)
    response = client_for(user).get(reverse("dispatch:report_edit", args=[report.pk]))
    assert response.status_code == 403 and message in response.content.decode()
    with pytest.raises(dispatch_services.NotAllowed) as exc:
        dispatch_services.save_draft(report, by=user)
    assert exc.value.message == message
    report.refresh_from_db()
    assert (report.invested_wan, report.status, report.version) == (Decimal("10.00"), status, 1)


def test_office_import_approves_through_the_transition(office, reporter, dept):
    """A submitted report the office's file confirms is approved, recorded as 审核通过; a new
    one is saved, submitted and approved, each step in its history."""
    p = factories.started_project(dept)
    submitted = factories.report(p, 3, 10, status=ReportStatus.SUBMITTED, submitted_by=reporter)
    fresh = factories.started_project(dept, name="新报告项目")
    data = messy_dispatch(
        [
            {"name": p.name, "dept": dept.name, "ytd": 10},
            {"name": fresh.name, "dept": dept.name, "ytd": 7},
        ],
        split=False,
    )
    preview = services.run_file("dispatch", data, "调度.xlsx", user=office, year=2022, month=3)
    assert [u["changes"] for u in preview.updates] == [[["状态", "已报送", "已审核"]]]
    submitted.refresh_from_db()
    assert (submitted.status, submitted.reviewed_by, submitted.submitted_by) == (
        ReportStatus.APPROVED,
        office,
        reporter,
    )
    assert submitted.history.first().history_change_reason == "审核通过（Excel导入（命令行））"
    new = MonthlyReport.objects.get(project=fresh)
    steps = [(h.status, h.history_change_reason) for h in new.history.order_by("history_id")]
    assert steps == [
        ("draft", "Excel导入（命令行）"),
        ("submitted", "报送（Excel导入（命令行））"),
        ("approved", "审核通过（Excel导入（命令行））"),
    ]


def test_reporter_import_of_a_returned_report_resubmits_it(reporter, dept):
    p = factories.started_project(dept)
    returned = factories.report(p, 3, 10, status=ReportStatus.RETURNED, review_comment="请核实")
    services.run_file(
        "dispatch", _table(p, dept, ytd=12), "调度.xlsx", user=reporter, year=2022, month=3
    )
    returned.refresh_from_db()
    assert (returned.status, returned.invested_wan, returned.submitted_by) == (
        ReportStatus.SUBMITTED,
        Decimal("12.00"),
        reporter,
    )
