"""The ranking of a closed month reads a few snapshot rows; it must list exactly what the live
computation of the same month lists (ties after rounding, the cut, late starts, reasons)."""

from datetime import date
from decimal import Decimal

import pytest

from keyprojects.figures import ledger as ledger_figures
from keyprojects.figures import periods, services
from keyprojects.problems import figures
from keyprojects.problems.models import ScoringScheme
from keyprojects.problems.scoring import DEFAULT_SCHEME
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)


def _listed(r):
    return (
        [(p.project.pk, p.gap, p.reason) for p in r.fast],
        [(p.project.pk, p.gap, p.reason) for p in r.slow],
        [(d.name, d.rank, d.score.total) for d in r.departments],
    )


def _build(dept, other_dept):
    # Twelve started projects with a 1 200 万元 plan; their March totals spread around 序时 with
    # pairs that tie after rounding to 0.1 point, so the cut falls inside a tie.
    amounts = [10, 60, 60, 120, 200, 300, 300, 301, 450, 600, 600, 900]
    for i, amount in enumerate(amounts):
        p = factories.started_project(
            dept if i % 2 else other_dept,
            annual_plan_wan=Decimal(1200),
            total_investment_wan=Decimal(5000),
            code=f"R{i:03d}",
        )
        factories.report(p, 1, amount // 3)
        factories.report(p, 2, amount // 3)
        factories.report(p, 3, amount - 2 * (amount // 3))
    # Due to start by March and not started (−序时), and one due later (not ranked).
    for i, month in enumerate((1, 2, 2, 3, 5)):
        factories.project(
            dept if i % 2 else other_dept,
            annual_plan_wan=Decimal(500),
            planned_start=date(2022, month, 1),
            code=f"N{i:03d}",
        )
    # Started but never reported: 未报送, no gap, not ranked.
    factories.started_project(
        dept, annual_plan_wan=Decimal(800), total_investment_wan=Decimal(5000), code="U000"
    )


@pytest.mark.parametrize("n", [3, 10])
def test_closed_month_ranking_equals_the_live_one(dept, other_dept, office, n):
    ScoringScheme.objects.create(
        name="测试方案",
        is_active=True,
        rules={**DEFAULT_SCHEME, "project_fast": n, "project_slow": n},
    )
    _build(dept, other_dept)
    live_period = periods.Period(2022, 3, date(2022, 3, 31), False)
    live = figures.ranking(live_period)
    for month in (1, 2, 3):
        services.close_period(2022, month, by=office, today=TODAY)
    closed_period = periods.month_period(2022, 3, today=TODAY)
    assert closed_period.final
    closed = figures.ranking(closed_period)
    assert _listed(closed) == _listed(live)
    fast, slow, _ = _listed(closed)
    assert len(fast) == min(n, len([g for _, g, _ in fast if g > 0])) and fast
    assert [g for _, g, _ in slow] == sorted(g for _, g, _ in slow)
    # The late starts are ranked at −序时; the one due in May is not.
    not_started = {p.project.code for p in closed.slow if p.project.code.startswith("N")}
    assert "N004" not in not_started
    assert ledger_figures.late_start_counts(closed_period, date(2022, 3, 31)) == dict(
        ledger_figures.late_start_counts(live_period, date(2022, 3, 31))
    )


@pytest.mark.parametrize(
    "amounts",
    [
        [10 * i for i in range(1, 41)],  # distinct gaps: one ordered read holds the cut
        [300] * 30 + [10 * i for i in range(1, 11)],  # 30 ties at the cut: read by the margin
    ],
)
def test_closed_ranking_of_many_equals_the_live_one(dept, office, amounts):
    ScoringScheme.objects.create(
        name="测试方案",
        is_active=True,
        rules={**DEFAULT_SCHEME, "project_fast": 3, "project_slow": 3},
    )
    for i, amount in enumerate(amounts):
        p = factories.started_project(
            dept,
            annual_plan_wan=Decimal(1200),
            total_investment_wan=Decimal(5000),
            code=f"M{i:03d}",
        )
        factories.report(p, 1, amount)
    live = figures.ranking(periods.Period(2022, 1, date(2022, 1, 31), False))
    services.close_period(2022, 1, by=office, today=TODAY)
    closed = figures.ranking(periods.month_period(2022, 1, today=TODAY))
    assert _listed(closed) == _listed(live)
    assert len(closed.fast) == 3 and len(closed.slow) == 3
