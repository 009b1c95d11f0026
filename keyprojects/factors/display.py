"""A record's fields as people read them: labels, choice names, 公顷 with 亩 beside, 万元, dates."""

from datetime import date
from decimal import Decimal

from django.db import models

from keyprojects import units


def value_text(obj, name: str) -> str:
    f = obj._meta.get_field(name)
    if isinstance(f, models.ManyToManyField):
        names = [str(p) for p in getattr(obj, name).all()] if obj.pk else []
        return "、".join(names) or "—"
    value = getattr(obj, name)
    if value is None or value == "":
        return "—"
    if f.choices:
        return str(getattr(obj, f"get_{name}_display")())
    if isinstance(value, date):
        if name == "expected_deal_month":
            return f"{value.year}年{value.month}月"
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, Decimal):
        if name.endswith("_ha"):
            return units.format_area(value)
        if name.endswith("_m2"):
            return units.format_m2_area(value) if name == "area_m2" else f"{value:,}平方米"
        if name.endswith("_wan"):
            return units.format_wan(value)
        if name.endswith("_pct"):
            return f"{value}%"
    return str(value)


def rows(obj, fields) -> list[tuple[str, str]]:
    return [(str(obj._meta.get_field(n).verbose_name), value_text(obj, n)) for n in fields]
