"""Role × URL expectations for the reserve pool (contract: tests/matrix.py)."""

from tests.matrix import ANON, Case, business


def build(world):
    from datetime import date

    from keyprojects.reserve import defaults
    from keyprojects.reserve.models import PrepTask, ReserveProfile, Stage
    from tests import factories

    defaults.ensure()  # a transactional test may have flushed the migration's stages

    office = world.users["office"]
    reserve = factories.project(
        world.dept, category="reserve", annual_plan_wan=0, name="城市更新示范片区"
    )
    profile = ReserveProfile.objects.create(
        project=reserve, stage=Stage.objects.get(order=2), intake_on=date(2021, 11, 15)
    )
    world.extra["profile"] = profile
    world.extra["task"] = PrepTask.objects.create(
        profile=profile,
        name="可行性研究报告编制",
        department=world.dept,
        deadline=date(2022, 6, 30),
    )
    world.extra["bare_reserve"] = factories.project(
        world.dept, category="reserve", annual_plan_wan=0, name="海绵城市建设项目"
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

CASES = [
    Case("reserve:list", ALL_READ),
    Case("reserve:list", ALL_READ, query="?year=2022"),
    Case("reserve:list", business(400, other=400), query="?year=abc"),
    Case("reserve:detail", business(200), args=lambda w: [w.profile.pk]),
    Case("reserve:edit", _roles(200, 200, 404, 403), args=lambda w: [w.profile.pk]),
    Case("reserve:promote", _roles(200, 403, 404, 403), args=lambda w: [w.profile.pk]),
    Case(
        "reserve:task_create",
        _roles(302, 302, 404, 403),
        args=lambda w: [w.profile.pk],
        method="post",
        data=lambda w: {"name": "用地预审", "department": w.dept.pk, "deadline": "2022-06-30"},
    ),
    Case(
        "reserve:task_done",
        _roles(302, 302, 404, 403),
        args=lambda w: [w.task.pk],
        method="post",
    ),
    Case("reserve:create", _roles(200, 200, 404, 403), args=lambda w: [w.bare_reserve.pk]),
]
