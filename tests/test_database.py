"""The tier runs on the database it claims (KP_TEST_DB=postgres → a real PostgreSQL)."""

import os
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from keyprojects.ledger.models import Project
from tests import factories

pytestmark = pytest.mark.django_db


def test_engine_matches_the_tier():
    expected = "postgresql" if os.environ.get("KP_TEST_DB") == "postgres" else "sqlite"
    assert connection.vendor == expected


@pytest.mark.parametrize(
    "changes, constraint",
    [
        (
            {"total_investment_wan": -1, "completed_before_year_wan": -2, "annual_plan_wan": 0},
            "ledger_project_money_not_negative",
        ),
        ({"annual_plan_wan": 5000}, "ledger_project_plan_within_remaining"),
        ({"completed_before_year_wan": 2000}, "ledger_project_before_within_total"),
    ],
)
def test_named_constraints_hold_in_the_database(dept, changes, constraint):
    """Even a write that skips the form cannot store an impossible project."""
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        factories.project(dept, **changes)


def test_plan_equal_to_the_remaining_investment_is_accepted_exactly(dept):
    """Floating-point comparison in SQLite must not refuse an exact fit (a real import case)."""
    p = factories.project(
        dept,
        total_investment_wan=Decimal("23487247.38"),
        completed_before_year_wan=Decimal("14327220.90"),
        annual_plan_wan=Decimal("9160026.48"),
    )
    p.full_clean()
    assert Project.objects.filter(pk=p.pk).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.project(
            dept,
            total_investment_wan=Decimal("23487247.38"),
            completed_before_year_wan=Decimal("14327220.90"),
            annual_plan_wan=Decimal("9160026.49"),
        )
