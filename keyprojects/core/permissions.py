"""Who may see and do what: every predicate and every scoped queryset lives here.

Views start every query from a `*_for(user)` queryset, so another department's record is a
404 (it does not exist for that user), and check a `can_*` predicate before writing (403).
"""

from django.db.models import QuerySet

from keyprojects.core.choices import Role


def _role(user) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.role


def is_office(user) -> bool:
    return _role(user) == Role.OFFICE


def is_reporter(user) -> bool:
    return _role(user) == Role.REPORTER and user.department_id is not None


def is_leader(user) -> bool:
    return _role(user) == Role.LEADER


def can_view_business(user) -> bool:
    """Ledger, dispatch, statistics: the business roles only (administrators see none of it)."""
    return is_office(user) or is_reporter(user) or is_leader(user)


# --- Projects -------------------------------------------------------------------------------


def projects_for(user) -> QuerySet:
    """The live projects this user may see."""
    from keyprojects.ledger.models import Project

    qs = Project.objects.live()
    if is_office(user) or is_leader(user):
        return qs
    if is_reporter(user):
        return qs.filter(department_id=user.department_id)
    return qs.none()


def scope_label(user) -> str:
    """What a user's figures cover, as report text says it: 全县, or a reporter's department."""
    return user.department.name if is_reporter(user) else "全县"


def deleted_projects_for(user) -> QuerySet:
    from keyprojects.ledger.models import Project

    if is_office(user):
        return Project.objects.filter(deleted_at__isnull=False)
    return Project.objects.none()


def can_create_project(user) -> bool:
    return is_office(user) or is_reporter(user)


def can_edit_project(user, project) -> bool:
    if project.is_deleted:
        return False
    if is_office(user):
        return True
    return is_reporter(user) and project.department_id == user.department_id


def can_delete_project(user, project) -> bool:
    # The office owns the list; departments ask it to remove a project.
    return is_office(user) and not project.is_deleted


def can_restore_project(user, project) -> bool:
    return is_office(user) and project.is_deleted


def departments_for_edit(user) -> QuerySet:
    """Departments a user may assign a project to."""
    from keyprojects.core.models import Department

    if is_office(user):
        return Department.objects.filter(is_active=True)
    if is_reporter(user):
        return Department.objects.filter(pk=user.department_id)
    return Department.objects.none()


# --- Monthly reports ------------------------------------------------------------------------


def reports_for(user) -> QuerySet:
    from keyprojects.dispatch.models import MonthlyReport

    qs = MonthlyReport.objects.filter(project__deleted_at__isnull=True)
    if is_office(user) or is_leader(user):
        return qs
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


def capabilities(user) -> dict[str, bool]:
    """Flags for templates (buttons shown or hidden); the server checks again on every request."""
    return {
        "view_business": can_view_business(user),
        "create_project": can_create_project(user),
        "review_reports": can_review_reports(user),
        "office": is_office(user),
        "leader": is_leader(user),
        "reporter": is_reporter(user),
    }


# --- Monthly dispatch (appended by the dispatch work) ----------------------------------------


def can_draft_reports(user) -> bool:
    """May open the new-report form at all (the project is checked with can_report_on)."""
    return is_office(user) or is_reporter(user)


def can_edit_report(user, report) -> bool:
    """Edit, submit, and attach photos to a draft or returned report."""
    from keyprojects.dispatch.services import EDITABLE

    return report.status in EDITABLE and can_report_on(user, report.project)


def can_manage_phase_templates(user) -> bool:
    return is_office(user)


def can_plan_project(user, project) -> bool:
    """Propose and save a reverse-scheduled milestone plan (倒排工期) for a project."""
    return can_edit_project(user, project)


# --- Excel import (importer app) ------------------------------------------------------------


def can_import(user) -> bool:
    """Office and department reporters upload; a leader reads but never writes."""
    return is_office(user) or is_reporter(user)


def jobs_for(user) -> QuerySet:
    """Imports a user may see: the office all of them, a reporter their own."""
    from keyprojects.importer.models import ImportJob

    if is_office(user):
        return ImportJob.objects.all()
    if is_reporter(user):
        return ImportJob.objects.filter(created_by=user)
    return ImportJob.objects.none()


def can_download_upload(user, job) -> bool:
    """The uploaded file as it came in is kept for the office (audit)."""
    return is_office(user)


# --- Administrators (三员分立; security app) -------------------------------------------------


def is_sysadmin(user) -> bool:
    return _role(user) == Role.SYSADMIN


def is_secadmin(user) -> bool:
    return _role(user) == Role.SECADMIN


def is_auditadmin(user) -> bool:
    return _role(user) == Role.AUDITADMIN


def can_manage_accounts(user) -> bool:
    """Create, deactivate, reset the password of accounts; take backups (系统管理员)."""
    return is_sysadmin(user)


def can_manage_security(user) -> bool:
    """Assign roles, unlock accounts, view the security policy (安全管理员)."""
    return is_secadmin(user)


def can_view_audit(user) -> bool:
    """Search and export the security audit log (审计管理员)."""
    return is_auditadmin(user)


def can_change_role_of(user, target) -> bool:
    # Nobody changes their own role, so no administrator can widen their own powers.
    return is_secadmin(user) and target.pk != user.pk and not target.is_superuser
