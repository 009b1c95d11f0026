"""Baselines (基准计划) and node change proposals: the office approves the plan; a department
proposes moving or deleting a node; nothing changes (colour included) until the office agrees."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from keyprojects import stats
from keyprojects.core.errors import NotAllowed
from keyprojects.dispatch.todo import todo_for
from keyprojects.ledger import services
from keyprojects.ledger.models import Milestone, MilestoneChange
from tests import factories

pytestmark = pytest.mark.django_db

AS_OF = date(2022, 8, 31)


@pytest.fixture
def overdue(project, office):
    """An overdue node (due 2022-06-30, not reached) on an approved baseline."""
    m = factories.milestone(
        project, phase="main_works", name="一期主体结构封顶", planned_date=date(2022, 6, 30)
    )
    services.approve_baseline(project, by=office)
    m.refresh_from_db()
    return m


def _colour(project):
    return stats.verdicts([project], AS_OF)[project.pk].colour.value


def test_approve_baseline_records_date_and_approver(overdue, office):
    assert overdue.baseline_date == date(2022, 6, 30)
    assert overdue.baseline_approved_by == office and overdue.baseline_approved_at is not None
    assert overdue.history.first().history_change_reason == "批准基准计划"


def test_baseline_needs_nodes(project, office):
    with pytest.raises(NotAllowed, match="尚无节点"):
        services.approve_baseline(project, by=office)


def test_reporter_delete_is_a_proposal_colour_unchanged_until_approved(
    overdue, project, reporter, office
):
    before = _colour(project)
    assert before in ("yellow", "red")
    with pytest.raises(NotAllowed, match="已列入基准计划"):
        services.delete_milestone(overdue, by=reporter)
    change = services.propose_change(
        overdue, by=reporter, kind="delete", reason="设计变更，一期取消"
    )
    overdue.refresh_from_db()
    assert not overdue.is_deleted and _colour(project) == before
    assert [i["kind"] for i in todo_for(office, today=AS_OF) if i["kind"] == "node_change"] == [
        "node_change"
    ]
    services.approve_change(change, by=office, comment="同意")
    overdue.refresh_from_db()
    change.refresh_from_db()
    assert overdue.is_deleted and overdue.deleted_by == office
    assert (change.state, change.decided_by) == ("approved", office)
    assert [h.history_change_reason for h in change.history.order_by("history_id")] == [
        "申请节点调整",
        "同意节点调整",
    ]
    assert overdue.history.first().history_change_reason == "同意节点调整"


def test_move_approved_keeps_baseline_and_shows_slip(overdue, project, reporter, office):
    change = services.propose_change(
        overdue, by=reporter, kind="move", new_date=date(2022, 9, 30), reason="雨季停工"
    )
    overdue.refresh_from_db()
    assert overdue.planned_date == date(2022, 6, 30)  # unchanged until the office agrees
    services.approve_change(change, by=office)
    overdue.refresh_from_db()
    assert (overdue.baseline_date, overdue.planned_date) == (date(2022, 6, 30), date(2022, 9, 30))
    page = factories_page(project, reporter)
    assert "原计划2022年6月30日，调整为9月30日，延后92天" in page
    assert "节点调整申请（一期主体结构封顶）" in page.split('id="history"')[1]


def factories_page(project, user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c.get(project.get_absolute_url()).content.decode()


def test_refused_proposal_changes_nothing(overdue, project, reporter, office):
    before = _colour(project)
    change = services.propose_change(
        overdue, by=reporter, kind="move", new_date=date(2022, 12, 31), reason="资金未到位"
    )
    with pytest.raises(NotAllowed, match="请填写审核意见"):
        services.refuse_change(change, by=office, comment=" ")
    services.refuse_change(change, by=office, comment="不属于不可抗力")
    today = timezone.localdate()
    texts = [
        i["text"] for i in todo_for(reporter, today=today) if i["kind"] == "node_change_decided"
    ]
    assert texts == [f"{project.name}“一期主体结构封顶”的调整日期申请未同意：不属于不可抗力"]
    overdue.refresh_from_db()
    assert overdue.planned_date == date(2022, 6, 30) and _colour(project) == before
    with pytest.raises(NotAllowed, match="该申请未同意，不能再审核"):
        services.approve_change(change, by=office)


def test_proposal_rules(overdue, reporter):
    with pytest.raises(NotAllowed, match="请填写申请理由"):
        services.propose_change(overdue, by=reporter, kind="delete", reason="")
    with pytest.raises(NotAllowed, match="请填写调整后日期"):
        services.propose_change(overdue, by=reporter, kind="move", reason="x")
    services.propose_change(overdue, by=reporter, kind="delete", reason="x")
    with pytest.raises(NotAllowed, match="已有待审核的调整申请"):
        services.propose_change(overdue, by=reporter, kind="delete", reason="y")


def test_office_deletes_baselined_node_directly_recorded(overdue, office):
    services.delete_milestone(overdue, by=office)
    overdue.refresh_from_db()
    assert overdue.is_deleted and overdue.history.first().history_change_reason == "删除"


def test_pages_reporter_delete_becomes_proposal_office_decides(
    client_for, overdue, project, reporter, office, other_reporter
):
    r = client_for(reporter)
    response = r.post(
        reverse("ledger:milestone_delete", args=[project.pk, overdue.pk]),
        {"version": overdue.version},
    )
    propose_url = reverse("ledger:milestone_propose", args=[project.pk, overdue.pk])
    assert response.status_code == 302 and response.url == propose_url + "?kind=delete"
    assert not Milestone.objects.get(pk=overdue.pk).is_deleted
    assert r.post(propose_url, {"kind": "move", "reason": "x"}).status_code == 400
    response = r.post(propose_url, {"kind": "move", "new_date": "2022-09-30", "reason": "雨季"})
    assert response.status_code == 302
    change = MilestoneChange.objects.get()
    # A reporter cannot move a baselined date through the edit form either.
    edit = reverse("ledger:milestone_edit", args=[project.pk, overdue.pk])
    r.post(
        edit,
        {
            "phase": "main_works",
            "name": "一期主体结构封顶",
            "planned_date": "2022-12-31",
            "version": overdue.version,
        },
    )
    assert Milestone.objects.get(pk=overdue.pk).planned_date == date(2022, 6, 30)
    o = client_for(office)
    page = o.get(reverse("ledger:change_list")).content.decode()
    assert "原计划2022年6月30日，调整为9月30日，延后92天" in page and "雨季" in page
    decide = reverse("ledger:change_decide", args=[change.pk])
    assert o.post(decide, {"decision": "approve"}).status_code == 400  # no version
    response = o.post(decide, {"decision": "approve", "version": change.version})
    assert response.status_code == 302
    assert Milestone.objects.get(pk=overdue.pk).planned_date == date(2022, 9, 30)
    # The department sees the outcome; another department sees nothing of it.
    page = r.get(reverse("ledger:change_list")).content.decode()
    assert "已同意" in page and "一期主体结构封顶" in page
    other = client_for(other_reporter).get(reverse("ledger:change_list")).content.decode()
    assert "一期主体结构封顶" not in other


def test_project_page_overdue_only_when_passed(client_for, project, reporter):
    factories.milestone(project, phase="start", name="开工", planned_date=date(2022, 1, 5))
    factories.milestone(
        project, phase="acceptance", name="竣工验收", planned_date=date(2099, 12, 31)
    )
    page = factories_page(project, reporter)
    rows = page.split('id="milestones"')[1].split("</table>")[0]
    assert rows.count("light-red") == 1 and "未到期" in rows


def test_baseline_approval_is_versioned(client_for, project, office):
    m = factories.milestone(project, planned_date=date(2022, 6, 30))
    url = reverse("ledger:baseline_approve", args=[project.pk])
    c = client_for(office)
    assert c.post(url).status_code == 400  # no plan version
    stale = services.plan_stamp(project)
    m.planned_date = date(2022, 7, 31)
    services.save_milestone(m, by=office, expected_version=m.version)
    assert c.post(url, {"stamp": stale}).status_code == 302
    m.refresh_from_db()
    assert m.baseline_date is None  # the plan changed since: refused, shown as a message
    assert c.post(url, {"stamp": services.plan_stamp(project)}).status_code == 302
    m.refresh_from_db()
    assert m.baseline_date == date(2022, 7, 31)
