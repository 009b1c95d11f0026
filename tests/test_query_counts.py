"""Every list and summary page runs the same number of queries for 1 row as for 3 (no query
per row; pretalx's convention). Each case warms the page up once (sessions, content types),
counts the queries at 1 row, adds 2 rows and asserts that count with django_assert_num_queries.
"""

from dataclasses import dataclass
from datetime import date
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keyprojects.core.choices import Role
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.importer.models import ImportJob
from keyprojects.security import audit
from tests import factories

pytestmark = pytest.mark.django_db

_serial = count(1)


def _started(dept):
    """A started construction project with a milestone, a report and an overdue milestone."""
    n = next(_serial)
    p = factories.started_project(dept, name=f"项目{n}", code=f"ZD2022-{n:03d}")
    factories.milestone(p, name="施工许可", planned_date=date(2022, 2, 1), actual_date=None)
    factories.report(p, 1, 100)
    factories.report(p, 2, 50, status=ReportStatus.SUBMITTED)
    return p


def _deleted(dept):
    p = _started(dept)
    p.deleted_at = p.updated_at
    p.save()
    return p


def _owing(dept):
    n = next(_serial)
    return factories.started_project(dept, name=f"待报{n}", code=f"ZD2022-{n:03d}")


def _job(dept, user):
    return ImportJob.objects.create(
        kind="ledger", original_name=f"台账{next(_serial)}.xlsx", year=2022, created_by=user
    )


def _account(dept):
    n = next(_serial)
    return factories.user(Role.REPORTER, department=dept, username=f"user{n}")


def _audit_row(dept, user):
    return audit.record("export", user=user, obj=f"导出{next(_serial)}")


def _deleted_event(dept, user):
    from django.utils import timezone

    from keyprojects.factors.models import SalesEvent

    return SalesEvent.objects.create(
        name=f"房交会{next(_serial)}",
        department=dept,
        starts_on=date(2022, 2, 8),
        deleted_at=timezone.now(),
        deleted_by=user,
    )


def _owing_reserve(dept):
    return factories.project(
        dept, category="reserve", annual_plan_wan=0, name=f"未建档储备{next(_serial)}"
    )


def _reserve(dept):
    """A 储备 project with a profile, and a profile converted into the 2023 plan: a row in the
    pool table, in the by-stage table and in the converted list."""
    from keyprojects.reserve import defaults
    from keyprojects.reserve.models import ReserveProfile, Stage

    defaults.ensure()
    n = next(_serial)
    p = factories.project(dept, category="reserve", annual_plan_wan=0, name=f"储备{n}")
    ReserveProfile.objects.create(
        project=p, stage=Stage.objects.get(order=1 + n % 3), intake_on=date(2021, 11, 1)
    )
    done = factories.project(dept, year=2023, name=f"已转化{n}")
    ReserveProfile.objects.create(
        project=done,
        stage=Stage.objects.get(is_converted=True),
        intake_on=date(2021, 11, 1),
        converted_year=2023,
        converted_on=date(2022, 12, 1),
    )
    return p


@dataclass
class Page:
    url: str
    viewer: str  # a fixture name
    add: object  # add(dept, viewer) -> one more row on the page
    shows_rows: bool = True  # the page names each row (the summary shows only totals)


PAGES = {
    "ledger list": Page(reverse("ledger:project_list"), "office", lambda d, u: _started(d)),
    "ledger list (reporter)": Page(
        reverse("ledger:project_list"), "reporter", lambda d, u: _started(d)
    ),
    "ledger list (all years)": Page(
        reverse("ledger:project_list") + "?year=", "office", lambda d, u: _started(d)
    ),
    "summary": Page(
        reverse("ledger:summary") + "?year=2022&quarter=1",
        "office",
        lambda d, u: _started(d),
        shows_rows=False,
    ),
    "ledger list by colour": Page(
        reverse("ledger:project_list") + "?year=2022&o=colour", "office", lambda d, u: _started(d)
    ),
    "dashboard data": Page(
        reverse("dashboard:data") + "?year=2022&month=3",
        "office",
        lambda d, u: _started(d),
        shows_rows=False,
    ),
    "dashboard data (reporter)": Page(
        reverse("dashboard:data") + "?year=2022&month=3",
        "reporter",
        lambda d, u: _started(d),
        shows_rows=False,
    ),
    "map data": Page(
        reverse("dashboard:map_data") + "?year=2022",
        "office",
        lambda d, u: _started(d),
        shows_rows=False,
    ),
    "KPIs": Page(
        reverse("problems:kpis") + "?year=2022&quarter=1",
        "office",
        lambda d, u: _started(d),
        shows_rows=False,
    ),
    "ranking": Page(
        reverse("problems:ranking") + "?year=2022&quarter=1",
        "office",
        lambda d, u: _started(d),
        shows_rows=False,
    ),
    "reserve pool": Page(
        reverse("reserve:list") + "?year=2022", "office", lambda d, u: _reserve(d)
    ),
    "reserve pool (reporter)": Page(reverse("reserve:list"), "reporter", lambda d, u: _reserve(d)),
    "reserve pool by stage": Page(
        reverse("reserve:list") + "?year=2022&stage=none", "office", lambda d, u: _owing_reserve(d)
    ),
    "recycle bin": Page(reverse("ledger:recycle_bin"), "office", lambda d, u: _deleted(d)),
    "factor recycle bin": Page(
        reverse("factors:recycle_bin", args=["sales-events"]), "office", _deleted_event
    ),
    "report list": Page(reverse("dispatch:report_list"), "office", lambda d, u: _started(d)),
    "report list (reporter)": Page(
        reverse("dispatch:report_list"), "reporter", lambda d, u: _started(d)
    ),
    "due": Page(reverse("dispatch:due") + "?month=2022-03", "office", lambda d, u: _owing(d)),
    "wall chart": Page(
        reverse("dispatch:wall_chart") + "?year=2022", "office", lambda d, u: _started(d)
    ),
    "brief": Page(reverse("dispatch:brief") + "?month=2022-02", "office", lambda d, u: _started(d)),
    "import jobs": Page(reverse("importer:upload"), "office", _job),
    "accounts": Page(reverse("security:accounts"), "sysadmin", lambda d, u: _account(d)),
    "roles": Page(reverse("security:roles"), "secadmin", lambda d, u: _account(d)),
    "audit log": Page(reverse("security:audit_log"), "auditadmin", _audit_row),
}


@pytest.mark.parametrize("name", PAGES)
def test_queries_do_not_grow_with_rows(name, request, dept, client_for, django_assert_num_queries):
    page = PAGES[name]
    viewer = request.getfixturevalue(page.viewer)
    client = client_for(viewer)
    page.add(dept, viewer)
    assert client.get(page.url).status_code == 200  # warm-up
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(page.url).status_code == 200
    added = [page.add(dept, viewer), page.add(dept, viewer)]
    with django_assert_num_queries(len(one_row.captured_queries)):
        response = client.get(page.url)
    assert response.status_code == 200
    if page.shows_rows:
        body = response.content.decode()
        assert [_label(row) in body for row in added] == [True, True]


def _label(row) -> str:
    for attr in ("original_name", "username", "object_repr", "name"):
        if hasattr(row, attr):
            return getattr(row, attr)
    raise AssertionError(row)
