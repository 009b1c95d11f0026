"""Role × URL expectations of the Excel pages (tests/matrix.py)."""

from tests.matrix import ANON, Case, business

IMPORTERS = business(200, other=200, leader=403)  # office and department reporters upload
JOB = business(200, leader=404)  # the job belongs to `reporter`; others do not see it


def build(world):
    """An import job uploaded by `reporter`, waiting for confirmation (empty preview)."""
    from django.core.files.base import ContentFile

    from keyprojects.importer.models import ImportJob, JobState

    job = ImportJob(
        kind="ledger",
        original_name="台账.xlsx",
        year=2022,
        state=JobState.PREVIEW,
        created_by=world.users["reporter"],
        preview={"kind": "ledger"},
    )
    job.file.save("matrix.xlsx", ContentFile(b"PK"), save=False)
    job.save()
    world.extra["import_job"] = job


def _job(w):
    return [w.import_job.pk]


CASES = [
    Case("importer:upload", expect=IMPORTERS),
    Case("importer:job_detail", args=_job, expect=JOB),
    Case("importer:job_status", args=_job, expect=JOB),
    # Only the uploader confirms (the import runs with their rights); nothing to write → back.
    Case(
        "importer:job_confirm",
        args=_job,
        method="post",
        expect=business(302, office=403, leader=404),
    ),
    Case(
        "importer:job_file",
        args=_job,
        expect={**business(200, reporter=403, leader=404), "anonymous": ANON},
    ),
    # Only the uploader answers the mapping questions or runs a job again (a job without
    # questions, or not in a state to run again, sends them back to the job page).
    Case(
        "importer:job_mapping",
        args=_job,
        method="post",
        expect=business(302, office=403, leader=404),
    ),
    Case(
        "importer:job_rerun",
        args=_job,
        method="post",
        expect=business(302, office=403, leader=404),
    ),
    Case("importer:mappings", expect=business(403, office=200, other=403)),
    Case("importer:export", args=lambda w: ["ledger"], expect=business(200, other=200)),
    Case("importer:export_ledger", expect=business(200, other=200)),
    Case("importer:export_dispatch", query="?month=2022-03", expect=business(200, other=200)),
]
