"""The upload page in a real browser: upload, see the preview, confirm, see it imported."""

import re

import pytest

from keyprojects.ledger.models import Project
from tests.factories import PASSWORD
from tests.importer.builders import messy_ledger

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_uploads_previews_and_confirms(page, live_server, office, dept, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(messy_ledger([{"name": "浏览器导入项目", "dept": dept.name}]))
    page.goto(f"{live_server.url}/excel/")
    page.fill("#id_username", office.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/excel/$"))
    page.set_input_files("#id_file", str(path))
    page.fill("#id_year", "2022")
    page.click("text=上传并预览")
    page.wait_for_url(re.compile(r"/excel/jobs/\d+/$"))
    assert "浏览器导入项目" in page.content()
    assert not Project.objects.exists()
    page.click("text=确认导入")
    page.wait_for_selector("text=已导入")
    assert Project.objects.get().name == "浏览器导入项目"


def test_county_ledger_upload_mapping_preview_confirm_ledger(
    page, live_server, office, dept, tmp_path
):
    """upload → the mapping question (an unknown unit) → preview with what was read →
    confirm → the rows on the ledger page."""
    from keyprojects.core.models import Department
    from tests.importer.county import county_ledger

    Department.objects.create(name="县规划和自然资源局", short_name="规资", order=1)
    Department.objects.create(name="县城市管理局", short_name="城管", order=3)
    gaoxin = Department.objects.create(name="县高新技术产业开发区管理委员会", order=9)
    path = tmp_path / "全县台账.xlsx"
    path.write_bytes(county_ledger(extra_rows=[(7, "高新区道路", "高新区管委会", 100, 0, 50)]))
    page.goto(f"{live_server.url}/excel/")
    page.fill("#id_username", office.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/excel/$"))
    page.set_input_files("#id_file", str(path))
    page.fill("#id_year", "2022")
    page.click("text=上传并预览")
    page.wait_for_url(re.compile(r"/excel/jobs/\d+/$"))
    assert "请选择对应关系" in page.content()
    page.select_option("#id_d0", str(gaoxin.pk))
    page.click("text=保存对应关系并重新读取")
    page.wait_for_selector("text=确认导入")
    content = page.content()
    assert "请选择对应关系" not in content
    assert "1,200.00万元" in content and "年度计划：待补充" in content
    assert "行的行业领域取自分组行“（一）交通基础设施”" in content
    page.click("text=确认导入")
    page.wait_for_selector("text=已导入")
    page.goto(f"{live_server.url}/projects/?year=2022")
    ledger = page.content()
    for name in ("城东快速通道", "工业园道路", "高新区道路"):
        assert name in ledger
    assert Project.objects.get(name="高新区道路").department == gaoxin
