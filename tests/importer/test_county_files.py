"""The county's own files import as they are (issue #21): department names as written,
sections as attributes, missing is a warning and wrong an error, combined headers, footers,
identity and codes, each as .xlsx and as .xls/.ods written by LibreOffice."""

from datetime import date
from decimal import Decimal

import pytest

from keyprojects import stats
from keyprojects.core.models import Department
from keyprojects.demo.data import DEPARTMENTS
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.dispatch.models import MonthlyReport
from keyprojects.importer import services
from keyprojects.importer.base import ImportRejected
from keyprojects.ledger.models import Project
from tests import factories
from tests.importer.builders import convert
from tests.importer.county import county_dispatch, county_ledger

FORMATS = [
    "xlsx",
    pytest.param("xls", marks=pytest.mark.documents),
    pytest.param("ods", marks=pytest.mark.documents),
]


@pytest.fixture
def depts(db):
    """The demo's departments (keyprojects/core/demo.py), by key."""
    return {
        key: Department.objects.create(name=name, short_name=short, order=order)
        for key, name, short, order in DEPARTMENTS
    }


@pytest.fixture(scope="module")
def ledger_files():
    xlsx = county_ledger()
    return {"xlsx": xlsx, "xls": convert(xlsx, "xls"), "ods": convert(xlsx, "ods")}


def preview_of(kind, data, user, fmt="xlsx", **kw):
    kw.setdefault("year", 2022)
    return services.preview_file(kind, data, f"表.{fmt}", user=user, **kw)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.django_db
def test_county_ledger_imports_as_it_is(fmt, ledger_files, office, depts):
    preview = services.run_file("ledger", ledger_files[fmt], f"台账.{fmt}", user=office, year=2022)
    assert preview.errors == []
    got = {
        p.name: (p.department_id, p.category, p.sector, p.total_investment_wan, p.annual_plan_wan)
        for p in Project.objects.all()
    }
    zj, gz, cg = depts["zhujian"].pk, depts["guizi"].pk, depts["chengguan"].pk
    D = Decimal
    assert got == {
        # 住建委, 县住建委, 规资局, 城管局, 县规划和自然资源局: the county's own words
        "城东快速通道": (zj, "continuing", "infrastructure", D("1200.00"), D("400.00")),
        "乌江大桥": (zj, "continuing", "infrastructure", D("5000.00"), D("800.00")),
        "城北安置房": (gz, "continuing", "livelihood", D("3000.00"), D("600.00")),
        "滨江路改造": (cg, "new", "infrastructure", D("900.00"), D("300.00")),
        "工业园道路": (gz, "new", "infrastructure", D("700.00"), D("0.00")),
        "文化中心": (zj, "reserve", "other", D("20000.00"), D("0.00")),
    }
    # 总投资 / 其中：以前年度完成 and 2022年计划 / 计划投资 are read by their combination.
    assert Project.objects.get(name="城北安置房").completed_before_year_wan == D("1000.00")
    assert Project.objects.get(name="乌江大桥").completed_before_year_wan == D("0.00")
    # Codes in the office's scheme, per category.
    codes = dict(Project.objects.values_list("name", "code"))
    assert sorted(codes.values()) == [
        "CB2022-001",
        "ZD2022-001",
        "ZD2022-002",
        "ZD2022-003",
        "ZD2022-004",
        "ZD2022-005",
    ]
    # Sections as attributes, said once per section.
    assert preview.notes == [
        "3 行的项目类别取自分组行“一、续建项目”",
        "4 行的行业领域取自分组行“（一）交通基础设施”",  # under 一、 and under 二、
        "1 行的行业领域取自分组行“（二）社会民生”",
        "2 行的项目类别取自分组行“二、新开工项目”",
        "1 行的项目类别取自分组行“三、储备项目”",
    ]
    # Footer lines skipped and listed.
    footer = [s["text"][:6] for s in preview.skipped if s["reason"] == "表尾说明或签字"]
    assert footer == ["说明：1．本", "2．栏次关系", "统计负责人："]


@pytest.mark.django_db
def test_missing_is_a_warning_with_the_documented_default(office, depts):
    preview = services.run_file("ledger", county_ledger(), "台账.xlsx", user=office, year=2022)
    warnings = {(w.row, w.message) for w in preview.warnings}
    # A construction project without an annual plan: imported, flagged, not judged.
    road = Project.objects.get(name="工业园道路")
    assert road.annual_plan_pending is True
    assert (
        14,
        "未填写年度计划投资：标记为“年度计划待补充”，补充前不判断序时进度",
    ) in warnings
    verdict = stats.verdicts(Project.objects.filter(pk=road.pk), date(2022, 9, 30))[road.pk]
    assert (verdict.rate, verdict.behind) == (None, False)
    # A reserve project has no annual plan: no warning about it.
    reserve = Project.objects.get(name="文化中心")
    assert (reserve.annual_plan_pending, reserve.annual_plan_wan) == (False, Decimal("0.00"))
    assert not any(r == 16 and "年度计划" in m for r, m in warnings)
    # No sector anywhere for the reserve row: 其他, said so. Funding is never guessed.
    assert (16, "未填写行业领域，也没有分组行说明，按“其他”导入") in warnings
    assert set(Project.objects.values_list("funding_route", flat=True)) == {""}
    assert (7, "未填写资金来源，导入后请补充") in warnings
    # The preview shows what new rows were read as, not only their names.
    created = {c["name"]: dict(c["values"]) for c in preview.creates}
    assert created["城东快速通道"]["总投资"] == "1,200.00万元"
    assert created["城东快速通道"]["实际开工日期"] == "2021年4月10日"
    assert created["工业园道路"]["年度计划"] == "待补充"
    # Supplying the plan later (the edit form's service) clears the flag.
    from keyprojects.ledger import services as ledger_services

    road.annual_plan_wan = Decimal(200)
    ledger_services.save_project(road, by=office, expected_version=road.version)
    road.refresh_from_db()
    assert road.annual_plan_pending is False


@pytest.mark.django_db
def test_wrong_is_an_error_unknown_sector_is_other_with_a_warning(office, depts):
    bad = [(7, "错误项目", "住建委", "abc", 0, 100, None, None, "", "基础设施")]
    odd = [(8, "文旅项目", "住建委", 100, 0, 50, None, None, "", "文旅融合")]
    with pytest.raises(ImportRejected) as exc:
        services.run_file(
            "ledger",
            county_ledger(extra_rows=bad + odd, sector_column=True),
            "台账.xlsx",
            user=office,
            year=2022,
        )
    preview = exc.value.preview
    assert [str(e) for e in preview.errors] == ["重点项目 第15行 E列（总投资/合计）：“abc”不是数字"]
    assert "重点项目 第16行 K列（行业领域）：行业领域“文旅融合”不是可选的值，按“其他”导入" in [
        str(w) for w in preview.warnings
    ]
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_plan_year_in_header_is_checked_against_import_year(office, depts):
    preview = preview_of("ledger", county_ledger(plan_year=2023), office)
    assert [str(e) for e in preview.errors] == [
        "重点项目 第4行 G列（2023年计划/计划投资）：表头是2023年计划，导入年度是2022年，请核对年度"
    ]


@pytest.mark.django_db
def test_unknown_department_is_asked_once_and_remembered(client_for, office, depts):
    """The mapping step: an unknown name is answered once; the second import asks nothing."""
    from keyprojects.importer.models import DepartmentAlias, HeaderSynonym, ImportJob
    from tests.importer.test_views import upload

    extra = [(7, "高新区道路", "高新区管委会", 100, 0, 50)]
    data = county_ledger(extra_rows=extra, sector_column=False)
    c = client_for(office)
    upload(c, data)
    job = ImportJob.objects.get()
    assert job.state == "rejected"
    assert job.preview["unknown_departments"] == [{"name": "高新区管委会", "rows": 1}]
    page = c.get(job.get_absolute_url()).content.decode()
    assert "请选择对应关系" in page and "单位“高新区管委会”（1行）" in page
    c.post(f"/excel/jobs/{job.pk}/mapping/", {"d0": str(depts["jingxin"].pk)})
    job.refresh_from_db()
    assert job.state == "preview" and job.preview["unknown_departments"] == []
    assert DepartmentAlias.objects.get().department == depts["jingxin"]
    # The second file of the same layout asks nothing.
    upload(c, data)
    second = ImportJob.objects.order_by("-pk").first()
    assert (second.state, second.preview["unknown_departments"]) == ("preview", [])
    assert HeaderSynonym.objects.count() == 0


@pytest.mark.django_db
def test_unknown_header_is_mapped_or_ignored_once(client_for, office, depts):
    import openpyxl

    from keyprojects.importer.models import HeaderSynonym, ImportJob
    from tests.importer.builders import save
    from tests.importer.test_views import upload

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2022年重点项目"])
    ws.append(["项目名称", "主责单位", "类别", "领域", "总投资", "年度计划投资", "包保干部"])
    ws.append(["城北学校", "教委", "新开工", "社会民生", 800, 200, "王五"])
    data = save(wb)
    c = client_for(office)
    upload(c, data)
    job = ImportJob.objects.get()
    texts = [h["text"] for h in job.preview["unknown_headers"]]
    assert texts == ["主责单位", "包保干部"]
    c.post(f"/excel/jobs/{job.pk}/mapping/", {"h0": "department", "h1": "_ignore"})
    job.refresh_from_db()
    assert (job.state, job.preview["unknown_headers"], job.preview["unknown_columns"]) == (
        "preview",
        [],
        [],
    )
    assert sorted(HeaderSynonym.objects.values_list("text", "field")) == [
        ("主责单位", "department"),
        ("包保干部", "_ignore"),
    ]
    upload(c, data)
    second = ImportJob.objects.order_by("-pk").first()
    assert (second.preview["unknown_headers"], second.preview["unknown_departments"]) == ([], [])
    c.post(f"/excel/jobs/{second.pk}/confirm/")
    assert Project.objects.get(name="城北学校").department == depts["jiaowei"]
    # The office edits the lists: deleting a synonym asks again next time.
    page = c.get("/excel/mappings/").content.decode()
    assert "包保干部" in page
    c.post(
        "/excel/mappings/",
        {"delete": "synonym", "pk": HeaderSynonym.objects.get(field="_ignore").pk},
    )
    assert HeaderSynonym.objects.count() == 1


@pytest.mark.django_db
def test_reporter_may_not_set_department_aliases(client_for, depts):
    from keyprojects.core.choices import Role
    from keyprojects.importer.models import DepartmentAlias, ImportJob
    from tests.importer.test_views import upload

    reporter = factories.user(Role.REPORTER, department=depts["zhujian"], username="zj")
    c = client_for(reporter)
    upload(c, county_ledger(extra_rows=[(7, "高新区道路", "高新区管委会", 100, 0, 50)]))
    job = ImportJob.objects.get()
    page = c.get(job.get_absolute_url()).content.decode()
    assert "单位的对应关系由办公室设置，请联系办公室" in page
    c.post(f"/excel/jobs/{job.pk}/mapping/", {"d0": str(depts["zhujian"].pk)})
    assert not DepartmentAlias.objects.exists()


@pytest.mark.django_db
def test_identity_national_code_then_code_then_name_within_department(office, depts):
    national = "2203-500242-04-01-123456"
    assert len(national) == 24
    first = factories.project(
        depts["zhujian"], name="旧名称", code="ZD2022-007", approval_code=national
    )
    same_name_elsewhere = factories.project(depts["chengguan"], name="滨江路改造", code="X1")
    extra = [(7, "新名称", "住建委", 1000, 0, 400, None, None, national)]
    preview = services.run_file(
        "ledger", county_ledger(extra_rows=extra), "台账.xlsx", user=office, year=2022
    )
    first.refresh_from_db()
    assert first.name == "新名称"  # matched by the national code, renamed
    # 滨江路改造 of 城管局 exists: the row of 城管局 updates it rather than creating another.
    assert Project.objects.filter(name="滨江路改造").count() == 1
    assert [u["code"] for u in preview.updates] == [same_name_elsewhere.code, "ZD2022-007"]
    # New codes continue after the highest number in use (compared as numbers).
    assert Project.objects.get(name="城东快速通道").code == "ZD2022-008"


@pytest.mark.django_db
def test_reporter_messages_never_reveal_other_departments(depts):
    from keyprojects.core.choices import Role

    reporter = factories.user(Role.REPORTER, department=depts["zhujian"], username="zj")
    theirs = factories.started_project(
        depts["chengguan"], name="平凯南部新城道路", code="ZD2022-050"
    )
    rows = [{"name": theirs.name, "dept": "城管局", "ytd": 10}]
    preview = preview_of("dispatch", county_dispatch(rows), reporter, month=3)
    nowhere = preview_of(
        "dispatch",
        county_dispatch([{"name": "不存在", "dept": "城管局", "ytd": 10}]),
        reporter,
        month=3,
    )
    assert preview.errors[0].message == "未在您单位2022年的项目中找到“平凯南部新城道路”（城管局）"
    assert nowhere.errors[0].message == "未在您单位2022年的项目中找到“不存在”（城管局）"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.django_db
def test_county_dispatch_table_imports_as_it_is(fmt, office, depts):
    zj = depts["zhujian"]
    road = factories.started_project(zj, name="城东快速通道", annual_plan_wan=Decimal(400))
    bridge = factories.started_project(zj, name="乌江大桥", annual_plan_wan=Decimal(800))
    factories.report(road, 1, 50)
    factories.report(road, 2, 30)
    rows = [
        {
            "name": road.name,
            "dept": "住建委",
            "plan": 400,
            "ytd": "１２０",
            "month": 40,
            "rate": "30.0%",
        },
        {
            "name": bridge.name,
            "dept": "县住建委",
            "plan": 800,
            "ytd": 200,
            "month": "—",
            "rate": 0.25,
        },
    ]
    xlsx = county_dispatch(rows)
    data = xlsx if fmt == "xlsx" else convert(xlsx, fmt)
    preview = services.run_file("dispatch", data, f"调度.{fmt}", user=office, year=2022, month=3)
    assert (preview.errors, preview.warnings) == ([], [])
    assert stats.ytd_by_project([road.pk, bridge.pk], 2022, 3) == {
        road.pk: Decimal("120.00"),
        bridge.pk: Decimal("200.00"),
    }
    footer = [s["text"][:6] for s in preview.skipped if s["reason"] == "表尾说明或签字"]
    assert footer == ["说明：1．本", "2．栏次关系", "统计负责人："]
    report = MonthlyReport.objects.get(project=bridge, month=3)
    assert (report.status, report.problems) == (ReportStatus.APPROVED, "")


@pytest.mark.django_db
def test_office_may_create_the_unknown_department(office, depts):
    from keyprojects.importer.models import ImportJob

    data = county_ledger(extra_rows=[(7, "高新区道路", "县高新区管委会", 100, 0, 50)])
    job = services.create_job(kind="ledger", filename="台账.xlsx", data=data, by=office, year=2022)
    services.parse_job(job.pk)
    job.refresh_from_db()
    assert job.preview["unknown_departments"] == [{"name": "县高新区管委会", "rows": 1}]
    services.save_mapping(job, headers={}, departments={"县高新区管委会": "create"}, by=office)
    services.rerun_job(job, by=office)
    job = services.parse_job(job.pk)
    assert job.state == "preview"
    assert ImportJob.objects.get().preview["errors"] == []
    assert Department.objects.filter(name="县高新区管委会").exists()
