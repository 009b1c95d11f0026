"""The ledger list's table and header links (keyprojects.ledger.table) as template tags."""

from django import template

from keyprojects.ledger import table

register = template.Library()


@register.simple_tag
def ledger_rows(rows, risk_of, department_labels=None):
    """The list's <tbody> rows; `risk_of` is problems_tags.risk_map of the page;
    `department_labels` {pk: label} names the departments (else each row's own)."""
    return table.rows_html(rows, risk_of or {}, department_labels)


@register.simple_tag
def sort_link(header, label):
    return table.sort_link(header, label)


@register.simple_tag
def hidden_inputs(pairs):
    return table.hidden_inputs(pairs or ())  # absent on the 400 page


@register.simple_tag
def column_checks(columns):
    return table.column_checks(columns)
