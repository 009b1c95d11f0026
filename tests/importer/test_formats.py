"""The same messy files as .xls (Excel 97–2003) and .ods, written by LibreOffice (a different
writer than the reader), import exactly like the .xlsx."""

from decimal import Decimal

import pytest

from keyprojects import stats
from keyprojects.importer import services
from keyprojects.importer.reading import UnreadableFile, read_grids
from keyprojects.ledger.models import Project
from tests import factories
from tests.importer.builders import convert, messy_dispatch, messy_ledger

pytestmark = pytest.mark.documents


@pytest.fixture(scope="module")
def ledger_files():
    from types import SimpleNamespace

    dept = SimpleNamespace(name="县住房和城乡建设委员会")
    xlsx = messy_ledger(
        [
            {"name": "凤凰大道延伸段", "dept": dept.name, "total": "1,200.5", "plan": 300},
            {"name": "隐藏项目", "dept": dept.name},
            {"name": "城南污水处理厂", "dept": dept.name, "start": "2022.3", "total": 800},
        ],
        unit="亿元",
        hidden_row="隐藏项目",
        hidden_col_text="内部",
        code=False,
    )
    return {"xlsx": xlsx, "xls": convert(xlsx, "xls"), "ods": convert(xlsx, "ods")}


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
@pytest.mark.django_db
def test_ledger_in_each_format(fmt, ledger_files, office, dept):
    preview = services.run_file("ledger", ledger_files[fmt], f"台账.{fmt}", user=office, year=2022)
    assert [c["name"] for c in preview.creates] == ["凤凰大道延伸段", "城南污水处理厂"]
    assert sorted(h.split()[-1] for h in preview.hidden) == ["K列", "第9行"]
    p = Project.objects.get(name="凤凰大道延伸段")
    assert (p.total_investment_wan, p.annual_plan_wan) == (
        Decimal("12005000.00"),
        Decimal("3000000.00"),
    )
    assert Project.objects.get(name="城南污水处理厂").planned_start.isoformat() == "2022-03-01"
    assert {s["reason"] for s in preview.skipped} >= {"分组行", "合计/小计行"}


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
@pytest.mark.django_db
def test_dispatch_in_each_format(fmt, office, dept):
    road = factories.started_project(dept, name="凤凰大道延伸段", annual_plan_wan=Decimal(400))
    factories.report(road, 1, 50)
    factories.report(road, 2, 30)
    xlsx = messy_dispatch(
        [
            {
                "name": road.name,
                "dept": dept.name,
                "plan": 400,
                "ytd": "１２０",
                "prior": 80,
                "month": 40,
                "rate": 0.3,
            }
        ]
    )
    data = xlsx if fmt == "xlsx" else convert(xlsx, fmt)
    preview = services.run_file("dispatch", data, f"调度.{fmt}", user=office, year=2022, month=3)
    assert preview.warnings == [] and len(preview.creates) == 1
    assert stats.ytd_by_project([road.pk], 2022, 3) == {road.pk: Decimal("120.00")}


@pytest.mark.parametrize(
    "data, name",
    [
        (b"not a spreadsheet", "a.xlsx"),
        (b"PK\x03\x04broken", "a.xlsx"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "a.xls"),
        (b"", "a.ods"),
    ],
)
def test_unreadable_files_give_a_chinese_message(data, name):
    with pytest.raises(UnreadableFile) as exc:
        read_grids(data, name)
    assert "无法读取" in exc.value.message or "不是" in exc.value.message


@pytest.mark.django_db
def test_content_decides_format_not_the_name(ledger_files, office, dept):
    preview = services.run_file(
        "ledger", ledger_files["ods"], "改名了.xlsx", user=office, year=2022, dry_run=True
    )
    assert len(preview.creates) == 2


@pytest.mark.django_db
def test_export_prints_on_a3_landscape_with_header_on_every_page(tmp_path, dept):
    import shutil
    import subprocess
    from datetime import date

    from keyprojects.ledger import adapters as ledger_adapters
    from tests.importer.builders import to_pdf

    if not shutil.which("pdfinfo"):
        pytest.skip("文档测试跳过：没有 pdfinfo（apt-get install poppler-utils）")
    first = factories.project(dept, name="打印项目")
    Project.objects.bulk_create(
        [
            Project(
                **{
                    **{
                        f.attname: getattr(first, f.attname)
                        for f in Project._meta.concrete_fields
                        if not f.primary_key
                    },
                    "code": f"P{i:04d}",
                    "name": f"打印项目{i}",
                }
            )
            for i in range(400)
        ]
    )
    data = ledger_adapters.export_ledger(Project.objects.live(), year=2022, as_of=date(2022, 3, 31))
    pdf = to_pdf(data, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "(A3)" in info and "1190.55 x 841.89" in info  # landscape
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    assert pages >= 2
    for page in (1, pages):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
        ).stdout
        assert "项目名称" in text and "投资情况（万元）" in text
