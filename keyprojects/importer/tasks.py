"""Background tasks (django-tasks): reading a file and writing it run outside the request,
so the upload page stays responsive and shows progress. `keyprojects db_worker` runs them."""

from django_tasks import task

from keyprojects.importer import services


@task()
def parse_import(job_id: int) -> str:
    return services.parse_job(job_id).state


@task()
def apply_import(job_id: int) -> str:
    return services.apply_job(job_id).state
