"""Role × URL expectations for the factor pages (contract: tests/matrix.py).

Factor tables are read by every business role (another department's reporter too); land tables
are written by the land department (规资; the matrix reporter is 住建, so 403), housing tables by
住建 (the matrix reporter: allowed), fiscal tasks by the office only. Project funding follows the
project: another department's is a 404. Administrators: 403 everywhere.
"""

from datetime import date
from decimal import Decimal

from tests.matrix import ANON, Case, business


def build(world):
    from django.utils import timezone

    from keyprojects.factors import models as m

    office = world.users["office"]
    batch = m.LandBatch(name="测试批次", department=world.other_dept)
    batch.save()
    batch.projects.set([world.project])
    world.extra["land-batches"] = batch
    world.extra["farmland"] = m.FarmlandOccupation.objects.create(
        project=world.project,
        department=world.other_dept,
        kind="transport",
        started_on=date(2022, 1, 5),
        occupied_ha=Decimal("1.5"),
    )
    world.extra["land-quotas"] = m.LandQuota.objects.create(
        project=world.project,
        department=world.other_dept,
        quota_ha=Decimal("2"),
        follower="陈科长",
        deadline=date(2022, 3, 1),
    )
    world.extra["parcels"] = m.Parcel.objects.create(
        code="C31-4/02",
        location="平凯南部新城",
        department=world.other_dept,
        area_m2=Decimal("12140.5"),
        use="mixed",
        term_years=70,
        status="listed",
        listed_on=date(2022, 3, 18),
        expected_revenue_wan=Decimal("1820.40"),
    )
    world.extra["housing"] = m.HousingMonth.objects.create(
        year=2022, month=1, region="county_town", department=world.dept, residential_units=10
    )
    world.extra["sales-events"] = m.SalesEvent.objects.create(
        name="春季房交会", department=world.dept, starts_on=date(2022, 2, 8)
    )
    task = m.FiscalTask.objects.create(year=2022, department=world.dept, target_wan=12000)
    world.extra["fiscal-tasks"] = task
    world.extra["fiscal-months"] = m.FiscalMonth.objects.create(
        task=task, month=1, amount_wan=Decimal(800)
    )
    world.extra["funding-plans"] = m.FundingPlan.objects.create(
        project=world.project, year=2022, source="central", planned_wan=Decimal(300)
    )
    world.extra["funding-arrivals"] = m.FundingArrival.objects.create(
        project=world.project, year=2022, month=2, source="central", amount_wan=Decimal(100)
    )
    world.extra["bonds"] = m.BondBatch.objects.create(
        project=world.project,
        name="2022年第一批专项债",
        issued_on=date(2022, 1, 20),
        amount_wan=Decimal(500),
        used_wan=Decimal(100),
    )
    # In the recycle bin: 住建's deleted housing month and a deleted plan of 住建's project.
    deleted = {"deleted_at": timezone.now(), "deleted_by": office}
    world.extra["deleted-housing"] = m.HousingMonth.objects.create(
        year=2022, month=2, region="county_town", department=world.dept, **deleted
    )
    world.extra["deleted-funding-plans"] = m.FundingPlan.objects.create(
        project=world.project, year=2022, source="self", planned_wan=Decimal(50), **deleted
    )
    assert office


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


ALL_READ = business(200, other=200)
LAND = ["land-batches", "farmland", "land-quotas", "parcels"]
HOUSING = ["housing", "sales-events"]
FISCAL = ["fiscal-tasks", "fiscal-months"]
FUNDING = ["funding-plans", "funding-arrivals", "bonds"]

WRITE = {
    **{s: _roles(200, 403, 403, 403) for s in LAND},  # the matrix reporter is 住建, not 规资
    **{s: _roles(200, 200, 403, 403) for s in HOUSING},
    **{s: _roles(200, 403, 403, 403) for s in FISCAL},
}
CREATE = {**WRITE, **{s: _roles(200, 200, 200, 403) for s in FUNDING}}
EDIT = {**WRITE, **{s: _roles(200, 200, 404, 403) for s in FUNDING}}
READ_ONE = {
    **{s: ALL_READ for s in LAND + HOUSING + FISCAL},
    **{s: business(200) for s in FUNDING},  # another department's project: 404
}


def _obj(slug):
    return lambda w: [slug, getattr(w, slug).pk]


CASES = [
    Case("factors:overview", ALL_READ),
    Case("factors:overview", ALL_READ, query="?year=2022&quarter=1"),
    Case("factors:overview", business(400, other=400), query="?quarter=9"),
    Case("factors:list", business(404, other=404), args=lambda w: ["no-such-table"]),
    Case("factors:list", business(400, other=400), args=lambda w: ["parcels"], query="?year=x"),
    Case(
        "factors:edit",
        _roles(302, 302, 403, 403),
        args=_obj("housing"),
        method="post",
        data=lambda w: {
            "year": 2022,
            "month": 1,
            "region": "county_town",
            "department": w.dept.pk,
            "residential_units": 12,
            "residential_area_m2": "1300",
            "nonresidential_units": 0,
            "nonresidential_area_m2": "0",
            "parking_units": 0,
            "version": w.housing.version,
        },
        note="住建 edits its own housing month",
    ),
    Case(
        "factors:create",
        _roles(400, 400, 403, 403),
        args=lambda w: ["housing"],
        method="post",
        data=lambda w: {"year": "20x2", "month": 13, "department": w.dept.pk},
        note="bad input: 400 with the form's Chinese errors",
    ),
    Case(
        "factors:edit",
        _roles(302, 302, 404, 403),
        args=_obj("funding-plans"),
        method="post",
        data=lambda w: {
            "project": w.project.pk,
            "year": 2022,
            "source": "central",
            "planned_wan": "350",
            "version": w.extra["funding-plans"].version,
        },
    ),
]
CASES += [
    Case(
        "factors:delete",
        _roles(302, 302, 403, 403),
        args=_obj("housing"),
        method="post",
        data=lambda w: {"version": w.housing.version},
        note="住建 deletes its own housing month (to the recycle bin)",
    ),
    Case(
        "factors:delete",
        _roles(400, 400, 403, 403),
        args=_obj("housing"),
        method="post",
        note="a delete without the version it saw is refused",
    ),
    Case(
        "factors:restore",
        _roles(302, 302, 403, 403),
        args=lambda w: ["housing", w.extra["deleted-housing"].pk],
        method="post",
    ),
    Case(
        "factors:restore",
        _roles(302, 302, 404, 403),
        args=lambda w: ["funding-plans", w.extra["deleted-funding-plans"].pk],
        method="post",
        note="another department's project: its funding is not even found",
    ),
    Case(
        "factors:restore",
        _roles(405, 405, 405, 405, 405),
        args=lambda w: ["housing", w.extra["deleted-housing"].pk],
    ),
    Case(
        "factors:restore",
        _roles(404, 404, 404, 404),
        args=_obj("housing"),
        method="post",
        note="a live record is not in the recycle bin",
    ),
]
for slug in LAND + HOUSING + FISCAL + FUNDING:
    CASES += [
        Case("factors:list", ALL_READ, args=lambda w, s=slug: [s]),
        Case("factors:list", ALL_READ, args=lambda w, s=slug: [s], query="?year=2022"),
        Case("factors:export", ALL_READ, args=lambda w, s=slug: [s]),
        Case("factors:create", CREATE[slug], args=lambda w, s=slug: [s]),
        Case("factors:detail", READ_ONE[slug], args=_obj(slug)),
        Case("factors:history", READ_ONE[slug], args=_obj(slug)),
        Case("factors:edit", EDIT[slug], args=_obj(slug)),
        Case("factors:delete", EDIT[slug], args=_obj(slug)),  # the confirmation page
        Case("factors:recycle_bin", CREATE[slug], args=lambda w, s=slug: [s]),
    ]
