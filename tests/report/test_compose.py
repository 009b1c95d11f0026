"""Composing the report from a hand-made figures context (no database)."""

from decimal import Decimal

import pytest

from keyprojects.report.compose import Note, Wording, compose, numeral
from keyprojects.report.context import Context, Figure, Kind


@pytest.mark.parametrize(
    "n, text", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五")]
)
def test_numeral(n, text):
    assert numeral(n) == text


def _dept(short, listed):
    row = {
        "dept.name": ("县" + short + "局", Kind.TEXT),
        "dept.short_name": (short, Kind.TEXT),
        "dept.listed": (listed, Kind.COUNT),
        "dept.continuing": (1, Kind.COUNT),
        "dept.new": (1, Kind.COUNT),
        "dept.reserve": (0, Kind.COUNT),
        "dept.listed_investment": (Decimal("4595.55"), Kind.MONEY),
    }
    return {k: Figure(k, kind, v) for k, (v, kind) in row.items()}


def _ctx():
    ctx = Context(2022, 1, "全县")
    for name, value, kind in [
        ("period.year", "2022", Kind.TEXT),
        ("period.quarter", "一季度", Kind.TEXT),
        ("period.scope", "全县", Kind.TEXT),
        ("county.reserve", 15, Kind.COUNT),
        ("county.reserve_investment", Decimal("391300"), Kind.MONEY),
    ]:
        ctx.figures[name] = Figure(name, kind, value)
    # 城管 has no listed project: no paragraph, and the next department is still 二是.
    ctx.departments = [_dept("住建", 2), _dept("城管", 0), _dept("交通", 1)]
    return ctx


def test_department_paragraphs_are_numbered_over_those_written():
    composed = compose(_ctx(), {}, [Note(2, "另附说明。")], dated="2022年4月10日")
    paras = [b.text for b in composed.blocks if b.section == "department"]
    assert paras == [
        "一是住建方面，涉及重点项目2个，总投资4595.55万元，其中续建项目1个，计划新开工1个，储备项目0个。",
        "二是交通方面，涉及重点项目1个，总投资4595.55万元，其中续建项目1个，计划新开工1个，储备项目0个。",
    ]
    omitted = [b.text for b in composed.omissions()]
    assert "未写入“规资方面：用地要素”：本报告没有“规资”方面的段落（无项目）" in omitted
    text = composed.plain_text().split("\n")
    assert text[0] == "关于2022年一季度全县重点项目工作情况的报告"
    assert text[-2:] == ["县重点项目办公室", "2022年4月10日"]
    assert text[text.index("三、下一步工作打算") - 1] == "另附说明。"


def test_office_wording_replaces_the_default_and_figures_stay():
    wording = {
        "problem_reserve": Wording(
            "储备偏少", "储备{{ county.reserve }}个，共{{ county.reserve_investment }}。"
        )
    }
    composed = compose(_ctx(), wording)
    item = next(b for b in composed.blocks if b.section == "problem_reserve")
    assert item.text == "（一）储备偏少。储备15个，共39.13亿元。"
    assert [r.figure for r in item.runs if r.figure] == [
        "county.reserve",
        "county.reserve_investment",
    ]


def test_context_round_trips_through_json():
    ctx = _ctx()
    again = Context.from_json(ctx.as_json())
    assert compose(again, {}).plain_text() == compose(ctx, {}).plain_text()
