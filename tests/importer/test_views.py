"""Upload → preview → confirm → written, through the pages; downloads; the role matrix."""

import json
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keyprojects.importer.models import ImportJob, JobState
from keyprojects.ledger.models import Project
from tests import factories
from tests.importer import url_matrix
from tests.importer.builders import messy_ledger
from tests.matrix import PRINCIPALS, World

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, data, name="台账.xlsx", **fields):
    payload = {
        "kind": "ledger",
        "year": "2022",
        "month": "",
        **fields,
        "file": SimpleUploadedFile(name, data, content_type=XLSX),
    }
    return client.post(reverse("importer:upload"), payload)


@pytest.mark.django_db
def test_upload_preview_confirm_writes(client_for, office, dept):
    c = client_for(office)
    data = messy_ledger([{"name": "网页导入项目", "dept": dept.name, "total": 900, "plan": 300}])
    r = upload(c, data)
    job = ImportJob.objects.get()
    assert r.status_code == 302 and r.url == job.get_absolute_url()
    assert job.state == JobState.PREVIEW and not Project.objects.exists()
    assert job.total > 0 and job.progress == job.total  # progress was recorded while reading
    page = c.get(job.get_absolute_url())
    assert "网页导入项目" in page.content.decode() and "确认导入" in page.content.decode()
    status = json.loads(c.get(reverse("importer:job_status", args=[job.pk])).content)
    assert status["state"] == "preview" and status["running"] is False
    r = c.post(reverse("importer:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    p = Project.objects.get(name="网页导入项目")
    assert p.history.first().history_change_reason == f"Excel导入 #{job.pk}"
    # The kept file is the uploaded one.
    download = c.get(reverse("importer:job_file", args=[job.pk]))
    assert b"".join(download.streaming_content) == data


@pytest.mark.django_db
def test_errors_are_shown_and_cannot_be_confirmed(client_for, reporter, dept, other_dept):
    c = client_for(reporter)
    upload(c, messy_ledger([{"name": "别人的项目", "dept": other_dept.name}]))
    job = ImportJob.objects.get()
    assert job.state == JobState.REJECTED
    page = c.get(job.get_absolute_url()).content.decode()
    assert "整个文件未导入" in page and "牵头单位" in page and "确认导入" not in page
    r = c.post(reverse("importer:job_confirm", args=[job.pk]))
    assert r.status_code == 302 and not Project.objects.exists()


@pytest.mark.django_db
def test_confirm_refused_when_data_changed_after_preview(client_for, office, dept):
    project = factories.project(dept, name="并发项目", annual_plan_wan=Decimal(100))
    c = client_for(office)
    upload(
        c,
        messy_ledger(
            [
                {
                    "name": "并发项目",
                    "dept": dept.name,
                    "code": project.code,
                    "total": 1000,
                    "plan": 200,
                }
            ]
        ),
    )
    job = ImportJob.objects.get()
    assert job.state == JobState.PREVIEW
    Project.objects.filter(pk=project.pk).update(annual_plan_wan=Decimal(150))
    c.post(reverse("importer:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "数据已发生变化" in job.message
    project.refresh_from_db()
    assert project.annual_plan_wan == Decimal(150)


@pytest.mark.django_db
def test_bad_uploads_are_400(client_for, office):
    c = client_for(office)
    assert upload(c, b"x", name="a.txt").status_code == 400
    assert upload(c, b"x", name="a.xlsx", kind="dispatch").status_code == 400  # month missing
    r = upload(c, b"not excel", name="a.xlsx")
    assert r.status_code == 400
    assert (
        "文件内容是纯文本（如 CSV/TXT），不是 Excel/ODS 表格" in r.context["form"].errors["file"][0]
    )
    assert not ImportJob.objects.exists()  # refused before the file is stored


@pytest.mark.django_db
def test_ledger_export_follows_list_filters_and_scope(
    client_for, office, reporter, dept, other_dept
):
    factories.project(dept, name="住建项目", category="new")
    factories.project(dept, name="住建续建", category="continuing")
    factories.project(other_dept, name="交通项目")

    def names(resp):
        assert resp.status_code == 200 and resp["Content-Type"] == XLSX
        ws = openpyxl.load_workbook(BytesIO(resp.content)).active
        heads = {c.value: c.column for c in ws[3] if c.value}
        return {ws.cell(r, heads["项目名称"]).value for r in range(5, ws.max_row + 1)} - {None}

    url = reverse("importer:export_ledger")
    assert names(client_for(office).get(url + "?year=2022")) == {"住建项目", "住建续建", "交通项目"}
    assert names(client_for(office).get(url + "?year=2022&category=new")) == {
        "住建项目",
        "交通项目",
    }
    assert names(client_for(reporter).get(url)) == {"住建项目", "住建续建"}
    assert client_for(office).get(url + "?year=abc").status_code == 400


@pytest.mark.django_db
def test_dispatch_export_needs_a_month(client_for, office, project):
    c = client_for(office)
    assert c.get(reverse("importer:export_dispatch")).status_code == 400
    assert c.get(reverse("importer:export_dispatch") + "?month=2022-13").status_code == 400
    r = c.get(reverse("importer:export_dispatch") + "?month=2022年3月")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]


@pytest.fixture
def world(
    office,
    reporter,
    other_reporter,
    leader,
    sysadmin,
    secadmin,
    auditadmin,
    project,
    other_project,
    dept,
    other_dept,
):
    w = World(
        users={
            "anonymous": None,
            "office": office,
            "reporter": reporter,
            "other_reporter": other_reporter,
            "leader": leader,
            "sysadmin": sysadmin,
            "secadmin": secadmin,
            "auditadmin": auditadmin,
        },
        dept=dept,
        other_dept=other_dept,
        project=project,
        other_project=other_project,
    )
    url_matrix.build(w)
    return w


@pytest.mark.parametrize("case", url_matrix.CASES, ids=lambda c: c.name)
@pytest.mark.django_db
def test_url_matrix(case, world, client_for):
    url = reverse(case.name, args=case.args(world) if case.args else None) + case.query
    got = {}
    for who in PRINCIPALS:
        c = client_for(world.users[who])
        data = case.data(world) if case.data else {}
        got[who] = getattr(c, case.method)(url, data).status_code
    assert got == case.expect


@pytest.mark.django_db(transaction=True)  # the worker closes the connection after each task
def test_real_task_queue_runs_the_job(client_for, office, dept, settings):
    """With the configured database backend, the upload only queues; the worker reads it."""
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    c = client_for(office)
    upload(c, messy_ledger([{"name": "排队项目", "dept": dept.name}]))
    job = ImportJob.objects.get()
    assert job.state == JobState.QUEUED
    assert "db_worker" in c.get(job.get_absolute_url()).content.decode()
    call_command("db_worker", "--batch", verbosity=0)
    job.refresh_from_db()
    assert job.state == JobState.PREVIEW
    c.post(reverse("importer:job_confirm", args=[job.pk]))
    call_command("db_worker", "--batch", verbosity=0)
    job.refresh_from_db()
    assert job.state == JobState.DONE and Project.objects.get().name == "排队项目"


@pytest.mark.django_db
def test_reporter_uploads_dispatch_table_as_submitted(client_for, reporter, project, dept):
    from keyprojects.dispatch.models import MonthlyReport
    from tests.importer.builders import messy_dispatch

    c = client_for(reporter)
    data = messy_dispatch([{"name": project.name, "dept": dept.name, "ytd": "88"}], split=False)
    r = upload(c, data, name="调度.xlsx", kind="dispatch", month="2022年3月", year="")
    job = ImportJob.objects.get()
    assert r.status_code == 302 and (job.year, job.month, job.state) == (2022, 3, "preview")
    c.post(reverse("importer:job_confirm", args=[job.pk]))
    report = MonthlyReport.objects.get()
    assert (report.month, report.invested_wan, report.status) == (3, Decimal("88.00"), "submitted")
    # The uploader cannot download the kept file; the office can.
    assert c.get(reverse("importer:job_file", args=[job.pk])).status_code == 403


@pytest.mark.django_db
def test_export_and_list_refuse_the_same_bad_year(client_for, office):
    c = client_for(office)
    assert c.get(reverse("ledger:project_list"), {"year": "abc"}).status_code == 400
    r = c.get(reverse("importer:export_ledger"), {"year": "abc"})
    assert r.status_code == 400 and "筛选条件无效：年度：" in r.content.decode()


def _offered_kinds(client) -> list[str]:
    page = client.get(reverse("importer:upload"))
    assert page.status_code == 200
    form = page.context["form"]
    return [value for value, _label in form.fields["kind"].widget.choices]


@pytest.mark.django_db
def test_upload_page_offers_only_the_tables_the_user_may_import(client_for, office, reporter):
    # The office imports every table.
    assert _offered_kinds(client_for(office)) == [
        "ledger",
        "dispatch",
        "land-batches",
        "farmland",
        "land-quotas",
        "parcels",
        "housing",
        "sales-events",
        "fiscal-tasks",
        "fiscal-months",
        "funding-plans",
        "funding-arrivals",
        "bonds",
    ]
    # 住建's reporter: the ledger, the dispatch table, 住建's housing tables and the funding
    # tables (资金 and 专项债券, which every reporter keeps for its projects); not 规资's land
    # tables nor the office's fiscal tasks.
    offered = _offered_kinds(client_for(reporter))
    assert offered == [
        "ledger",
        "dispatch",
        "housing",
        "sales-events",
        "funding-plans",
        "funding-arrivals",
        "bonds",
    ]
    page = client_for(reporter).get(reverse("importer:upload")).content.decode()
    assert 'value="land-batches"' not in page and 'value="housing"' in page


@pytest.mark.django_db
def test_a_table_not_offered_is_still_refused_on_submit(client_for, reporter):
    r = upload(
        client_for(reporter),
        messy_ledger([{"name": "某项目", "dept": reporter.department.name}]),
        kind="land-batches",
    )
    assert r.status_code == 400
    assert "您没有导入“批次用地（农用地转用和土地征收）”的权限" in r.content.decode()
    assert ImportJob.objects.count() == 0
