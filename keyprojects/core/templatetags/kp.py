from datetime import datetime
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from keyprojects import dates, units
from keyprojects.core.links import fixed_url as _fixed_url

register = template.Library()


@register.simple_tag
def fixed_url(name):
    """{% url name %} for a URL without arguments, reversed once (core.links)."""
    return _fixed_url(name)


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
    """The house date, 2022年3月5日; a datetime is shown by its local day."""
    if isinstance(value, datetime):
        value = _local(value)
    return dates.cn_date(value)


@register.filter
def cn_month(value):
    return dates.cn_month(value)


@register.filter
def cn_datetime(value, arg=""):
    """2022年3月5日 14:05; `|cn_datetime:"s"` adds seconds (logs)."""
    return dates.cn_datetime(_local(value) if value else value, seconds=arg == "s")


def _local(value):
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def active_filters(query, ignore=""):
    """How many filter parameters of a query are set, not counting `ignore` (comma-separated:
    paging and sorting are not filters); a page opens its folded filters when any is."""
    skip = {name.strip() for name in ignore.split(",") if name.strip()}
    return sum(1 for key in query if key not in skip and any(v.strip() for v in query.getlist(key)))


@register.filter
def light(verdict):
    """A verdict's 红/黄/绿灯 badge (its reasons as the tooltip), "—" for none: one piece of
    markup for every page, written in Python because long lists render it once per row."""
    if not verdict:
        return mark_safe('<span class="muted">—</span>')
    return format_html(
        '<span class="light light-{}" title="{}">{}</span>',
        verdict.colour.value,
        verdict.reason_text,
        verdict.colour.label,
    )
