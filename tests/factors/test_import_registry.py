"""The factor tables on the importer: registered adapters, upload → preview → confirm on
/excel/ with the factors' write rules, the import command, /excel/export/<kind>/."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from keyprojects.factors import models as m
from keyprojects.factors.adapters import READERS
from keyprojects.factors.tables import TABLES
from keyprojects.importer import registry
from keyprojects.importer.models import ImportJob, JobState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks(settings, tmp_path):
    """Background tasks run at once (as tests/importer/conftest.py); uploads per test."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client, kind, data, name="要素.xlsx"):
    payload = {"kind": kind, "year": "", "month": "", "file": SimpleUploadedFile(name, data, XLSX)}
    return client.post(reverse("importer:upload"), payload)


def _with_row(data: bytes, values: dict) -> bytes:
    """The exported table with one more row (values by header label)."""
    wb = load_workbook(BytesIO(data))
    ws = wb.active
    headers = [c.value for c in ws[3]]
    row = ws.max_row + 1
    for label, v in values.items():
        ws.cell(row=row, column=headers.index(label) + 1, value=v)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def test_registry_lists_every_factor_table():
    kinds = dict(registry.kind_choices())
    for slug in READERS:
        assert kinds[slug] == TABLES[slug].title
    for slug in ("land-batches", "parcels", "housing", "fiscal-tasks", "funding-plans"):
        assert registry.get(slug).label == TABLES[slug].title
    assert "ledger" in kinds and "dispatch" in kinds  # the others stay


def test_upload_form_offers_the_factor_tables(client_for, office):
    page = client_for(office).get(reverse("importer:upload")).content.decode()
    assert 'value="parcels"' in page and TABLES["land-batches"].title in page


def test_exported_table_uploads_unchanged_then_new_row_written(client_for, office, batch):
    c = client_for(office)
    exported = c.get(reverse("factors:export", args=["land-batches"]))
    assert exported.status_code == 200
    _upload(c, "land-batches", exported.content, "批次.xlsx")
    job = ImportJob.objects.get()
    assert job.kind == "land-batches" and job.state == JobState.PREVIEW, job.message
    assert job.preview["unchanged"] == 1 and not job.preview["creates"]
    c.post(reverse("importer:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == JobState.PREVIEW  # nothing to write: confirm refused, nothing changed
    assert m.LandBatch.objects.count() == 1

    # The importer's own export of the same table is the same file layout.
    again = c.get(reverse("importer:export", args=["land-batches"]))
    assert again.status_code == 200
    data = _with_row(
        again.content,
        {
            "批次名称": "2022年第2批次",
            TABLES["land-batches"].field_label("department"): batch.department.name,
            "办理状态": batch.get_status_display(),
            "上报日期": "2022-04-01",
        },
    )
    _upload(c, "land-batches", data, "批次2.xlsx")
    job = ImportJob.objects.latest("pk")
    assert job.state == JobState.PREVIEW, job.preview.get("errors")
    assert [x["name"] for x in job.preview["creates"]] and job.preview["unchanged"] == 1
    c.post(reverse("importer:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    new = m.LandBatch.objects.get(name="2022年第2批次")
    assert new.history.first().history_change_reason == f"Excel导入 #{job.pk}"
    assert new.history.first().history_user == office


def test_reporter_of_another_department_is_refused(client_for, reporter, batch):
    # reporter: 住建 — may import housing, not land batches or fiscal tasks.
    data = client_for(reporter).get(reverse("factors:export", args=["land-batches"])).content
    c = client_for(reporter)
    for kind in ("land-batches", "parcels", "fiscal-tasks"):
        r = _upload(c, kind, data)
        assert r.status_code == 400
        assert f"您没有导入“{TABLES[kind].title}”的权限" in r.content.decode()
    assert not ImportJob.objects.exists()
    assert m.LandBatch.objects.count() == 1


def test_land_reporter_imports_land_table(client_for, land_reporter, batch):
    c = client_for(land_reporter)
    data = c.get(reverse("importer:export", args=["land-batches"])).content
    r = _upload(c, "land-batches", data)
    assert r.status_code == 302
    assert ImportJob.objects.get().state == JobState.PREVIEW


def test_import_command(tmp_path, office, reporter, batch):
    from django.utils import timezone

    from keyprojects.factors import exports

    t = TABLES["land-batches"]
    data = exports.workbook(t, m.LandBatch.objects.all(), year=None, today=timezone.localdate())
    path = tmp_path / "批次.xlsx"
    path.write_bytes(
        _with_row(
            data, {"批次名称": "命令行批次", t.field_label("department"): batch.department.name}
        )
    )
    with pytest.raises(CommandError):
        call_command("import_table", "land-batches", str(path), user=reporter.username)
    assert not m.LandBatch.objects.filter(name="命令行批次").exists()
    call_command("import_table", "land-batches", str(path), user=office.username)
    assert m.LandBatch.objects.filter(name="命令行批次").exists()
