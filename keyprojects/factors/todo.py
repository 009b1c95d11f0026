"""To-do items of the factor tables, collected by dispatch.todo.todo_for (AppConfig.todo_items)."""

from django.urls import reverse

from keyprojects.core import permissions as core
from keyprojects.factors import figures
from keyprojects.factors.models import LandQuota


def overdue_quota_items(user, today) -> list[dict]:
    """用地指标 follow-ups past their deadline: for the reporters of the project's department and
    of the following department, and for the office."""
    qs = LandQuota.objects.filter(project__deleted_at__isnull=True).select_related("project")
    if core.is_reporter(user):
        from django.db.models import Q

        qs = qs.filter(
            Q(project__department_id=user.department_id) | Q(department_id=user.department_id)
        )
    elif not core.is_office(user):
        return []
    return [
        {
            "kind": "quota",
            "text": f"{q.project.name} 用地指标逾期{figures.quota_overdue_days(q, today)}天未落实"
            f"（跟踪责任人：{q.follower}）",
            "url": reverse("factors:detail", args=["land-quotas", q.pk]),
        }
        for q in figures.overdue_quotas(qs, today)
    ]
