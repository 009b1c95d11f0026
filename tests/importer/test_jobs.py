"""Import jobs survive a dead worker: marked failed with a Chinese reason when a worker
starts, and run again from the job page (issue #21)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from keyprojects.importer.models import ImportJob, JobState
from keyprojects.ledger.models import Project
from tests.importer.builders import messy_ledger
from tests.importer.test_views import upload


@pytest.mark.django_db(transaction=True)  # the worker closes the connection after each task
def test_job_killed_while_writing_is_failed_at_worker_start_and_runs_again(
    client_for, office, dept, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    c = client_for(office)
    upload(c, messy_ledger([{"name": "中断项目", "dept": dept.name}]))
    call_command("db_worker", "--batch", verbosity=0)
    job = ImportJob.objects.get()
    assert job.state == JobState.PREVIEW
    # The worker died mid-write: the job says 正在写入 and its task is no longer queued.
    c.post(reverse("importer:job_confirm", args=[job.pk]))
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.ready().update(status="RUNNING")
    call_command("db_worker", "--batch", verbosity=0)
    job.refresh_from_db()
    assert (job.state, job.message) == (
        JobState.FAILED,
        "任务中断（服务重启或进程退出），未导入任何数据；可点击“重新运行”再次读取",
    )
    assert not Project.objects.exists()
    page = c.get(job.get_absolute_url()).content.decode()
    assert "重新运行" in page
    c.post(reverse("importer:job_rerun", args=[job.pk]))
    call_command("db_worker", "--batch", verbosity=0)
    job.refresh_from_db()
    assert job.state == JobState.PREVIEW
    c.post(reverse("importer:job_confirm", args=[job.pk]))
    call_command("db_worker", "--batch", verbosity=0)
    job.refresh_from_db()
    assert job.state == JobState.DONE and Project.objects.get().name == "中断项目"
    # A job whose task still waits in the queue is not a dead one: test_views.py
    # test_real_task_queue_runs_the_job confirms and then starts the worker.
