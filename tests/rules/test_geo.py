"""GCJ-02 ↔ WGS-84 and boundary checks (keyprojects/geo.py). Reference values: npm gcoord 1.0.7
(an independent implementation), WGS-84 → GCJ-02, to 1e-7 degrees (~1 cm)."""

from decimal import Decimal

import pytest

from keyprojects import geo

# (WGS-84 lat, lng) → (GCJ-02 lat, lng)
CASES = [
    ((39.908692, 116.397477), (39.91009549393981, 116.40372056710368)),  # 北京 天安门
    ((31.2304, 121.4737), (31.22845773757727, 121.47822305927693)),  # 上海
    ((28.49, 109.02), (28.48670035385091, 109.02452270847996)),  # the demo county
    ((23.1291, 113.2644), (23.126423339922844, 113.26972959210308)),  # 广州
    ((43.8256, 87.6168), (43.82680539311119, 87.61964994946926)),  # 乌鲁木齐
]


@pytest.mark.parametrize("wgs, gcj", CASES)
def test_wgs84_to_gcj02_matches_reference(wgs, gcj):
    lat, lng = geo.wgs84_to_gcj02(*wgs)
    assert (round(lat, 7), round(lng, 7)) == (round(gcj[0], 7), round(gcj[1], 7))


@pytest.mark.parametrize("wgs, gcj", CASES)
def test_gcj02_to_wgs84_inverts(wgs, gcj):
    lat, lng = geo.gcj02_to_wgs84(*gcj)
    assert (round(lat, 7), round(lng, 7)) == (round(wgs[0], 7), round(wgs[1], 7))


@pytest.mark.parametrize(
    "lat, lng, outside",
    [
        (51.5074, -0.1278, True),
        (1.3521, 103.8198, False),
        (-33.86, 151.2, True),
        (28.49, 109.02, False),
    ],
)
def test_outside_china_is_unchanged(lat, lng, outside):
    assert geo.out_of_china(lat, lng) is outside
    if outside:
        assert geo.wgs84_to_gcj02(lat, lng) == (lat, lng)
        assert geo.gcj02_to_wgs84(lat, lng) == (lat, lng)


@pytest.mark.parametrize(
    "system, entered, stored",
    [
        (geo.WGS84, ("28.490000", "109.020000"), (Decimal("28.490000"), Decimal("109.020000"))),
        (geo.CGCS2000, ("28.4", "109.0"), (Decimal("28.400000"), Decimal("109.000000"))),
        (
            geo.MAP_PICK,
            ("28.1234567", "109.7654321"),
            (Decimal("28.123457"), Decimal("109.765432")),
        ),
        (
            geo.GCJ02,
            ("28.48670035385091", "109.02452270847996"),
            (Decimal("28.490000"), Decimal("109.020000")),
        ),
    ],
)
def test_to_storage(system, entered, stored):
    assert geo.to_storage(Decimal(entered[0]), Decimal(entered[1]), system) == stored


def test_to_storage_refuses_unknown_system():
    with pytest.raises(ValueError, match="未知坐标系"):
        geo.to_storage(Decimal(1), Decimal(1), "bd09")


SQUARE = [[[109.0, 28.4], [109.1, 28.4], [109.1, 28.5], [109.0, 28.4]]]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"type": "Topology"}, "文件不是 GeoJSON"),
        ({"type": "FeatureCollection"}, "FeatureCollection 缺少 features 列表"),
        ({"type": "FeatureCollection", "features": [{"type": "Point"}]}, "第1个要素不是 Feature"),
        (
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [109, 28]}},
            "第1个要素的几何类型应为面",
        ),
        ({"type": "Polygon", "coordinates": [[[109.0, "x"]]]}, "第1个要素含有不是数字的坐标"),
        (
            {"type": "Polygon", "coordinates": [[[512345.6, 3151234.5]]]},
            "第1个要素的坐标（512345.6, 3151234.5）不是经纬度",
        ),
        ({"type": "Polygon", "coordinates": []}, "文件中没有边界坐标"),
    ],
)
def test_check_boundary_refuses(data, message):
    with pytest.raises(geo.BoundaryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        geo.check_boundary(data)


def test_boundary_to_storage_converts_every_position_and_drops_heights():
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "甲"},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[[[109.02452270847996, 28.48670035385091, 350.0]]]],
                },
            }
        ],
    }
    assert geo.check_boundary(data) == 1
    out = geo.boundary_to_storage(data, geo.GCJ02)
    assert out["features"][0]["geometry"]["coordinates"] == [[[[109.02, 28.49]]]]
    assert data["features"][0]["geometry"]["coordinates"][0][0][0][0] == 109.02452270847996
    assert geo.boundary_to_storage({"type": "Polygon", "coordinates": SQUARE}, geo.WGS84) == {
        "type": "Polygon",
        "coordinates": SQUARE,
    }
