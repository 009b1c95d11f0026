"""Every write to the factor tables. Each is one transaction with the actor (`by=`) recorded in
the record's history; stateful records move only along rules.TRANSITIONS.

Side effects of each save: one history row (who, when, old → new), version + 1; a stale save
(someone saved in between) raises core.errors.StaleEdit; invalid data raises ValidationError
with Chinese messages keyed by field, and nothing is written.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from keyprojects.core.errors import NotAllowed
from keyprojects.core.versioning import save_versioned
from keyprojects.factors import models as m
from keyprojects.factors import rules

# model → (rules.TRANSITIONS table, status field)
STATEFUL = {
    m.LandBatch: ("land_batch", "status"),
    m.FarmlandOccupation: ("farmland", "stage"),
    m.LandQuota: ("quota", "status"),
    m.Parcel: ("parcel", "status"),
}


def check_transition(obj) -> None:
    """Refuse a status move the TRANSITIONS table does not list (new records start anywhere:
    they record a state reached before the system held them)."""
    spec = STATEFUL.get(type(obj))
    if spec is None or obj.pk is None:
        return
    table, name = spec
    old = type(obj)._base_manager.filter(pk=obj.pk).values_list(name, flat=True).first()
    new = getattr(obj, name)
    if old is None or rules.transition_allowed(table, old, new):
        return
    f = type(obj)._meta.get_field(name)
    labels = dict(f.choices)
    allowed = "、".join(f"“{labels[s]}”" for s in sorted(rules.TRANSITIONS[table][old]))
    hint = f"只能改为{allowed}" if allowed else "该状态已办结，不能再改"
    raise ValidationError(
        {name: f"{f.verbose_name}不能从“{labels[old]}”直接改为“{labels[new]}”：{hint}"}
    )


@transaction.atomic
def save_record(obj, *, by, expected_version: int | None = None, projects=None, reason: str = ""):
    """Create or update one factor record (any table of this app).

    `projects` (land batches only): the key projects the batch serves; replaces the current set.
    `reason` names the change set in history (an import: `Excel导入 #12`).
    Side effects: validation (field rules, model rules, status transition), history row with
    the actor, version + 1; the batch's project set recorded in its history (m2m history).
    """
    obj.full_clean(validate_unique=True)
    check_transition(obj)
    save_versioned(obj, by=by, expected_version=expected_version, reason=reason)
    if projects is not None and isinstance(obj, m.LandBatch):
        projects = list(projects)
        if {p.pk for p in projects} != set(obj.projects.values_list("pk", flat=True)):
            # simple-history writes a history row for the new set (actor: _history_user).
            obj._history_user = by
            obj.projects.set(projects)
    return obj


@transaction.atomic
def save_many(objects, *, by, reason: str = "") -> int:
    """All or nothing: save every (record, projects) pair or none (importer adapters).

    Side effects: as save_record, for each; the first invalid record rolls everything back.
    """
    n = 0
    for obj, projects in objects:
        save_record(obj, by=by, expected_version=None, projects=projects, reason=reason)
        n += 1
    return n


@transaction.atomic
def delete_record(obj, *, by, expected_version: int | None):
    """Move a factor record to its table's recycle bin (回收站); restore_record undoes it.

    Side effects: deleted_at/deleted_by set, a history row “删除” with the actor, version + 1;
    from then on no page, figure, export or import sees the record. StaleEdit when someone
    saved it since `expected_version`; NotAllowed for a record already deleted, or a fiscal
    task whose monthly figures are still live (they would count for no task).
    """
    if obj.deleted_at is not None:
        raise NotAllowed("该记录已删除")
    if isinstance(obj, m.FiscalTask):
        months = obj.months.count()
        if months:
            raise NotAllowed(f"该财税任务还有{months}条月度完成记录，请先删除这些记录")
    obj.mark_deleted(by)
    return save_versioned(obj, by=by, expected_version=expected_version, reason="删除")


@transaction.atomic
def restore_record(obj, *, by):
    """Bring a deleted factor record back from the recycle bin.

    Side effects: deleted_at/deleted_by cleared, a history row “恢复” with the actor, version
    + 1. NotAllowed for a record not deleted, a month of a fiscal task still deleted, or a
    record whose place (its table's unique key) a live record has taken since.
    """
    if obj.deleted_at is None:
        raise NotAllowed("该记录未被删除")
    if isinstance(obj, m.FiscalMonth) and obj.task.deleted_at is not None:
        raise NotAllowed(f"所属财税任务“{obj.task}”已删除，请先恢复该任务")
    obj.deleted_at, obj.deleted_by = None, None
    try:
        obj.validate_constraints()
    except ValidationError as exc:
        raise NotAllowed("不能恢复：" + "；".join(exc.messages)) from None
    return save_versioned(obj, by=by, expected_version=None, reason="恢复")
