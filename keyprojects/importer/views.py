"""Excel pages: upload → preview (read in the background) → confirm → written; exports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from keyprojects import stats
from keyprojects.core.decorators import business_view
from keyprojects.core.errors import NotAllowed
from keyprojects.importer import exports, permissions, services, tasks
from keyprojects.importer.base import PREVIEW_LIMIT, Preview
from keyprojects.importer.forms import UploadForm
from keyprojects.importer.models import SheetKind
from keyprojects.importer.values import CellError, month_of
from keyprojects.ledger import permissions as ledger_permissions
from keyprojects.ledger.filters import ProjectFilter
from keyprojects.security import audit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@business_view
def upload(request):
    if not permissions.can_import(request.user):
        raise PermissionDenied("您的角色不能导入数据")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        ym = form.cleaned_data["month"]
        kind = form.cleaned_data["kind"]
        year = ym[0] if kind == SheetKind.DISPATCH else form.cleaned_data["year"]
        upload_file = form.cleaned_data["file"]
        try:
            job = services.create_job(
                kind=kind,
                filename=upload_file.name,
                data=upload_file.read(),
                by=request.user,
                year=year,
                month=ym[1] if ym and kind == SheetKind.DISPATCH else None,
            )
        except NotAllowed as exc:
            form.add_error("file", exc.message)
        else:
            tasks.parse_import.enqueue(job.pk)
            return redirect(job)
    jobs = permissions.jobs_for(request.user).select_related("created_by")[:20]
    return render(
        request,
        "importer/upload.html",
        {"form": form, "jobs": jobs},
        status=400 if form.errors else 200,
    )


def _job(request, pk):
    return get_object_or_404(permissions.jobs_for(request.user).select_related("created_by"), pk=pk)


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
            "can_confirm": job.created_by_id == request.user.pk and job.state == "preview",
            "can_download": permissions.can_download_upload(request.user, job),
        },
    )


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
    if not permissions.can_download_upload(request.user, job):
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
def export_ledger(request):
    """The ledger list's rows, filtered by the same parameters as the list page."""
    base = ledger_permissions.projects_for(request.user)
    f = ProjectFilter.from_query(request.GET, base, timezone.localdate())
    params, year, as_of = f.params, f.year, f.as_of
    if not f.is_valid():
        return HttpResponseBadRequest(
            "筛选条件无效：" + "；".join(str(e) for es in f.errors.values() for e in es)
        )
    data = exports.export_ledger(f.qs, year=year, as_of=as_of)
    audit.record(
        "export",
        user=request.user,
        request=request,
        kind="ledger",
        year=year,
        filters=params.dict(),
        rows=f.qs.filter(year=year).count(),
    )
    return _xlsx(data, f"{year}年重点项目台账.xlsx")


@business_view
def export_dispatch(request):
    """Month N's dispatch table (?month=2022-03), optionally filtered like the ledger list."""
    try:
        ym = month_of(request.GET.get("month", ""))
    except CellError:
        ym = None
    if ym is None:
        return HttpResponseBadRequest("请指定月份，如 ?month=2022-03")
    year, month = ym
    base = ledger_permissions.projects_for(request.user)
    params = request.GET.copy()
    params["year"] = str(year)
    params.pop("month", None)
    f = ProjectFilter(params, queryset=base, as_of=stats.month_end(year, month))
    if not f.is_valid():
        return HttpResponseBadRequest("筛选条件无效")
    data = exports.export_dispatch(f.qs, year=year, month=month)
    audit.record(
        "export",
        user=request.user,
        request=request,
        kind="dispatch",
        year=year,
        month=month,
        filters=params.dict(),
        rows=f.qs.count(),
    )
    return _xlsx(data, f"{year}年{month}月重点项目调度表.xlsx")
