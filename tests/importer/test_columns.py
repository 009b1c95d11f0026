"""Header recognition: synonyms, stacked header parts and dispatch month headers."""

import pytest

from keyprojects.importer.columns import match_header, synonym_table

LEDGER = synonym_table("ledger")
DISPATCH = synonym_table("dispatch")


@pytest.mark.parametrize(
    "parts, key",
    [
        (["项目名称"], "name"),
        (["名称"], "name"),
        (["项目\n名称"], "name"),
        (["投资情况（万元）", "总投资"], "total_investment_wan"),
        (["年度计划\n投资（亿元）"], "annual_plan_wan"),
        (["2022年计划投资"], "annual_plan_wan"),
        (["建设时间", "计划开工"], "planned_start"),
        (["1-3月累计完成"], "ytd_wan"),
        (["牵头单位"], "department"),
        (["责任单位"], "responsible_units"),
        (["用地面积"], None),
    ],
)
def test_ledger_headers(parts, key):
    assert match_header(parts, "ledger", LEDGER, None) == key


@pytest.mark.parametrize(
    "parts, key",
    [
        (["1-3月完成投资"], "ytd"),
        (["1—3月累计完成投资（万元）"], "ytd"),
        (["1至3月完成"], "ytd"),
        (["1-3月完成投资", "合计"], "ytd"),
        (["1-3月完成投资", "其中：1-2月"], "prior"),
        (["1-3月完成投资", "其中：3月"], "month_amount"),
        (["1-3月完成投资", "3月"], "month_amount"),
        (["当月完成"], "month_amount"),
        (["年度完成率（%）"], "rate"),
        (["存在问题"], "problems"),
        (["责任单位"], "department"),
        (["4月完成"], None),  # another month than the import month
    ],
)
def test_dispatch_headers(parts, key):
    assert match_header(parts, "dispatch", DISPATCH, 3) == key


def test_office_synonyms_extend_and_win():
    table = synonym_table("ledger", [("工程名", "name"), ("名称", "owner_unit")])
    assert match_header(["工程名"], "ledger", table, None) == "name"
    assert match_header(["名称"], "ledger", table, None) == "owner_unit"


@pytest.mark.django_db
def test_synonym_must_name_a_column_of_its_kind():
    from django.core.exceptions import ValidationError

    from keyprojects.importer.models import HeaderSynonym

    HeaderSynonym(kind="dispatch", field="ytd", text="累计投资").full_clean()
    with pytest.raises(ValidationError) as exc:
        HeaderSynonym(kind="ledger", field="ytd", text="累计投资").full_clean()
    assert exc.value.message_dict == {"field": ["对应栏目不存在"]}
