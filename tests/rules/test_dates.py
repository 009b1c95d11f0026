from datetime import date, datetime

import pytest

from keyprojects import dates


@pytest.mark.parametrize(
    "value, expected",
    [
        (date(2022, 3, 5), "2022年3月5日"),
        (date(2022, 12, 31), "2022年12月31日"),
        (date(2022, 10, 1), "2022年10月1日"),
        (datetime(2022, 5, 5, 9, 7), "2022年5月5日"),
        (None, "—"),
    ],
)
def test_cn_date(value, expected):
    assert dates.cn_date(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (date(2022, 3, 5), "2022年3月"),
        ((2022, 11), "2022年11月"),
        ((2023, 1), "2023年1月"),
        (None, "—"),
    ],
)
def test_cn_month(value, expected):
    assert dates.cn_month(value) == expected


@pytest.mark.parametrize(
    "value, seconds, expected",
    [
        (datetime(2022, 3, 5, 14, 5, 9), False, "2022年3月5日 14:05"),
        (datetime(2022, 3, 5, 14, 5, 9), True, "2022年3月5日 14:05:09"),
        (datetime(2022, 3, 5, 0, 0), False, "2022年3月5日 00:00"),
        (None, False, "—"),
    ],
)
def test_cn_datetime(value, seconds, expected):
    assert dates.cn_datetime(value, seconds=seconds) == expected


def test_empty_mark_can_be_chosen():
    assert dates.cn_date(None, empty="") == ""
