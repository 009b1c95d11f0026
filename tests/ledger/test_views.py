"""Ledger pages: list, detail, forms, validation, conflicts, history, delete and restore."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from keyprojects.ledger.models import Milestone, Project
from tests import factories

pytestmark = pytest.mark.django_db


def form_data(project: Project, **changes) -> dict:
    data = {
        "name": project.name,
        "code": project.code,
        "approval_code": project.approval_code,
        "year": project.year,
        "department": project.department_id,
        "responsible_units": "",
        "leader": "",
        "owner_unit": "",
        "contact_person": "",
        "contact_phone": "",
        "category": project.category,
        "sector": project.sector,
        "nature": project.nature,
        "content": "",
        "town": "",
        "location": "",
        "latitude": "",
        "longitude": "",
        "total_investment_wan": project.total_investment_wan,
        "completed_before_year_wan": project.completed_before_year_wan,
        "annual_plan_wan": project.annual_plan_wan,
        "planned_start": project.planned_start or "",
        "planned_end": project.planned_end or "",
        "actual_start": project.actual_start or "",
        "actual_end": project.actual_end or "",
        "status": project.status,
        "funding_route": project.funding_route,
        "funding_note": "",
        "image_progress": "",
        "notes": "",
        "version": project.version,
    }
    data.update(changes)
    return {k: ("" if v is None else v) for k, v in data.items()}


def test_list_filters_search_and_totals(client_for, office, dept, other_dept):
    a = factories.project(dept, name="健康路改造工程", total_investment_wan=Decimal("5600"))
    factories.project(
        other_dept,
        name="省道S526改建",
        category="continuing",
        total_investment_wan=Decimal("68000"),
    )
    factories.project(dept, name="去年的项目", year=2021)
    c = client_for(office)
    r = c.get(reverse("ledger:project_list"), {"year": 2022})
    assert r.status_code == 200
    assert r.context["totals"]["count"] == 2
    assert r.context["totals"]["total_investment_wan"] == Decimal("73600")
    r = c.get(reverse("ledger:project_list"), {"year": 2022, "q": "健康"})
    assert [p.pk for p, _ in r.context["rows"]] == [a.pk]
    r = c.get(reverse("ledger:project_list"), {"year": 2022, "category": "continuing"})
    assert [p.name for p, _ in r.context["rows"]] == ["省道S526改建"]
    r = c.get(reverse("ledger:project_list"), {"year": 2022, "department": dept.pk})
    assert [p.name for p, _ in r.context["rows"]] == ["健康路改造工程"]
    r = c.get(reverse("ledger:project_list"), {"year": 2022, "o": "-total_investment_wan"})
    assert [p.name for p, _ in r.context["rows"]] == ["省道S526改建", "健康路改造工程"]


def test_list_filters_and_sorts_by_colour(client_for, office, dept):
    late = factories.project(dept, name="迟迟未开工", planned_start=date(2021, 10, 1))
    fine = factories.started_project(dept, name="顺利推进")
    for m in (1, 2, 3):
        factories.report(fine, m, 40)
    c = client_for(office)
    r = c.get(reverse("ledger:project_list"), {"year": 2022, "colour": "red"})
    assert [p.pk for p, _ in r.context["rows"]] == [late.pk]
    r = c.get(reverse("ledger:project_list"), {"year": 2022, "o": "colour"})
    assert [p.pk for p, _ in r.context["rows"]] == [late.pk, fine.pk]
    r = c.get(reverse("ledger:project_list"), {"year": 2022, "o": "-colour"})
    assert [p.pk for p, _ in r.context["rows"]] == [fine.pk, late.pk]


def test_list_behind_schedule_filter(client_for, office, dept):
    behind = factories.started_project(dept, name="滞后项目")
    factories.report(behind, 1, 1)
    ok = factories.started_project(dept, name="正常项目")
    factories.report(ok, 1, 400)
    r = client_for(office).get(reverse("ledger:project_list"), {"year": 2022, "behind": "true"})
    assert [p.pk for p, _ in r.context["rows"]] == [behind.pk]


def test_list_paginates(client_for, office, dept, settings):
    settings.KP_PAGE_SIZE = 5
    for _ in range(12):
        factories.project(dept)
    # 12 rows, 5 a page: a last page of 2 (no more than half a page) is folded into the one
    # before, so page 3 (asked for) is the last page, page 2, of 7 rows.
    r = client_for(office).get(reverse("ledger:project_list"), {"year": 2022, "page": 3})
    assert len(r.context["rows"]) == 7
    assert "第 2 / 2 页" in r.content.decode()


def test_list_page_size_choice_and_no_orphan_page(client_for, office, dept):
    for _ in range(51):
        factories.project(dept)
    url = reverse("ledger:project_list")
    r = client_for(office).get(url, {"year": 2022})
    assert len(r.context["rows"]) == 51  # 50 per page, the 51st folded in: one page
    r = client_for(office).get(url, {"year": 2022, "size": "20"})
    assert [len(r.context["rows"]), r.context["page"].paginator.num_pages] == [20, 3]
    r = client_for(office).get(url, {"year": 2022, "size": "20", "page": 3})
    assert len(r.context["rows"]) == 11
    r = client_for(office).get(url, {"year": 2022, "size": "all"})
    assert len(r.context["rows"]) == 51
    assert "size=all" in client_for(office).get(url, {"size": "all", "o": "name"}).context["query"]
    r = client_for(office).get(url, {"year": 2022, "size": "7"})  # not offered: the default
    assert len(r.context["rows"]) == 51


def test_list_sort_headers(client_for, office, dept):
    a = factories.project(dept, name="乙项目", total_investment_wan=5, annual_plan_wan=1)
    b = factories.project(dept, name="甲项目", total_investment_wan=9, annual_plan_wan=1)
    url = reverse("ledger:project_list")
    r = client_for(office).get(url, {"year": 2022, "o": "-total_investment_wan"})
    assert [p.pk for p, _ in r.context["rows"]] == [b.pk, a.pk]
    head = r.context["sort"]["total_investment_wan"]
    assert head["arrow"] == "▼" and "o=total_investment_wan" in head["query"]
    assert r.context["sort"]["name"] == {
        "query": r.context["sort"]["name"]["query"],
        "arrow": "",
    }
    assert "o=name" in r.context["sort"]["name"]["query"]
    r = client_for(office).get(url + "?" + head["query"])
    assert [p.pk for p, _ in r.context["rows"]] == [a.pk, b.pk]
    assert r.context["sort"]["total_investment_wan"]["arrow"] == "▲"
    assert "year=2022" in r.context["sort"]["total_investment_wan"]["query"]


def test_bad_filter_value_is_a_chinese_400_naming_the_field(client_for, office):
    c = client_for(office)
    r = c.get(reverse("ledger:project_list"), {"colour": "purple", "year": "二〇二二"})
    assert r.status_code == 400
    assert r.context["errors"] == [
        "年度：选择一个有效的选项。 二〇二二 不在可用的选项中。",
        "序时预警：选择一个有效的选项。 purple 不在可用的选项中。",
    ]
    assert "序时预警：选择一个有效的选项" in r.content.decode()
    r = c.get(reverse("ledger:project_print"), {"colour": "purple"})
    assert r.status_code == 400 and "序时预警：选择一个有效的选项" in r.content.decode()


def test_reporter_sees_only_own_department(client_for, reporter, project, other_project):
    r = client_for(reporter).get(reverse("ledger:project_list"), {"year": 2022})
    assert [p.pk for p, _ in r.context["rows"]] == [project.pk]
    assert client_for(reporter).get(other_project.get_absolute_url()).status_code == 404


def test_create_assigns_code_and_records_history(client_for, office, dept):
    data = form_data(
        Project(
            year=2022,
            department=dept,
            category="new",
            sector="urban",
            total_investment_wan=Decimal("1000"),
            annual_plan_wan=Decimal(300),
            completed_before_year_wan=Decimal(0),
            status="not_started",
            funding_route="fiscal",
            nature="new_build",
        ),
        name="城南新区道路",
        code="",
        version="",
    )
    r = client_for(office).post(reverse("ledger:project_create"), data)
    assert r.status_code == 302
    p = Project.objects.get(name="城南新区道路")
    assert p.code == "ZD2022-001"
    assert p.history.get().history_user == office


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"total_investment_wan": "-5"}, "total_investment_wan", "大于或等于0"),
        ({"annual_plan_wan": "1500"}, "annual_plan_wan", "年度计划投资不能超过剩余投资"),
        (
            {"completed_before_year_wan": "2000"},
            "completed_before_year_wan",
            "以前年度累计完成不能超过总投资",
        ),
        (
            {"planned_start": "2023-01-01", "planned_end": "2022-01-01"},
            "planned_end",
            "计划竣工日期不能早于计划开工日期",
        ),
        (
            {"status": "under_construction", "actual_start": ""},
            "actual_start",
            "请填写实际开工日期",
        ),
        (
            {"status": "completed", "actual_start": "2022-01-01", "actual_end": ""},
            "actual_end",
            "请填写实际竣工日期",
        ),
        (
            {"category": "reserve", "status": "under_construction", "actual_start": "2022-01-01"},
            "status",
            "储备项目",
        ),
        ({"latitude": "28.5", "longitude": ""}, "longitude", "经度和纬度须同时填写"),
        ({"latitude": "128.5", "longitude": "108"}, "latitude", "小于或等于90"),
        ({"name": ""}, "name", "这个字段是必填项"),
        ({"total_investment_wan": "abc"}, "total_investment_wan", "输入一个数字"),
        ({"planned_start": "2022-13-45"}, "planned_start", "输入一个有效的日期"),
    ],
)
def test_validation_is_chinese_and_writes_nothing(
    client_for, office, project, changes, field, message
):
    before = (project.version, project.history.count())
    r = client_for(office).post(
        reverse("ledger:project_edit", args=[project.pk]), form_data(project, **changes)
    )
    assert r.status_code == 400
    assert any(message in e for e in r.context["form"].errors[field]), r.context["form"].errors
    project.refresh_from_db()
    assert (project.version, project.history.count()) == before


def test_duplicate_code_is_refused(client_for, office, project, dept):
    other = factories.project(dept)
    r = client_for(office).post(
        reverse("ledger:project_edit", args=[other.pk]), form_data(other, code=project.code)
    )
    assert r.status_code == 400
    assert "已存在" in r.context["form"].errors["code"][0]


def test_reporter_cannot_move_a_project_to_another_department(
    client_for, reporter, project, other_dept
):
    r = client_for(reporter).post(
        reverse("ledger:project_edit", args=[project.pk]),
        form_data(project, department=other_dept.pk),
    )
    assert r.status_code == 400
    assert "department" in r.context["form"].errors


def test_edit_then_history_shows_field_old_and_new(client_for, reporter, project):
    r = client_for(reporter).post(
        reverse("ledger:project_edit", args=[project.pk]),
        form_data(project, annual_plan_wan="450.00"),
    )
    assert r.status_code == 302
    page = client_for(reporter).get(project.get_absolute_url()).content.decode()
    assert "年度计划投资（万元）" in page
    assert "400.00" in page and "450.00" in page
    assert reporter.full_name in page


def test_stale_edit_is_refused_naming_who_changed_what(client_for, office, reporter, project):
    stale = form_data(project, name="甲的修改")
    ok = client_for(office).post(
        reverse("ledger:project_edit", args=[project.pk]), form_data(project, annual_plan_wan="500")
    )
    assert ok.status_code == 302
    r = client_for(reporter).post(reverse("ledger:project_edit", args=[project.pk]), stale)
    assert r.status_code == 409
    text = " ".join(r.context["form"].non_field_errors())
    assert "王主任" in text and "年度计划投资（万元）：400.00 → 500.00" in text
    assert 'value="甲的修改"' in r.content.decode()  # the input is kept
    project.refresh_from_db()
    assert (project.name, project.annual_plan_wan) == ("凤鸣江湾住宅小区", Decimal("500.00"))


def test_delete_is_soft_and_office_restores(client_for, office, project):
    c = client_for(office)
    r = c.post(reverse("ledger:project_delete", args=[project.pk]), {"version": project.version})
    assert r.status_code == 302
    assert c.get(project.get_absolute_url()).status_code == 404
    assert project.name in c.get(reverse("ledger:recycle_bin")).content.decode()
    c.post(reverse("ledger:project_restore", args=[project.pk]))
    assert c.get(project.get_absolute_url()).status_code == 200
    actions = [
        e.action
        for e in __import__("keyprojects.ledger.services", fromlist=["x"]).project_history(
            Project.objects.get(pk=project.pk)
        )
    ]
    assert actions[:2] == ["恢复", "删除"]


def test_milestones_add_edit_delete_with_history(client_for, reporter, project):
    c = client_for(reporter)
    r = c.post(
        reverse("ledger:milestone_create", args=[project.pk]),
        {
            "phase": "construction_permit",
            "name": "",
            "planned_date": "2022-02-01",
            "actual_date": "",
            "note": "",
        },
    )
    assert r.status_code == 302
    m = Milestone.objects.get(project=project)
    assert m.name == "施工许可"
    r = c.post(
        reverse("ledger:milestone_edit", args=[project.pk, m.pk]),
        {
            "phase": "construction_permit",
            "name": "施工许可",
            "planned_date": "2022-02-01",
            "actual_date": "2022-02-10",
            "note": "",
            "version": m.version,
        },
    )
    assert r.status_code == 302
    m.refresh_from_db()
    delete = reverse("ledger:milestone_delete", args=[project.pk, m.pk])
    assert c.post(delete).status_code == 400  # no version: refused
    assert c.post(delete, {"version": m.version}).status_code == 302
    m.refresh_from_db()
    assert m.is_deleted
    page = c.get(project.get_absolute_url()).content.decode()
    assert "节点“施工许可”" in page and "2022-02-10" in page


def test_office_restores_a_deleted_milestone(client_for, office, project):
    m = factories.milestone(project)
    c = client_for(office)
    c.post(reverse("ledger:milestone_delete", args=[project.pk, m.pk]), {"version": m.version})
    assert "施工许可" in c.get(reverse("ledger:recycle_bin")).content.decode()
    assert c.post(reverse("ledger:milestone_restore", args=[m.pk])).status_code == 302
    m.refresh_from_db()
    assert not m.is_deleted


def test_summary_page_states_the_seed_paragraph(client_for, leader, dept):
    factories.started_project(dept, category="continuing")
    factories.project(dept)
    factories.project(dept, category="reserve", annual_plan_wan=0)
    r = client_for(leader).get(reverse("ledger:summary"), {"year": 2022, "quarter": 1})
    text = r.content.decode()
    assert "今年全县确定了<b>3</b>个重点项目" in text
    assert "目前已开工项目<b>1</b>个，还有<b>1</b>个项目未开工" in text
    assert "开工率为<b>50.0%</b>" in text


@pytest.mark.parametrize("query", [{"year": "x"}, {"quarter": "9"}, {"year": "1800"}])
def test_summary_bad_parameters_are_400(client_for, leader, query):
    assert client_for(leader).get(reverse("ledger:summary"), query).status_code == 400


def test_leader_sees_no_edit_buttons(client_for, leader, project):
    page = client_for(leader).get(project.get_absolute_url()).content.decode()
    assert reverse("ledger:project_edit", args=[project.pk]) not in page


def test_monthly_plan_entered_validated_and_used(client_for, office, project):
    c = client_for(office)
    url = reverse("ledger:project_edit", args=[project.pk])
    months = {f"monthly_plan_{i}": "" for i in range(12)}
    bad = form_data(project, **{**months, "monthly_plan_0": "100"})
    r = c.post(url, bad)
    assert r.status_code == 400
    assert (
        "分月计划合计 100.00 万元，与年度计划投资 400.00 万元不一致"
        in r.context["form"].errors["monthly_plan"][0]
    )
    good = form_data(project, **{**months, "monthly_plan_2": "200", "monthly_plan_11": "200"})
    assert c.post(url, good).status_code == 302
    project.refresh_from_db()
    assert project.monthly_plan_amounts[2] == Decimal("200.00")
    page = c.get(project.get_absolute_url()).content.decode()
    assert "分月计划：" in page and "3月 200.00" in page
    assert "3月200.00" in page  # the history shows the plan readably


def test_reporter_summary_speaks_of_their_department_not_the_county(client_for, reporter, dept):
    factories.project(dept)
    page = client_for(reporter).get(reverse("ledger:summary"), {"year": 2022}).content.decode()
    assert f"今年{dept.name}确定了" in page and "今年全县" not in page


BADGE = '<span class="tag status-submitted plan-pending"'


def test_annual_plan_pending_is_flagged_filtered_and_cleared(client_for, office, reporter, dept):
    # An imported construction project whose sheet had no annual plan (ledger.adapters).
    pending = factories.project(
        dept, name="待补计划的道路", annual_plan_wan=Decimal("0"), annual_plan_pending=True
    )
    factories.project(dept, name="计划齐全的学校")
    c = client_for(office)
    page = c.get(reverse("ledger:project_list"), {"year": 2022}).content.decode()
    assert page.count(BADGE) == 1
    badge_at = page.index(BADGE)
    assert page.rindex("待补计划的道路", 0, badge_at) > page.rfind("计划齐全的学校", 0, badge_at)
    r = c.get(reverse("ledger:project_list"), {"year": 2022, "plan_pending": "true"})
    assert [p.name for p, _ in r.context["rows"]] == ["待补计划的道路"]
    r = c.get(reverse("ledger:project_list"), {"year": 2022, "plan_pending": "false"})
    assert [p.name for p, _ in r.context["rows"]] == ["计划齐全的学校"]

    # The project page says what is missing and, to whoever may edit, where to fill it in.
    edit_url = reverse("ledger:project_edit", args=[pending.pk])
    detail = client_for(reporter).get(pending.get_absolute_url()).content.decode()
    assert BADGE in detail and 'id="plan-pending-hint"' in detail
    assert f'href="{edit_url}">编辑项目</a>填写年度计划投资' in detail

    # Entering the plan clears the flag: no badge, no longer under the filter, no hint.
    r = client_for(reporter).post(edit_url, form_data(pending, annual_plan_wan="300"))
    assert r.status_code == 302
    pending.refresh_from_db()
    assert (pending.annual_plan_pending, pending.annual_plan_wan) == (False, Decimal("300.00"))
    page = c.get(reverse("ledger:project_list"), {"year": 2022}).content.decode()
    assert BADGE not in page
    r = c.get(reverse("ledger:project_list"), {"year": 2022, "plan_pending": "true"})
    assert list(r.context["rows"]) == []
    detail = c.get(pending.get_absolute_url()).content.decode()
    assert BADGE not in detail and "plan-pending-hint" not in detail


def test_annual_plan_pending_hint_for_a_reader(client_for, leader, dept):
    pending = factories.project(dept, annual_plan_wan=Decimal("0"), annual_plan_pending=True)
    detail = client_for(leader).get(pending.get_absolute_url()).content.decode()
    assert "请联系牵头单位或调度办补充" in detail
    assert reverse("ledger:project_edit", args=[pending.pk]) not in detail
