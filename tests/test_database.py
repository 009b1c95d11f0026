"""The tier runs on the database it claims (KP_TEST_DB=postgres → a real PostgreSQL)."""

import os

import pytest
from django.db import IntegrityError, connection, transaction

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
