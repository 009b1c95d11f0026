"""Demo map data: an ILLUSTRATIVE county outline and four made-up areas around the demo projects.

The shapes are invented to frame the demo points (28.45–28.53°N, 108.99–109.05°E); they are not
any real administrative boundary, and say so in their names, notes and on the map.
"""

from keyprojects import geo
from keyprojects.dashboard.choices import BoundaryLevel
from keyprojects.dashboard.models import Boundary

NOTE = "示意边界：演示用，非真实行政区划，不可用于任何正式用途"
COUNTY_NAME = "示意县界（演示）"

_W, _SW, _S, _SE = (108.91, 28.48), (108.93, 28.40), (109.02, 28.37), (109.11, 28.41)
_E, _NE, _N, _NW = (109.14, 28.49), (109.10, 28.58), (109.01, 28.61), (108.94, 28.56)
_C = (109.02, 28.49)


def _ring(*points):
    return [[lng, lat] for lng, lat in (*points, points[0])]


def _feature(name, ring):
    return {
        "type": "Feature",
        "properties": {"name": name, "illustrative": True},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def county() -> dict:
    ring = _ring(_W, _SW, _S, _SE, _E, _NE, _N, _NW)
    return {"type": "FeatureCollection", "features": [_feature(COUNTY_NAME, ring)]}


def areas() -> dict:
    # Four quadrants meeting at _C that tile the outline exactly.
    parts = [
        ("示意片区甲", _ring(_W, _SW, _S, _C)),
        ("示意片区乙", _ring(_S, _SE, _E, _C)),
        ("示意片区丙", _ring(_E, _NE, _N, _C)),
        ("示意片区丁", _ring(_N, _NW, _W, _C)),
    ]
    return {"type": "FeatureCollection", "features": [_feature(n, r) for n, r in parts]}


def load(stdout=None) -> dict:
    """Create the two illustrative boundary layers once (idempotent)."""
    from keyprojects.core.models import User
    from keyprojects.dashboard import services

    office = User.objects.filter(username="office").first()
    made = 0
    for name, level, data in [
        (COUNTY_NAME, BoundaryLevel.COUNTY, county()),
        ("示意乡镇界（演示）", BoundaryLevel.TOWNSHIP, areas()),
    ]:
        if Boundary.objects.filter(name=name).exists():
            continue
        services.add_boundary(
            name=name,
            level=level,
            data=data,
            system=geo.WGS84,
            note=NOTE,
            illustrative=True,
            by=office,
        )
        made += 1
    if stdout is not None and made:
        stdout.write(f"示意地图边界 {made} 个（演示用，非真实行政区划）")
    return {"boundaries": made}
