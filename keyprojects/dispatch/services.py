"""Writes to monthly reports: draft, submit, approve, return. Each one transaction, with history.

Flow: the department drafts and submits; the office approves (figures then count everywhere)
or returns with a comment (the department edits and submits again).
"""

import calendar
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from keyprojects.core.errors import NotAllowed
from keyprojects.core.versioning import save_versioned
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.dispatch.models import MonthlyReport

EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def deadline(year: int, month: int) -> date:
    """Reports for a month are due on KP_REPORT_DEADLINE_DAY of the next month."""
    y, m = (year + 1, 1) if month == 12 else (year, month + 1)
    day = min(settings.KP_REPORT_DEADLINE_DAY, calendar.monthrange(y, m)[1])
    return date(y, m, day)


def is_late(year: int, month: int, when: datetime) -> bool:
    return timezone.localtime(when).date() > deadline(year, month)


@transaction.atomic
def save_draft(report: MonthlyReport, *, by, expected_version: int | None = None):
    if report.pk and report.status not in EDITABLE:
        raise NotAllowed(f"该报告{report.get_status_display()}，不能再修改")
    report.status = ReportStatus.DRAFT if report.status not in EDITABLE else report.status
    return save_versioned(report, by=by, expected_version=expected_version)


@transaction.atomic
def submit(report: MonthlyReport, *, by, expected_version: int | None = None, when=None):
    """Submit for review; marks it late after the deadline (allowed, but visible)."""
    if report.status not in EDITABLE:
        raise NotAllowed(f"该报告{report.get_status_display()}，不能重复报送")
    when = when or timezone.now()
    report.status = ReportStatus.SUBMITTED
    report.submitted_at, report.submitted_by = when, by
    report.is_late = is_late(report.year, report.month, when)
    return save_versioned(report, by=by, expected_version=expected_version, reason="报送")


@transaction.atomic
def approve(report: MonthlyReport, *, by, expected_version: int | None = None, when=None):
    """Approve; from now on its figures count in every statistic."""
    if report.status != ReportStatus.SUBMITTED:
        raise NotAllowed("只有已报送的报告可以审核")
    report.status = ReportStatus.APPROVED
    report.reviewed_at, report.reviewed_by = when or timezone.now(), by
    report.review_comment = ""
    return save_versioned(report, by=by, expected_version=expected_version, reason="审核通过")


@transaction.atomic
def return_report(report: MonthlyReport, *, by, comment: str, expected_version: int | None = None):
    if report.status != ReportStatus.SUBMITTED:
        raise NotAllowed("只有已报送的报告可以退回")
    if not comment.strip():
        raise NotAllowed("退回时请填写退回意见")
    report.status = ReportStatus.RETURNED
    report.reviewed_at, report.reviewed_by = timezone.now(), by
    report.review_comment = comment.strip()
    return save_versioned(report, by=by, expected_version=expected_version, reason="退回")


def demo_report(
    project, year, month, invested: Decimal, *, reporter, reviewer, submitted, progress
):
    """A report drafted, submitted on `submitted` and approved a day later (demo data)."""
    report = save_draft(
        MonthlyReport(
            project=project, year=year, month=month, invested_wan=invested, progress_text=progress
        ),
        by=reporter,
    )
    submit(report, by=reporter, when=submitted)
    approve(report, by=reviewer, when=submitted + (datetime(2000, 1, 2) - datetime(2000, 1, 1)))
    return report
