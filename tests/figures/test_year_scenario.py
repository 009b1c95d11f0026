"""A plan year lived month by month: every output states the same period and the same figures.

Reports late, returned and resubmitted; months closed; a correction after closing; a project for
next year entered in November. At each step the summary, the ledger list, a project page, the
wall chart, the brief (page and Word) and `keyprojects stats --json` must agree (#15 Done when).

Nodes (#15 item 3): the office approves A's node plan as its baseline in January. In July the
department proposes moving A's overdue node: while pending, and after the office refuses it in
August, A's colour is what the approved plan makes it. In September the office approves another
move: the colour follows the moved date and the project page shows the slip against the
baseline. `_agree(..., colour=)` checks the project's colour on every output at those steps.
"""

import json
import re
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document

from keyprojects.dispatch import services as dispatch_services
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.figures import ledger as figures
from keyprojects.figures import periods, services
from keyprojects.figures.models import PeriodCorrection
from keyprojects.ledger import services as ledger_services
from keyprojects.ledger.models import Milestone, Project
from tests import factories

pytestmark = pytest.mark.django_db


def _aware(y, m, d):
    return timezone.make_aware(datetime(y, m, d, 10, 0))


def _report(project, month, amount, *, by, office, submitted=None, approve=True):
    r = factories.report(project, month, amount, status=ReportStatus.DRAFT)
    dispatch_services.submit(r, by=by, when=submitted or _aware(2022, month % 12 + 1, 3))
    if approve:
        dispatch_services.approve(r, by=office)
    return r


def _stats(quarter: int) -> dict:
    out = StringIO()
    call_command("stats", "--year", "2022", "--quarter", str(quarter), "--json", stdout=out)
    return json.loads(out.getvalue())


def _docx_text(content: bytes) -> str:
    doc = Document(BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [" | ".join(c.text for c in row.cells) for row in table.rows]
    return "\n".join(parts)


def _agree(c, project, statement: str, *, colour: str | None = None, slip: str = ""):
    """The six outputs state `statement` and the figures of the default period; with `colour`,
    `project` has that colour on the figures, its page, the ledger list and the wall chart, and
    its page shows `slip` (a moved node against its baseline)."""
    period = periods.default_period()
    assert period.statement == statement
    s = figures.summary(period)
    p = s.projects
    assert p.started == p.on_schedule + p.behind_schedule + p.unreported

    page = c.get(reverse("ledger:summary")).content.decode()
    assert statement in page
    assert f'id="kpi-unreported">{p.unreported}<' in page
    assert f"未达到序时进度的项目（{p.behind_schedule}个）" in page

    listing = c.get(reverse("ledger:project_list")).content.decode()
    assert statement in listing

    detail = c.get(reverse("ledger:project_detail", args=[project.pk])).content.decode()
    assert statement in detail
    if colour is not None:
        assert figures.period_verdicts([project], period)[project.pk].colour.value == colour
        assert f'<dt>序时预警</dt><dd><span class="light light-{colour}"' in detail
        filtered = c.get(reverse("ledger:project_list") + f"?colour={colour}").content.decode()
        assert project.name in filtered
        assert (slip in detail) if slip else ("原计划" not in detail)

    chart = c.get(reverse("dispatch:wall_chart")).content.decode()
    assert statement in chart
    colours = dict(re.findall(r'data-project="(\d+)" data-colour="(\w+)"', chart))
    assert colour is None or colours[str(project.pk)] == colour
    built = Project.objects.live().filter(year=2022, category__in=["continuing", "new"])
    verdict_of = figures.period_verdicts(list(built), period)
    assert colours == {str(pk): v.colour.value for pk, v in verdict_of.items()}

    lead = (
        f"有序推进{p.on_schedule}个，未达到序时进度{p.behind_schedule}个，"
        f"未报送{p.unreported}个；红灯{p.red}个、黄灯{p.yellow}个、绿灯{p.green}个。"
    )
    brief = c.get(reverse("dispatch:brief")).content.decode()
    assert statement in brief and lead in brief
    word = _docx_text(c.get(reverse("dispatch:brief_docx")).content)
    assert statement in word and lead in word
    assert f"1—{s.month}月累计完成投资" in word or s.month == 1

    data = _stats((period.month - 1) // 3 + 1)
    assert data["period"]["statement"] == statement
    assert data["projects"] == s.as_json()["projects"]
    assert data["investment"] == s.as_json()["investment"]
    return s


def test_year_lived_month_by_month(client_for, office, reporter, other_reporter, dept, other_dept):
    services.set_current_year(2022, by=office)
    a = factories.started_project(
        dept, name="凤鸣江湾住宅小区", annual_plan_wan=Decimal(1200), total_investment_wan=5000
    )
    b = factories.started_project(
        other_dept,
        name="丹凤路综合改造工程",
        annual_plan_wan=Decimal(1200),
        total_investment_wan=5000,
    )
    c_late = factories.project(dept, name="职教中心扩建项目", planned_start=date(2022, 3, 1))
    factories.milestone(
        a, name="施工许可", planned_date=date(2022, 2, 15), actual_date=date(2022, 2, 10)
    )
    factories.milestone(
        a, phase="main_works", name="一期主体结构封顶", planned_date=date(2022, 5, 31)
    )
    c = client_for(office)
    ledger_services.approve_baseline(a, by=office)
    node = Milestone.objects.get(project=a, name="一期主体结构封顶")
    assert node.baseline_date == date(2022, 5, 31)

    # January: A reports late, B on time; the office closes the month.
    late = _report(a, 1, 100, by=reporter, office=office, submitted=_aware(2022, 2, 8))
    assert late.is_late
    _report(b, 1, 100, by=other_reporter, office=office)
    services.close_period(2022, 1, by=office)
    s = _agree(c, a, "数据截至2022年1月31日（1月调度已结束）")
    assert (s.projects.started, s.projects.unreported) == (2, 0)

    # February: B's report is returned, then resubmitted and approved.
    _report(a, 2, 100, by=reporter, office=office)
    returned = _report(b, 2, 50, by=other_reporter, office=office, approve=False)
    dispatch_services.return_report(returned, by=office, comment="投资与形象进度不符")
    returned.refresh_from_db()
    returned.invested_wan = Decimal(100)
    dispatch_services.save_draft(returned, by=other_reporter)
    dispatch_services.submit(returned, by=other_reporter, when=_aware(2022, 3, 4))
    dispatch_services.approve(returned, by=office)
    services.close_period(2022, 2, by=office)
    s = _agree(c, a, "数据截至2022年2月28日（2月调度已结束）")
    assert s.investment.completed_ytd_wan == Decimal("400.00")

    # March: D starts and does not report; B skips the month. D is 未报送, not behind.
    d = factories.started_project(
        dept, name="城市污水管网改造工程", start=date(2022, 3, 5), annual_plan_wan=Decimal(900)
    )
    _report(a, 3, 100, by=reporter, office=office)
    services.close_period(2022, 3, by=office)
    s = _agree(c, a, "数据截至2022年3月31日（3月调度已结束）")
    assert [p.name for p, _ in s.unreported_projects] == ["城市污水管网改造工程"]
    assert s.projects.unreported == 1 and s.projects.started == 3
    b_verdict = figures.period_verdicts([b], periods.default_period())[b.pk]
    assert "3月调度报告未报送（按1—2月已审核数字判断）" in b_verdict.reasons

    # A correction after closing: D's March report approved in April. March stays as issued.
    before = figures.summary(periods.default_period()).as_json()
    _report(d, 3, 60, by=reporter, office=office)
    correction = PeriodCorrection.objects.get()
    assert (correction.period.month, correction.ytd_corrected_wan) == (3, Decimal("60.00"))
    assert figures.summary(periods.default_period()).as_json() == before
    s = _agree(c, a, "数据截至2022年3月31日（3月调度已结束）")
    assert "关账后审核通过" in c.get(reverse("figures:period_list")).content.decode()
    assert "关账后更正（1项" in c.get(reverse("ledger:summary")).content.decode()

    # April, open: shown live and marked as not final; the default stays on March.
    _report(a, 4, 100, by=reporter, office=office)
    april = c.get(reverse("ledger:summary") + "?month=2022-04").content.decode()
    assert "数据截至2022年4月30日（4月调度未结束，数据未最终确定）" in april
    assert periods.default_period().key == "2022-03"

    # April to October: C starts in May; every month closes and everything agrees. A's node
    # (due 31 May, baselined) is overdue 30 days in June (yellow), more than 30 from July (red);
    # moved with approval in September to 15 October it is not yet due (green), then overdue.
    colours = {6: "yellow", 7: "red", 8: "red", 9: "green", 10: "yellow"}
    moved = "原计划2022年5月31日，调整为10月15日，延后137天"
    slips = {9: moved, 10: moved}
    for month in range(4, 11):
        if month == 5:
            c_late.actual_start, c_late.status = date(2022, 5, 3), "under_construction"
            ledger_services.save_project(c_late, by=office, expected_version=c_late.version)
        for project, who in ((a, reporter), (b, other_reporter), (d, reporter), (c_late, reporter)):
            if project.pk == a.pk and month == 4:
                continue  # already approved above
            if project.pk == c_late.pk and month < 5:
                continue
            _report(project, month, 100, by=who, office=office)
        live = figures.period_verdicts([a], periods.month_period(2022, month))[a.pk].colour.value
        if month == 7:
            # The department asks to move the overdue node; nothing moves while it is pending.
            proposal = ledger_services.propose_change(
                node, by=reporter, kind="move", new_date=date(2022, 12, 31), reason="资金未到位"
            )
        if month == 8:
            ledger_services.refuse_change(proposal, by=office, comment="不属于不可抗力")
        if month == 9:
            # Another move, approved by the office: the node is due 15 October.
            approved = ledger_services.propose_change(
                node, by=reporter, kind="move", new_date=date(2022, 10, 15), reason="雨季停工"
            )
            ledger_services.approve_change(approved, by=office, comment="同意")
        node.refresh_from_db()
        if month in (7, 8):
            assert node.planned_date == date(2022, 5, 31)
            assert (
                figures.period_verdicts([a], periods.month_period(2022, month))[a.pk].colour.value
                == live
                == "red"
            )
        services.close_period(2022, month, by=office)
        end = periods.month_period(2022, month).as_of
        statement = f"数据截至2022年{end.month}月{end.day}日（{month}月调度已结束）"
        if month in (6, 7, 8, 9, 10):  # every output (rendering all is slow)
            s = _agree(c, a, statement, colour=colours[month], slip=slips.get(month, ""))
        else:
            assert _stats((month - 1) // 3 + 1)["period"]["statement"] == statement
    assert (
        "节点“一期主体结构封顶”逾期"
        in figures.period_verdicts([a], periods.default_period())[a.pk].reason_text
    )

    # November: next year's project is entered; nothing on the 2022 pages moves.
    october = figures.summary(periods.default_period()).as_json()
    ledger_services.save_project(
        Project(
            name="2023年新建学校",
            year=2023,
            department=dept,
            category="new",
            sector="livelihood",
            total_investment_wan=Decimal(3000),
            annual_plan_wan=Decimal(1000),
        ),
        by=office,
    )
    assert figures.summary(periods.default_period()).as_json() == october
    _agree(c, a, "数据截至2022年10月31日（10月调度已结束）")
