"""Numbers as report sentences write them (keyprojects/units.py), as tables."""

from decimal import Decimal

import pytest

from keyprojects import units


@pytest.mark.parametrize(
    "wan, text",
    [
        ("4595.55", "4595.55万元"),
        ("2200", "2200万元"),
        ("2200.00", "2200万元"),
        ("1000", "1000万元"),
        ("9999.99", "9999.99万元"),
        ("10000", "1亿元"),
        ("12000", "1.2亿元"),
        ("140000", "14亿元"),
        ("155000", "15.5亿元"),
        ("431400", "43.14亿元"),
        ("123456", "12.35亿元"),  # half-up to two decimals
        ("0", "0万元"),
    ],
)
def test_text_money(wan, text):
    assert units.text_money(Decimal(wan)) == text


@pytest.mark.parametrize(
    "value, text",
    [
        (units.percent(23, 36), "63.9%"),  # the seed's 63.8% was a truncation
        (Decimal("114"), "114%"),
        (Decimal("36.0"), "36%"),
        (Decimal("15.25"), "15.3%"),
        (Decimal("0"), "0%"),
    ],
)
def test_text_percent(value, text):
    assert units.text_percent(value) == text


@pytest.mark.parametrize(
    "value, places, text",
    [("12.65", 2, "12.65"), ("5.90", 2, "5.9"), ("997", 0, "997"), ("996.5", 0, "997")],
)
def test_plain(value, places, text):
    assert units.plain(Decimal(value), places) == text


def test_text_hectare_keeps_four_decimals():
    assert units.text_hectare(Decimal("66.4923")) == "66.4923公顷"
    assert units.hectare_to_mu(Decimal("66.4923")) == Decimal("997")
