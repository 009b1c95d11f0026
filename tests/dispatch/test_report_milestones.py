"""Milestones reached (节点完成情况) recorded with a monthly report."""

from datetime import date

import pytest
from django.urls import reverse

from keyprojects.dispatch.choices import ReportStatus
from keyprojects.ledger.models import Milestone
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(project):
    report = factories.report(project, 3, "10", status=ReportStatus.DRAFT)
    permit = factories.milestone(project, name="施工许可", planned_date=date(2022, 2, 20))
    roof = factories.milestone(
        project, phase="main_works", name="主体封顶", planned_date=date(2022, 9, 30)
    )
    return report, permit, roof


def test_record_reached_milestone(client_for, reporter, setup):
    report, permit, roof = setup
    c = client_for(reporter)
    url = reverse("dispatch:report_milestones", args=[report.pk])
    response = c.post(url, {f"ms_{permit.pk}": "2022-03-08"})
    assert response.status_code == 302
    permit.refresh_from_db()
    assert permit.actual_date == date(2022, 3, 8)
    page = c.get(reverse("dispatch:report_detail", args=[report.pk])).content.decode()
    assert "施工许可：2022年3月8日完成（计划2022年2月20日）" in page


@pytest.mark.parametrize(
    "value, message",
    [
        ("2022-04-01", "晚于2022年3月"),
        ("bad", "节点“施工许可”的日期格式不正确"),
        ("", "请至少填写一个节点的实际完成日期"),
    ],
)
def test_bad_dates_write_nothing(client_for, reporter, setup, value, message):
    report, permit, roof = setup
    response = client_for(reporter).post(
        reverse("dispatch:report_milestones", args=[report.pk]),
        {f"ms_{permit.pk}": value, f"ms_{roof.pk}": "2022-03-01" if value == "2022-04-01" else ""},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Milestone.objects.filter(actual_date__isnull=False).exists()


def test_not_after_submission(client_for, reporter, setup):
    report, permit, _ = setup
    report.status = ReportStatus.SUBMITTED
    report.save()
    response = client_for(reporter).post(
        reverse("dispatch:report_milestones", args=[report.pk]), {f"ms_{permit.pk}": "2022-03-08"}
    )
    assert response.status_code == 403
    permit.refresh_from_db()
    assert permit.actual_date is None


def test_future_date_refused_by_service(reporter, setup):
    from keyprojects.core.errors import NotAllowed
    from keyprojects.dispatch import services

    report, permit, _ = setup
    with pytest.raises(NotAllowed, match="晚于今天"):
        services.record_milestones(
            report, {permit: date(2022, 3, 20)}, by=reporter, today=date(2022, 3, 15)
        )
