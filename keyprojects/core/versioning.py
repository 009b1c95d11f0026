"""Optimistic locking shared by every editable record (projects, milestones, reports …).

A form carries the version it was loaded at; saving locks the row, compares, and refuses a
stale save with a message naming who changed what since — so two people editing the same
record never silently overwrite each other.
"""

from django.db import transaction
from django.utils import timezone

from keyprojects.core.errors import StaleEdit
from keyprojects.core.history import changed_since
from keyprojects.dates import cn_datetime


def stale_message(instance, version: int) -> str:
    model = type(instance)
    who, when, changes = changed_since(instance.history.all(), model, version)
    when_text = cn_datetime(timezone.localtime(when)) if when else "刚才"
    detail = "、".join(f"{c.field}：{c.old} → {c.new}" for c in changes[:6])
    message = f"保存未成功：{who or '他人'}已于{when_text}修改了该{model._meta.verbose_name}"
    if detail:
        message += f"（{detail}）"
    return message + "。您填写的内容已保留，但不会覆盖对方的修改：请核对对方的版本后再操作。"


@transaction.atomic
def save_versioned(instance, *, by, expected_version: int | None, reason: str = ""):
    """Save `instance` if nobody saved it since `expected_version`; bump its version.

    Side effects: one history row (who = `by`), version + 1. Raises StaleEdit otherwise.
    """
    model = type(instance)
    if instance.pk is not None:
        current = model._base_manager.select_for_update().only("version").get(pk=instance.pk)
        if expected_version is not None and current.version != expected_version:
            raise StaleEdit(stale_message(instance, expected_version), current.version)
        instance.version = current.version + 1
    instance._history_user = by
    if reason:
        instance._change_reason = reason
    instance.save()
    return instance
