"""Role × URL expectations for the problems pages (contract: tests/matrix.py)."""

from tests.matrix import ANON, Case, business


def build(world):
    from django.core.files.base import ContentFile

    from keyprojects.problems import services
    from keyprojects.problems.models import Evidence
    from tests import factories
    from tests.problems import builders

    office = world.users["office"]
    problem = builders.problem(world.project, office)
    world.extra["problem"] = problem
    world.extra["order"] = problem.orders.get()
    reply = services.reply(problem, text="已约见建设单位", on=problem.raised_on, by=office)
    ev = Evidence(reply=reply, content_type="application/pdf", original_name="整改.pdf", size=8)
    ev.file.save("e.pdf", ContentFile(b"%PDF-1.4"), save=False)
    ev.save()
    world.extra["evidence"] = ev
    world.extra["flag"] = builders.flag(world.project, office)
    world.extra["problem_report"] = factories.report(
        world.project, 1, "10", problems="杆线迁改未完成，拆迁房屋未拆除"
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


ALL_READ = business(200, other=200)  # scoped pages: another department sees its own rows

CASES = [
    Case("problems:list", ALL_READ),
    Case("problems:list", ALL_READ, query="?status=unsettled&kind=other"),
    Case("problems:list", business(400, other=400), query="?status=bogus", note="bad filter"),
    Case("problems:create", _roles(200, 403, 403, 403)),
    Case("problems:detail", business(200), args=lambda w: [w.problem.pk]),
    Case("problems:edit", _roles(200, 403, 404, 403), args=lambda w: [w.problem.pk]),
    Case(
        "problems:reply",
        _roles(302, 302, 404, 403),
        args=lambda w: [w.problem.pk],
        method="post",
        data=lambda w: {"text": "已协调解决"},
    ),
    Case(
        "problems:transition",
        _roles(302, 302, 404, 403),
        args=lambda w: [w.problem.pk, "finish"],
        method="post",
    ),
    Case(
        "problems:interview_create",
        _roles(200, 403, 404, 403),
        args=lambda w: [w.problem.pk],
    ),
    Case(
        "problems:from_report",
        _roles(302, 403, 404, 403),
        args=lambda w: [w.problem_report.pk],
        method="post",
        data=lambda w: {"kind": "pipelines"},
    ),
    Case("problems:order_list", ALL_READ),
    Case("problems:order_docx", business(200), args=lambda w: [w.order.pk]),
    Case("problems:evidence", business(200), args=lambda w: [w.evidence.pk]),
    Case("problems:risk_list", ALL_READ),
    Case("problems:risk_list", ALL_READ, query="?state=all"),
    Case("problems:risk_create", _roles(200, 200, 404, 403), args=lambda w: [w.project.pk]),
    Case(
        "problems:risk_clear",
        _roles(302, 302, 404, 403),
        args=lambda w: [w.flag.pk],
        method="post",
        data=lambda w: {"cleared_on": "2022-04-01"},
    ),
    Case("problems:kpis", ALL_READ, query="?year=2022&quarter=1"),
    Case("problems:kpis", business(400, other=400), query="?year=2022&quarter=9"),
    Case("problems:ranking", ALL_READ, query="?year=2022&quarter=1"),
    Case("problems:ranking", ALL_READ, query="?year=2022&month=2"),
    Case("problems:ranking_export", ALL_READ, query="?year=2022&quarter=1"),
    Case("problems:rules", ALL_READ),
]
