"""Coordinate systems of project locations: pure functions, no ORM (docs/rules.md §6).

Points are stored in WGS-84 / CGCS2000 (天地图, GPS; the two differ by centimetres, far below
what a project marker needs), and the system a point was entered in is recorded beside it.
GCJ-02 (高德, 腾讯, DataV boundaries, DingTalk's location call) is the published obfuscation of
WGS-84 used by Chinese internet maps: its forward formula is public, its inverse is not, so the
inverse is found by fixed-point iteration to well under a centimetre. Outside mainland China
GCJ-02 equals WGS-84.
"""

import math
from decimal import ROUND_HALF_UP, Decimal

# Krasovsky 1940 ellipsoid, as the GCJ-02 formula uses it.
_A = 6378245.0
_EE = 0.00669342162296594323

WGS84 = "wgs84"
CGCS2000 = "cgcs2000"
GCJ02 = "gcj02"
MAP_PICK = "map"  # picked on our own map, whose layers are WGS-84

SYSTEMS = {
    WGS84: "WGS-84（GPS 定位）",
    CGCS2000: "CGCS2000（天地图）",
    GCJ02: "GCJ-02（高德、腾讯地图，已换算为WGS-84保存）",
    MAP_PICK: "地图选点（WGS-84）",
}

_MICRO = Decimal("0.000001")


def out_of_china(lat: float, lng: float) -> bool:
    """The rough box inside which GCJ-02 applies (the formula's own boundary)."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _offset(lat: float, lng: float) -> tuple[float, float]:
    d_lat = _transform_lat(lng - 105.0, lat - 35.0)
    d_lng = _transform_lng(lng - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return d_lat, d_lng


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    if out_of_china(lat, lng):
        return lat, lng
    d_lat, d_lng = _offset(lat, lng)
    return lat + d_lat, lng + d_lng


def gcj02_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    """Inverse of wgs84_to_gcj02 by iteration (converges to < 1e-9° in a few steps)."""
    if out_of_china(lat, lng):
        return lat, lng
    w_lat, w_lng = lat, lng
    for _ in range(30):
        g_lat, g_lng = wgs84_to_gcj02(w_lat, w_lng)
        e_lat, e_lng = g_lat - lat, g_lng - lng
        w_lat, w_lng = w_lat - e_lat, w_lng - e_lng
        if abs(e_lat) < 1e-10 and abs(e_lng) < 1e-10:
            break
    return w_lat, w_lng


def to_storage(lat: Decimal, lng: Decimal, system: str) -> tuple[Decimal, Decimal]:
    """A point as entered in `system` → the stored WGS-84/CGCS2000 point, to six decimals
    (about 0.1 m, the precision of the ledger's latitude/longitude columns)."""
    if system not in SYSTEMS:
        raise ValueError(f"未知坐标系 {system}")
    if system == GCJ02:
        w_lat, w_lng = gcj02_to_wgs84(float(lat), float(lng))
        lat, lng = Decimal(repr(w_lat)), Decimal(repr(w_lng))
    return (
        Decimal(lat).quantize(_MICRO, rounding=ROUND_HALF_UP),
        Decimal(lng).quantize(_MICRO, rounding=ROUND_HALF_UP),
    )


# --- GeoJSON boundaries ---------------------------------------------------------------------

_AREA_TYPES = {"Polygon", "MultiPolygon", "LineString", "MultiLineString"}


class BoundaryError(ValueError):
    """A boundary file we refuse, with the Chinese reason."""


def _geometries(data):
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise BoundaryError("FeatureCollection 缺少 features 列表")
        for i, feature in enumerate(features, start=1):
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise BoundaryError(f"第{i}个要素不是 Feature")
            yield i, feature.get("geometry")
    elif kind == "Feature":
        yield 1, data.get("geometry")
    elif kind in _AREA_TYPES:
        yield 1, data
    else:
        raise BoundaryError("文件不是 GeoJSON（应为 FeatureCollection、Feature 或面、线几何）")


def _positions(coords, depth):
    if depth == 0:
        yield coords
    else:
        if not isinstance(coords, list):
            raise BoundaryError("坐标结构不正确")
        for c in coords:
            yield from _positions(c, depth - 1)


_DEPTH = {"LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}


def check_boundary(data) -> int:
    """Refuse what is not a boundary in longitude/latitude degrees; return the point count.

    Projected metres (a CAD export) are the common mistake: they fall outside ±180/±90."""
    count = 0
    for i, geometry in _geometries(data):
        if not isinstance(geometry, dict) or geometry.get("type") not in _DEPTH:
            raise BoundaryError(f"第{i}个要素的几何类型应为面（Polygon/MultiPolygon）或线")
        for pos in _positions(geometry.get("coordinates"), _DEPTH[geometry["type"]]):
            if (
                not isinstance(pos, list)
                or len(pos) < 2
                or not all(isinstance(v, int | float) for v in pos[:2])
            ):
                raise BoundaryError(f"第{i}个要素含有不是数字的坐标")
            lng, lat = pos[0], pos[1]
            if not (-180 <= lng <= 180 and -90 <= lat <= 90):
                raise BoundaryError(
                    f"第{i}个要素的坐标（{lng}, {lat}）不是经纬度；"
                    "请导出为经纬度（WGS-84/CGCS2000 或 GCJ-02）的 GeoJSON"
                )
            count += 1
    if count == 0:
        raise BoundaryError("文件中没有边界坐标")
    return count


def boundary_to_storage(data, system: str):
    """A checked boundary with every position converted from `system` to WGS-84 (in place
    on a copy), positions rounded to 6 decimals (~0.1 m) to keep the file small."""
    import copy

    if system not in SYSTEMS:
        raise ValueError(f"未知坐标系 {system}")
    out = copy.deepcopy(data)

    def fix(coords, depth):
        if depth == 0:
            lng, lat = coords[0], coords[1]
            if system == GCJ02:
                lat, lng = gcj02_to_wgs84(lat, lng)
            coords[0], coords[1] = round(lng, 6), round(lat, 6)
            del coords[2:]
            return
        for c in coords:
            fix(c, depth - 1)

    for _, geometry in _geometries(out):
        fix(geometry["coordinates"], _DEPTH[geometry["type"]])
    return out
