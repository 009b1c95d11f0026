"""Excel pages: upload → preview (read in the background) → confirm → written; exports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from keyprojects.core import permissions
from keyprojects.core.decorators import business_view
from keyprojects.core.errors import NotAllowed
from keyprojects.core.models import Department
from keyprojects.importer import permissions as importer_permissions
from keyprojects.importer import registry, services, tasks
from keyprojects.importer.base import PREVIEW_LIMIT, Preview
from keyprojects.importer.forms import MappingForm, UploadForm
from keyprojects.importer.models import DepartmentAlias, HeaderSynonym, JobState
from keyprojects.security import audit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@business_view
def upload(request):
    if not importer_permissions.can_import(request.user):
        raise PermissionDenied("您的角色不能导入数据")
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        ym = form.cleaned_data["month"]
        kind = form.cleaned_data["kind"]
        needs_month = registry.get(kind).needs_month
        year = ym[0] if needs_month else form.cleaned_data["year"]
        upload_file = form.cleaned_data["file"]
        try:
            job = services.create_job(
                kind=kind,
                filename=upload_file.name,
                data=upload_file.read(),
                by=request.user,
                year=year,
                month=ym[1] if ym and needs_month else None,
            )
        except NotAllowed as exc:
            form.add_error("file", exc.message)
        else:
            tasks.parse_import.enqueue(job.pk)
            return redirect(job)
    jobs = importer_permissions.jobs_for(request.user).select_related("created_by")[:20]
    return render(
        request,
        "importer/upload.html",
        {"form": form, "jobs": jobs, "is_office": permissions.is_office(request.user)},
        status=400 if form.errors else 200,
    )


def _job(request, pk):
    return get_object_or_404(
        importer_permissions.jobs_for(request.user).select_related("created_by"), pk=pk
    )


def _mapping_form(request, job, preview, data=None):
    if preview is None or not preview.needs_mapping or job.created_by_id != request.user.pk:
        return None
    return MappingForm(
        data,
        preview=preview,
        header_choices=services.mapping_choices(job.kind),
        departments=Department.objects.order_by("order", "name"),
        can_map_departments=permissions.is_office(request.user),
    )


@business_view
def job_detail(request, pk):
    job = _job(request, pk)
    preview = Preview.from_json(job.preview) if job.preview else None
    return render(
        request,
        "importer/job_detail.html",
        {
            "job": job,
            "preview": preview,
            "limit": PREVIEW_LIMIT,
            "mapping_form": _mapping_form(request, job, preview),
            "can_confirm": job.created_by_id == request.user.pk and job.state == "preview",
            "can_rerun": job.created_by_id == request.user.pk
            and job.state in (JobState.FAILED, JobState.REJECTED),
            "can_download": importer_permissions.can_download_upload(request.user, job),
        },
    )


@business_view
@require_POST
def job_mapping(request, pk):
    """Keep the preview's answers (header → column, name → department), then read again."""
    job = _job(request, pk)
    if job.created_by_id != request.user.pk:
        raise PermissionDenied("只有上传人可以设置对应关系")
    preview = Preview.from_json(job.preview) if job.preview else None
    form = _mapping_form(request, job, preview, request.POST)
    if form is None or job.is_running:
        messages.error(request, "该导入没有需要选择的对应关系")
        return redirect(job)
    if not form.is_valid():
        messages.error(request, "对应关系的选择无效，请重新选择")
        return redirect(job)
    headers, names = form.answers()
    try:
        counts = services.save_mapping(job, headers=headers, departments=names, by=request.user)
        job = services.rerun_job(job, by=request.user)
    except NotAllowed as exc:
        messages.error(request, exc.message)
        return redirect(job)
    tasks.parse_import.enqueue(job.pk)
    messages.success(
        request,
        f"已保存{counts['headers']}个表头、{counts['aliases']}个单位的对应关系，正在重新读取文件",
    )
    return redirect(job)


@business_view
@require_POST
def job_rerun(request, pk):
    job = _job(request, pk)
    if job.created_by_id != request.user.pk:
        raise PermissionDenied("只有上传人可以重新运行导入")
    try:
        job = services.rerun_job(job, by=request.user)
    except NotAllowed as exc:
        messages.error(request, exc.message)
        return redirect(job)
    tasks.parse_import.enqueue(job.pk)
    return redirect(job)


@business_view
def mappings(request):
    """The office's lists: header synonyms and department aliases (edited in place)."""
    if not permissions.is_office(request.user):
        raise PermissionDenied("对应关系由办公室维护")
    if request.method == "POST":
        what, pk = request.POST.get("delete", ""), request.POST.get("pk", "")
        model = {"synonym": HeaderSynonym, "alias": DepartmentAlias}.get(what)
        if model is None or not pk.isdigit():
            return HttpResponseBadRequest("请求无效")
        obj = get_object_or_404(model, pk=pk)
        obj._history_user = request.user
        obj.delete()
        messages.success(request, f"已删除“{obj}”")
        return redirect("importer:mappings")
    synonyms = [
        (s, registry.kind_label(s.kind), dict(services.mapping_choices(s.kind)).get(s.field))
        for s in HeaderSynonym.objects.all()
    ]
    aliases = DepartmentAlias.objects.select_related("department")
    return render(request, "importer/mappings.html", {"synonyms": synonyms, "aliases": aliases})


@business_view
def job_status(request, pk):
    job = _job(request, pk)
    return JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "progress": job.progress,
            "total": job.total,
            "percent": job.percent,
            "running": job.is_running,
            "message": job.message,
        }
    )


@business_view
@require_POST
def job_confirm(request, pk):
    job = _job(request, pk)
    if job.created_by_id != request.user.pk:
        raise PermissionDenied("只有上传人可以确认导入")
    try:
        job = services.confirm_job(job, by=request.user)
    except NotAllowed as exc:
        messages.error(request, exc.message)
        return redirect(job)
    tasks.apply_import.enqueue(job.pk)
    return redirect(job)


@business_view
def job_file(request, pk):
    job = _job(request, pk)
    if not importer_permissions.can_download_upload(request.user, job):
        raise PermissionDenied("上传的原始文件仅办公室可以下载")
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("上传的原文件已不存在") from None
    return FileResponse(handle, as_attachment=True, filename=job.original_name)


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@business_view
def export(request, kind):
    """A table's .xlsx: the adapter reads the query (filters, month) in the user's scope."""
    try:
        adapter = registry.get(kind)
    except LookupError:
        raise Http404("没有这种表格") from None
    try:
        data, filename, details = adapter.export(
            request.GET, user=request.user, today=timezone.localdate()
        )
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    audit.record("export", user=request.user, request=request, kind=kind, **details)
    return _xlsx(data, filename)
