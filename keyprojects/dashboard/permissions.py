"""Who sees the dashboard and the map, and who sets the map up."""

from django.db.models import QuerySet

from keyprojects.core.permissions import can_view_business, is_leader, is_office, is_reporter
from keyprojects.ledger.permissions import narrowing_for, projects_for


def can_view_dashboard(user) -> bool:
    return can_view_business(user)


def dashboard_projects_for(user) -> QuerySet:
    """The projects behind every figure a user sees: the county, or a reporter's department."""
    return projects_for(user)


def trend_scope(user) -> tuple[QuerySet | None, int | None]:
    """(projects, department id) for figures.trend: (None, None) for the county (office and
    leaders), the reporter's projects and department (their scope is exactly it); anyone else's
    scope as it is, read live."""
    narrowed = narrowing_for(user)
    if narrowed is None:
        return None, None
    return narrowed, user.department_id if is_reporter(user) else None


def sees_county_blocks(user) -> bool:
    """Land, housing, fiscal, reserve … blocks are county-wide figures; a department's
    reporter sees only their own department, so none of them."""
    return is_office(user) or is_leader(user)


def can_manage_map(user) -> bool:
    """Upload and remove boundaries, choose the base map."""
    return is_office(user)


def boundaries_for(user) -> QuerySet:
    from keyprojects.dashboard.models import Boundary

    if can_view_business(user):
        return Boundary.objects.all()
    return Boundary.objects.none()
