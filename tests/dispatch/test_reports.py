"""Monthly reports: draft, submit, approve, return; bad input writes nothing."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from keyprojects import months, stats
from keyprojects.dispatch import services, todo
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.dispatch.models import MonthlyReport
from tests import factories

pytestmark = pytest.mark.django_db

AS_OF = date(2022, 3, 31)


def _form(project, month="2022-03", invested="60", **kw):
    return {
        "project": project.pk,
        "period": month,
        "invested_wan": invested,
        "progress_text": kw.pop("progress_text", "主体结构施工至5层"),
        "progress_pct": kw.pop("progress_pct", "35"),
        "problems": "",
        "next_steps": "",
        **kw,
    }


def _svg_colour(client, project):
    svg = client.get(reverse("dispatch:wall_chart_svg") + "?year=2022").content.decode()
    marker = f'data-project="{project.pk}" data-colour="'
    start = svg.index(marker) + len(marker)
    return svg[start : svg.index('"', start)]


def test_reporter_submits_march_office_approves_and_figures_change(
    client_for, reporter, office, project
):
    """The issue's acceptance test: figures, colour and wall chart follow the approval."""
    factories.report(project, 1, "30")
    factories.report(project, 2, "30")
    scope = project.__class__.objects.live()
    before = stats.ledger_summary(2022, as_of=AS_OF, projects=scope)
    assert before.investment.completed_ytd_wan == Decimal("60.00")
    assert (before.projects.on_schedule, before.projects.behind_schedule) == (0, 1)
    assert stats.verdicts([project], AS_OF)[project.pk].colour == "yellow"  # 15 % < 25 %
    leader_client = client_for(office)
    assert _svg_colour(leader_client, project) == "yellow"

    c = client_for(reporter)
    response = c.post(reverse("dispatch:report_create"), _form(project, invested="60"))
    assert response.status_code == 302, response.content.decode()[:2000]
    report = MonthlyReport.objects.get(project=project, year=2022, month=3)
    assert report.status == ReportStatus.DRAFT and report.submitted_by is None
    detail = c.get(reverse("dispatch:report_detail", args=[report.pk])).content.decode()
    assert "120.00 万元" in detail  # 1—3月累计 derived: 30 + 30 + 60

    response = c.post(
        reverse("dispatch:report_submit", args=[report.pk]), {"version": report.version}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == reporter
    assert report.is_late  # submitted today, long after 2022-04-05
    # Submitted is not approved: no statistic moves yet.
    assert stats.verdicts([project], AS_OF)[project.pk].colour == "yellow"
    # The reporter cannot approve their own report.
    assert c.post(reverse("dispatch:report_approve", args=[report.pk])).status_code == 403

    oc = client_for(office)
    response = oc.post(
        reverse("dispatch:report_approve", args=[report.pk]), {"version": report.version}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.reviewed_by == office

    after = stats.ledger_summary(2022, as_of=AS_OF, projects=scope)
    assert after.investment.completed_ytd_wan == Decimal("120.00")
    assert after.investment.investment_rate == Decimal("30.0")
    assert (after.projects.on_schedule, after.projects.behind_schedule) == (1, 0)
    v = stats.verdicts([project], AS_OF)[project.pk]
    assert v.colour == "green" and v.reason_text == "快于序时进度5.0个百分点"
    assert _svg_colour(leader_client, project) == "green"


def test_office_returns_with_comment_and_reporter_resubmits(client_for, reporter, office, project):
    report = factories.report(project, 3, "50", status=ReportStatus.SUBMITTED)
    oc = client_for(office)
    response = oc.post(reverse("dispatch:report_return", args=[report.pk]), {"comment": "  "})
    assert response.status_code == 400
    assert "退回时请填写退回意见" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    response = oc.post(
        reverse("dispatch:report_return", args=[report.pk]),
        {"comment": "投资数与统计局口径不一致，请核实", "version": report.version},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.review_comment == "投资数与统计局口径不一致，请核实"

    c = client_for(reporter)
    page = c.get(reverse("dispatch:report_detail", args=[report.pk])).content.decode()
    assert "退回意见：投资数与统计局口径不一致，请核实" in page
    items = todo.todo_for(reporter)
    assert items[0]["kind"] == "returned" and "投资数与统计局口径不一致" in items[0]["text"]
    response = c.post(
        reverse("dispatch:report_edit", args=[report.pk]),
        {"invested_wan": "45", "progress_text": "已核实", "version": report.version},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.invested_wan == Decimal("45") and report.status == ReportStatus.RETURNED
    c.post(reverse("dispatch:report_submit", args=[report.pk]), {"version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert todo.todo_for(office)[0]["kind"] == "review"


@pytest.mark.parametrize(
    "change, field_message",
    [
        ({"invested_wan": "-5"}, "当月完成投资（万元）不能为负数"),
        ({"invested_wan": "abc"}, "输入一个数字"),
        ({"progress_pct": "120"}, "形象进度百分比应在0至100之间"),
        ({"period": "2022-13"}, "超出范围"),
        ({"period": "三月"}, "格式不正确"),
        ({"period": "2023-03"}, "只能填报2022年的月报"),
        ({"period": "2021-12"}, "只能填报2022年的月报"),
    ],
)
def test_bad_input_writes_nothing(client_for, reporter, project, change, field_message):
    response = client_for(reporter).post(
        reverse("dispatch:report_create"), {**_form(project), **change}
    )
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not MonthlyReport.objects.exists()
    assert not MonthlyReport.history.exists()


def test_future_month_refused(client_for, reporter, dept):
    today = timezone.localdate()
    y, m = months.add_months(today.year, today.month, 1)
    p = factories.started_project(dept, year=y, start=date(today.year, today.month, 1))
    response = client_for(reporter).post(
        reverse("dispatch:report_create"), _form(p, month=f"{y}-{m:02d}")
    )
    assert response.status_code == 400
    assert f"{y}年{m}月尚未到来，不能填报未来月份的调度报告" in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_second_report_for_same_month_refused(client_for, reporter, project):
    factories.report(project, 3, "10", status=ReportStatus.DRAFT)
    response = client_for(reporter).post(reverse("dispatch:report_create"), _form(project))
    assert response.status_code == 400
    assert f"项目“{project.name}”2022年3月已有调度报告，不能重复填报" in response.content.decode()
    assert MonthlyReport.objects.count() == 1


def test_project_not_started_refused(client_for, office, dept):
    p = factories.project(dept)  # 未开工
    response = client_for(office).post(reverse("dispatch:report_create"), _form(p))
    assert response.status_code == 400
    # The period rule's own words, as the Excel import says them (tests/importer/test_rules.py).
    assert f"项目“{p.name}”未开工，开工后才能填报月度调度报告" in response.content.decode()
    errors = services.period_errors(p, 2022, 3, today=date(2022, 4, 1))
    assert errors == [f"项目“{p.name}”未开工，开工后才能填报月度调度报告"]


def test_month_before_actual_start_refused(dept):
    p = factories.started_project(dept, start=date(2022, 3, 15))
    assert services.period_errors(p, 2022, 2, today=date(2022, 4, 1)) == [
        f"项目“{p.name}”于2022年3月开工，不能填报开工前（2022年2月）的月报"
    ]
    assert services.period_errors(p, 2022, 3, today=date(2022, 3, 20)) == []


def test_reporter_cannot_report_other_departments_project(client_for, reporter, other_dept):
    p = factories.started_project(other_dept)
    response = client_for(reporter).post(reverse("dispatch:report_create"), _form(p))
    assert response.status_code == 400
    assert "所选项目不存在或不在您的填报范围内" in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_other_department_report_is_404(client_for, other_reporter, project):
    report = factories.report(project, 3, "10", status=ReportStatus.DRAFT)
    c = client_for(other_reporter)
    for name in ("report_detail", "report_edit"):
        assert c.get(reverse(f"dispatch:{name}", args=[report.pk])).status_code == 404
    assert c.post(reverse("dispatch:report_submit", args=[report.pk])).status_code == 404


def test_leader_reads_but_cannot_draft(client_for, leader, project):
    report = factories.report(project, 3, "10", status=ReportStatus.SUBMITTED)
    c = client_for(leader)
    assert c.get(reverse("dispatch:report_detail", args=[report.pk])).status_code == 200
    assert c.get(reverse("dispatch:report_create")).status_code == 403
    assert c.post(reverse("dispatch:report_approve", args=[report.pk])).status_code == 403


def test_stale_edit_refused_with_chinese_message_and_input_kept(
    client_for, reporter, office, project
):
    report = factories.report(project, 3, "10", status=ReportStatus.DRAFT)
    services.save_draft(report, by=reporter)  # version 1 → history row
    report.refresh_from_db()
    loaded_version = report.version
    # The office changes it meanwhile.
    report.invested_wan = Decimal("20")
    services.save_draft(report, by=office, expected_version=loaded_version)
    response = client_for(reporter).post(
        reverse("dispatch:report_edit", args=[report.pk]),
        {"invested_wan": "33.5", "progress_text": "我的修改", "version": loaded_version},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "保存未成功：王主任已于" in page and "您填写的内容已保留" in page
    assert 'value="33.5"' in page and "我的修改" in page
    report.refresh_from_db()
    assert report.invested_wan == Decimal("20")


def test_approved_report_cannot_be_edited(client_for, reporter, office, project):
    report = factories.report(project, 3, "10")
    assert (
        client_for(reporter).get(reverse("dispatch:report_edit", args=[report.pk])).status_code
        == 403
    )
    r = client_for(office).post(
        reverse("dispatch:report_approve", args=[report.pk]), {"version": report.version}
    )
    assert r.status_code == 302  # shown as a message, nothing changes
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


@pytest.mark.parametrize(
    "deadline_day, submitted, late",
    [
        (5, datetime(2022, 4, 5, 23, 0), False),
        (5, datetime(2022, 4, 6, 0, 30), True),
        (10, datetime(2022, 4, 8, 12, 0), False),
        (31, datetime(2022, 4, 30, 12, 0), False),  # clamped to the month's last day
        (31, datetime(2022, 5, 1, 9, 0), True),
    ],
)
def test_late_marking_follows_deadline_setting(
    settings, reporter, project, deadline_day, submitted, late
):
    settings.KP_REPORT_DEADLINE_DAY = deadline_day
    report = factories.report(project, 3, "10", status=ReportStatus.DRAFT)
    when = timezone.make_aware(submitted)
    services.submit(report, by=reporter, when=when)
    assert report.is_late is late


def test_list_filters_and_scope(client_for, office, reporter, project, other_project):
    other_project.status, other_project.actual_start = "under_construction", date(2022, 1, 5)
    other_project.save()
    factories.report(project, 3, "10", status=ReportStatus.SUBMITTED)
    factories.report(project, 2, "10")
    factories.report(other_project, 3, "10")
    oc = client_for(office)
    page = oc.get(reverse("dispatch:report_list")).content.decode()
    assert project.name in page and other_project.name in page
    page = oc.get(reverse("dispatch:report_list") + "?month=2022-03&status=submitted").content
    assert page.decode().count("2022年3月</a>") == 1
    page = oc.get(
        reverse("dispatch:report_list") + f"?department={other_project.department_id}"
    ).content.decode()
    assert other_project.name in page and project.name not in page
    mine = client_for(reporter).get(reverse("dispatch:report_list")).content.decode()
    assert project.name in mine and other_project.name not in mine
    for bad in ("?month=2022-13", "?status=bogus", "?department=x"):
        assert oc.get(reverse("dispatch:report_list") + bad).status_code == 400


def test_create_form_prefilled_from_due_link(client_for, reporter, project):
    page = (
        client_for(reporter)
        .get(reverse("dispatch:report_create") + f"?project={project.pk}&month=2022-03")
        .content.decode()
    )
    assert 'value="2022-03"' in page
    assert f'<option value="{project.pk}" selected>' in page


def test_concurrent_duplicate_becomes_form_error(client_for, reporter, project, monkeypatch):
    """The check passed, but another request created the same report before this save."""
    monkeypatch.setattr(services, "period_errors", lambda *a, **k: [])
    factories.report(project, 3, "10", status=ReportStatus.DRAFT)
    response = client_for(reporter).post(reverse("dispatch:report_create"), _form(project))
    assert response.status_code == 400
    assert "该项目本月已有调度报告，不能重复填报" in response.content.decode()
    assert MonthlyReport.objects.count() == 1
