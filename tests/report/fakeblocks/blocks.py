"""The seed report's factor figures (000_27a6ff2011eb3e13.txt), in the agreed block shapes."""

from decimal import Decimal


def land(*, year, quarter, period=None):
    return {
        "conversion_projects": 10,
        "new_construction_land_ha": Decimal("66.4923"),
        "new_construction_land_mu": Decimal("997"),
        "farmland_projects": 5,
        "parcels_listed": 3,
        "expected_transfer_revenue_wan": Decimal("4595.55"),
    }


def housing(*, year, quarter, period=None):
    return {
        "units": 1125,
        "area_wan_m2": Decimal("12.65"),
        "units_last_year": 495,
        "area_last_year_wan_m2": Decimal("5.90"),
        "units_yoy_pct": Decimal("127"),
        "area_yoy_pct": Decimal("114"),
        "event": {
            "name": "房交会",
            "units": 986,
            "area_wan_m2": Decimal("10.99"),
            "subsidy_wan": Decimal("2200"),
            "subsidy_fiscal_wan": Decimal("1000"),
            "subsidy_enterprise_wan": Decimal("1200"),
        },
    }


def fiscal(*, year, quarter, period=None):
    return [
        {
            "department": "规资",
            "target_wan": Decimal("140000"),
            "actual_wan": Decimal("21000"),
            "completion_pct": Decimal("15.0"),
        },
        {
            "department": "住建",
            "target_wan": Decimal("12000"),
            "actual_wan": Decimal("2600"),
            "completion_pct": Decimal("21.7"),
        },
    ]


def funding(*, year, quarter, period=None):
    return {
        "planned_wan": Decimal("86000"),
        "arrived_wan": Decimal("31000"),
        "arrival_pct": Decimal("36.0"),
        "by_source": {"财政": Decimal("12000")},
    }


def risks(*, year, quarter, period=None):
    projects = {
        "stopped": ["碧桂园·凤凰城项目"],
        "funding": ["凤鸣江湾住宅小区"],
        "labour": ["凤鸣江湾住宅小区"],
        "demolition": [],
        "quality": ["凤凰隧道及连接道工程"],
    }
    return {**{k: len(v) for k, v in projects.items()}, "projects": projects}


def problems(*, year, quarter, period=None):
    return {"open": 12, "overdue": 3, "by_level": {"红色": 1, "黄色": 4}, "by_type": {}}
