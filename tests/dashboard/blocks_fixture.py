"""Figures blocks as another app would register them (AppConfig.stats_blocks), for the tests."""

from decimal import Decimal


def land(*, year: int, quarter: int, period=None) -> dict:
    return {
        "conversion_projects": 3,
        "new_construction_land_ha": Decimal("47.3268"),
        "new_construction_land_mu": Decimal("710"),
        "farmland_projects": 1,
        "parcels_listed": 2,
        "expected_transfer_revenue_wan": Decimal("12500.00"),
    }


def problems(*, year: int, quarter: int, period=None) -> dict:
    return {"open": 5, "overdue": 2, "by_level": {"蓝色督办": 3, "红色督办": 2}, "by_type": {}}


def fiscal(*, year: int, quarter: int, period=None) -> list:
    return [
        {
            "department": "税务",
            "target_wan": Decimal("60999"),
            "actual_wan": Decimal("24627"),
            "completion_pct": Decimal("40.4"),
        }
    ]
