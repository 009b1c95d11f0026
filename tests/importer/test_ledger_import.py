"""Ledger sheets in: messy layouts, the edit form's rules, all or nothing, round trip."""

from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from keyprojects.importer import services
from keyprojects.importer.base import ImportRejected
from keyprojects.importer.models import HeaderSynonym
from keyprojects.ledger import adapters as ledger_adapters
from keyprojects.ledger.models import Project
from tests import factories
from tests.importer.builders import messy_ledger, save


def run(data, user, **kw):
    kw.setdefault("year", 2022)
    return services.run_file("ledger", data, "台账.xlsx", user=user, **kw)


def rejected(data, user, **kw):
    with pytest.raises(ImportRejected) as exc:
        run(data, user, **kw)
    return exc.value.preview


def rows(dept, other_dept=None):
    out = [
        {"name": "凤凰大道延伸段", "dept": dept.name, "total": 5000, "plan": 1200},
        {"name": "城南污水处理厂", "dept": dept.name, "total": "1,200.5", "plan": "３００"},
    ]
    if other_dept:
        out.append({"name": "S526改建工程", "dept": other_dept.name, "start": "2022年3季度"})
    return out


@pytest.mark.django_db
def test_messy_layout_creates_projects_with_codes(office, dept, other_dept):
    preview = run(messy_ledger(rows(dept, other_dept), code=False), office)
    assert [c["name"] for c in preview.creates] == [
        "凤凰大道延伸段",
        "城南污水处理厂",
        "S526改建工程",
    ]
    p = Project.objects.get(name="城南污水处理厂")
    assert (p.total_investment_wan, p.annual_plan_wan, p.department) == (
        Decimal("1200.50"),
        Decimal("300.00"),
        dept,
    )
    assert Project.objects.get(name="S526改建工程").planned_start == date(2022, 7, 1)
    assert sorted(Project.objects.values_list("code", flat=True)) == [
        "ZD2022-001",
        "ZD2022-002",
        "ZD2022-003",
    ]
    reasons = {s["reason"] for s in preview.skipped}
    assert {"分组行", "合计/小计行", "表尾说明或签字"} <= reasons


@pytest.mark.django_db
def test_reimport_changes_nothing(office, dept, other_dept):
    data = messy_ledger(rows(dept, other_dept), code=False)
    run(data, office)
    history = Project.history.count()
    versions = list(Project.objects.order_by("pk").values_list("version", flat=True))
    again = run(data, office)
    assert (len(again.creates), len(again.updates), again.unchanged) == (0, 0, 3)
    assert Project.history.count() == history
    assert list(Project.objects.order_by("pk").values_list("version", flat=True)) == versions


@pytest.mark.django_db
def test_update_lists_changes_bumps_version_and_writes_one_change_set(office, dept):
    project = factories.project(
        dept,
        name="凤凰大道延伸段",
        total_investment_wan=Decimal(5000),
        annual_plan_wan=Decimal(1000),
    )
    data = messy_ledger(
        [
            {
                "name": "凤凰大道延伸段",
                "dept": dept.name,
                "code": project.code,
                "total": 5000,
                "plan": 1200,
                "start": date(2022, 1, 1),
            }
        ]
    )
    preview = run(data, office, reason="Excel导入 #7")
    assert preview.updates[0]["changes"] == [["年度计划投资（万元）", "1000.00", "1200.00"]]
    project.refresh_from_db()
    assert (project.annual_plan_wan, project.version) == (Decimal("1200.00"), 2)
    last = project.history.first()
    assert (last.history_user, last.history_change_reason) == (office, "Excel导入 #7")


@pytest.mark.django_db
def test_yi_unit_line_converts_to_wan(office, dept):
    run(
        messy_ledger(
            [{"name": "亿元项目", "dept": dept.name, "total": 1.5, "plan": "0.3"}], unit="亿元"
        ),
        office,
    )
    p = Project.objects.get(name="亿元项目")
    assert (p.total_investment_wan, p.annual_plan_wan) == (Decimal("15000.00"), Decimal("3000.00"))


@pytest.mark.django_db
def test_hidden_rows_and_columns_are_skipped_and_listed(office, dept):
    data = messy_ledger(rows(dept), hidden_row="城南污水处理厂", hidden_col_text="不要导入")
    preview = run(data, office)
    assert [c["name"] for c in preview.creates] == ["凤凰大道延伸段"]
    assert any("第" in h and "行" in h for h in preview.hidden)
    assert any(h.endswith("L列") for h in preview.hidden)
    assert not Project.objects.filter(name="城南污水处理厂").exists()


@pytest.mark.django_db
def test_one_bad_row_writes_nothing_and_every_error_is_located(office, dept):
    bad = rows(dept) + [
        {"name": "错误项目一", "dept": dept.name, "total": 100, "plan": 500},
        {"name": "错误项目二", "dept": "不存在的局", "total": "abc"},
        {"name": "错误项目三", "dept": dept.name, "category": "重点"},
    ]
    preview = rejected(messy_ledger(bad, code=False), office)
    assert Project.objects.count() == 0
    text = [str(e) for e in preview.errors]
    assert text == [
        "2022年重点项目 第10行 G列（投资情况/年度计划投资）："
        "年度计划投资不能超过剩余投资 100.00 万元（总投资减以前年度累计完成）",
        "2022年重点项目 第11行 D列（项目类别）：“重点”不是可选的值（可选：续建、新开工、储备）",
        "2022年重点项目 第14行 C列（牵头单位）：单位“不存在的局”未识别，请在预览页选择对应的单位",
        "2022年重点项目 第14行 F列（投资情况/总投资）：“abc”不是数字",
    ]


@pytest.mark.django_db
def test_reporter_limited_to_own_department(reporter, dept, other_dept):
    preview = rejected(messy_ledger(rows(dept, other_dept), code=False), reporter)
    assert len(preview.errors) == 1
    assert "第" in str(preview.errors[0]) and "牵头单位" in str(preview.errors[0])
    assert Project.objects.count() == 0
    run(messy_ledger(rows(dept), code=False), reporter)
    assert Project.objects.filter(department=dept).count() == 2


@pytest.mark.django_db
def test_reporter_cannot_update_other_departments_project_by_code(reporter, other_project, dept):
    data = messy_ledger([{"name": "改名", "dept": dept.name, "code": other_project.code}])
    preview = rejected(data, reporter)
    # The same words as for a code that exists nowhere: other units' codes are not confirmed.
    assert preview.errors[0].message == (
        f"本单位没有项目编号为“{other_project.code}”的项目；新项目请将项目编号留空，由系统编号"
    )


@pytest.mark.django_db
def test_duplicate_code_in_file_is_an_error(office, dept):
    data = messy_ledger(
        [
            {"name": "甲", "dept": dept.name, "code": "X1"},
            {"name": "乙", "dept": dept.name, "code": "X1"},
        ]
    )
    preview = rejected(data, office)
    assert "与第8行重复" in str(preview.errors[0])


@pytest.mark.django_db
def test_dry_run_writes_nothing(office, dept):
    preview = run(messy_ledger(rows(dept)), office, dry_run=True)
    assert len(preview.creates) == 2 and Project.objects.count() == 0


@pytest.mark.django_db
def test_office_synonym_recognises_header(office, dept):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["工程名", "主办科室", "类别", "领域", "总投资", "年度计划", "其他栏"])
    ws.append(["同义词项目", dept.name, "新开工", "基础设施", 100, 50, "x"])
    data = save(wb)
    preview = rejected(data, office)
    assert "未找到台账表头" in str(preview.errors[0])
    HeaderSynonym.objects.create(kind="ledger", field="name", text="工程名")
    HeaderSynonym.objects.create(kind="ledger", field="department", text="主办科室")
    preview = run(data, office)
    assert preview.creates[0]["name"] == "同义词项目"
    assert preview.unknown_columns == ["Sheet G列（其他栏）"]


@pytest.mark.django_db
def test_responsible_unit_header_names_department_when_no_lead_column(office, dept):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目", "责任单位", "项目类别", "行业领域", "总投资", "年度计划投资"])
    ws.append(["责任单位项目", dept.short_name, "续建", "产业发展", "2,000", "800"])
    run(save(wb), office)
    assert Project.objects.get(name="责任单位项目").department == dept


@pytest.mark.django_db
def test_section_row_gives_department_when_no_column(office, dept, other_dept):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        ["序号", "项目名称", "项目类别", "行业领域", "总投资（亿元）", "年度计划投资（万元）"]
    )
    ws.append(["一、县交通运输委员会（1个）"])
    ws.append([1, "分组项目", "新开工", "基础设施", 0.2, 500])
    run(save(wb), office)
    p = Project.objects.get(name="分组项目")
    assert (p.department, p.total_investment_wan) == (other_dept, Decimal("2000.00"))


@pytest.mark.django_db
def test_export_then_import_round_trip_is_unchanged(office, dept, other_dept):
    a = factories.started_project(
        dept,
        name="=cmd|' /C calc'!A0",
        notes="+危险",
        content="@SUM(1)",
        approval_code="2022-500000-48-01-000001",
        planned_end=date(2024, 6, 30),
        funding_route="special_bond",
    )
    factories.project(other_dept, name="-负号开头", category="reserve", annual_plan_wan=Decimal(0))
    factories.report(a, 1, "12.34")
    before = {p.pk: (p.version, p.updated_at) for p in Project.objects.all()}
    data = ledger_adapters.export_ledger(Project.objects.live(), year=2022, as_of=date(2022, 3, 31))
    preview = run(data, office, year=None)
    assert (len(preview.creates), len(preview.updates), preview.unchanged) == (0, 0, 2)
    assert preview.unknown_columns == []
    assert {p.pk: (p.version, p.updated_at) for p in Project.objects.all()} == before


@pytest.mark.django_db
def test_export_layout(office, dept, other_dept):
    factories.project(dept, name="=1+1")
    factories.project(other_dept)
    data = ledger_adapters.export_ledger(Project.objects.live(), year=2022, as_of=date(2022, 3, 31))
    from io import BytesIO

    ws = openpyxl.load_workbook(BytesIO(data)).active
    assert ws["A1"].value == "2022年重点项目台账"
    assert ws.freeze_panes == "E5"
    assert ws.print_title_rows == "$3:$4"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 8
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    heads = {c.value: c.column_letter for c in ws[4] if c.value}
    first, last = heads["总投资"], heads["1-3月累计完成"]
    assert f"{first}3:{last}3" in {str(r) for r in ws.merged_cells.ranges}
    assert ws[f"{first}3"].value == "投资情况（万元）"
    assert "A3:A4" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A5"].value.startswith("一、") and ws["A5"].value.endswith("（1个）")
    names = [ws.cell(r, 4).value for r in range(5, ws.max_row + 1)]
    assert "=1+1" in names
    formula_cell = ws.cell(5 + names.index("=1+1"), 4)
    assert formula_cell.data_type == "s"
    assert ws.cell(ws.max_row, 1).value == "合计（2个项目）"
    assert ws[f"{first}6"].number_format == "#,##0.00"
    assert ws[f"{first}6"].value == 1000


@pytest.mark.django_db
def test_columns_the_file_lacks_keep_their_values(office, dept):
    plan = ["100.00"] * 12
    project = factories.project(
        dept,
        name="分月计划项目",
        annual_plan_wan=Decimal(1200),
        total_investment_wan=Decimal(5000),
        monthly_plan=plan,
        owner_unit="县城投公司",
    )
    data = messy_ledger(
        [
            {
                "name": "分月计划项目",
                "dept": dept.name,
                "code": project.code,
                "total": 6000,
                "plan": 1200,
                "start": date(2022, 1, 1),
            }
        ]
    )
    preview = run(data, office)
    assert preview.updates[0]["changes"] == [["总投资（万元）", "5000.00", "6000.00"]]
    project.refresh_from_db()
    assert (project.monthly_plan, project.owner_unit) == (plan, "县城投公司")


@pytest.mark.django_db
def test_year_from_title_when_not_given(office, dept):
    data = messy_ledger([{"name": "标题年份项目", "dept": dept.name}])
    run(data, office, year=None)
    assert Project.objects.get().year == 2022
    preview = run(data, office, year=2023, dry_run=True)
    assert "标题是2022年，按指定的2023年导入" in preview.warnings[0].message


@pytest.mark.django_db
def test_blank_department_cell_falls_back(reporter, office, dept):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目名称", "牵头单位", "项目类别", "行业领域", "总投资", "年度计划投资"])
    ws.append(["一、交通基础设施（1个）"])
    ws.append(["空单位项目", None, "新开工", "基础设施", 100, 50])
    run(save(wb), reporter)  # the reporter's own unit; the sector section names no unit
    assert Project.objects.get().department == dept
    ws["A3"] = "另一个空单位项目"
    preview = rejected(save(wb), office)
    assert [(e.row, e.column, e.message) for e in preview.errors] == [
        (3, "B列（牵头单位）", "这个字段是必填项。")
    ]


@pytest.mark.django_db
def test_hidden_sheets_are_not_read_and_other_sheets_are_listed(office, dept):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目名称", "牵头单位", "项目类别", "行业领域", "总投资", "年度计划投资"])
    ws.append(["可见项目", dept.name, "新开工", "基础设施", 100, 50])
    hidden = wb.create_sheet("隐藏表")
    hidden.append(["项目名称", "牵头单位", "项目类别", "行业领域", "总投资", "年度计划投资"])
    hidden.append(["隐藏表项目", dept.name, "新开工", "基础设施", 100, 50])
    hidden.sheet_state = "hidden"
    wb.create_sheet("说明").append(["本表由发改委汇总"])
    preview = run(save(wb), office)
    assert [c["name"] for c in preview.creates] == ["可见项目"]
    assert [(s["sheet"], s["reason"]) for s in preview.skipped] == [("说明", "未找到表头")]


@pytest.mark.django_db
def test_database_refusal_is_a_located_rejection_not_a_crash(office, dept, monkeypatch):
    from django.db import IntegrityError

    from keyprojects.ledger import adapters as ledger

    def refuse(ctx, *, by, reason):
        Project.objects.create(
            code="X",
            name="写了一半",
            year=2022,
            department=dept,
            category="new",
            sector="other",
            total_investment_wan=1,
            annual_plan_wan=0,
        )
        raise IntegrityError("CHECK constraint failed: ledger_project_plan_within_remaining")

    monkeypatch.setattr(ledger, "write", refuse)
    preview = rejected(messy_ledger(rows(dept)), office)
    assert "年度计划投资不能超过剩余投资" in preview.errors[-1].message
    assert not Project.objects.exists()
