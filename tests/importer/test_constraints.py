"""The Python evaluation of CheckConstraints agrees with Django's own (database) check."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from keyprojects.importer import constraints
from keyprojects.ledger.models import Project

D = Decimal


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"total_investment_wan": D(100), "completed_before_year_wan": D(200)},
        {"annual_plan_wan": D(901), "completed_before_year_wan": D(100)},
        {"annual_plan_wan": D(900), "completed_before_year_wan": D(100)},
        {"planned_start": date(2023, 1, 1), "planned_end": date(2022, 1, 1)},
        {"planned_start": None, "planned_end": date(2022, 1, 1)},
        {"actual_start": date(2022, 5, 1), "actual_end": date(2022, 4, 1)},
        {"total_investment_wan": D(-1), "annual_plan_wan": D(0)},
        {"total_investment_wan": None},
    ],
)
@pytest.mark.django_db
def test_python_check_equals_database_check(fields):
    values = {
        "total_investment_wan": D(1000),
        "completed_before_year_wan": D(0),
        "annual_plan_wan": D(400),
        **fields,
    }
    p = Project(name="x", year=2022, **values)

    def messages(fn):
        try:
            fn()
        except ValidationError as e:
            return sorted(e.messages)
        return []

    assert messages(lambda: constraints.validate_constraints(p)) == messages(
        lambda: Project.validate_constraints(p)
    )
