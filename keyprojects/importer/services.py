"""Running imports: the commands call `run_file`; the upload page goes through an ImportJob
(file kept, preview, confirm, write) whose steps run as background tasks (importer/tasks.py).
"""

import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from keyprojects.core.db import refresh_statistics
from keyprojects.core.errors import NotAllowed
from keyprojects.core.models import Department
from keyprojects.importer import mapping, names, registry
from keyprojects.importer.base import ImportRejected, Preview
from keyprojects.importer.columns import field_choices
from keyprojects.importer.models import IGNORE, DepartmentAlias, HeaderSynonym, ImportJob, JobState
from keyprojects.importer.reading import UnreadableFile
from keyprojects.security import audit

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
INTERRUPTED = "任务中断（服务重启或进程退出），未导入任何数据；可点击“重新运行”再次读取"


def _plan(kind, data, filename, *, user, year, month, progress):
    return registry.get(kind).plan(
        data,
        filename,
        user=user,
        year=year,
        month=month,
        progress=progress,
        mapping=mapping.load(kind),
    )


def _write(kind, ctx, *, by, reason):
    return registry.get(kind).write(ctx, by=by, reason=reason)


def preview_file(kind, data, filename, *, user, year=None, month=None, progress=None) -> Preview:
    """What importing would do; writes nothing. An unreadable file is one error."""
    try:
        preview, _ = _plan(
            kind, data, filename, user=user, year=year, month=month, progress=progress
        )
    except UnreadableFile as exc:
        preview = Preview(kind=kind)
        preview.error(filename, None, "—", exc.message)
    return preview


def run_file(kind, data, filename, *, user, dry_run=False, **kwargs) -> Preview:
    """Read, check and (unless dry_run) write in one transaction: all rows or none.

    Side effects: a security audit event (数据导入) with the file's SHA-256 and the counts,
    committed with the rows; a refused import is audited too (result failure), nothing else.
    """
    digest = hashlib.sha256(data).hexdigest()
    try:
        preview = _run_file(
            kind, data, filename, user=user, dry_run=dry_run, digest=digest, **kwargs
        )
    except (ImportRejected, NotAllowed) as exc:
        if not dry_run:
            detail = exc.preview.summary() if isinstance(exc, ImportRejected) else exc.message
            audit.record(
                "import",
                user=user,
                obj=None,
                result="failure",
                kind=kind,
                file=filename,
                sha256=digest,
                outcome=detail,
            )
        raise
    return preview


@transaction.atomic
def _run_file(
    kind,
    data,
    filename,
    *,
    user,
    year=None,
    month=None,
    dry_run=False,
    reason="Excel导入（命令行）",
    progress=None,
    expected_fingerprint=None,
    digest="",
) -> Preview:
    """Raises ImportRejected (nothing written) when any row has an error, and NotAllowed when
    `expected_fingerprint` is given and the planned changes differ from the confirmed preview.
    """
    adapter = registry.get(kind)
    if not adapter.can_import(user):
        preview = Preview(kind=kind)
        preview.error(filename, None, "—", f"您没有导入“{adapter.label}”的权限")
        raise ImportRejected(preview)
    try:
        preview, ctx = _plan(
            kind, data, filename, user=user, year=year, month=month, progress=progress
        )
    except UnreadableFile as exc:
        preview = Preview(kind=kind)
        preview.error(filename, None, "—", exc.message)
        raise ImportRejected(preview) from None
    if not preview.ok:
        raise ImportRejected(preview)
    if not dry_run and ctx is None:
        raise ImportRejected(preview)
    if expected_fingerprint is not None and preview.fingerprint() != expected_fingerprint:
        raise NotAllowed("确认预览后数据已发生变化（他人修改了项目或报告），请重新上传并核对预览")
    if not dry_run:
        try:
            with transaction.atomic():
                try:
                    _write(kind, ctx, by=user, reason=reason)
                except NotAllowed as exc:
                    # A domain service refused a row the checks let through (a concurrent
                    # change): the same words as the page, and nothing is written.
                    preview.error(filename, None, "—", exc.message)
                    raise ImportRejected(preview) from None
                audit.record(
                    "import",
                    user=user,
                    kind=kind,
                    file=filename,
                    sha256=digest,
                    year=year,
                    month=month,
                    created=len(preview.creates),
                    updated=len(preview.updates),
                    unchanged=preview.unchanged,
                    rows=preview.rows_read,
                    change_set=reason,
                )
        except IntegrityError as exc:
            # The checks above mirror every constraint, so this means a rule the database
            # judges differently (or a concurrent write): still nothing is written.
            preview.error(
                filename, None, "—", f"数据库拒绝写入，未导入任何数据（{_constraint(exc, kind)}）"
            )
            raise ImportRejected(preview) from None
    return preview


def _constraint(exc: IntegrityError, kind: str) -> str:
    """The violated constraint's Chinese message when it can be named, else the error."""
    text = str(exc)
    for model in registry.get(kind).models:
        for c in model._meta.constraints:
            if c.name in text:
                return str(c.get_violation_error_message())
    return text.splitlines()[0][:120] if text else type(exc).__name__


# --- upload page jobs -----------------------------------------------------------------------


@transaction.atomic
def create_job(*, kind: str, filename: str, data: bytes, by, year=None, month=None) -> ImportJob:
    """Keep the uploaded file and queue its reading; returns the job (state 排队中).
    Refuses a table the adapter does not let `by` import (NotAllowed)."""
    adapter = registry.get(kind)
    if not adapter.can_import(by):
        raise NotAllowed(f"您没有导入“{adapter.label}”的权限")
    if len(data) > MAX_UPLOAD_BYTES:
        raise NotAllowed(f"文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB，请拆分后上传")
    job = ImportJob(kind=kind, original_name=filename[:255], year=year, month=month, created_by=by)
    job.file.save(filename, ContentFile(data), save=False)
    job._history_user = by
    job.save()
    return job


def _progress_saver(job_id: int):
    def save(done: int, total: int):
        ImportJob.objects.filter(pk=job_id).update(progress=done, total=total)

    return save


def parse_job(job_id: int) -> ImportJob:
    """Background step 1: read and check the file, store the preview (writes no project)."""
    job = ImportJob.objects.get(pk=job_id)
    if job.state not in (JobState.QUEUED, JobState.PARSING):
        return job
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.PARSING)
    try:
        with job.file.open("rb") as f:
            data = f.read()
        preview = preview_file(
            job.kind,
            data,
            job.original_name,
            user=job.created_by,
            year=job.year,
            month=job.month,
            progress=_progress_saver(job.pk),
        )
    except Exception as exc:  # the job must end in a visible state whatever happens
        _finish(job, JobState.FAILED, f"读取失败：{type(exc).__name__}")
        raise
    job.refresh_from_db()
    job.preview = preview.as_json()
    job.fingerprint = preview.fingerprint()
    job.state = JobState.PREVIEW if preview.ok else JobState.REJECTED
    job.message = preview.summary()
    job.save(update_fields=["preview", "fingerprint", "state", "message", "updated_at"])
    return job


@transaction.atomic
def confirm_job(job: ImportJob, *, by) -> ImportJob:
    """The user confirmed the preview: queue the write."""
    row = ImportJob.objects.select_for_update().get(pk=job.pk)
    if row.state != JobState.PREVIEW:
        raise NotAllowed(f"该导入{row.get_state_display()}，不能确认")
    if not row.preview.get("creates") and not row.preview.get("updates"):
        raise NotAllowed("预览中没有需要新建或修改的数据")
    row.state = JobState.APPLYING
    row.confirmed_at = timezone.now()
    row.progress = 0
    row.version += 1
    row._history_user = by
    row.save()
    return row


def apply_job(job_id: int) -> ImportJob:
    """Background step 2: write what the confirmed preview showed, in one transaction."""
    job = ImportJob.objects.get(pk=job_id)
    if job.state != JobState.APPLYING:
        return job
    try:
        with job.file.open("rb") as f:
            data = f.read()
        preview = run_file(
            job.kind,
            data,
            job.original_name,
            user=job.created_by,
            year=job.year,
            month=job.month,
            reason=job.change_reason,
            expected_fingerprint=job.fingerprint,
        )
    except ImportRejected as exc:
        job.preview = exc.preview.as_json()
        return _finish(job, JobState.REJECTED, "写入前重新校验发现错误，未导入任何数据")
    except NotAllowed as exc:
        return _finish(job, JobState.FAILED, exc.message)
    except Exception as exc:
        _finish(job, JobState.FAILED, f"写入失败，未导入任何数据（{type(exc).__name__}）")
        raise
    refresh_statistics()  # an import can add thousands of rows at once
    return _finish(job, JobState.DONE, "已导入：" + preview.summary())


def _finish(job: ImportJob, state: str, message: str) -> ImportJob:
    job.state, job.message, job.finished_at = state, message, timezone.now()
    job.progress = job.total
    job.version += 1
    job._history_user = job.created_by
    job.save()
    return job


def recover_interrupted() -> int:
    """Jobs left reading or writing by a worker that died (crash, restart, kill): mark them
    failed with a Chinese reason so the page stops showing progress and the uploader can run
    them again. Called when a task worker starts (importer's db_worker command), so the one
    worker `keyprojects serve` starts finds only dead jobs; a job whose task still waits in
    the queue is left to run. The write ran in one transaction: it left nothing behind."""
    from django_tasks_db.models import DBTaskResult

    waiting = {
        args["args"][0]
        for args in DBTaskResult.objects.ready()
        .filter(task_path__startswith="keyprojects.importer.tasks.")
        .values_list("args_kwargs", flat=True)
        if args.get("args")
    }
    stuck = ImportJob.objects.filter(state__in=(JobState.PARSING, JobState.APPLYING)).exclude(
        pk__in=waiting
    )
    count = 0
    for job in stuck:
        _finish(job, JobState.FAILED, INTERRUPTED)
        count += 1
    return count


@transaction.atomic
def rerun_job(job: ImportJob, *, by) -> ImportJob:
    """Read a failed or refused job's file again (after a crash, or after the mapping step or
    a fix in the system): back to 排队中; the caller queues the parse task."""
    row = ImportJob.objects.select_for_update().get(pk=job.pk)
    if row.state not in (JobState.FAILED, JobState.REJECTED, JobState.PREVIEW):
        raise NotAllowed(f"该导入{row.get_state_display()}，不能重新运行")
    row.state, row.message, row.progress, row.total = JobState.QUEUED, "", 0, 0
    row.finished_at = row.confirmed_at = None
    row.fingerprint = ""
    row.version += 1
    row._history_user = by
    row.save()
    return row


def mapping_choices(kind: str) -> list[tuple[str, str]]:
    """What an unknown header may be mapped to: a column of the table, or not imported."""
    return [("", "请选择"), (IGNORE, "（不导入此列）"), *field_choices(kind)]


@transaction.atomic
def save_mapping(job: ImportJob, *, headers: dict, departments: dict, by) -> dict:
    """Keep the choices made in the preview: header text → column (or not imported) as a
    header synonym, a written department name → a department (or a new one) as an alias.
    The next file with the same layout and names imports without asking.

    `departments`: name → department id, or "create". Side effects: HeaderSynonym,
    DepartmentAlias and (for "create") Department rows with history; returns counts.
    """
    from keyprojects.core import permissions

    counts = {"headers": 0, "aliases": 0, "created": 0}
    valid = dict(mapping_choices(job.kind))
    for text, choice in headers.items():
        if not choice:
            continue
        if choice not in valid:
            raise NotAllowed(f"表头“{text}”的对应栏目无效")
        key = text[:100]
        synonym = HeaderSynonym.objects.filter(kind=job.kind, text=key).first() or HeaderSynonym(
            kind=job.kind, text=key
        )
        synonym.field = choice
        synonym.note = f"导入 #{job.pk} 时选择"
        synonym._history_user = by
        synonym.save()
        counts["headers"] += 1
    if departments and not permissions.is_office(by):
        raise NotAllowed("单位对应关系只能由办公室设置，请联系办公室")
    for name, choice in departments.items():
        if not choice:
            continue
        if choice == "create":
            dept, made = Department.objects.get_or_create(name=names.key(name)[:100])
            counts["created"] += int(made)
            if names.key(name) == dept.name:
                continue  # the new department's own name needs no alias
        else:
            dept = Department.objects.filter(pk=choice).first()
            if dept is None:
                raise NotAllowed(f"单位“{name}”对应的单位不存在")
        alias = DepartmentAlias.objects.filter(text=names.key(name)).first() or DepartmentAlias(
            text=names.key(name)
        )
        alias.department = dept
        alias.note = f"导入 #{job.pk} 时选择"
        alias._history_user = by
        alias.save()
        counts["aliases"] += 1
    return counts


def run_recorded(kind, data, filename, *, user, year=None, month=None, progress=None) -> Preview:
    """An import from the command line, recorded like an upload: the file is kept in an
    ImportJob and every history row names it (one change set). Nothing is written on error."""
    job = create_job(kind=kind, filename=filename, data=data, by=user, year=year, month=month)
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.APPLYING)
    try:
        preview = run_file(
            kind,
            data,
            filename,
            user=user,
            year=year,
            month=month,
            reason=job.change_reason,
            progress=progress,
        )
    except ImportRejected as exc:
        job.refresh_from_db()
        job.preview = exc.preview.as_json()
        _finish(job, JobState.REJECTED, "命令行导入有错误，未导入任何数据")
        raise
    job.refresh_from_db()
    job.preview = preview.as_json()
    job.fingerprint = preview.fingerprint()
    _finish(job, JobState.DONE, "已导入（命令行）：" + preview.summary())
    return preview
