"""Monthly dispatch tables in: matching, year-to-date equals the file, office vs reporter."""

from decimal import Decimal

import pytest

from keyprojects import stats
from keyprojects.dispatch import adapters as dispatch_adapters
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.dispatch.models import MonthlyReport
from keyprojects.importer import services
from keyprojects.importer.base import ImportRejected
from keyprojects.ledger.models import Project
from tests import factories
from tests.importer.builders import messy_dispatch


def run(data, user, month=3, **kw):
    return services.run_file(
        "dispatch", data, "调度表.xlsx", user=user, year=2022, month=month, **kw
    )


def rejected(data, user, month=3):
    with pytest.raises(ImportRejected) as exc:
        run(data, user, month)
    return exc.value.preview


@pytest.fixture
def road(dept):
    return factories.started_project(dept, name="凤凰大道延伸段", annual_plan_wan=Decimal(400))


@pytest.fixture
def bridge(other_dept):
    return factories.started_project(other_dept, name="乌江二桥", annual_plan_wan=Decimal(1000))


@pytest.mark.django_db
def test_march_after_january_and_february(office, road, bridge, dept, other_dept):
    factories.report(road, 1, 50)
    factories.report(road, 2, 30)
    factories.report(bridge, 1, 100)
    data = messy_dispatch(
        [
            {
                "name": road.name,
                "dept": dept.short_name,
                "plan": 400,
                "ytd": "120",
                "prior": 80,
                "month": 40,
                "rate": 0.3,
                "progress": "路基完成60%",
                "problems": "征地未完成",
            },
            {
                "name": bridge.name,
                "dept": other_dept.name,
                "plan": 1000,
                "ytd": 250.5,
                "prior": 100,
                "month": 150.5,
                "rate": "25.1%",
                "progress": "主墩施工",
            },
        ]
    )
    preview = run(data, office)
    assert [c["amount"] for c in preview.creates] == ["40.00", "150.50"]
    assert preview.warnings == []
    ytd = stats.ytd_by_project([road.pk, bridge.pk], 2022, 3)
    assert ytd == {road.pk: Decimal("120.00"), bridge.pk: Decimal("250.50")}
    march = MonthlyReport.objects.get(project=road, month=3)
    assert (march.status, march.progress_text, march.problems, march.reviewed_by) == (
        ReportStatus.APPROVED,
        "路基完成60%",
        "征地未完成",
        office,
    )
    # Through the services' transitions: saved, submitted, approved, each naming the import.
    assert [h.history_change_reason for h in march.history.order_by("history_id")] == [
        "Excel导入（命令行）",
        "报送（Excel导入（命令行））",
        "审核通过（Excel导入（命令行））",
    ]
    # Re-importing the same file changes nothing.
    again = run(data, office)
    assert (len(again.creates), len(again.updates), again.unchanged) == (0, 0, 2)


@pytest.mark.django_db
def test_month_column_disagreeing_is_an_error_and_nothing_is_written(
    office, road, bridge, dept, other_dept
):
    factories.report(road, 1, 50)
    factories.report(road, 2, 30)
    data = messy_dispatch(
        [
            {"name": bridge.name, "dept": other_dept.name, "ytd": 90, "prior": 0, "month": 90},
            {"name": road.name, "dept": dept.name, "ytd": 120, "prior": 70, "month": 50},
        ]
    )
    preview = rejected(data, office)
    assert len(preview.errors) == 1
    assert "3月填写为50.00万元" in preview.errors[0].message
    assert "应为40.00万元" in preview.errors[0].message
    assert MonthlyReport.objects.filter(month=3).count() == 0


@pytest.mark.django_db
def test_rate_is_checked_not_trusted(office, road, dept):
    data = messy_dispatch(
        [{"name": road.name, "dept": dept.name, "ytd": 100, "rate": "50%"}], split=False
    )
    preview = run(data, office)
    assert "以投资数字为准" in preview.warnings[0].message
    assert stats.ytd_by_project([road.pk], 2022, 3) == {road.pk: Decimal("100.00")}


@pytest.mark.django_db
def test_unmatched_and_ambiguous_rows_are_errors(office, road, dept, other_dept):
    factories.started_project(dept, name="同名项目")
    factories.started_project(other_dept, name="同名项目")
    data = messy_dispatch(
        [
            {"name": "不存在的项目", "dept": dept.name, "ytd": 1},
            {"name": "同名项目", "dept": "", "dept_cell": None, "ytd": 1},
            {"name": "同名项目", "dept": other_dept.name, "ytd": 2},
        ],
        split=False,
    )
    preview = rejected(data, office)
    messages = [e.message for e in preview.errors]
    assert any("未在2022年的项目中找到“不存在的项目”" in m for m in messages)
    assert any("有2个同名项目" in m for m in messages)
    assert len(messages) == 2  # the third row is matched through its department


@pytest.mark.django_db
def test_reporter_import_is_submitted_and_own_department_only(
    reporter, road, bridge, dept, other_dept
):
    mine = messy_dispatch([{"name": road.name, "dept": dept.name, "ytd": 10}], split=False)
    run(mine, reporter)
    report = MonthlyReport.objects.get(project=road, month=3)
    assert (report.status, report.submitted_by) == (ReportStatus.SUBMITTED, reporter)
    assert stats.ytd_by_project([road.pk], 2022, 3) == {}  # not approved yet
    theirs = messy_dispatch(
        [{"name": bridge.name, "dept": other_dept.name, "ytd": 10}], split=False
    )
    preview = rejected(theirs, reporter)
    # Told exactly what a name that exists nowhere gets: no other unit's project is confirmed.
    assert (
        preview.errors[0].message
        == f"未在您单位2022年的项目中找到“{bridge.name}”（{other_dept.name}）"
    )


@pytest.mark.django_db
def test_office_import_refuses_when_earlier_month_unapproved(office, road, dept):
    factories.report(road, 2, 30, status=ReportStatus.SUBMITTED)
    preview = rejected(
        messy_dispatch([{"name": road.name, "dept": dept.name, "ytd": 50}], split=False), office
    )
    assert "2月的报告尚未审核" in preview.errors[0].message


@pytest.mark.django_db
def test_ytd_below_earlier_months_is_an_error(office, road, dept):
    factories.report(road, 1, 80)
    preview = rejected(
        messy_dispatch([{"name": road.name, "dept": dept.name, "ytd": 50}], split=False), office
    )
    assert "小于系统已有的1-2月合计80.00万元" in preview.errors[0].message


@pytest.mark.django_db
def test_reserve_and_dash_rows_carry_no_figures(office, road, dept):
    reserve = factories.project(
        dept, name="储备项目甲", category="reserve", annual_plan_wan=Decimal(0)
    )
    data = messy_dispatch(
        [
            {"name": reserve.name, "dept": dept.name, "ytd": "—"},
            {"name": road.name, "dept": dept.name, "ytd": "—"},
        ],
        split=False,
    )
    preview = run(data, office)
    assert {s["reason"] for s in preview.skipped} >= {"储备项目", "无投资数据"}
    assert MonthlyReport.objects.count() == 0


@pytest.mark.django_db
def test_yi_unit_and_header_month_check(office, road, dept):
    run(
        messy_dispatch(
            [{"name": road.name, "dept": dept.name, "ytd": 0.012}], unit="亿元", split=False
        ),
        office,
    )
    assert stats.ytd_by_project([road.pk], 2022, 3) == {road.pk: Decimal("120.00")}
    preview = rejected(
        messy_dispatch([{"name": road.name, "dept": dept.name, "ytd": 1}], month=4, split=False),
        office,
        month=3,
    )
    assert "表头是1-4月" in preview.errors[0].message


@pytest.mark.django_db
def test_export_then_import_round_trip_is_unchanged(office, road, bridge):
    factories.report(road, 1, 50)
    factories.report(road, 2, 30)
    factories.report(road, 3, 20, progress_text="=主体完工", problems="+资金缺口")
    factories.report(bridge, 1, "99.99")
    history = MonthlyReport.history.count()
    data = dispatch_adapters.export_dispatch(Project.objects.live(), year=2022, month=3)
    preview = run(data, office)
    assert (len(preview.creates), len(preview.updates), preview.errors) == (0, 0, [])
    assert preview.unknown_columns == []
    assert MonthlyReport.history.count() == history
    assert MonthlyReport.objects.count() == 4


@pytest.mark.django_db
def test_code_column_matches_first(office, road, dept):
    road2 = factories.started_project(dept, name="凤凰大道延伸段")
    data = messy_dispatch(
        [{"name": road.name, "code": road2.code, "dept": dept.name, "ytd": 7}],
        with_code=True,
        split=False,
    )
    run(data, office)
    assert MonthlyReport.objects.get().project == road2


@pytest.mark.django_db
def test_three_row_header_with_nested_groups(office, road, dept):
    import openpyxl

    from tests.importer.builders import save

    factories.report(road, 1, 50)
    factories.report(road, 2, 30)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2022年重点项目调度表"])
    ws.append(["单位：万元"])
    ws.append(["序号", "项目\n名称", "投资完成情况", None, None, None, "形象进度"])
    ws.append([None, None, "年度计划", "1—3月累计完成投资", None, None, None])
    ws.append([None, None, None, "合计", "其中：1-2月", "其中：3月", None])
    for col in ("A", "B", "G"):
        ws.merge_cells(f"{col}3:{col}5")
    ws.merge_cells("C3:F3")
    ws.merge_cells("C4:C5")
    ws.merge_cells("D4:F4")
    ws.append([1, road.name, 400, "１２０", None, None, "完工"])
    ws.append([None, "合计", 400, 120])
    preview = run(save(wb), office)
    assert preview.unknown_columns == []
    assert [s["reason"] for s in preview.skipped] == ["合计/小计行"]
    assert stats.ytd_by_project([road.pk], 2022, 3) == {road.pk: Decimal("120.00")}
    assert MonthlyReport.objects.get(project=road, month=3).progress_text == "完工"


@pytest.mark.parametrize("month", [1, 2, 12])
@pytest.mark.django_db
def test_round_trip_in_any_month(month, office, road):
    for m in range(1, month + 1):
        factories.report(road, m, m * 10)
    data = dispatch_adapters.export_dispatch(Project.objects.live(), year=2022, month=month)
    preview = run(data, office, month=month)
    assert (preview.creates, preview.updates, preview.errors, preview.unknown_columns) == (
        [],
        [],
        [],
        [],
    )
    assert preview.unchanged == 1
