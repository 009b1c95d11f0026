from datetime import date
from decimal import Decimal

import pytest

from keyprojects.core.choices import Role
from tests import factories


@pytest.fixture
def land_dept(db):
    return factories.department(name="县规划和自然资源局", short_name="规资")


@pytest.fixture
def land_reporter(land_dept):
    return factories.user(Role.REPORTER, department=land_dept, username="guizi", full_name="张填报")


@pytest.fixture
def batch(land_dept, project, land_reporter):
    from keyprojects.factors import models as m
    from keyprojects.factors import services

    b = m.LandBatch(
        name="2022年第1批次",
        department=land_dept,
        status="reported",
        reported_on=date(2022, 2, 18),
        collective_farmland_ha=Decimal("18.3605"),
        collective_cultivated_ha=Decimal("10.2214"),
        collective_unused_ha=Decimal("1.2040"),
    )
    return services.save_record(b, by=land_reporter, projects=[project])
