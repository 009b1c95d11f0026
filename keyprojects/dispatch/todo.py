"""The to-do block shown after log-in: what each user should do next, as text and links.

Built from dispatch services and querysets; the words and URLs live here, not in services.
"""

from datetime import date, timedelta

from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from keyprojects import dates, stats
from keyprojects.core import permissions as core_permissions
from keyprojects.dispatch import permissions, services
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.ledger import permissions as ledger_permissions
from keyprojects.ledger.choices import ChangeState


def todo_for(user, today: date | None = None) -> list[dict]:
    """The to-do list shown after log-in: [{"text", "url", "kind"}], most urgent first.

    Reporters: returned reports to correct, drafts not yet submitted, decisions on their node
    change requests (two weeks), and every month of the plan year their department still owes
    reports for, each with its own deadline and the days overdue counted from it.
    The office: submitted reports waiting for approval, node change proposals to decide.
    Leaders and administrators: nothing.
    """
    today = today or timezone.localdate()
    items: list[dict] = []
    reports = permissions.reports_for(user).select_related("project")
    if core_permissions.is_reporter(user):
        for r in reports.filter(status=ReportStatus.RETURNED).order_by("year", "month"):
            items.append(
                {
                    "kind": "returned",
                    "text": f"{r} 被退回：{r.review_comment}，请修改后重新报送",
                    "url": reverse("dispatch:report_detail", args=[r.pk]),
                }
            )
        for r in reports.filter(status=ReportStatus.DRAFT).order_by("year", "month"):
            items.append(
                {
                    "kind": "draft",
                    "text": f"{r} 尚未报送（草稿）",
                    "url": reverse("dispatch:report_detail", args=[r.pk]),
                }
            )
        # The outcome of the department's node change requests, for two weeks after the decision.
        since = today - timedelta(days=14)
        for c in (
            ledger_permissions.changes_for(user)
            .exclude(state=ChangeState.PROPOSED)
            .filter(decided_at__date__gte=since)
            .order_by("-decided_at")
        ):
            comment = f"：{c.decision_comment}" if c.decision_comment else ""
            items.append(
                {
                    "kind": "node_change_decided",
                    "text": f"{c.milestone.project.name}“{c.milestone.name}”的"
                    f"{c.get_kind_display()}申请{c.get_state_display()}{comment}",
                    "url": c.milestone.project.get_absolute_url(),
                }
            )
        items += _due_items(ledger_permissions.projects_for(user), today)
    # Other apps add their own items (AppConfig.todo_items = "dotted.path", fn(user, today)).
    for config in apps.get_app_configs():
        path = getattr(config, "todo_items", None)
        if path:
            items += import_string(path)(user, today)
    if permissions.can_review_reports(user):
        waiting = reports.filter(status=ReportStatus.SUBMITTED).count()
        if waiting:
            items.append(
                {
                    "kind": "review",
                    "text": f"有{waiting}份月度调度报告待审核",
                    "url": reverse("dispatch:report_list") + "?status=submitted",
                }
            )
    if ledger_permissions.can_decide_changes(user):
        pending = ledger_permissions.changes_for(user).filter(state=ChangeState.PROPOSED).count()
        if pending:
            items.append(
                {
                    "kind": "node_change",
                    "text": f"有{pending}项节点调整申请待审核",
                    "url": reverse("ledger:change_list"),
                }
            )
    return items


def _due_items(scope, today: date) -> list[dict]:
    """One item per month still owed, oldest first. A past plan year (the demo's 2022) is judged
    on its own reference day (stats.default_as_of), not on today's clock, so a 2022 deadline
    does not read as overdue by years."""
    year, last_month = services.default_due_month(scope, today)
    judged_on = stats.default_as_of(year, today)
    items = []
    for month in range(1, last_month + 1):
        due = services.due_projects(scope, year, month)
        if not due:
            continue
        deadline = services.deadline(year, month)
        late = (judged_on - deadline).days
        overdue = f"，已逾期{late}天" if late > 0 else ""
        items.append(
            {
                "kind": "due",
                "text": f"{dates.cn_month((year, month))}有{len(due)}个项目未报送月度调度报告"
                f"（截止{dates.cn_date(deadline)}{overdue}）",
                "url": reverse("dispatch:due") + f"?month={year}-{month:02d}",
            }
        )
    return items
