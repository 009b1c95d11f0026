"""Month arithmetic (keyprojects.months): one table per function."""

from datetime import date

import pytest

from keyprojects import months


@pytest.mark.parametrize(
    "year, month, expected",
    [
        (2022, 1, date(2022, 1, 31)),
        (2022, 2, date(2022, 2, 28)),
        (2024, 2, date(2024, 2, 29)),
        (2022, 4, date(2022, 4, 30)),
        (2022, 12, date(2022, 12, 31)),
    ],
)
def test_month_end(year, month, expected):
    assert months.month_end(year, month) == expected


@pytest.mark.parametrize(
    "quarter, expected",
    [
        (1, date(2022, 3, 31)),
        (2, date(2022, 6, 30)),
        (3, date(2022, 9, 30)),
        (4, date(2022, 12, 31)),
    ],
)
def test_quarter_end(quarter, expected):
    assert months.quarter_end(2022, quarter) == expected


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_quarter_end_refuses(quarter):
    with pytest.raises(ValueError, match="季度应为1至4"):
        months.quarter_end(2022, quarter)


@pytest.mark.parametrize(
    "month, quarter",
    [(1, 1), (3, 1), (4, 2), (6, 2), (7, 3), (9, 3), (10, 4), (12, 4)],
)
def test_quarter_of(month, quarter):
    assert months.quarter_of(month) == quarter


@pytest.mark.parametrize("month", [0, 13])
def test_quarter_of_refuses(month):
    with pytest.raises(ValueError, match="月份应为1至12"):
        months.quarter_of(month)


@pytest.mark.parametrize(
    "year, month, n, expected",
    [
        (2022, 3, 0, (2022, 3)),
        (2022, 12, 1, (2023, 1)),
        (2022, 1, -1, (2021, 12)),
        (2022, 3, -15, (2020, 12)),
        (2022, 11, 14, (2024, 1)),
    ],
)
def test_add_months(year, month, n, expected):
    assert months.add_months(year, month, n) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2022-03", (2022, 3)),
        ("2022-3", (2022, 3)),
        (" 2022-12 ", (2022, 12)),
        ("2022年3月", (2022, 3)),
        ("2022年12月", (2022, 12)),
        ("2022年3", (2022, 3)),
        ("202203", (2022, 3)),
        ("202212", (2022, 12)),
    ],
)
def test_parse_month(text, expected):
    assert months.parse_month(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("2022-13", "月份“2022-13”超出范围：年份应为2000至2100，月份应为1至12"),
        ("2022-00", "月份“2022-00”超出范围：年份应为2000至2100，月份应为1至12"),
        ("1999-05", "月份“1999-05”超出范围：年份应为2000至2100，月份应为1至12"),
        ("2022年13月", "月份“2022年13月”超出范围：年份应为2000至2100，月份应为1至12"),
        ("202213", "月份“202213”超出范围：年份应为2000至2100，月份应为1至12"),
        ("2022/03", "月份“2022/03”格式不正确，应为“2022-03”这样的年-月"),
        ("三月", "月份“三月”格式不正确，应为“2022-03”这样的年-月"),
        ("20223", "月份“20223”格式不正确，应为“2022-03”这样的年-月"),
        ("", "月份“”格式不正确，应为“2022-03”这样的年-月"),
    ],
)
def test_parse_month_refuses(text, message):
    with pytest.raises(ValueError) as exc:
        months.parse_month(text)
    assert str(exc.value) == message


@pytest.mark.parametrize(
    "year, month, today, future",
    [
        (2022, 3, date(2022, 3, 1), False),  # the current month may be reported
        (2022, 4, date(2022, 3, 31), True),
        (2023, 1, date(2022, 12, 31), True),
        (2021, 12, date(2022, 1, 1), False),
    ],
)
def test_is_future_month(year, month, today, future):
    assert months.is_future_month(year, month, today) is future


@pytest.mark.parametrize(
    "year, month, day, expected",
    [
        (2022, 3, 5, date(2022, 4, 5)),
        (2022, 12, 5, date(2023, 1, 5)),
        (2022, 1, 31, date(2022, 2, 28)),  # a short next month: its last day
        (2024, 1, 30, date(2024, 2, 29)),
        (2022, 3, 31, date(2022, 4, 30)),
    ],
)
def test_report_deadline(year, month, day, expected):
    assert months.report_deadline(year, month, day) == expected


def test_month_index_subtracts_to_months_between():
    assert months.month_index(date(2023, 2, 1)) - months.month_index(date(2022, 11, 30)) == 3
