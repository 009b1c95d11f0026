"""Reading the change history (django-simple-history) as people read it: who, when, field,
old value, new value, with choice labels and names instead of codes."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models

from keyprojects import dates

ACTIONS = {"+": "新建", "~": "修改", "-": "删除"}
HIDDEN_FIELDS = {"version", "deleted_by"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime
    who: str
    action: str
    object_label: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""


def _diff(old, new):
    """(field name, old value, new value) for every tracked field that differs.

    simple-history's diff_against() skips non-editable fields, but soft deletion
    (`deleted_at`, not editable in forms) must show as 删除/恢复, so we compare ourselves.
    """
    for f in new.tracked_fields:
        before, after = getattr(old, f.attname), getattr(new, f.attname)
        if before != after:
            yield f.name, before, after


def _display(model, name: str, value) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    try:
        f = model._meta.get_field(name)
    except Exception:
        return str(value)
    if isinstance(value, list):  # a monthly plan: 12 amounts
        return "，".join(f"{i}月{v}" for i, v in enumerate(value, start=1))
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.ForeignKey):
        obj = f.related_model._base_manager.filter(pk=value).first()
        return str(obj) if obj else str(value)
    if isinstance(f, models.BooleanField):
        return "是" if value else "否"
    if isinstance(f, models.DateTimeField):
        from django.utils import timezone

        return dates.cn_datetime(timezone.localtime(value))
    return str(value)


def display_value(model, name: str, value) -> str:
    """A field value as people read it (choice labels, names, 是/否, （空）)."""
    if isinstance(value, models.Model):
        value = value.pk
    return _display(model, name, value)


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def entries(history_qs, model, object_label=None) -> list[Entry]:
    """Entries of one or more objects' history, oldest first within each object, newest first
    overall. The first record of an object is its creation; a change of `deleted_at` reads as
    删除 (soft) or 恢复."""
    records = list(
        history_qs.select_related("history_user").order_by("id", "history_date", "history_id")
    )
    previous: dict[int, object] = {}
    out: list[Entry] = []
    for rec in records:
        prev = previous.get(rec.id)
        label = object_label(rec) if object_label else str(rec.instance)
        who = rec.history_user.display_name if rec.history_user else "系统"
        entry = Entry(rec.history_date, who, ACTIONS.get(rec.history_type, "修改"), label)
        entry.reason = rec.history_change_reason or ""
        if prev is not None and rec.history_type == "~":
            for name, old, new in _diff(prev, rec):
                if name in HIDDEN_FIELDS:
                    continue
                if name == "deleted_at":
                    entry.action = "删除" if new else "恢复"
                    continue
                entry.changes.append(
                    Change(
                        _label(model, name), _display(model, name, old), _display(model, name, new)
                    )
                )
            if not entry.changes and entry.action == "修改":
                previous[rec.id] = rec
                continue  # a save that changed nothing visible
        previous[rec.id] = rec
        out.append(entry)
    out.sort(key=lambda e: e.when, reverse=True)
    return out


def changed_since(history_qs, model, version: int) -> tuple[str, datetime | None, list[Change]]:
    """Who changed a record after `version`, when, and which fields (for conflict messages)."""
    records = list(history_qs.select_related("history_user").order_by("history_date", "history_id"))
    base = next((r for r in records if r.version == version), None)
    later = [r for r in records if r.version > version]
    if not later:
        return "", None, []
    last = later[-1]
    changes: list[Change] = []
    if base is not None:
        for name, old, new in _diff(base, last):
            if name in HIDDEN_FIELDS or name == "deleted_at":
                continue
            changes.append(
                Change(_label(model, name), _display(model, name, old), _display(model, name, new))
            )
    who = last.history_user.display_name if last.history_user else "系统"
    return who, last.history_date, changes
