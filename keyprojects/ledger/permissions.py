"""Who may see and change projects and milestones (the ledger's predicates and querysets).

Views start every query from `projects_for(user)`, so another department's project is a 404
(it does not exist for that user), and check a `can_*` predicate before writing (403).
"""

from django.db.models import QuerySet

from keyprojects.core.models import Department
from keyprojects.core.permissions import is_leader, is_office, is_reporter
from keyprojects.ledger.models import MilestoneChange, Project


def projects_for(user) -> QuerySet:
    """The live projects this user may see."""
    qs = Project.objects.live()
    if is_office(user) or is_leader(user):
        return qs
    if is_reporter(user):
        return qs.filter(department_id=user.department_id)
    return qs.none()


def narrowing_for(user) -> QuerySet | None:
    """The user's projects when they see only some; None when they see every live project, so
    figures can count without an IN-list of every project id."""
    if is_office(user) or is_leader(user):
        return None
    return projects_for(user)


def scope_label(user) -> str:
    """What a user's figures cover, as report text says it: 全县, or a reporter's department."""
    return user.department.name if is_reporter(user) else "全县"


def deleted_projects_for(user) -> QuerySet:
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
    if is_office(user):
        return Department.objects.filter(is_active=True)
    if is_reporter(user):
        return Department.objects.filter(pk=user.department_id)
    return Department.objects.none()


def can_approve_baseline(user, project) -> bool:
    """The office approves a node plan as the baseline (基准计划)."""
    return is_office(user) and not project.is_deleted


def can_propose_change(user, milestone) -> bool:
    """A department asks to move or delete a baselined node of its own project."""
    return (
        milestone.baseline_date is not None
        and not milestone.is_deleted
        and is_reporter(user)
        and can_edit_project(user, milestone.project)
    )


def can_decide_changes(user) -> bool:
    return is_office(user)


def changes_for(user) -> QuerySet:
    """Node change proposals this user may see: all for the office and leaders, a reporter's
    own department's (so the department sees the outcome)."""
    qs = MilestoneChange.objects.filter(milestone__project__deleted_at__isnull=True).select_related(
        "milestone", "milestone__project", "proposed_by", "decided_by"
    )
    if is_office(user) or is_leader(user):
        return qs
    if is_reporter(user):
        return qs.filter(milestone__project__department_id=user.department_id)
    return qs.none()


def capabilities(user) -> dict[str, bool]:
    """Template flags of the ledger (LedgerConfig.capabilities; core.context.site merges them)."""
    return {"create_project": can_create_project(user)}
