"""Telling project rows from the rows around them (pure, table of cases)."""

import pytest

from keyprojects.importer.layout import Table, classify, section_label

TABLE = Table(
    sheet="s",
    header_top=0,
    header_bottom=0,
    data_start=1,
    columns={"serial": 0, "name": 1, "total_investment_wan": 2},
    labels={},
    units={},
)


@pytest.mark.parametrize(
    "row, kind",
    [
        ([1, "凤凰大道", 100], "data"),
        ([None, None, None], "blank"),
        ([7, None, None], "blank"),  # a pre-numbered empty template row
        (["一、交通基础设施（15个）", None, None], "section"),
        ([None, "（二）城市建设类", 300], "section"),
        ([None, "交通类（3个）", None], "section"),
        (["小计", None, 300], "total"),
        ([None, "合 计", 300], "total"),
        ([None, "其中：续建项目5个", 100], "total"),
        (["注：本表金额单位为万元", None, None], "footer"),
        (["单位负责人：", "填报人：张三", None], "footer"),
        ([3, None, 100], "noname"),
    ],
)
def test_classify(row, kind):
    assert classify(row, TABLE, [0, 1, 2])[0] == kind


@pytest.mark.parametrize(
    "text, label",
    [
        ("一、县交通运输委员会（15个）", "县交通运输委员会"),
        ("（三）住建（2个）", "住建"),
        ("二、城管局：", "城管局"),
    ],
)
def test_section_label(text, label):
    assert section_label(text) == label
