"""The dashboard's JSON and pages, the map's endpoints, boundaries, base-map settings, tiles
and coordinates on the project form."""

import json
import re
from datetime import date
from decimal import Decimal
from urllib.parse import parse_qsl

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keyprojects import stats
from keyprojects.core.models import User
from keyprojects.dashboard import demo as dashboard_demo
from keyprojects.dashboard.models import Boundary, MapSettings
from keyprojects.ledger.models import Project
from tests import factories
from tests.ledger.test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("demo")
    return {u.username: u for u in User.objects.all()}


def data_for(client_for, user, query="?year=2022&month=3"):
    response = client_for(user).get(reverse("dashboard:data") + query)
    assert response.status_code == 200
    return response.json()


def ledger_count(client, q) -> int:
    response = client.get(reverse("ledger:project_list") + "?" + q)
    assert response.status_code == 200, q
    return int(re.search(r"共 (\d+) 个项目", response.content.decode()).group(1))


def test_headline_is_the_ledger_summary(demo, client_for):
    d = data_for(client_for, demo["leader"])
    s = stats.ledger_summary(2022, as_of=date(2022, 3, 31))
    h = d["headline"]
    assert d["period"] == {
        "year": 2022,
        "month": 3,
        "as_of": "2022-03-31",
        "text": "2022年1—3月（截至2022年3月31日）",
        "statement": "数据截至2022年3月31日（3月调度已结束）",
    }
    assert d["scope"] == "全县"
    assert (h["listed"]["value"], h["total"]["value"], h["started"]["value"]) == (51, 36, 23)
    assert h["start_rate"]["value"] == 63.9
    assert h["completed_wan"]["value"] == float(s.investment.completed_ytd_wan)
    assert h["expected_share"]["value"] == 25.0
    assert [c["value"] for c in h["colours"]] == [
        s.projects.red,
        s.projects.yellow,
        s.projects.green,
    ]
    assert d["flagged"]["count"] == s.projects.red + s.projects.yellow
    # The trend's months add up to the year-to-date figure, and stop at the period.
    done = [r["completed_wan"] for r in d["trend"]]
    assert sum(done[:3]) == h["completed_wan"]["value"]
    assert done[3:] == [None] * 9
    assert d["trend"][11]["schedule_wan"] == h["annual_plan_wan"]["value"]


def test_every_number_opens_as_many_rows(demo, client_for):
    leader = client_for(demo["leader"])
    d = leader.get(reverse("dashboard:data") + "?year=2022&month=3").json()
    h = d["headline"]
    for key in ("listed", "total", "started", "not_started", "behind", "reserve"):
        assert ledger_count(leader, h[key]["q"]) == h[key]["value"], key
    for c in h["colours"]:
        assert ledger_count(leader, c["q"]) == c["value"], c["colour"]
    for dept in d["departments"]:
        assert ledger_count(leader, dept["q"]) == dept["total"], dept["name"]
        assert ledger_count(leader, dept["q_started"]) == dept["started"], dept["name"]
    march = d["trend"][2]
    assert dict(parse_qsl(march["q"]))["reported_month"] == "3"
    assert ledger_count(leader, march["q"]) == 23
    # The map reads the same filter: the red ones on the map are the red count.
    red = h["colours"][0]
    points = leader.get(reverse("dashboard:map_data") + "?" + red["q"]).json()
    assert points["count"] == red["value"]


def test_reporter_sees_only_their_department(demo, client_for):
    d = data_for(client_for, demo["zhujian"])
    assert d["scope"] == "县住房和城乡建设委员会"
    assert [x["name"] for x in d["departments"]] == ["住建"]
    assert {r["department"] for r in d["flagged"]["rows"]} == {"住建"}
    own = Project.objects.filter(department__short_name="住建", year=2022)
    assert d["headline"]["listed"]["value"] == own.count()
    page = client_for(demo["zhujian"]).get(reverse("dashboard:index"))
    assert "县住房和城乡建设委员会重点项目一屏统览" in page.content.decode()
    points = client_for(demo["zhujian"]).get(reverse("dashboard:map_data")).json()
    assert {p["department"] for p in points["points"]} == {"住建"}


def test_blocks_show_for_county_roles_only(demo, client_for):
    """The factor and problem apps' own blocks (the demo reproduces the seed's Q1 2022)."""
    d = data_for(client_for, demo["leader"])
    tiles = {b["key"]: b for b in d["blocks_text"]}
    assert tiles["land"]["title"] == "用地保障"
    assert tiles["land"]["lines"] == [
        "农转用项目 10 个",
        "新增建设用地 66.4923 公顷",
        "折合 997 亩",
        "占用永久基本农田项目 5 个",
        "挂牌出让地块 3 宗",
        "预计出让收入 4595.55 万元",
    ]
    housing = tiles["housing"]["lines"]
    assert housing[:6] == [
        "网签 1125 套",
        "网签面积 12.65 万㎡",
        "上年同期 495 套",
        "上年同期面积 5.9 万㎡",
        "套数同比 127 %",
        "面积同比 114 %",
    ]
    assert housing[6] == (
        "活动：名称2022年春季房交会、网签986套、网签面积10.99万㎡、优惠2200万元、"
        "其中财政补贴1000万元、企业优惠1200万元"
    )
    assert "未销号问题 8 个" in tiles["problems"]["lines"]
    assert data_for(client_for, demo["zhujian"])["blocks"] == {}
    page = client_for(demo["office"]).get(reverse("dashboard:print") + "?year=2022&month=3")
    assert "农转用项目 10 个" in page.content.decode()


def _world(n):
    dept = factories.department(name=f"单位{n}", short_name=f"单{n}")
    for _ in range(n):
        p = factories.started_project(dept, latitude=Decimal("28.5"), longitude=Decimal("109"))
        factories.report(p, 1, "10")
        factories.milestone(p, planned_date=date(2022, 2, 1))
    return factories.user(username=f"office{n}")


@pytest.mark.parametrize("url", ["dashboard:data", "dashboard:map_data"])
def test_fixed_number_of_queries(client_for, url):
    counts = []
    for n in (1, 4):
        client = client_for(_world(n))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(url) + "?year=2022&month=3").status_code == 200
        counts.append(len(ctx.captured_queries))
        Project.objects.all().delete()
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "query, message",
    [("?year=abc", "年度或月份无效"), ("?year=2022&month=0", "月份应为1至12")],
)
def test_bad_period_is_a_400_in_chinese(client_for, office, query, message):
    response = client_for(office).get(reverse("dashboard:data") + query)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert client_for(office).get(reverse("dashboard:index") + query).status_code == 400


@pytest.mark.parametrize("later", [0, 12])
def test_a_month_not_over_is_judged_on_today(client_for, office, project, later):
    from django.utils import timezone

    today = timezone.localdate()
    month = max(today.month, later)
    d = data_for(client_for, office, f"?year={today.year}&month={month}")
    assert d["period"]["as_of"] == today.isoformat()


def _upload(name, payload, system="cgcs2000", level="township"):
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return {
        "name": name,
        "level": level,
        "system": system,
        "note": "",
        "file": SimpleUploadedFile("b.geojson", raw, content_type="application/geo+json"),
    }


def test_office_uploads_a_gcj02_boundary_stored_as_wgs84(client_for, office, leader):
    square = {
        "type": "Polygon",
        "coordinates": [[[109.02452270847996, 28.48670035385091], [109.03, 28.49], [109.0, 28.5]]],
    }
    response = client_for(office).post(
        reverse("dashboard:boundary_list"), _upload("某镇界", square, system="gcj02")
    )
    assert response.status_code == 302
    b = Boundary.objects.get(name="某镇界")
    assert b.geojson["coordinates"][0][0] == [109.02, 28.49]
    assert b.source_system == "gcj02"
    assert b.history.first().history_user == office
    gj = client_for(leader).get(reverse("dashboard:boundaries")).json()
    assert gj["features"][0]["properties"]["kp_layer"] == "某镇界"


@pytest.mark.parametrize(
    "payload, message",
    [
        (b"\xff\xfe not json", "文件不是有效的GeoJSON"),
        ({"type": "Polygon", "coordinates": [[[512345.6, 3151234.5]]]}, "不是经纬度"),
        ({"type": "Point", "coordinates": [109, 28]}, "文件不是 GeoJSON"),
    ],
)
def test_bad_boundary_files_are_refused(client_for, office, payload, message):
    response = client_for(office).post(reverse("dashboard:boundary_list"), _upload("坏", payload))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Boundary.objects.exists()


def test_demo_boundaries_are_marked_illustrative(demo, client_for):
    assert sorted(Boundary.objects.values_list("name", "illustrative")) == [
        ("示意乡镇界（演示）", True),
        ("示意县界（演示）", True),
    ]
    assert dashboard_demo.load() == {"boundaries": 0}  # idempotent
    page = client_for(demo["leader"]).get(reverse("dashboard:map")).content.decode()
    assert "“示意县界（演示）”为示意边界，仅供演示，不是真实行政区划。" in page
    # Every demo project with coordinates lies inside the illustrative county outline.
    lngs = [pt[0] for pt in dashboard_demo.county()["features"][0]["geometry"]["coordinates"][0]]
    lats = [pt[1] for pt in dashboard_demo.county()["features"][0]["geometry"]["coordinates"][0]]
    for p in Project.objects.exclude(latitude=None):
        assert min(lats) < float(p.latitude) < max(lats)
        assert min(lngs) < float(p.longitude) < max(lngs)


def test_tile_url_opens_the_csp_for_that_server_only(client_for, office, leader):
    bad = client_for(office).post(
        reverse("dashboard:map_settings"),
        {
            "tile_source": "url",
            "tile_url": "http://10.1.2.3/tiles/{z}/{x}.png",
            "max_zoom": 18,
            "version": MapSettings.current().version,
        },
    )
    assert bad.status_code == 400
    assert "瓦片服务地址缺少 {y} 占位符" in bad.content.decode()
    ok = client_for(office).post(
        reverse("dashboard:map_settings"),
        {
            "tile_source": "url",
            "tile_url": "http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png",
            "tile_attribution": "审图号：GS(2024)0650号",
            "max_zoom": 16,
            "version": MapSettings.current().version,
        },
    )
    assert ok.status_code == 302
    assert MapSettings.current().history.first().history_user == office
    page = client_for(leader).get(reverse("dashboard:map"))
    # Directives in any order (the header's order is not part of its meaning).
    csp = {d.strip() for d in page["Content-Security-Policy"].split(";")}
    assert "img-src 'self' data: blob: http://10.1.2.3:8080" in csp
    assert "script-src 'self'" in csp
    config = client_for(leader).get(reverse("dashboard:map_config")).json()
    assert config["tiles"] == {
        "url": "http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png",
        "attribution": "审图号：GS(2024)0650号",
        "max_zoom": 16,
    }
    other = client_for(leader).get(reverse("dashboard:index"))
    assert "10.1.2.3" not in other["Content-Security-Policy"]


def test_local_tile_folder(client_for, office, leader, settings, tmp_path):
    settings.KP_TILE_DIR = tmp_path
    (tmp_path / "12" / "3300").mkdir(parents=True)
    (tmp_path / "12" / "3300" / "1700.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    url = reverse("dashboard:tile", args=[12, 3300, 1700])
    assert client_for(leader).get(url).status_code == 404  # not chosen yet
    client_for(office).post(
        reverse("dashboard:map_settings"),
        {"tile_source": "local", "max_zoom": 18, "version": MapSettings.current().version},
    )
    response = client_for(leader).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == b"\x89PNG\r\n\x1a\n"
    assert client_for(leader).get(reverse("dashboard:tile", args=[12, 1, 1])).status_code == 404
    config = client_for(leader).get(reverse("dashboard:map_config")).json()
    assert config["tiles"]["url"] == "/dashboard/tiles/{z}/{x}/{y}.png"


def test_project_form_converts_gcj02_and_records_the_source(client_for, office, project):
    url = reverse("ledger:project_edit", args=[project.pk])
    # 高德 gives six decimals: (28.486700, 109.024523) is GCJ-02 of WGS-84 (28.49, 109.02).
    data = form_data(project, latitude="28.486700", longitude="109.024523")
    data["coord_input"] = "gcj02"
    data["version"] = project.version
    response = client_for(office).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    project.refresh_from_db()
    assert (project.latitude, project.longitude) == (Decimal("28.490000"), Decimal("109.020000"))
    assert project.coord_system == "gcj02"
    # Saving again without moving the point neither converts twice nor forgets the source.
    data = form_data(project, latitude=project.latitude, longitude=project.longitude)
    data["version"] = project.version
    data["coord_input"] = "wgs84"
    assert client_for(office).post(url, data).status_code == 302
    project.refresh_from_db()
    assert (project.latitude, project.coord_system) == (Decimal("28.490000"), "gcj02")
    page = client_for(office).get(url).content.decode()
    assert "录入时的坐标系：GCJ-02（高德、腾讯地图，已换算为WGS-84保存）" in page


def test_map_of_many_projects_shows_red_and_yellow_first_and_counts_the_rest(
    demo, client_for, monkeypatch
):
    """A province's filter past MAP_POINTS: the points are cut, red and yellow first; the counts
    (all, located, without coordinates) come from the database, not from the points sent."""
    from keyprojects.dashboard import views

    leader = client_for(demo["leader"])
    whole = leader.get(reverse("dashboard:map_data") + "?year=2022").json()
    assert whole["located"] == len(whole["points"]) > 6
    assert whole["count"] == whole["located"] + whole["missing"]
    monkeypatch.setattr(views, "MAP_POINTS", 6)
    cut = leader.get(reverse("dashboard:map_data") + "?year=2022").json()
    assert (cut["count"], cut["located"], cut["missing"]) == (
        whole["count"],
        whole["located"],
        whole["missing"],
    )
    assert len(cut["points"]) == 6
    rank = {"red": 0, "yellow": 1, "green": 2, "none": 3}
    colours = sorted(rank[p["colour"]] for p in whole["points"])
    assert [rank[p["colour"]] for p in cut["points"]] == colours[:6]
