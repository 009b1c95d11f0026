from decimal import Decimal

from django import template

from keyprojects import units

register = template.Library()


@register.filter
def wan(value, places=2):
    """A 万元 amount as a number with separators (the unit is in the column header)."""
    if value is None or value == "":
        return "—"
    return f"{units.round_half_up(Decimal(value), int(places)):,}"


@register.filter
def money(value):
    """万元 or 亿元, whichever reads better, with the unit."""
    return units.format_money(value)


@register.filter
def pct(value):
    return "—" if value is None else f"{value}%"


@register.filter
def share_pct(value):
    """A fraction (0.25) as a percentage with one decimal (25.0%)."""
    if value is None:
        return "—"
    return f"{units.round_half_up(Decimal(value) * 100, 1)}%"


@register.filter
def cn_date(value):
    if not value:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def cn_month(value):
    if not value:
        return "—"
    return f"{value.year}年{value.month}月"
