"""Who may see, generate, word and issue quarterly reports."""

from django.http import Http404

from keyprojects.core import permissions as core
from keyprojects.report.models import GeneratedReport


def can_view_reports(user) -> bool:
    return core.can_view_business(user)


def can_edit_wording(user) -> bool:
    """The wording and the free paragraphs are the office's (重点项目办)."""
    return core.is_office(user)


def can_issue(user) -> bool:
    return core.is_office(user)


def department_for(user, requested):
    """The department a user's report covers: a reporter's own (asking for another one is a
    404, as for any object of another department); office and leader: what they asked for."""
    if core.is_reporter(user):
        if requested is not None and requested.pk != user.department_id:
            raise Http404("没有该部门的报告")
        return user.department
    return requested


def generated_for(user):
    """The generated reports this user may see: all for office and leader, a reporter's
    department's own."""
    qs = GeneratedReport.objects.select_related("department")
    if core.is_office(user) or core.is_leader(user):
        return qs
    if core.is_reporter(user):
        return qs.filter(department_id=user.department_id)
    return qs.none()
