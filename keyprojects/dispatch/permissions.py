"""Who may see, write and review monthly reports, and plan a project's milestones."""

from django.db.models import QuerySet

from keyprojects.core.permissions import is_leader, is_office, is_reporter
from keyprojects.dispatch.choices import EDITABLE, ReportStatus
from keyprojects.dispatch.models import MonthlyReport
from keyprojects.ledger.permissions import can_edit_project


def reports_for(user) -> QuerySet:
    qs = MonthlyReport.objects.filter(project__deleted_at__isnull=True)
    if is_office(user):
        return qs
    if is_leader(user):
        # A draft is the department's working copy: nobody outside it but the office (which
        # may file it on the department's behalf, 代报) sees it until it is submitted.
        return qs.exclude(status=ReportStatus.DRAFT)
    if is_reporter(user):
        return qs.filter(project__department_id=user.department_id)
    return qs.none()


def can_report_on(user, project) -> bool:
    """Draft and submit the monthly report of a project."""
    if project.is_deleted:
        return False
    if is_office(user):
        return True
    return is_reporter(user) and project.department_id == user.department_id


def can_review_reports(user) -> bool:
    return is_office(user)


def can_draft_reports(user) -> bool:
    """May open the new-report form at all (the project is checked with can_report_on)."""
    return is_office(user) or is_reporter(user)


def can_edit_report(user, report) -> bool:
    """Edit, submit, and attach photos to a draft or returned report."""
    return report.status in EDITABLE and can_report_on(user, report.project)


def can_manage_phase_templates(user) -> bool:
    return is_office(user)


def can_plan_project(user, project) -> bool:
    """Propose and save a reverse-scheduled milestone plan (倒排工期) for a project."""
    return can_edit_project(user, project)


def capabilities(user) -> dict[str, bool]:
    """Template flags of dispatch (DispatchConfig.capabilities; core.context.site merges them)."""
    return {"review_reports": can_review_reports(user)}
