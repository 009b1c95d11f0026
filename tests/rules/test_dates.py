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


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026年11月30日", date(2026, 11, 30)),
        ("2026年1月5日", date(2026, 1, 5)),
        ("2026年01月05日", date(2026, 1, 5)),
        ("2026年11月30号", date(2026, 11, 30)),
        ("2026年11月30", date(2026, 11, 30)),
        ("2026-11-30", date(2026, 11, 30)),
        ("2026-1-5", date(2026, 1, 5)),
        ("2026/11/30", date(2026, 11, 30)),
        ("2026.11.30", date(2026, 11, 30)),
        ("20261130", date(2026, 11, 30)),
        (" 2026 年 11 月 30 日 ", date(2026, 11, 30)),
        ("２０２６年１１月３０日", date(2026, 11, 30)),  # full-width digits
        ("2026－11－30", date(2026, 11, 30)),  # full-width hyphens (NFKC makes them -)
        ("2024年2月29日", date(2024, 2, 29)),
    ],
)
def test_parse_date_accepts_what_people_type(text, expected):
    assert dates.parse_date(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("2026年2月30日", "没有2026年2月30日这一天"),
        ("2026-13-01", "没有2026年13月1日这一天"),
        ("20260230", "没有2026年2月30日这一天"),
        ("11/30/2026", f"日期“11/30/2026”无法识别，{dates.DATE_FORMS_HINT}"),
        ("明天", f"日期“明天”无法识别，{dates.DATE_FORMS_HINT}"),
        ("2026年11月", f"日期“2026年11月”无法识别，{dates.DATE_FORMS_HINT}"),
        ("2026-11-30 12:00", f"日期“2026-11-30 12:00”无法识别，{dates.DATE_FORMS_HINT}"),
    ],
)
def test_parse_date_names_the_forms_it_wants(text, message):
    with pytest.raises(ValueError) as exc:
        dates.parse_date(text)
    assert str(exc.value) == message
