"""Each ProjectFilter works on its own copies of the declared filters (ledger.filters
_DeclaredFilters): two filter sets of one request cycle do not see each other's period, and a
method filter calls its own filter set."""

from datetime import date

import pytest
from django.http import QueryDict

from keyprojects.figures import periods
from keyprojects.ledger.filters import ProjectFilter
from keyprojects.ledger.models import Project
from tests import factories

pytestmark = pytest.mark.django_db


def test_filters_are_copies_bound_to_their_own_filter_set(dept):
    a = ProjectFilter(QueryDict("colour=red"), queryset=Project.objects.all())
    b = ProjectFilter(QueryDict("colour=green"), queryset=Project.objects.all())
    for name, declared in ProjectFilter.base_filters.items():
        assert a.filters[name] is not declared and a.filters[name] is not b.filters[name]
        assert a.filters[name].parent is a and b.filters[name].parent is b
        if declared.method is not None:
            assert a.filters[name].filter.f is a.filters[name]
    assert not hasattr(ProjectFilter.base_filters["colour"], "parent")


def test_two_filter_sets_filter_by_their_own_values_and_periods(dept):
    late = factories.project(dept, name="迟迟未开工", planned_start=date(2021, 10, 1))
    factories.project(dept, name="二季度开工", planned_start=date(2022, 6, 1))
    march = periods.Period(2022, 3, date(2022, 3, 31), False)
    base = Project.objects.live()
    red = ProjectFilter(QueryDict("colour=red&year=2022"), queryset=base, period=march)
    found = ProjectFilter(QueryDict("q=二季度&year=2022"), queryset=base, period=march)
    assert red.is_valid() and found.is_valid()
    assert [p.name for p in found.qs] == ["二季度开工"]
    assert [p.pk for p in red.qs] == [late.pk]
