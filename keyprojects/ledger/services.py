"""Writes to the ledger. Each is one transaction; each records history with the actor."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from keyprojects.core.errors import NotAllowed
from keyprojects.core.versioning import save_versioned
from keyprojects.ledger.models import Milestone, Project


def code_prefix(year: int, category: str | None) -> str:
    """ZD2022- for the construction plan, CB2022- for reserve projects (the office's scheme,
    KEYPROJECTS_CODE_PREFIXES); a project without a category yet gets the construction one."""
    prefixes = settings.KP_CODE_PREFIXES
    return f"{prefixes.get(category or '', prefixes['continuing'])}{year}-"


def next_codes(year: int, count: int = 1, *, category: str | None = None) -> list[str]:
    """The next free automatic project numbers in the office's scheme: ZD2022-043, ZD2022-044 …

    Numbered after the highest number in use (compared as numbers: 1000 follows 999)."""
    prefix = code_prefix(year, category)
    numbers = [
        int(rest)
        for code in Project.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        if (rest := code[len(prefix) :]).isdigit()
    ]
    last = max(numbers, default=0)
    return [f"{prefix}{last + i:03d}" for i in range(1, count + 1)]


def next_code(year: int, category: str | None = None) -> str:
    return next_codes(year, category=category)[0]


@transaction.atomic
def save_project(project: Project, *, by, expected_version: int | None = None) -> Project:
    """Create or update a project (validated by its form). Assigns a code when blank.

    Side effects: history row; version + 1; StaleEdit when someone saved in between; clears
    年度计划待补充 once an annual plan is given.
    """
    if not project.code:
        project.code = next_code(project.year, project.category)
    if project.annual_plan_pending and project.annual_plan_wan:
        project.annual_plan_pending = False  # the plan was supplied: 序时 is judged again
    return save_versioned(project, by=by, expected_version=expected_version)


def _assign_codes(projects: list[Project]) -> None:
    """Blank codes get the next free numbers of the office's scheme (ZD2022-001 …)."""
    blank: dict[tuple[int, str], list[Project]] = {}
    for p in projects:
        if not p.code:
            blank.setdefault((p.year, p.category), []).append(p)
    taken: set[str] = set()
    for (year, category), group in blank.items():
        codes = next_codes(year, len(group) + len(taken), category=category)
        codes = [c for c in codes if c not in taken][: len(group)]
        for p, code in zip(group, codes, strict=True):
            p.code = code
            taken.add(code)


@transaction.atomic
def import_projects(
    creates: list[Project], updates: list[tuple[Project, list[str]]], *, by, reason
):
    """Many projects at once (the Excel import), each already validated by ProjectForm.

    Side effects: blank codes numbered in the office's scheme; bulk inserts and updates with
    one history row each (who = `by`, change reason = `reason`, one change set); version + 1
    on each update; 年度计划待补充 cleared where a plan was given. Returns (created, updated).
    """
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    now = timezone.now()
    _assign_codes(creates)
    for p in creates:
        p.created_at = p.updated_at = now
        p.version = 1
    if creates:
        bulk_create_with_history(
            creates,
            Project,
            batch_size=500,
            default_user=by,
            default_change_reason=reason,
            default_date=now,
        )
    if updates:
        fields = {"version", "updated_at"}
        objs = []
        for project, changed in updates:
            if project.annual_plan_pending and project.annual_plan_wan:
                project.annual_plan_pending = False
                changed = [*changed, "annual_plan_pending"]
            project.version += 1
            project.updated_at = now
            fields.update(changed)
            objs.append(project)
        bulk_update_with_history(
            objs,
            Project,
            fields=sorted(fields),
            batch_size=500,
            default_user=by,
            default_change_reason=reason,
            default_date=now,
        )
    return len(creates), len(updates)


@transaction.atomic
def delete_project(project: Project, *, by, expected_version: int | None = None) -> Project:
    """Soft delete: hidden everywhere, kept with its history; the office can restore it."""
    if project.is_deleted:
        raise NotAllowed("该项目已在回收站中")
    project.mark_deleted(by)
    return save_versioned(project, by=by, expected_version=expected_version, reason="删除")


@transaction.atomic
def restore_project(project: Project, *, by) -> Project:
    if not project.is_deleted:
        raise NotAllowed("该项目未被删除")
    project.deleted_at = None
    project.deleted_by = None
    return save_versioned(project, by=by, expected_version=None, reason="恢复")


@transaction.atomic
def save_milestone(milestone: Milestone, *, by, expected_version: int | None = None) -> Milestone:
    return save_versioned(milestone, by=by, expected_version=expected_version)


@transaction.atomic
def delete_milestone(milestone: Milestone, *, by, expected_version: int | None = None):
    if milestone.is_deleted:
        raise NotAllowed("该节点已删除")
    milestone.mark_deleted(by)
    return save_versioned(milestone, by=by, expected_version=expected_version, reason="删除")


@transaction.atomic
def restore_milestone(milestone: Milestone, *, by) -> Milestone:
    if not milestone.is_deleted:
        raise NotAllowed("该节点未被删除")
    milestone.deleted_at = None
    milestone.deleted_by = None
    return save_versioned(milestone, by=by, expected_version=None, reason="恢复")


def project_history(project: Project):
    """The project's and its milestones' changes, newest first, for the project page."""
    from keyprojects.core.history import entries

    project_entries = entries(project.history.all(), Project, lambda r: "项目")
    milestone_entries = entries(
        Milestone.history.filter(project_id=project.pk),
        Milestone,
        lambda r: f"节点“{r.name}”",
    )
    return sorted(project_entries + milestone_entries, key=lambda e: e.when, reverse=True)
