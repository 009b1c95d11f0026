"""Who sees the dashboard and the map, and who sets the map up."""

from django.db.models import QuerySet

from keyprojects.core.permissions import can_view_business, is_leader, is_office
from keyprojects.ledger.permissions import projects_for


def can_view_dashboard(user) -> bool:
    return can_view_business(user)


def dashboard_projects_for(user) -> QuerySet:
    """The projects behind every figure a user sees: the county, or a reporter's department."""
    return projects_for(user)


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
