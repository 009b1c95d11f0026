"""The seed's KPIs (核准落户率、开工竣工率、投产达效率), one table each (problems/kpis.py)."""

from decimal import Decimal

import pytest

from keyprojects.problems import kpis


@pytest.mark.parametrize(
    "started, continuing, new, basis, rate",
    [
        (23, 20, 16, "construction", Decimal("63.9")),
        (0, 0, 0, "construction", None),
        (10, 0, 16, "new", Decimal("62.5")),
        (0, 20, 0, "new", None),
    ],
)
def test_start_rate_on_its_denominator(started, continuing, new, basis, rate):
    assert kpis.start_rate(started, continuing, new, basis) == rate


def test_start_rate_refuses_an_unknown_denominator():
    with pytest.raises(ValueError):
        kpis.start_rate(1, 1, 1, "all")


@pytest.mark.parametrize(
    "completed, continuing, new, resumed, rate",
    [
        (1, 14, 8, 1, Decimal("4.3")),
        (0, 14, 8, 0, Decimal("0.0")),
        (3, 0, 0, 0, None),
        (2, 1, 0, 1, Decimal("100.0")),
    ],
)
def test_completion_rate_under_construction_includes_resumed(
    completed, continuing, new, resumed, rate
):
    assert kpis.completion_rate(completed, continuing, new, resumed) == rate


@pytest.mark.parametrize(
    "reaching, planned, rate", [(7, 10, Decimal("70.0")), (0, 0, None), (1, 3, Decimal("33.3"))]
)
def test_operation_rate(reaching, planned, rate):
    assert kpis.operation_rate(reaching, planned) == rate


@pytest.mark.parametrize(
    "settled, signed, rate", [(3, 4, Decimal("75.0")), (0, 0, None), (2, 3, Decimal("66.7"))]
)
def test_settlement_rate(settled, signed, rate):
    assert kpis.settlement_rate(settled, signed) == rate


@pytest.mark.parametrize(
    "ytd, plan, rate",
    [("5000", "20000", Decimal("25.0")), ("1", "0", None), ("0", "100", Decimal("0.0"))],
)
def test_investment_rate(ytd, plan, rate):
    assert kpis.investment_rate(Decimal(ytd), Decimal(plan)) == rate


def test_every_kpi_has_a_label_a_definition_and_a_source():
    for kpi in kpis.ALL:
        assert kpi.label and "÷" in kpi.definition and kpi.source
    ours = {k.label for k in kpis.ALL if "本系统定义" in k.source}
    assert ours == {"投产达效率", "核准落户率"}
