from tests.matrix import ANON, Case, business

OFFICE_ONLY = {
    "anonymous": ANON,
    "office": 200,
    "reporter": 403,
    "other_reporter": 403,
    "leader": 403,
    "sysadmin": 403,
    "secadmin": 403,
    "auditadmin": 403,
}


def _pk(w):
    return [w.project.pk]


def _stamp(w):
    from keyprojects.ledger.services import plan_stamp

    return plan_stamp(w.project)


def _milestone(w):
    return [w.project.pk, w.milestone.pk]


CASES = [
    Case(
        "home",
        expect={**business(302, other=302, admin=302), "anonymous": ANON},
        note="redirects to the summary for everyone logged in",
    ),
    Case("ledger:project_list", expect=business(200, other=200)),
    Case("ledger:summary", expect=business(200, other=200)),
    Case("ledger:project_print", expect=business(200, other=200)),
    Case("ledger:project_create", expect=business(200, other=200, leader=403)),
    Case("ledger:project_detail", args=_pk, expect=business(200)),
    Case("ledger:project_edit", args=_pk, expect=business(200, leader=403)),
    # A reporter may not delete; another department's reporter does not see the project at all.
    Case("ledger:project_delete", args=_pk, expect=business(200, reporter=403, leader=403)),
    Case("ledger:recycle_bin", expect=OFFICE_ONLY),
    Case(
        "ledger:project_restore",
        args=lambda w: [w.deleted_project.pk],
        method="post",
        expect={**OFFICE_ONLY, "office": 302},
    ),
    Case(
        "ledger:milestone_restore",
        args=lambda w: [w.deleted_milestone.pk],
        method="post",
        expect={**OFFICE_ONLY, "office": 302},
    ),
    Case("ledger:milestone_create", args=_pk, expect=business(200, leader=403)),
    Case("ledger:milestone_edit", args=_milestone, expect=business(200, leader=403)),
    Case(
        "ledger:milestone_delete",
        args=_milestone,
        method="post",
        data=lambda w: {"version": w.milestone.version},
        expect=business(302, leader=403),
    ),
    # Only a department asks to change its own baselined node; the office changes it directly.
    Case(
        "ledger:milestone_propose",
        args=lambda w: [w.project.pk, w.baselined.pk],
        expect=business(200, office=403, leader=403),
    ),
    Case(
        "ledger:baseline_approve",
        args=_pk,
        method="post",
        data=lambda w: {"stamp": _stamp(w)},
        expect={**OFFICE_ONLY, "office": 302},
    ),
    Case(
        "ledger:change_list",
        expect=business(200, other=200, leader=403),
        note="scoped: a department sees its own proposals and their outcome",
    ),
    Case(
        "ledger:change_decide",
        args=lambda w: [w.change.pk],
        method="post",
        data=lambda w: {"decision": "refuse", "comment": "理由不足", "version": w.change.version},
        expect={**OFFICE_ONLY, "office": 302},
    ),
]


def build(world):
    from django.utils import timezone

    from tests import factories

    m = factories.milestone(world.project, name="已删除的节点")
    m.deleted_at = timezone.now()
    m.save()
    world.extra["deleted_milestone"] = m
    from datetime import date

    from keyprojects.ledger import services

    baselined = factories.milestone(world.project, phase="start", planned_date=date(2022, 3, 1))
    baselined.baseline_date = baselined.planned_date
    baselined.save()
    world.extra["baselined"] = baselined
    world.extra["change"] = services.propose_change(
        baselined, by=world.users["reporter"], kind="delete", reason="设计变更"
    )
