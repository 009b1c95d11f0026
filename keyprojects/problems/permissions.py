"""Who may see and do what with problems, orders, 约谈 and risk flags.

A reporter sees the problems of their department's projects and those their department must
solve; anything else is a 404. The office registers, escalates, reviews and closes (销号); the
responsible department replies; a leader reads everything and writes nothing.
"""

from django.db.models import Q, QuerySet

from keyprojects.core.permissions import can_view_business, is_leader, is_office, is_reporter
from keyprojects.ledger.permissions import projects_for


def problems_for(user) -> QuerySet:
    from keyprojects.problems.models import Problem

    qs = Problem.objects.live().filter(project__deleted_at__isnull=True)
    if is_office(user) or is_leader(user):
        return qs
    if is_reporter(user):
        return qs.filter(
            Q(department_id=user.department_id) | Q(project__department_id=user.department_id)
        )
    return qs.none()


def orders_for(user) -> QuerySet:
    from keyprojects.problems.models import SupervisionOrder

    return SupervisionOrder.objects.filter(problem__in=problems_for(user))


def risks_for(user) -> QuerySet:
    from keyprojects.problems.models import RiskFlag

    return RiskFlag.objects.filter(project__in=projects_for(user))


def can_register(user) -> bool:
    return is_office(user)


def can_edit_problem(user, problem) -> bool:
    return is_office(user) and not problem.is_settled


def can_reply(user, problem) -> bool:
    if problem.is_settled:
        return False
    if is_office(user):
        return True
    return is_reporter(user) and user.department_id in (
        problem.department_id,
        problem.project.department_id,
    )


def can_review(user, problem) -> bool:
    """复核 and 销号, or send back: the office only."""
    return is_office(user)


def can_record_interview(user, problem) -> bool:
    return is_office(user)


def can_flag(user, project) -> bool:
    if is_office(user):
        return True
    return is_reporter(user) and project.department_id == user.department_id


def can_view_ranking(user) -> bool:
    return can_view_business(user)


def can_manage_rules(user) -> bool:
    return is_office(user)
