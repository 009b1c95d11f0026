"""Lateness of a report is judged on its first submission."""

from datetime import datetime

import pytest
from django.utils import timezone

from keyprojects.dispatch import services
from keyprojects.dispatch.choices import ReportStatus
from tests import factories

pytestmark = pytest.mark.django_db


def _at(*args):
    return timezone.make_aware(datetime(*args))


def test_resubmission_after_return_keeps_first_submission_lateness(
    settings, reporter, office, project
):
    settings.KP_REPORT_DEADLINE_DAY = 5
    report = factories.report(project, 3, "10", status=ReportStatus.DRAFT)
    services.submit(report, by=reporter, when=_at(2022, 4, 3, 9, 0))  # on time
    assert report.is_late is False
    services.return_report(report, by=office, comment="请补充照片", when=_at(2022, 4, 6))
    services.submit(report, by=reporter, when=_at(2022, 4, 8, 10, 0))  # after the deadline
    report.refresh_from_db()
    assert report.is_late is False
    assert report.first_submitted_at == _at(2022, 4, 3, 9, 0)
    assert report.submitted_at == _at(2022, 4, 8, 10, 0)


def test_late_first_submission_stays_late(settings, reporter, office, project):
    settings.KP_REPORT_DEADLINE_DAY = 5
    report = factories.report(project, 3, "10", status=ReportStatus.DRAFT)
    services.submit(report, by=reporter, when=_at(2022, 4, 9))
    services.return_report(report, by=office, comment="数字有误", when=_at(2022, 4, 10))
    services.submit(report, by=reporter, when=_at(2022, 4, 11))
    report.refresh_from_db()
    assert report.is_late is True and report.first_submitted_at == _at(2022, 4, 9)
