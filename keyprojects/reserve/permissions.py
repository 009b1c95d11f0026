"""Reserve pool: readers see the profiles of the projects they may see (projects_for);
the owning department and the office edit; only the office converts into a plan year."""

from django.db.models import QuerySet

from keyprojects.core.permissions import is_office, is_reporter
from keyprojects.ledger.permissions import projects_for


def profiles_for(user) -> QuerySet:
    from keyprojects.reserve.models import ReserveProfile

    return ReserveProfile.objects.filter(project__in=projects_for(user))


def reserve_projects_for(user) -> QuerySet:
    """储备 projects this user may see (with or without a profile yet)."""
    return projects_for(user).filter(category="reserve")


def can_edit_profile(user, profile) -> bool:
    if is_office(user):
        return True
    return is_reporter(user) and profile.project.department_id == user.department_id


def can_create_profile(user, project) -> bool:
    if is_office(user):
        return True
    return is_reporter(user) and project.department_id == user.department_id


def can_promote(user, profile) -> bool:
    return is_office(user) and profile.converted_year is None
