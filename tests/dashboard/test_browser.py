"""The dashboard and the map in Debian's Chromium, on the demo data, with the network blocked
(only the test server answers): charts drew, clicks open the matching ledger list, the map
shows the demo projects, no console error. Screenshots go to $KP_SCREENSHOTS (default: a
temporary folder) for a person to look at."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from keyprojects.demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("KP_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def site(live_server, page):
    call_command("demo")
    host = urlsplit(live_server.url).netloc
    blocked = []

    def route(r):
        if urlsplit(r.request.url).netloc == host:
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield live_server.url, errors
    assert blocked == []  # nothing of ours reaches for the internet


def log_in(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


CANVAS_INKED = """id => {
  const c = document.querySelector('#' + id + ' canvas');
  if (!c) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
  return n;
}"""


def charts_drew(page, ids):
    page.wait_for_selector("#dashboard[data-ready=true]")
    page.wait_for_timeout(1200)  # the charts' entry animation
    for chart_id in ids:
        assert page.evaluate(CANVAS_INKED, chart_id) > 500, chart_id
        legend = page.evaluate(f"() => kpCharts['{chart_id}'].getOption().legend.length")
        assert legend == 1, chart_id


def click_bar(page, chart_id, series, category):
    """Click the middle of one bar, located by the chart's own coordinate system."""
    page.locator(f"#{chart_id}").scroll_into_view_if_needed()
    box = page.locator(f"#{chart_id}").bounding_box()
    x, y = page.evaluate(
        """([id, s, cat]) => {
          const c = kpCharts[id];
          const i = c.getOption().xAxis[0].data.indexOf(cat);
          const r = c.getModel().getSeriesByIndex(s).getData().getItemLayout(i);
          return [r.x + r.width / 2, r.y + r.height / 2];
        }""",
        [chart_id, series, category],
    )
    page.mouse.click(box["x"] + x, box["y"] + y)


def ledger_count(page) -> int:
    return int(re.search(r"共 (\d+) 个项目", page.content()).group(1))


def test_leader_dashboard_drills_down(page, site, shots):
    base, errors = site
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, base, "leader")
    page.goto(f"{base}/dashboard/?year=2022&month=3")
    assert (
        page.locator("#period")
        .inner_text()
        .startswith(
            "统计期：2022年1—3月（截至2022年3月31日）"
            "　数据截至2022年3月31日（3月调度已结束）　范围：全县"
        )
    )
    charts_drew(page, ["chart-trend", "chart-colours", "chart-depts"])
    assert page.locator("#kpi-start-rate .value").inner_text() == "63.9%"
    assert page.locator("#kpi-total .value").inner_text() == "36 个"
    page.screenshot(path=shots / "dashboard-desktop.png", full_page=True)

    # A number opens its rows.
    page.click("#kpi-started")
    page.wait_for_url(re.compile(r"/projects/\?"))
    assert ledger_count(page) == 23
    assert "已开工：已开工" in page.locator("#drill").inner_text()

    # The March bar of the trend opens the projects with approved investment in March.
    page.goto(f"{base}/dashboard/?year=2022&month=3")
    charts_drew(page, ["chart-trend"])
    click_bar(page, "chart-trend", 0, "3月")
    page.wait_for_url(re.compile(r"reported_month=3"))
    assert ledger_count(page) == 23

    # A department's bar opens that department's construction projects.
    page.goto(f"{base}/dashboard/?year=2022&month=3")
    charts_drew(page, ["chart-depts"])
    click_bar(page, "chart-depts", 0, "住建")
    page.wait_for_url(re.compile(r"department=\d+"))
    departments = set(page.locator("#ledger-table tbody td:nth-child(3)").all_inner_texts())
    assert departments == {"住建"}

    # The yellow slice of the pie opens the yellow projects.
    page.goto(f"{base}/dashboard/?year=2022&month=3")
    charts_drew(page, ["chart-colours"])
    yellow = int(page.locator("#kpi-yellow .value").inner_text().split()[0])
    page.locator("#chart-colours").scroll_into_view_if_needed()
    box = page.locator("#chart-colours").bounding_box()
    x, y = page.evaluate(
        """() => {
          const r = kpCharts['chart-colours'].getModel().getSeriesByIndex(0).getData()
            .getItemLayout(1);
          const a = (r.startAngle + r.endAngle) / 2, m = (r.r + r.r0) / 2;
          return [r.cx + m * Math.cos(a), r.cy + m * Math.sin(a)];
        }"""
    )
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(re.compile(r"colour=yellow"))
    assert ledger_count(page) == yellow

    # The red count opens the red projects, as many as the tile says.
    page.goto(f"{base}/dashboard/?year=2022&month=3")
    page.wait_for_selector("#dashboard[data-ready=true]")
    red = int(page.locator("#kpi-red .value").inner_text().split()[0])
    page.click("#kpi-red")
    page.wait_for_url(re.compile(r"colour=red"))
    assert ledger_count(page) == red
    assert errors == []


def test_reporter_sees_only_their_department(page, site, shots):
    base, errors = site
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, base, "zhujian")
    page.goto(f"{base}/dashboard/?year=2022&month=3")
    assert page.locator("h1").inner_text() == "县住房和城乡建设委员会重点项目一屏统览"
    charts_drew(page, ["chart-trend", "chart-colours", "chart-depts"])
    names = page.evaluate("() => kpCharts['chart-depts'].getOption().xAxis[0].data")
    assert names == ["住建"]
    assert page.locator("#blocks .tile").count() == 0
    page.screenshot(path=shots / "dashboard-phone.png", full_page=True)
    page.goto(f"{base}/dashboard/map/?year=2022")
    page.wait_for_selector("#project-map[data-ready=true]")
    assert page.locator("#project-map").get_attribute("data-points") == "8"
    page.screenshot(path=shots / "map-phone.png", full_page=True)
    assert errors == []


def test_big_screen_and_print(page, site, shots):
    base, errors = site
    page.set_viewport_size({"width": 1920, "height": 1080})
    log_in(page, base, "office")
    page.goto(f"{base}/dashboard/screen/?year=2022&month=3")
    charts_drew(page, ["chart-trend", "chart-colours", "chart-depts"])
    # The stage fills the screen exactly at 1920×1080 (scale 1).
    assert page.evaluate("() => document.getElementById('stage').style.transform") == "scale(1)"
    page.screenshot(path=shots / "screen-1920x1080.png")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.wait_for_timeout(300)
    stage = page.locator("#stage").bounding_box()
    assert round(stage["width"]) == round(1920 * min(1366 / 1920, 768 / 1080))
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{base}/dashboard/print/?year=2022&month=3")
    assert "开工率" in page.locator("#print-kpis").inner_text()
    assert "63.9%" in page.locator("#print-kpis").inner_text()
    page.wait_for_selector("#dashboard[data-ready=true]")
    page.emulate_media(media="print")
    page.screenshot(path=shots / "print.png", full_page=True)
    assert errors == []


def test_map_offline_and_form_picker(page, site, shots):
    base, errors = site
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, base, "leader")
    page.goto(f"{base}/dashboard/map/?year=2022")
    page.wait_for_selector("#project-map[data-ready=true]")
    assert page.locator("#project-map").get_attribute("data-points") == "36"
    assert (
        "共 51 个项目，地图上 36 个（15 个未填写坐标）" in page.locator("#map-status").inner_text()
    )
    assert "示意县界（演示）" in page.locator("#map-notes").inner_text()
    assert page.locator(".kp-cluster").count() > 0
    link = page.evaluate(
        "() => kpProjectLayer.getLayers()[0].getPopup().getContent().querySelector('a').href"
    )
    assert re.search(r"/projects/\d+/$", link)
    page.screenshot(path=shots / "map-desktop.png")
    # Filtered like the ledger.
    page.select_option("#id_colour", "red")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#project-map[data-ready=true]")
    red = page.locator("#project-map").get_attribute("data-points")
    page.click("#map-ledger-link")
    assert ledger_count(page) == int(red)

    page.click("header .user button")
    log_in(page, base, "office")
    from keyprojects.ledger.models import Project

    project = Project.objects.get(name="城市污水管网改造工程")
    page.goto(f"{base}/projects/{project.pk}/edit/")
    page.wait_for_selector("#pick-map[data-ready=true]")
    page.locator("#pick-map").scroll_into_view_if_needed()
    box = page.locator("#pick-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 3, box["y"] + box["height"] / 3)
    assert page.locator("#pick-map").get_attribute("data-picked") == "true"
    assert page.input_value("#id_coord_input") == "map"
    lat = page.input_value("#id_latitude")
    page.screenshot(path=shots / "form-picker.png", full_page=True)
    page.click("button:has-text('保存')")
    page.wait_for_selector("#history")
    project.refresh_from_db()
    assert str(project.latitude) == lat
    assert project.coord_system == "map"
    assert errors == []
