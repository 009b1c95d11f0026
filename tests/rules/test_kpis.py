from decimal import Decimal

import pytest

from keyprojects.ledger import kpis


@pytest.mark.parametrize(
    "started, planned, rate",
    [
        (23, 36, Decimal("63.9")),
        (0, 36, Decimal("0.0")),
        (36, 36, Decimal("100.0")),
        (1, 3, Decimal("33.3")),
        (2, 3, Decimal("66.7")),
        (0, 0, None),
    ],
)
def test_start_rate_as_the_seed_uses_it(started, planned, rate):
    assert kpis.start_rate(started, planned) == rate


def test_every_kpi_is_labelled_in_chinese():
    for kpi in (kpis.START_RATE, kpis.COMPLETION_RATE, kpis.INVESTMENT_RATE):
        assert kpi.label and kpi.definition and "÷" in kpi.definition
