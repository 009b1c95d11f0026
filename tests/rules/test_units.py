from decimal import Decimal

import pytest

from keyprojects import units


@pytest.mark.parametrize(
    "value, places, expected",
    [
        ("63.888", 1, "63.9"),
        ("63.85", 1, "63.9"),
        ("63.75", 1, "63.8"),
        ("0.05", 1, "0.1"),
        ("2.5", 0, "3"),
        ("-2.5", 0, "-3"),
        ("1.005", 2, "1.01"),
    ],
)
def test_round_half_up(value, places, expected):
    assert units.round_half_up(Decimal(value), places) == Decimal(expected)


@pytest.mark.parametrize(
    "part, whole, expected",
    [(23, 36, Decimal("63.9")), (0, 36, Decimal("0.0")), (36, 36, Decimal("100.0")), (1, 0, None)],
)
def test_percent(part, whole, expected):
    assert units.percent(part, whole) == expected


def test_seed_area_66_4923_hectares_is_997_mu():
    assert units.hectare_to_mu(Decimal("66.4923")) == Decimal("997")
    assert units.format_area(Decimal("66.4923")) == "66.4923公顷（合997亩）"


def test_seed_growth_is_on_area_not_units():
    assert units.growth_percent(Decimal("12.65"), Decimal("5.9")) == Decimal("114")
    assert units.growth_percent(Decimal(1125), Decimal(495)) == Decimal("127")
    assert units.growth_percent(Decimal(1), Decimal(0)) is None


@pytest.mark.parametrize(
    "wan, text",
    [
        (Decimal("4595.55"), "4,595.55万元"),
        (Decimal("140000"), "14.00亿元"),
        (Decimal("12000"), "1.20亿元"),
        (None, "—"),
    ],
)
def test_format_money_picks_the_unit_that_reads_better(wan, text):
    assert units.format_money(wan) == text
