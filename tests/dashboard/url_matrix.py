"""Role × URL expectations for the dashboard and the map (contract: tests/matrix.py)."""

from tests.matrix import ANON, Case, business


def build(world):
    from keyprojects.dashboard import demo, services
    from keyprojects.dashboard.choices import BoundaryLevel

    world.extra["boundary"] = services.add_boundary(
        name="测试县界",
        level=BoundaryLevel.COUNTY,
        data=demo.county(),
        system="wgs84",
        by=world.users["office"],
    )


def _roles(office, reporter, other, leader, admin=403):
    return {
        "anonymous": ANON,
        "office": office,
        "reporter": reporter,
        "other_reporter": other,
        "leader": leader,
        "sysadmin": admin,
        "secadmin": admin,
        "auditadmin": admin,
    }


# Every business role reads its own scope (a reporter: their department), so 200 for all.
ALL_READ = business(200, other=200)
OFFICE_ONLY = _roles(200, 403, 403, 403)

CASES = [
    Case("dashboard:index", ALL_READ),
    Case("dashboard:index", ALL_READ, query="?year=2022&month=3"),
    Case("dashboard:index", business(400, other=400), query="?year=二〇二二"),
    Case("dashboard:screen", ALL_READ),
    Case("dashboard:print", ALL_READ),
    Case("dashboard:data", ALL_READ),
    Case("dashboard:data", ALL_READ, query="?year=2022&month=12"),
    Case("dashboard:data", business(400, other=400), query="?month=13"),
    Case("dashboard:map", ALL_READ),
    Case("dashboard:map_data", ALL_READ),
    Case("dashboard:map_data", ALL_READ, query="?colour=red&category=new"),
    Case("dashboard:map_data", business(400, other=400), query="?colour=purple"),
    Case("dashboard:map_config", ALL_READ),
    Case("dashboard:boundaries", ALL_READ),
    Case("dashboard:boundary_list", OFFICE_ONLY),
    Case(
        "dashboard:boundary_list",
        _roles(400, 403, 403, 403),
        method="post",
        data=lambda w: {"name": "缺文件"},
        note="no file: the form refuses it (400) for the office",
    ),
    Case(
        "dashboard:boundary_delete",
        _roles(302, 403, 403, 403),
        args=lambda w: [w.boundary.pk],
        method="post",
    ),
    Case("dashboard:map_settings", OFFICE_ONLY),
    Case(
        "dashboard:map_settings",
        _roles(400, 403, 403, 403),
        method="post",
        data=lambda w: {"tile_source": "url", "tile_url": "", "max_zoom": 18},
    ),
    Case(
        "dashboard:tile",
        _roles(404, 404, 404, 404),
        args=lambda w: [1, 2, 3],
        note="no local tile folder configured: nothing to serve",
    ),
]
