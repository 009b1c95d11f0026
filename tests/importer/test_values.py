"""Cell values as offices type them (pure parsers, tables of cases)."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from keyprojects.importer import values
from keyprojects.importer.values import CellError


@pytest.mark.parametrize(
    "raw, unit, expected",
    [
        (1234.5, "万元", Decimal("1234.50")),
        (12, "万元", Decimal("12.00")),
        ("1,234.56", "万元", Decimal("1234.56")),
        ("１２３４．５", "万元", Decimal("1234.50")),
        ("１，２００", "万元", Decimal("1200.00")),
        (" 3,000万元 ", "万元", Decimal("3000.00")),
        ("1.2亿元", "万元", Decimal("12000.00")),
        (1.25, "亿元", Decimal("12500.00")),
        ("0.5", "亿元", Decimal("5000.00")),
        ("—", "万元", None),
        ("-", "万元", None),
        ("", "万元", None),
        (None, "万元", None),
    ],
)
def test_decimal(raw, unit, expected):
    assert values.decimal(raw, unit=unit) == expected


@pytest.mark.parametrize("raw", ["abc", "12a", "1.2.3", True, float("nan"), "1e400"])
def test_decimal_rejects(raw):
    with pytest.raises(CellError):
        values.decimal(raw)


@pytest.mark.parametrize(
    "raw, expected",
    [
        (datetime(2022, 3, 15), date(2022, 3, 15)),
        (date(2022, 3, 1), date(2022, 3, 1)),
        ("2022.3", date(2022, 3, 1)),
        ("2022.10", date(2022, 10, 1)),
        (2022.3, date(2022, 3, 1)),
        ("2022-03", date(2022, 3, 1)),
        ("2022-03-15", date(2022, 3, 15)),
        ("2022/3/15", date(2022, 3, 15)),
        ("2022年3月", date(2022, 3, 1)),
        ("2022年3月15日", date(2022, 3, 15)),
        ("2022年3季度", date(2022, 7, 1)),
        ("2022年第三季度", date(2022, 7, 1)),
        ("２０２２年３月", date(2022, 3, 1)),
        (44621, date(2022, 3, 1)),
        ("", None),
        (None, None),
        ("—", None),
    ],
)
def test_parse_date(raw, expected):
    assert values.parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["明年", "2022-13", "2022年2月30日", "3月", True])
def test_parse_date_rejects(raw):
    with pytest.raises(CellError):
        values.parse_date(raw)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("38.0%", (Decimal("38.0"), None)),
        ("３８％", (Decimal("38"), None)),
        (0.38, (Decimal("0.38"), Decimal("38.00"))),
        (38, (Decimal("38"), Decimal("3800"))),
        ("—", None),
    ],
)
def test_percent(raw, expected):
    assert values.percent(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("总投资\n（万元）", "总投资"),
        ("年度计划 投资(亿元)", "年度计划投资"),
        ("项目\u3000名称", "项目名称"),
        ("完成率（%）", "完成率"),
    ],
)
def test_header_key(raw, expected):
    assert values.header_key(raw) == expected


@pytest.mark.parametrize(
    "raw, unit, expected",
    [
        ("0.005", "万元", "0.01"),  # half up, as every figure (units.round_half_up)
        ("0.025", "万元", "0.03"),  # half-to-even would give 0.02
        (2.675, "万元", "2.68"),
        ("0.0000125", "亿元", "0.13"),  # 0.125 万元
        ("-0.005", "万元", "-0.01"),
    ],
)
def test_money_rounds_half_up(raw, unit, expected):
    assert values.decimal(raw, unit=unit) == Decimal(expected)
