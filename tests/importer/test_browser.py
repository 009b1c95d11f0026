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
