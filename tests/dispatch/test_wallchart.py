"""The wall chart (挂图作战图): SVG content, department filter, download, print CSS."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.urls import reverse

from keyprojects.dispatch import wallchart
from keyprojects.ledger.models import Project
from tests import factories

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.w3.org/2000/svg"}


@pytest.fixture
def chart_world(project, other_project, dept):
    factories.report(project, 1, "40")
    factories.report(project, 2, "40")
    factories.report(project, 3, "40")  # 30 % ≥ 25 %: green
    factories.milestone(
        project, name="施工许可", planned_date=date(2022, 2, 1), actual_date=date(2022, 1, 28)
    )
    factories.milestone(
        project, phase="main_works", name="主体封顶", planned_date=date(2022, 3, 1)
    )  # 30 days overdue on 3-31: yellow
    factories.milestone(
        project, phase="acceptance", name="竣工验收", planned_date=date(2022, 11, 30)
    )
    factories.project(dept, name="储备项目", category="reserve")  # never on the chart
    return project


def test_svg_rows_bars_milestones_today(chart_world, other_project):
    chart = wallchart.build(Project.objects.live(), 2022, date(2022, 3, 31), "2022年挂图")
    svg = wallchart.render_svg(chart)
    root = ET.fromstring(svg)  # well-formed
    rows = root.findall(".//s:g[@class='row']", NS)
    assert {r.get("data-project") for r in rows} == {str(chart_world.pk), str(other_project.pk)}
    mine = next(r for r in rows if r.get("data-project") == str(chart_world.pk))
    assert mine.get("data-colour") == "yellow"  # on 序时, but a milestone 30 days overdue
    assert mine.find("s:rect[@class='planned']", NS) is not None
    assert mine.find("s:rect[@class='actual']", NS) is not None
    states = [m.get("class") for m in mine.findall("s:path", NS)]
    assert states == ["milestone reached", "milestone overdue", "milestone upcoming"]
    other = next(r for r in rows if r.get("data-project") == str(other_project.pk))
    assert other.find("s:rect[@class='actual']", NS) is None  # not started: planned only
    assert root.find(".//s:line[@class='today']", NS) is not None
    assert "县住房和城乡建设委员会" not in svg and "住建（1个项目）" in svg
    assert "储备项目" not in svg


def test_colour_reasons_in_tooltips(chart_world):
    chart = wallchart.build(Project.objects.live(), 2022, date(2022, 3, 31), "t")
    svg = wallchart.render_svg(chart)
    assert "快于序时进度5.0个百分点；节点“主体封顶”逾期30天" in svg


def test_no_today_line_outside_the_year(chart_world):
    svg = wallchart.render_svg(
        wallchart.build(Project.objects.live(), 2022, date(2023, 1, 15), "t")
    )
    assert 'class="today"' not in svg


def test_names_are_escaped(dept):
    factories.started_project(dept, name="<script>alert(1)</script>&")
    svg = wallchart.render_svg(
        wallchart.build(Project.objects.live(), 2022, date(2022, 3, 31), "t")
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ET.fromstring(svg)


def test_page_department_filter_and_download(client_for, office, chart_world, other_project):
    c = client_for(office)
    page = c.get(reverse("dispatch:wall_chart") + "?year=2022").content.decode()
    assert "2022年重点项目挂图作战图" in page and other_project.name in page
    assert "dispatch/wallchart.css" in page
    one = c.get(
        reverse("dispatch:wall_chart") + f"?year=2022&department={chart_world.department_id}"
    ).content.decode()
    assert chart_world.name in one and other_project.name not in one
    assert "（住建）" in one
    response = c.get(reverse("dispatch:wall_chart_svg") + "?year=2022")
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert 'filename="wallchart-2022.svg"' in response["Content-Disposition"]
    ET.fromstring(response.content)
    for bad in ("?year=abc", "?year=1800", "?department=999999"):
        assert c.get(reverse("dispatch:wall_chart") + bad).status_code == 400
        assert c.get(reverse("dispatch:wall_chart_svg") + bad).status_code == 400


def test_reporter_sees_only_own_department(client_for, reporter, chart_world, other_project):
    page = client_for(reporter).get(reverse("dispatch:wall_chart") + "?year=2022").content
    assert chart_world.name in page.decode() and other_project.name not in page.decode()


def test_print_css_is_a3_landscape():
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("dispatch/wallchart.css")).read_text(encoding="utf-8")
    assert "size: A3 landscape" in css and "@media print" in css


@pytest.mark.browser
def test_pdf_download_one_a3_page(client_for, office, chart_world, tmp_path):
    import subprocess

    response = client_for(office).get(reverse("dispatch:wall_chart_pdf") + "?year=2022")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="wallchart-2022.pdf"' in response["Content-Disposition"]
    pdf = tmp_path / "chart.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "Pages:           1" in info and "(A3)" in info
    assert "1191" in info.split("Page size:")[1].split("x")[0]  # landscape: width first
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "2022年重点项目挂图作战图" in text and chart_world.name in text


def test_pdf_without_chromium_is_503(client_for, office, chart_world, monkeypatch):
    monkeypatch.setattr(wallchart, "chromium_path", lambda: None)
    response = client_for(office).get(reverse("dispatch:wall_chart_pdf") + "?year=2022")
    assert response.status_code == 503
    assert "本机未安装Chromium" in response.content.decode()
    assert client_for(office).get(reverse("dispatch:wall_chart_pdf") + "?year=x").status_code == 400
