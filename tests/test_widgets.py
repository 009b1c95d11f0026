"""The fast widgets write the markup Django's template-rendered ones write (the ledger filter
form: every select, the search and date inputs, the ordering select)."""

import re

import django_filters
import pytest
from django import forms

from keyprojects.core.widgets import FAST_WIDGETS, FastCSVSelect, FastSelect
from keyprojects.ledger.filters import ProjectFilter
from keyprojects.ledger.models import Project

pytestmark = pytest.mark.django_db


def _flat(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"year": "2022", "colour": "red", "behind": "true", "o": "-colour"},
        {"department": "1", "status": "under_construction", "started": "false"},
        {"year": "<script>", "category": "\"'&"},
        {"q": "<b>\"凤鸣'&", "as_of": "2022-06-30", "o": "code,-name"},
        {"q": "  ", "as_of": "2022年6月", "o": "nonsense"},
    ],
)
def test_fast_widgets_write_what_the_templates_write(dept, other_dept, data):
    fast_form = ProjectFilter(data, queryset=Project.objects.all()).form
    # The same filter's form as django-filter builds it, before the widgets are swapped.
    slow_form = django_filters.FilterSet.form.fget(
        ProjectFilter(data, queryset=Project.objects.all())
    )
    kinds = {type(f.widget) for f in fast_form.fields.values()}
    assert {*FAST_WIDGETS.values(), FastCSVSelect} <= kinds
    for name in fast_form.fields:
        assert _flat(fast_form[name]) == _flat(slow_form[name]), name


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"year": "2022", "colour": "red", "behind": "true", "o": "-colour"},
        {"department": "1", "status": "under_construction", "started": "false"},
        {"year": "<script>", "category": "\"'&"},
    ],
)
def test_fast_select_writes_what_select_writes(dept, other_dept, data):
    form = ProjectFilter(data, queryset=Project.objects.all()).form
    swapped = [name for name, f in form.fields.items() if type(f.widget) is FastSelect]
    assert len(swapped) >= 10
    for name in swapped:
        fast = str(form[name])
        form.fields[name].widget.__class__ = forms.Select
        slow = str(form[name])
        form.fields[name].widget.__class__ = FastSelect
        assert _flat(fast) == _flat(slow), name


def test_optgroups_and_one_selected_value():
    widget = FastSelect(choices=[("", "全部"), ("组一", [("a", "甲"), ("b", "乙")]), ("a", "甲2")])
    fast = widget.render("x", "a", attrs={"id": "id_x"})
    slow = forms.Select(choices=widget.choices).render("x", "a", attrs={"id": "id_x"})
    assert _flat(fast) == _flat(slow)
    assert fast.count(" selected") == 1
