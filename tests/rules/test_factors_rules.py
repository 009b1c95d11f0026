"""Factor rules (keyprojects/factors/rules.py) and the area conversions in units.py, by table."""

from datetime import date
from decimal import Decimal

import pytest

from keyprojects import units
from keyprojects.factors import rules

D = date


@pytest.mark.parametrize(
    "ha, places, mu",
    [
        ("66.4923", 0, "997"),  # the seed: 997.3845 → 997
        ("1", 0, "15"),
        ("0.0333", 0, "0"),
        ("0.0334", 0, "1"),  # 0.501 rounds up
        ("66.4923", 2, "997.38"),
        ("0", 0, "0"),
    ],
)
def test_ha_to_mu(ha, places, mu):
    assert units.ha_to_mu(Decimal(ha), places) == Decimal(mu)


@pytest.mark.parametrize(
    "m2, ha, mu, wan",
    [
        ("10000", "1.0000", "15.00", "1.00"),
        ("126500", "12.6500", "189.75", "12.65"),
        ("59000", "5.9000", "88.50", "5.90"),
        ("12140.50", "1.2141", "18.21", "1.21"),
        ("666.67", "0.0667", "1.00", "0.07"),
    ],
)
def test_square_metres(m2, ha, mu, wan):
    assert units.m2_to_ha(Decimal(m2)) == Decimal(ha)
    assert units.m2_to_mu(Decimal(m2)) == Decimal(mu)
    assert units.m2_to_wan_m2(Decimal(m2)) == Decimal(wan)


@pytest.mark.parametrize("mu, ha", [("997", "66.4667"), ("15", "1.0000"), ("1", "0.0667")])
def test_mu_to_ha(mu, ha):
    assert units.mu_to_ha(Decimal(mu)) == Decimal(ha)


def test_area_texts():
    assert units.format_area(Decimal("66.4923")) == "66.4923公顷（合997亩）"
    assert units.format_m2_area(Decimal("12140.5")) == "12140.50平方米（合18.21亩）"
    assert units.format_mu(None) == "—"


@pytest.mark.parametrize(
    "current, previous, places, expected",
    [("126500", "59000", 0, "114"), ("1125", "495", 0, "127"), ("1", "0", 0, None)],
)
def test_housing_growth_as_the_seed_rounds(current, previous, places, expected):
    got = units.growth_percent(Decimal(current), Decimal(previous), places)
    assert got == (Decimal(expected) if expected else None)


@pytest.mark.parametrize(
    "table, old, new, allowed",
    [
        ("land_batch", "assembling", "assembling", True),
        ("land_batch", "assembling", "reported", True),
        ("land_batch", "assembling", "approved", False),
        ("land_batch", "reported", "approved", True),
        ("land_batch", "reported", "assembling", True),
        ("land_batch", "approved", "reported", False),
        ("parcel", "planned", "listed", True),
        ("parcel", "listed", "paid", False),
        ("parcel", "listed", "planned", True),
        ("parcel", "contracted", "paid", True),
        ("parcel", "paid", "contracted", False),
        ("farmland", "survey", "supplement", True),
        ("farmland", "survey", "approved", False),
        ("quota", "following", "secured", True),
        ("quota", "secured", "following", True),
    ],
)
def test_transitions(table, old, new, allowed):
    assert rules.transition_allowed(table, old, new) is allowed


@pytest.mark.parametrize(
    "start, days, expected",
    [
        (D(2022, 3, 18), 10, D(2022, 4, 1)),  # Friday + 10 working days
        (D(2022, 3, 19), 1, D(2022, 3, 21)),  # Saturday → Monday
        (D(2022, 3, 21), 5, D(2022, 3, 28)),
        (D(2022, 3, 21), 0, D(2022, 3, 21)),
        (D(9999, 12, 30), 10, date.max),
    ],
)
def test_working_days(start, days, expected):
    assert rules.add_working_days(start, days) == expected


@pytest.mark.parametrize(
    "d, months, expected",
    [
        (D(2022, 1, 31), 1, D(2022, 2, 28)),
        (D(2022, 3, 15), 12, D(2023, 3, 15)),
        (D(2022, 12, 31), 2, D(2023, 2, 28)),
        (D(9999, 12, 1), 1, date.max),
    ],
)
def test_add_months(d, months, expected):
    assert rules.add_months(d, months) == expected


@pytest.mark.parametrize(
    "sold, contract, half, full, as_of, late",
    [
        (None, None, None, None, D(2022, 6, 1), []),
        (D(2022, 3, 18), None, None, None, D(2022, 3, 31), []),
        (
            D(2022, 3, 18),
            None,
            None,
            None,
            D(2022, 4, 5),
            ["签订出让合同已逾期4天（应于2022年4月1日前）"],
        ),
        (
            D(2022, 3, 18),
            D(2022, 4, 6),
            None,
            None,
            D(2022, 4, 10),
            ["签订出让合同逾期5天（应于2022年4月1日前）"],
        ),
        (
            D(2022, 3, 18),
            D(2022, 3, 25),
            None,
            None,
            D(2022, 4, 26),
            ["缴纳50%出让价款已逾期1天（应于2022年4月25日前）"],
        ),
        (D(2022, 3, 18), D(2022, 3, 25), D(2022, 4, 20), D(2023, 3, 1), D(2023, 6, 1), []),
        (
            D(2022, 3, 18),
            D(2022, 3, 25),
            D(2022, 4, 20),
            None,
            D(2023, 3, 30),
            ["缴清出让价款已逾期5天（应于2023年3月25日前）"],
        ),
    ],
)
def test_parcel_payment(sold, contract, half, full, as_of, late):
    due = rules.parcel_payment(
        sold_on=sold, contract_on=contract, half_paid_on=half, fully_paid_on=full, as_of=as_of
    )
    assert due.late == late
    assert due.is_late is bool(late)


@pytest.mark.parametrize(
    "issued, used, as_of, colour, expected_pct",
    [
        (D(2022, 1, 20), "0", D(2022, 1, 31), "green", "0.0"),  # issue month: nothing due yet
        (D(2022, 1, 20), "2000", D(2022, 3, 31), "green", "33.3"),  # 2 of 6 months, 33.3% spent
        (D(2022, 1, 20), "1000", D(2022, 3, 31), "yellow", "33.3"),  # 16.7% spent
        (D(2022, 1, 20), "0", D(2022, 4, 30), "red", "50.0"),  # 50 points behind > 30
        (D(2022, 1, 20), "6000", D(2022, 9, 30), "green", "100.0"),
        (D(2022, 1, 20), "2000", D(2022, 7, 31), "red", "100.0"),
        (D(2022, 1, 20), "0", D(2022, 3, 15), "yellow", "16.7"),  # March not ended: 1 month
    ],
)
def test_bond_use(issued, used, as_of, colour, expected_pct):
    v = rules.bond_use(
        issued_on=issued, amount_wan=Decimal(6000), used_wan=Decimal(used), as_of=as_of
    )
    assert (v.colour, v.expected_pct) == (colour, Decimal(expected_pct))


def test_bond_reason_names_the_gap():
    v = rules.bond_use(
        issued_on=D(2022, 1, 20),
        amount_wan=Decimal(6000),
        used_wan=Decimal(1000),
        as_of=D(2022, 3, 31),
    )
    assert v.reason == "发行后第2个月，应支出33.3%，已支出16.7%，滞后16.6个百分点"


@pytest.mark.parametrize(
    "deadline, secured, today, days",
    [
        (D(2022, 3, 31), False, D(2022, 3, 31), 0),
        (D(2022, 3, 31), False, D(2022, 4, 2), 2),
        (D(2022, 3, 31), True, D(2022, 4, 2), 0),
    ],
)
def test_quota_overdue(deadline, secured, today, days):
    assert rules.quota_overdue_days(deadline=deadline, secured=secured, today=today) == days


@pytest.mark.parametrize(
    "arrived, planned, rate",
    [("9800", "40000", "24.5"), ("0", "100", "0.0"), ("1", "0", None), ("150", "100", "150.0")],
)
def test_arrival_rate(arrived, planned, rate):
    got = rules.arrival_rate(Decimal(arrived), Decimal(planned))
    assert got == (Decimal(rate) if rate else None)


@pytest.mark.parametrize("q, months", [(1, (1, 3)), (2, (4, 6)), (4, (10, 12))])
def test_quarter_months(q, months):
    assert rules.quarter_months(q) == months


def test_far_dates_do_not_break():
    due = rules.parcel_payment(
        sold_on=D(9999, 12, 31),
        contract_on=None,
        half_paid_on=None,
        fully_paid_on=None,
        as_of=D(2022, 1, 1),
    )
    assert due.contract_due == date.max and due.late == []
    v = rules.bond_use(
        issued_on=D(9999, 12, 1), amount_wan=Decimal(1), used_wan=Decimal(0), as_of=D(9999, 12, 31)
    )
    assert v.colour == "green"


def test_quarter_bounds():
    assert rules.quarter_bounds(2022, 1) == (D(2022, 1, 1), D(2022, 3, 31))
    with pytest.raises(ValueError):
        rules.quarter_months(5)
