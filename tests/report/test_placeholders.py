"""Placeholders in the office's wording: which names a section may quote (pure)."""

import pytest

from keyprojects.report import placeholders, sections
from keyprojects.report.placeholders import TemplateRejected

COUNTY = sections.BY_KEY["county"]
DEPT = sections.BY_KEY["department"]
LAND = sections.BY_KEY["land"]


@pytest.mark.parametrize(
    "name, section, known",
    [
        ("county.started", COUNTY, True),
        ("county.start_rate", COUNTY, True),
        ("county.startd", COUNTY, False),
        ("period.quarter", COUNTY, True),
        ("dept.listed", DEPT, True),
        ("dept.listed", COUNTY, False),  # dept.* only where a department is bound
        ("dept.listed", LAND, True),
        ("land.new_construction_land_ha", COUNTY, True),
        ("land.new_construction_land_acres", COUNTY, False),
        ("housing.event.subsidy_wan", COUNTY, True),
        ("fiscal.规资.target_wan", COUNTY, True),
        ("fiscal.规资.target", COUNTY, False),
        ("departments.住建.total_investment", COUNTY, True),
        ("problems.by_level.红色", COUNTY, True),
        ("weather.today", COUNTY, False),
    ],
)
def test_is_known(name, section, known):
    assert sections.is_known(name, section=section) is known


def test_extra_block_field_known_once_reported():
    assert not sections.is_known("land.new_field_ha", section=COUNTY)
    assert sections.is_known("land.new_field_ha", section=COUNTY, present={"land.new_field_ha"})


def test_check_names_the_unknown_figure():
    with pytest.raises(TemplateRejected) as exc:
        placeholders.check(
            "已开工{{ county.started }}个，{{ county.startd }}个", lambda n: n == "county.started"
        )
    assert str(exc.value) == "引用了不存在的数字 “{{ county.startd }}”，请从可用数字列表中选择"


@pytest.mark.parametrize(
    "text, message",
    [
        ("已开工{{ county.started }个", "占位符格式有误（“{{”附近），应写作 {{ 数字名称 }}"),
        ("已开工**个", "不能用“*”代替数字，请插入对应的数字占位符"),
        ("[[比如{{ county.behind_names }}等项目。", "可选句应写作 [[ … ]]，括号未成对"),
    ],
)
def test_check_refuses_malformed_text(text, message):
    with pytest.raises(TemplateRejected) as exc:
        placeholders.check(text, lambda n: True)
    assert str(exc.value) == message


def test_every_default_wording_is_valid():
    for s in sections.SECTIONS:
        placeholders.check(s.body, lambda n, s=s: sections.is_known(n, section=s))


def test_clauses_split_optional_sentences():
    text = "已开工{{ county.started }}个。[[比如{{ county.behind_names }}等。]]完。"
    assert list(placeholders.clauses(text)) == [
        ("已开工{{ county.started }}个。", False),
        ("比如{{ county.behind_names }}等。", True),
        ("完。", False),
    ]
