"""Who may read and write the factor tables.

- Land tables (批次用地, 占用永久基本农田, 用地指标, 出让地块) are entered by the land department
  (规资 by default, settings.KP_FACTOR_LAND_DEPARTMENTS), housing tables (网签备案, 房交会) by the
  housing department (住建), fiscal tasks by the office only. Each record keeps the department that
  entered it; a reporter edits only their own department's records; the office edits all.
- These tables are the county's own figures, not a department's projects: every business role
  (office, reporters of any department, leaders) reads them. Leaders never write.
- Project funding (资金计划, 到位, 专项债) belongs to the project: it is seen in the project's scope
  (another department's project funding is a 404) and written by whoever may edit the project.
- Administrators (三员) see none of it (the views are business views: 403).
"""

from django.conf import settings
from django.db.models import QuerySet

from keyprojects.core import permissions as core
from keyprojects.ledger import permissions as ledger_permissions

LAND, HOUSING, FISCAL, FUNDING = "land", "housing", "fiscal", "funding"


def owner_names(kind: str) -> list[str]:
    if kind == LAND:
        return list(settings.KP_FACTOR_LAND_DEPARTMENTS)
    if kind == HOUSING:
        return list(settings.KP_FACTOR_HOUSING_DEPARTMENTS)
    return []


def owns_kind(department, kind: str) -> bool:
    """Is this department one that enters `kind` tables (matched on 简称 or full name)?"""
    if department is None:
        return False
    names = owner_names(kind)
    return department.short_name in names or department.name in names


def can_read(user) -> bool:
    return core.can_view_business(user)


def can_create(user, kind: str) -> bool:
    if core.is_office(user):
        return True
    if kind in (FISCAL,):
        return False
    if kind == FUNDING:
        return core.is_reporter(user)
    return core.is_reporter(user) and owns_kind(user.department, kind)


def can_edit(user, kind: str, obj) -> bool:
    if core.is_office(user):
        return True
    if not core.is_reporter(user):
        return False
    if kind == FISCAL:
        return False
    if kind == FUNDING:
        return ledger_permissions.can_edit_project(user, obj.project)
    return obj.department_id == user.department_id and owns_kind(user.department, kind)


def can_delete(user, kind: str, obj) -> bool:
    """Deleting a record, and restoring it from the recycle bin, follow the table's write
    rule: whoever may edit it."""
    return can_edit(user, kind, obj)


def scope(user, kind: str, qs: QuerySet) -> QuerySet:
    """The records of a table this user may see."""
    if not can_read(user):
        return qs.none()
    if kind == FUNDING:
        return qs.filter(project__in=ledger_permissions.projects_for(user))
    return qs


def projects_to_choose(user, kind: str) -> QuerySet:
    """Projects a record may name: land work serves every project; funding only the editable."""
    projects = ledger_permissions.projects_for(user)
    if kind == FUNDING and core.is_reporter(user):
        return projects.filter(department_id=user.department_id)
    from keyprojects.ledger.models import Project

    return Project.objects.live() if can_read(user) else projects.none()


def entering_departments(user, kind: str) -> QuerySet:
    """Departments a new record may be entered for: the reporter's own, or any for the office."""
    from keyprojects.core.models import Department

    if core.is_office(user):
        return Department.objects.filter(is_active=True)
    if core.is_reporter(user):
        return Department.objects.filter(pk=user.department_id)
    return Department.objects.none()
