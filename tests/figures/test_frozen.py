"""A closed month keeps its county-wide figures (figures.frozen, #15 item 5): the pages read them
instead of aggregating the snapshot again, and they say exactly what the snapshot says."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps

from keyprojects.figures import frozen, periods, services
from keyprojects.figures import ledger as figures
from keyprojects.figures.models import PeriodSnapshot, ReportingPeriod
from keyprojects.ledger.models import Project
from keyprojects.problems.figures import ranking
from keyprojects.report import context as report_context
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)
AS_OF = date(2022, 3, 31)


def _behind(dept, code, **kw):
    """Started, reported every month, far below 序时."""
    p = factories.started_project(dept, code=code, name=f"滞后{code}", **kw)
    for m in (1, 2, 3):
        factories.report(p, m, 1)
    return p


def _county(dept, other_dept):
    """Six behind in one department (a sentence quotes three), one in the other; projects late
    to start in both, one not yet due, one on schedule, one silent, a reserve project."""
    made = {
        "behind": [_behind(dept, f"A{n}") for n in (6, 2, 5, 1, 4, 3)]
        + [_behind(other_dept, "B1")],
        "late": [
            factories.project(dept, code="C2", name="迟开工C2", planned_start=date(2022, 2, 1)),
            factories.project(
                other_dept, code="C1", name="迟开工C1", planned_start=date(2022, 3, 1)
            ),
            factories.project(dept, code="C3", name="迟开工C3", planned_start=date(2022, 1, 5)),
        ],
        "not_due": factories.project(
            dept, code="D1", name="未到期D1", planned_start=date(2022, 6, 1)
        ),
    }
    fine = factories.started_project(dept, code="E1", name="正常E1")
    for m in (1, 2, 3):
        factories.report(fine, m, 200)
    factories.started_project(other_dept, code="F1", name="未报送F1")  # no report
    factories.project(dept, code="R1", category="reserve", annual_plan_wan=0)
    return made


def _march():
    return periods.month_period(2022, 3, today=TODAY)


def _everything(period, dept):
    """Every figure the kept data can stand in for, county-wide and for one department."""
    mine = Project.objects.live().filter(department=dept)
    return {
        "summary": figures.summary(period, lists=()).as_json(),
        "late_start_counts": figures.late_start_counts(period, period.as_of),
        "late_starts": figures.late_starts(period, None, period.as_of, names=3),
        "behind_names": figures.behind_names(period, None, per=3),
        "mine_late": figures.late_starts(period, mine, period.as_of, names=3),
        "mine_behind": figures.behind_names(period, mine, per=3),
        "report": report_context.build(2022, 1).as_json()["figures"],
    }


def test_closing_keeps_what_the_snapshot_says_and_the_pages_read_it(dept, other_dept, office):
    _county(dept, other_dept)
    period = services.close_period(2022, 3, by=office, today=TODAY)
    assert period.county is not None
    # Opened, then closed with everything it keeps in one recorded change.
    states = [(h.state, h.county is not None) for h in period.history.order_by("history_id")]
    assert states == [("open", False), ("closed", True)]
    march = _march()
    kept = _everything(march, dept)

    assert kept["late_start_counts"] == {dept.pk: 2, other_dept.pk: 1}
    # In the ledger's order (交通 before 住建), then code; counted whole, named three.
    assert kept["late_starts"] == (["迟开工C1", "迟开工C2", "迟开工C3"], 3)
    assert kept["behind_names"] == {
        dept.pk: ["滞后A1", "滞后A2", "滞后A3"],
        other_dept.pk: ["滞后B1"],
    }
    projects = kept["summary"]["projects"]
    assert (projects["behind_schedule"], projects["unreported"], projects["reserve"]) == (7, 1, 1)
    assert kept["report"]["county.late_start"]["value"] == 3
    assert kept["report"]["county.behind_names"]["value"] == [
        "滞后B1",
        "滞后A1",
        "滞后A2",
        "滞后A3",
    ]

    # The same figures when nothing was kept (a month closed before): read from the rows.
    ReportingPeriod.objects.update(county=None)
    assert _everything(march, dept) == kept


def test_the_kept_figures_are_read_in_few_queries(
    dept, other_dept, office, django_assert_max_num_queries
):
    _county(dept, other_dept)
    services.close_period(2022, 3, by=office, today=TODAY)
    march = _march()
    # The period's record, then the departments (and the year's 序时 rule) or the projects.
    with django_assert_max_num_queries(3):
        figures.summary(march, lists=())
    with django_assert_max_num_queries(2):
        figures.late_starts(march, None, march.as_of, names=3)
    with django_assert_max_num_queries(2):
        figures.behind_names(march, None, per=3)


def test_names_and_departments_are_shown_as_they_are_now(dept, other_dept, office):
    made = _county(dept, other_dept)
    services.close_period(2022, 3, by=office, today=TODAY)
    first = made["behind"][3]  # A1
    first.name = "滞后A1（更名）"
    first.save(update_fields=["name"])
    dept.name, dept.order = "县住房和城乡建设局", 200
    dept.save(update_fields=["name", "order"])
    march = _march()
    assert figures.behind_names(march, None, per=3)[dept.pk][0] == "滞后A1（更名）"
    rows = figures.summary(march, lists=()).departments
    assert [r.name for r in rows] == ["县交通运输委员会", "县住房和城乡建设局"]
    assert [r.behind_schedule for r in rows] == [1, 6]


def test_a_planned_start_edited_after_the_close_moves_no_issued_figure(dept, other_dept, office):
    made = _county(dept, other_dept)
    services.close_period(2022, 3, by=office, today=TODAY)
    march = _march()
    before = _everything(march, dept)
    # One late project's date moved after the quarter, the not-yet-due one's moved before it.
    Project.objects.filter(pk=made["late"][0].pk).update(planned_start=date(2022, 9, 1))
    Project.objects.filter(pk=made["not_due"].pk).update(planned_start=date(2022, 2, 1))
    assert _everything(march, dept) == before
    late = {s.department_id: s.facts.not_started_late for s in ranking(march).departments}
    assert late == {dept.pk: 2, other_dept.pk: 1}
    ReportingPeriod.objects.update(county=None)
    assert _everything(march, dept) == before  # the rows keep the date too

    # The open month after it sees today's dates.
    april = periods.month_period(2022, 4, today=date(2022, 5, 3))
    assert not april.final
    assert figures.late_start_counts(april, april.as_of)[dept.pk] == 2  # C3 and D1, not C2


def test_rows_closed_before_the_date_was_kept_take_the_ledgers(dept, other_dept, office):
    made = _county(dept, other_dept)
    services.close_period(2022, 3, by=office, today=TODAY)
    PeriodSnapshot.objects.update(planned_start=None)
    migration = importlib.import_module(
        "keyprojects.figures.migrations.0004_snapshot_planned_start_county"
    )
    migration.keep_planned_start(apps, None)
    row = PeriodSnapshot.objects.get(project=made["late"][1])
    assert row.planned_start == date(2022, 3, 1)
    assert PeriodSnapshot.objects.filter(planned_start__isnull=True).count() == 0


def test_pack_keeps_money_exact_and_ids_as_numbers():
    kept = frozen.pack(
        [
            {
                "department_id": 7,
                "department__name": "县财政局",
                "department__short_name": "财政",
                "listed": 2,
                "total_inv": Decimal("0.10"),
                "reserve_inv": Decimal(0),
                "listed_inv": Decimal("12345678901.23"),
                "plan": Decimal("1.005"),
                "ytd": Decimal("3"),
            }
        ],
        late_start={7: 1},
        late_first=[3],
        late_total=1,
        behind_first={7: [4, 5]},
    )
    row = kept["grouped"][0]
    assert "department__name" not in row and row["listed"] == 2
    assert row["listed_inv"] == "12345678901.23" and row["plan"] == "1.005"
    assert frozen.late_start(kept) == {7: 1}
    assert frozen.behind_first(kept, 1) == {7: [4]}
