"""Writes to the ledger. Each is one transaction; each records history with the actor."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from keyprojects.core.errors import NotAllowed, StaleEdit
from keyprojects.core.versioning import save_versioned
from keyprojects.ledger.choices import ChangeKind, ChangeState
from keyprojects.ledger.models import Milestone, MilestoneChange, Project


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
    """Soft delete. A baselined node is deleted directly only by the office (recorded); a
    department asks through propose_change, so an overdue node never clears a colour unseen."""
    from keyprojects.core.permissions import is_office

    if milestone.is_deleted:
        raise NotAllowed("该节点已删除")
    if milestone.baseline_date is not None and not is_office(by):
        raise NotAllowed(f"节点“{milestone.name}”已列入基准计划，删除须提出申请，经调度办同意")
    milestone.mark_deleted(by)
    return save_versioned(milestone, by=by, expected_version=expected_version, reason="删除")


@transaction.atomic
def restore_milestone(milestone: Milestone, *, by) -> Milestone:
    if not milestone.is_deleted:
        raise NotAllowed("该节点未被删除")
    milestone.deleted_at = None
    milestone.deleted_by = None
    return save_versioned(milestone, by=by, expected_version=None, reason="恢复")


# --- Baselines (基准计划) and node change proposals ------------------------------------------


def plan_stamp(project: Project) -> str:
    """The version of a project's node plan: every node's id and version, deleted ones too.

    A page showing the plan carries it; any node saved, added or deleted since makes an action
    on the plan stale.
    """
    rows = project.milestones.order_by("id").values_list("id", "version")
    return "plan;" + ",".join(f"{pk}:{version}" for pk, version in rows)


PLAN_STALE = "保存未成功：您打开页面后，该项目的节点已被他人修改。请刷新页面，核对后再操作。"


@transaction.atomic
def approve_baseline(
    project: Project, *, by, expected_stamp: str | None = None, when=None
) -> list[Milestone]:
    """The office approves the project's live node plan as its baseline.

    `expected_stamp` (plan_stamp of the plan the office looked at) makes a plan changed since
    a StaleEdit. Side effects: every live node's baseline_date := planned_date, approved at/by
    set, one history row per node (reason 批准基准计划). Approving again re-baselines.
    """
    Project.objects.select_for_update().filter(pk=project.pk).first()
    if expected_stamp is not None and plan_stamp(project) != expected_stamp:
        raise StaleEdit(PLAN_STALE, 0)
    when = when or timezone.now()
    saved = []
    for m in project.milestones.filter(deleted_at__isnull=True).order_by("planned_date", "id"):
        m.baseline_date = m.planned_date
        m.baseline_approved_at, m.baseline_approved_by = when, by
        saved.append(save_versioned(m, by=by, expected_version=None, reason="批准基准计划"))
    if not saved:
        raise NotAllowed("该项目尚无节点，不能批准基准计划")
    return saved


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    reason: str
    refused: str


CHANGE_TRANSITIONS: dict[str, Transition] = {
    "approve": Transition(
        (ChangeState.PROPOSED,), ChangeState.APPROVED, "同意节点调整", "该申请{state}，不能再审核"
    ),
    "refuse": Transition(
        (ChangeState.PROPOSED,), ChangeState.REFUSED, "不同意节点调整", "该申请{state}，不能再审核"
    ),
}


def _decide(change: MilestoneChange, name: str, *, by, comment: str, when) -> Transition:
    t = CHANGE_TRANSITIONS[name]
    if change.state not in t.sources:
        raise NotAllowed(t.refused.format(state=change.get_state_display()))
    change.state = t.target
    change.decided_at, change.decided_by = when or timezone.now(), by
    change.decision_comment = comment.strip()[:500]
    return t


@transaction.atomic
def propose_change(
    milestone: Milestone, *, by, kind: str, reason: str, new_date: date | None = None, when=None
) -> MilestoneChange:
    """A department asks to move (new_date) or delete a baselined node.

    Nothing changes on the node until the office approves; the office sees it in its to-do
    list. Side effects: a MilestoneChange (state 待审核) with a history row.
    """
    if milestone.is_deleted:
        raise NotAllowed("该节点已删除")
    if not reason.strip():
        raise NotAllowed("请填写申请理由")
    if kind == ChangeKind.MOVE:
        if new_date is None:
            raise NotAllowed("请填写调整后日期")
        if new_date == milestone.planned_date:
            raise NotAllowed("调整后日期与现计划日期相同")
    elif kind != ChangeKind.DELETE:
        raise NotAllowed("申请类型无效")
    if milestone.changes.filter(state=ChangeState.PROPOSED).exists():
        raise NotAllowed(f"节点“{milestone.name}”已有待审核的调整申请")
    change = MilestoneChange(
        milestone=milestone,
        kind=kind,
        old_date=milestone.planned_date,
        new_date=new_date if kind == ChangeKind.MOVE else None,
        reason=reason.strip()[:500],
        proposed_at=when or timezone.now(),
        proposed_by=by,
    )
    return save_versioned(change, by=by, expected_version=None, reason="申请节点调整")


@transaction.atomic
def approve_change(
    change: MilestoneChange, *, by, comment: str = "", expected_version=None, when=None
):
    """proposed → approved, and the node moves or is deleted. The baseline date stays.

    Side effects: history rows on the change and on the node (reason 同意节点调整).
    """
    t = _decide(change, "approve", by=by, comment=comment, when=when)
    m = change.milestone
    if m.is_deleted:
        raise NotAllowed("该节点已删除")
    if change.kind == ChangeKind.MOVE:
        m.planned_date = change.new_date
    else:
        m.mark_deleted(by)
    save_versioned(m, by=by, expected_version=None, reason=t.reason)
    return save_versioned(change, by=by, expected_version=expected_version, reason=t.reason)


@transaction.atomic
def refuse_change(change: MilestoneChange, *, by, comment: str, expected_version=None, when=None):
    """proposed → refused, with the office's comment (required); the node is unchanged."""
    if change.state in CHANGE_TRANSITIONS["refuse"].sources and not comment.strip():
        raise NotAllowed("不同意时请填写审核意见")
    t = _decide(change, "refuse", by=by, comment=comment, when=when)
    return save_versioned(change, by=by, expected_version=expected_version, reason=t.reason)


def project_history(project: Project):
    """The project's and its milestones' changes, newest first, for the project page."""
    from keyprojects.core.history import entries

    project_entries = entries(project.history.all(), Project, lambda r: "项目")
    milestone_entries = entries(
        Milestone.history.filter(project_id=project.pk),
        Milestone,
        lambda r: f"节点“{r.name}”",
    )
    change_entries = entries(
        MilestoneChange.history.filter(milestone__project_id=project.pk),
        MilestoneChange,
        lambda r: f"节点调整申请（{r.milestone.name}）",
    )
    return sorted(
        project_entries + milestone_entries + change_entries, key=lambda e: e.when, reverse=True
    )
