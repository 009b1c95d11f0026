"""services.import_reports (the Excel import's bulk path) writes what save_draft → submit →
approve write one report at a time: statuses, lateness, versions, history rows and reasons,
and the figures layer's corrections for a closed month."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from keyprojects.core.errors import NotAllowed, StaleEdit
from keyprojects.dispatch import services
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.dispatch.models import MonthlyReport
from keyprojects.figures import services as figure_services
from keyprojects.figures.models import PeriodCorrection
from tests import factories

pytestmark = pytest.mark.django_db

NOTE = "Excel导入 #7"
ON_TIME = timezone.make_aware(datetime(2022, 4, 3, 9, 0))


def _world(dept, reporter, tag):
    """The same starting reports for each path, on projects of their own."""

    def started(name):
        return factories.started_project(dept, name=f"{name}{tag}")

    returned = factories.report(
        started("退回项目"),
        3,
        5,
        status=ReportStatus.RETURNED,
        submitted_by=reporter,
        submitted_at=ON_TIME,
        first_submitted_at=ON_TIME,
        review_comment="请核实",
    )
    draft = factories.report(started("草稿项目"), 3, 6, status=ReportStatus.DRAFT)
    submitted = factories.report(
        started("已报送项目"),
        3,
        8,
        status=ReportStatus.SUBMITTED,
        submitted_by=reporter,
        submitted_at=ON_TIME,
        first_submitted_at=ON_TIME,
    )
    return [
        (MonthlyReport(project=started("新项目"), year=2022, month=3), Decimal(12), False),
        (returned, Decimal(15), False),
        (draft, Decimal(16), False),
        (submitted, None, True),
    ]


def _one_by_one(world, *, by, approve, when):
    for report, amount, approve_only in world:
        if not approve_only:
            report.invested_wan = amount
            report.progress_text = "主体施工"
            services.save_draft(
                report,
                by=by,
                expected_version=report.version if report.pk else None,
                note=NOTE,
                today=date(2022, 4, 5),
            )
            services.submit(report, by=by, when=when, note=NOTE)
        if approve:
            services.approve(report, by=by, when=when, note=NOTE)


def _bulk(world, *, by, approve, when):
    rows = [
        services.ImportRow(report, {}, approve_only=True)
        if approve_only
        else services.ImportRow(report, {"invested_wan": amount, "progress_text": "主体施工"})
        for report, amount, approve_only in world
    ]
    return services.import_reports(
        rows, by=by, approve=approve, note=NOTE, today=date(2022, 4, 5), when=when
    )


def _outcome(world):
    out = []
    for report, _, _ in world:
        r = MonthlyReport.objects.get(pk=report.pk)
        out.append(
            (
                r.status,
                r.invested_wan,
                r.progress_text,
                r.version,
                r.is_late,
                r.first_submitted_at,
                r.submitted_at,
                r.submitted_by_id,
                r.reviewed_at,
                r.reviewed_by_id,
                r.review_comment,
                [
                    (
                        h.history_type,
                        h.status,
                        h.version,
                        h.history_user_id,
                        h.history_change_reason,
                    )
                    for h in r.history.order_by("history_id")
                ],
                list(
                    PeriodCorrection.objects.filter(report_id=r.pk).values_list(
                        "period__month", "invested_wan", "ytd_frozen_wan", "ytd_corrected_wan"
                    )
                ),
            )
        )
    return out


@pytest.mark.parametrize("who", ["office", "reporter"])
def test_bulk_import_writes_what_one_report_at_a_time_writes(who, request, dept, reporter, office):
    by = request.getfixturevalue(who)
    approve = who == "office"
    # March is closed: an office import approving into it records a correction either way.
    figure_services.close_period(2022, 3, by=office, today=date(2026, 11, 25))
    when = timezone.now()
    one, bulk = _world(dept, reporter, "甲"), _world(dept, reporter, "乙")
    _one_by_one(one, by=by, approve=approve, when=when)
    assert _bulk(bulk, by=by, approve=approve, when=when) == (1, 2)
    expected = _outcome(one)
    assert _outcome(bulk) == expected
    new, returned, _, _ = expected
    assert new[4] is True  # first submitted now, long after the deadline
    assert returned[4] is False  # judged on its first, on-time submission
    assert [h[4] for h in new[11]] == (
        [NOTE, f"报送（{NOTE}）", f"审核通过（{NOTE}）"] if approve else [NOTE, f"报送（{NOTE}）"]
    )
    assert bool(new[12]) is approve


def test_bulk_import_refuses_like_the_services_and_writes_nothing(dept, reporter, office):
    world = _world(dept, reporter, "甲")
    approved = factories.report(factories.started_project(dept, name="已审核项目"), 3, 9)
    before = MonthlyReport.objects.count(), MonthlyReport.history.count()
    with pytest.raises(NotAllowed) as refused:
        _bulk([*world, (approved, Decimal(10), False)], by=office, approve=True, when=None)
    assert str(refused.value) == services.locked_message(approved)
    returned = world[1][0]
    with pytest.raises(NotAllowed) as refused:
        _bulk([(returned, None, True)], by=office, approve=True, when=None)
    assert str(refused.value) == "只有已报送的报告可以审核"
    MonthlyReport.objects.filter(pk=returned.pk).update(version=5)  # someone saved it since
    with pytest.raises(StaleEdit):
        _bulk(world, by=office, approve=True, when=None)
    assert (MonthlyReport.objects.count(), MonthlyReport.history.count()) == before
