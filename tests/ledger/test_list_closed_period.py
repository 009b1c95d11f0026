"""The ledger list on a closed month reads its rows as plain rows (figures.ledger.shown_rows)
and their verdicts from the period's snapshot, through the colour filter's join when there is
one. Whatever the path, each row's badge is the verdict figures.period_verdicts gives the
project itself: frozen for projects in the issued figures, live for one entered after the
close, none for 储备."""

import re
from datetime import date

import pytest
from django.urls import reverse

from keyprojects.figures import ledger as figures
from keyprojects.figures import periods, services
from keyprojects.ledger.models import Project
from tests import factories

pytestmark = pytest.mark.django_db

BADGE = re.compile(
    r'<a href="/projects/(\d+)/">.*?<td data-label="序时预警">'
    r'(?:<span class="light light-(\w+)" title="([^"]*)">|<span class="muted">—)',
    re.S,
)


@pytest.fixture
def closed_march(dept, other_dept, office):
    """March 2022 closed with a red project (due to start half a year before), a started one
    ahead of schedule, and a reserve project; then a project entered in April, after the
    close, due to have started in February."""
    red = factories.project(dept, name="未开工项目", planned_start=date(2021, 10, 1))
    green = factories.started_project(other_dept, name="按期推进项目")
    for month in (1, 2, 3):
        factories.report(green, month, 100)  # 300 of 400万元 by March: ahead of 序时
    reserve = factories.project(dept, name="储备项目", category="reserve", planned_start=None)
    services.set_current_year(2022, by=office)
    services.close_period(2022, 3, by=office, today=date(2022, 4, 5))
    late = factories.project(other_dept, name="关账后录入项目", planned_start=date(2022, 2, 1))
    return {"red": red, "green": green, "reserve": reserve, "late": late}


def _badges(html: str) -> dict[int, tuple[str, str]]:
    """{project id: (colour or "", reasons)} of the list's rows."""
    return {int(pk): (colour, reasons) for pk, colour, reasons in BADGE.findall(html)}


def _expected(period, projects) -> dict[int, tuple[str, str]]:
    verdict_of = figures.period_verdicts(list(projects), period)
    return {
        p.pk: (v.colour.value, v.reason_text) if (v := verdict_of.get(p.pk)) else ("", "")
        for p in projects
    }


@pytest.mark.parametrize("query", ["", "?o=colour", "?o=-colour", "?colour=red", "?colour=green"])
def test_rows_carry_the_verdicts_the_figures_give(query, closed_march, client_for, office):
    period = periods.default_period(today=date(2022, 4, 20))
    assert period.final and period.month == 3
    page = client_for(office).get(reverse("ledger:project_list") + query)
    assert page.status_code == 200
    shown = _badges(page.content.decode())
    projects = Project.objects.filter(pk__in=[p.pk for p in closed_march.values()])
    expected = _expected(period, projects)
    if query.startswith("?colour="):
        colour = query.split("=")[1]
        expected = {pk: badge for pk, badge in expected.items() if badge[0] == colour}
        # The frozen colour decides the filter: the late project is judged live only in rows.
        expected.pop(closed_march["late"].pk, None)
    assert shown and shown == expected


def test_the_late_project_is_judged_live_and_the_reserve_is_not(closed_march, client_for, office):
    html = client_for(office).get(reverse("ledger:project_list")).content.decode()
    shown = _badges(html)
    assert shown[closed_march["red"].pk][0] == "red"
    assert shown[closed_march["green"].pk][0] == "green"
    assert shown[closed_march["reserve"].pk] == ("", "")
    # Not in the issued figures: no snapshot row, so its badge is today's live judgement.
    assert closed_march["late"].pk in shown
    assert shown[closed_march["late"].pk][0] in {"red", "yellow", "green"}


def test_department_labels_and_links_are_the_projects_own(closed_march, client_for, office, dept):
    html = client_for(office).get(reverse("ledger:project_list") + "?colour=red").content.decode()
    red = closed_march["red"]
    row = html[html.index(f'<a href="{red.get_absolute_url()}">') :]
    row = row[: row.index("</tr>")]
    assert f'data-label="牵头单位">{dept.label}</td>' in row
    assert red.name in row


def test_a_filter_that_finds_nothing_says_so(closed_march, client_for, office):
    """An empty page still shows the count, the period and the empty row (it used to show
    nothing below the filters: the page of no rows read as false)."""
    url = reverse("ledger:project_list") + "?colour=yellow&q=没有这个项目"
    html = client_for(office).get(url).content.decode()
    assert "共 0 个项目" in html and "没有符合条件的项目" in html
    assert "数据截至2022年3月31日" in html
