"""Problem services, risk flags and their figures; bad input gets a Chinese message."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import load_workbook

from keyprojects.core.errors import NotAllowed
from keyprojects.figures import periods
from keyprojects.ledger.models import Project
from keyprojects.problems import documents, figures, services
from keyprojects.problems.models import RiskFlag
from tests import factories
from tests.problems import builders

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "urgency, source, level",
    [
        ("normal", "inspection", "提示"),
        ("urgent", "inspection", "督办"),
        ("normal", "leader", "督办"),
        ("special", "meeting", "约谈·通报"),
    ],
)
def test_start_level_follows_urgency_and_source(project, office, urgency, source, level):
    p = builders.problem(project, office, urgency=urgency, source=source)
    assert p.level.name == level
    assert p.orders.get().level_name == level


def test_order_numbers_restart_each_year(project, office):
    a = builders.problem(project, office, on=date(2022, 12, 30), deadline=date(2023, 1, 5))
    b = builders.problem(project, office, on=date(2022, 12, 31), deadline=date(2023, 1, 5))
    c = builders.problem(project, office, on=date(2023, 1, 2), deadline=date(2023, 1, 5))
    assert [x.orders.get().number for x in (a, b, c)] == [
        "〔2022〕第001号",
        "〔2022〕第002号",
        "〔2023〕第001号",
    ]


def test_transitions_refuse_the_wrong_state_in_chinese(project, office):
    p = builders.problem(project, office)
    with pytest.raises(NotAllowed, match="问题当前为“待办”，不能复核销号"):
        services.transition(p, "close", by=office, on=date(2022, 3, 6), note="好")
    services.transition(p, "finish", by=office, on=date(2022, 3, 6))
    with pytest.raises(NotAllowed, match="请填写复核意见"):
        services.transition(p, "close", by=office, on=date(2022, 3, 7), note=" ")


def test_a_report_without_problems_or_already_registered_is_refused(project, office):
    empty = factories.report(project, 2, "10")
    with pytest.raises(NotAllowed, match="未填写“存在问题”"):
        services.register_from_report(empty, by=office, on=date(2022, 3, 5))
    report = factories.report(project, 3, "10", problems="资金压力大，工人太少")
    services.register_from_report(report, by=office, on=date(2022, 4, 5))
    with pytest.raises(NotAllowed, match="已登记"):
        services.register_from_report(report, by=office, on=date(2022, 4, 6))
    # The report's words raised the risk flags they name.
    kinds = set(RiskFlag.objects.filter(project=project).values_list("kind", "origin"))
    assert kinds == {("funding", "rule"), ("labour", "rule")}


def test_a_stopped_flag_stops_the_project_in_the_ledger_and_the_figures(project, office):
    flag = builders.flag(project, office, kind="stopped", on=date(2022, 2, 10), reason="资金短缺")
    project.refresh_from_db()
    assert project.status == "suspended"
    assert figures.risks_block(year=2022, quarter=1)["stopped"] == 1
    services.clear_flag(flag, on=date(2022, 4, 2), by=office)
    project.refresh_from_db()
    assert project.status == "under_construction"
    assert figures.risks_block(year=2022, quarter=1)["stopped"] == 1  # stopped on Mar 31
    assert figures.risks_block(year=2022, quarter=2)["stopped"] == 0
    reasons = [h.history_change_reason for h in Project.history.filter(id=project.pk)]
    assert "停工：资金短缺" in reasons and "复工" in reasons


def test_a_resume_before_the_stop_is_refused(project, office):
    flag = builders.flag(project, office, on=date(2022, 3, 1))
    with pytest.raises(NotAllowed, match="不能早于发生日期"):
        services.clear_flag(flag, on=date(2022, 2, 1), by=office)


def test_enough_workers_is_not_a_labour_shortage(project, office):
    with pytest.raises(NotAllowed, match="不构成用工不足"):
        builders.flag(project, office, kind="labour", workers_on_site=180, workers_needed=200)


def test_evidence_must_be_what_its_name_says(project, office):
    p = builders.problem(project, office)
    fake = SimpleUploadedFile("照片.jpg", b"not a jpeg at all")
    with pytest.raises(NotAllowed, match="内容与扩展名不符"):
        services.reply(p, text="已整改", on=date(2022, 3, 6), by=office, files=[fake])
    exe = SimpleUploadedFile("a.exe", b"MZ")
    with pytest.raises(NotAllowed, match="格式不支持"):
        services.reply(p, text="已整改", on=date(2022, 3, 6), by=office, files=[exe])
    assert not p.replies.exists()  # nothing half-written


def test_problem_figures_as_of_a_day(project, office):
    p = builders.problem(project, office, on=date(2022, 3, 5), deadline=date(2022, 3, 20))
    services.escalate_all(as_of=date(2022, 3, 24))
    block = figures.problems_block(year=2022, quarter=1)
    assert block == {
        "as_of": "2022-03-31",
        "open": 1,
        "overdue": 0,
        "by_level": {"提示": 0, "督办": 1, "约谈·通报": 0},
        "by_type": {"其他": 1},
        "closed": 0,
    }
    assert figures.problems_block(year=2022, quarter=0, as_of=date(2022, 3, 23))["by_level"] == {
        "提示": 1,
        "督办": 0,
        "约谈·通报": 0,
    }
    services.transition(p, "finish", by=office, on=date(2022, 4, 1))
    assert figures.problems_block(year=2022, quarter=2)["open"] == 0


def test_order_docx_is_a_gongwen_with_number_deadline_and_signer(project, office):
    p = builders.problem(project, office)
    order = p.orders.get()
    doc = Document(BytesIO(documents.order_docx(order)))
    text = "\n".join(par.text for par in doc.paragraphs)
    assert "重点项目蓝色提示单" in text
    assert "〔2022〕第001号" in text
    assert "2022年3月20日前办结" in text
    assert "县重点项目办" in text
    section = doc.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)


def test_ranking_export_explains_every_line(project, office, client_for):
    factories.report(project, 1, "100")
    response = client_for(office).get("/problems/ranking/export/?year=2022&quarter=1")
    assert response.status_code == 200
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames == ["单位排名", "得分说明", "十快十慢"]
    rows = list(wb["得分说明"].iter_rows(min_row=2, values_only=True))
    assert rows and all(r[4] for r in rows)
    total = wb["单位排名"].cell(row=3, column=3).value
    assert round(sum(r[3] for r in rows if r[0] == project.department.name), 2) == total


def test_bad_input_gets_chinese_messages(project, office, client_for):
    c = client_for(office)
    r = c.post("/problems/new/", {"project": project.pk, "title": ""})
    assert r.status_code == 400
    body = r.content.decode()
    assert "这个字段是必填项" in body or "必填" in body
    p = builders.problem(project, office)
    r = c.post(f"/problems/{p.pk}/do/close/", {"note": "x"})
    assert r.status_code == 400 and "不能复核销号" in r.content.decode()
    r = c.post(f"/problems/{p.pk}/do/bogus/")
    assert r.status_code == 400
    r = c.post(
        f"/problems/{p.pk}/interview/new/",
        {
            "held_on": "2022-05-03",
            "new_deadline": "2022-05-01",
            "host": "县长",
            "attendees": "局长",
            "agreed": "限期",
        },
    )
    assert r.status_code == 400 and "约定完成期限不能早于约谈日期" in r.content.decode()
    r = c.post(
        f"/problems/risks/new/{project.pk}/",
        {"kind": "labour", "raised_on": "2022-03-01", "reason": "缺工"},
    )
    assert r.status_code == 400 and "用工不足须填写在岗和需要的工人数" in r.content.decode()
    r = c.get("/problems/ranking/?year=2022&quarter=1&month=3")
    assert r.status_code == 400 and "季度和月份只能选一个" in r.content.decode()


def test_start_rate_denominator_is_a_setting(dept, office, settings):
    factories.started_project(dept)  # 新开工, started
    factories.project(dept)  # 新开工, not started
    factories.started_project(dept, category="continuing", start=date(2021, 5, 1))
    start = figures.kpi_values(periods.month_period(2022, 3))[0]
    assert (start.value, start.numerator, start.denominator) == (Decimal("66.7"), 2, 3)
    settings.KP_START_RATE_BASIS = "new"
    start = figures.kpi_values(periods.month_period(2022, 3))[0]
    assert (start.value, start.numerator, start.denominator) == (Decimal("50.0"), 1, 2)
