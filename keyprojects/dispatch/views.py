"""Monthly dispatch pages: thin views that load in scope, check, call one service, render."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from keyprojects import months, stats
from keyprojects.core import permissions as core_permissions
from keyprojects.core.decorators import business_view, office_view
from keyprojects.core.errors import NotAllowed, StaleEdit
from keyprojects.core.forms import VERSION_MISSING
from keyprojects.core.history import entries
from keyprojects.core.models import Department
from keyprojects.dispatch import brief as brief_builder
from keyprojects.dispatch import figures, permissions, reminders, services, wallchart
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.dispatch.forms import (
    ANCHORS,
    MilestonesReachedForm,
    PhaseTemplateForm,
    PhotoForm,
    PlanDatesForm,
    PlanTargetForm,
    ReportForm,
    ReturnForm,
    metas_for,
)
from keyprojects.dispatch.models import MonthlyReport, PhaseTemplate
from keyprojects.figures import periods
from keyprojects.ledger import permissions as ledger_permissions
from keyprojects.ledger import schedule
from keyprojects.ledger.choices import Sector
from keyprojects.security import audit


def _month_param(request, default: tuple[int, int] | None):
    """(year, month) from ?month=2022-03; None when absent and no default; ValueError when bad."""
    raw = request.GET.get("month", "").strip()
    if not raw:
        return default
    return months.parse_month(raw)


def _department_param(request):
    raw = request.GET.get("department", "").strip()
    if not raw:
        return None
    try:
        return Department.objects.get(pk=int(raw))
    except (ValueError, Department.DoesNotExist):
        raise ValueError("所选单位不存在") from None


def _version(request) -> int | None:
    raw = request.POST.get("version", "")
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


# --- Monthly reports --------------------------------------------------------------------------


@business_view
def report_list(request):
    qs = permissions.reports_for(request.user).select_related(
        "project", "project__department", "submitted_by", "proxy_by"
    )
    try:
        period = _month_param(request, None)
        department = _department_param(request)
    except ValueError as exc:
        return render(request, "dispatch/report_list.html", {"error": str(exc)}, status=400)
    status = request.GET.get("status", "")
    if period:
        qs = qs.filter(year=period[0], month=period[1])
    if department and not core_permissions.is_reporter(request.user):
        qs = qs.filter(project__department=department)
    if status:
        if status not in ReportStatus.values:
            return render(
                request, "dispatch/report_list.html", {"error": "状态筛选无效"}, status=400
            )
        qs = qs.filter(status=status)
    qs = qs.order_by("-year", "-month", "project__department__order", "project__code")
    page = Paginator(qs, settings.KP_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dispatch/report_list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "month_value": f"{period[0]}-{period[1]:02d}" if period else "",
            "department": department,
            "departments": Department.objects.filter(is_active=True),
            "status": status,
            "statuses": ReportStatus.choices,
            "can_draft": permissions.can_draft_reports(request.user),
            "worklist": _worklist(request.user),
            "filtered": bool(period or department or status),
        },
    )


def _worklist(user) -> dict | None:
    """A reporter's own month first: every project of the department reporting for the month
    now due, the ones still to report at the top (services.month_worklist)."""
    if not core_permissions.is_reporter(user):
        return None
    scope = ledger_permissions.projects_for(user)
    year, month = services.default_due_month(scope, timezone.localdate())
    rows = services.month_worklist(scope, year, month)
    return {
        "year": year,
        "month": month,
        "month_value": f"{year}-{month:02d}",
        "rows": rows,
        "open": sum(1 for _, r in rows if r is None or r.status in services.EDITABLE),
        "deadline": services.deadline(year, month),
    }


@business_view
def report_detail(
    request, pk, *, return_form=None, photo_form=None, milestone_form=None, status=200
):
    report = get_object_or_404(
        permissions.reports_for(request.user).select_related(
            "project", "project__department", "submitted_by", "reviewed_by", "proxy_by"
        ),
        pk=pk,
    )
    can_edit = permissions.can_edit_report(request.user, report)
    can_review = (
        permissions.can_review_reports(request.user) and report.status == ReportStatus.SUBMITTED
    )
    milestones = services.milestones_for_report(report)
    return render(
        request,
        "dispatch/report_detail.html",
        {
            "report": report,
            "figures": figures.derived_figures(report),
            "deadline": services.deadline(report.year, report.month),
            "photos": report.photos.all(),
            "can_edit": can_edit,
            "can_review": can_review,
            "return_form": return_form or ReturnForm(initial={"version": report.version}),
            "photo_form": photo_form or PhotoForm(),
            "milestones": milestones,
            "milestone_form": milestone_form
            or MilestonesReachedForm(milestones=milestones["open"]),
            "history": entries(report.history.all(), MonthlyReport, lambda r: "报告"),
        },
        status=status,
    )


@business_view
def report_create(request):
    if not permissions.can_draft_reports(request.user):
        raise PermissionDenied("您的角色不能填报月度调度报告")
    initial = {}
    if request.GET.get("project"):
        initial["project"] = request.GET["project"]
    if request.GET.get("month"):
        initial["period"] = request.GET["month"]
    form = ReportForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        photos = form.cleaned_data["photo_files"]
        try:
            report = services.save_draft_with_photos(
                form.save(commit=False),
                photos,
                metas=metas_for(photos, request.POST),
                by=request.user,
            )
        except IntegrityError:
            # Someone created the same project's report for that month a moment ago.
            form.add_error("period", "该项目本月已有调度报告，不能重复填报")
        except NotAllowed as exc:
            _photos_refused(form, exc)
        else:
            messages.success(
                request,
                f"已保存{report}的调度报告草稿{_photo_note(photos)}，核对无误后请点击“报送”",
            )
            return redirect("dispatch:report_detail", pk=report.pk)
    return render(
        request,
        "dispatch/report_form.html",
        {"form": form, "creating": True},
        status=400 if form.errors else 200,
    )


def _photo_note(photos) -> str:
    return f"和{len(photos)}张现场照片" if photos else ""


def _photos_refused(form, exc) -> None:
    """A bad photo refuses the whole submit: say which, and that nothing was saved (the
    browser forgets chosen files on a new page, so they are chosen again)."""
    form.add_error(
        "photo_files", f"{exc.message}。草稿和照片均未保存，请去掉该照片，重新选择照片后再提交"
    )


def _editable_report(request, pk) -> MonthlyReport:
    report = get_object_or_404(
        permissions.reports_for(request.user).select_related("project"), pk=pk
    )
    if not permissions.can_edit_report(request.user, report):
        if report.status not in services.EDITABLE:
            raise PermissionDenied(services.locked_message(report))
        raise PermissionDenied("您不能修改该报告")
    return report


@business_view
def report_edit(request, pk):
    report = _editable_report(request, pk)
    form = ReportForm(
        request.POST or None, request.FILES or None, instance=report, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        photos = form.cleaned_data["photo_files"]
        try:
            services.save_draft_with_photos(
                form.save(commit=False),
                photos,
                metas=metas_for(photos, request.POST),
                by=request.user,
                expected_version=form.expected_version,
            )
        except StaleEdit as exc:
            form.show_conflict(exc)
        except NotAllowed as exc:
            _photos_refused(form, exc)
        else:
            messages.success(request, f"已保存调度报告{_photo_note(photos)}")
            return redirect("dispatch:report_detail", pk=report.pk)
    status = form.status_code
    return render(
        request,
        "dispatch/report_form.html",
        {"form": form, "report": report, "creating": False},
        status=status,
    )


@business_view
@require_POST
def report_submit(request, pk):
    report = _editable_report(request, pk)
    version = _version(request)
    if version is None:
        return HttpResponseBadRequest(VERSION_MISSING)
    try:
        services.submit(report, by=request.user, expected_version=version)
    except (NotAllowed, StaleEdit) as exc:
        messages.error(request, exc.message)
        return redirect("dispatch:report_detail", pk=pk)
    note = "（已过报送截止日期，标记为逾期报送）" if report.is_late else ""
    messages.success(request, f"已报送{report}的调度报告{note}")
    return redirect("dispatch:report_detail", pk=pk)


def _reviewable_report(request, pk) -> MonthlyReport:
    report = get_object_or_404(
        permissions.reports_for(request.user).select_related("project"), pk=pk
    )
    if not permissions.can_review_reports(request.user):
        raise PermissionDenied("仅办公室可以审核月度调度报告")
    return report


@business_view
@require_POST
def report_approve(request, pk):
    report = _reviewable_report(request, pk)
    version = _version(request)
    if version is None:
        return HttpResponseBadRequest(VERSION_MISSING)
    try:
        services.approve(report, by=request.user, expected_version=version)
    except (NotAllowed, StaleEdit) as exc:
        messages.error(request, exc.message)
        return redirect("dispatch:report_detail", pk=pk)
    messages.success(request, f"已审核通过{report}的调度报告，其数字已计入统计")
    return redirect("dispatch:report_detail", pk=pk)


@business_view
@require_POST
def report_return(request, pk):
    report = _reviewable_report(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return report_detail(request, pk, return_form=form, status=400)
    try:
        services.return_report(
            report,
            by=request.user,
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data.get("version"),
        )
    except (NotAllowed, StaleEdit) as exc:
        messages.error(request, exc.message)
        return redirect("dispatch:report_detail", pk=pk)
    messages.success(request, f"已退回{report}的调度报告")
    return redirect("dispatch:report_detail", pk=pk)


@business_view
@require_POST
def report_milestones(request, pk):
    report = _editable_report(request, pk)
    form = MilestonesReachedForm(
        request.POST, milestones=services.milestones_for_report(report)["open"]
    )
    if form.is_valid():
        reached = form.reached()
        if not reached:
            form.add_error(None, "请至少填写一个节点的实际完成日期")
        else:
            try:
                services.record_milestones(
                    report, reached, by=request.user, today=timezone.localdate()
                )
            except NotAllowed as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已记录{len(reached)}个节点的实际完成日期")
                return redirect("dispatch:report_detail", pk=pk)
    return report_detail(request, pk, milestone_form=form, status=400)


@business_view
@require_POST
def photo_upload(request, pk):
    report = _editable_report(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        photos = form.cleaned_data["image"]
        try:
            services.add_photos(
                report,
                photos,
                metas=metas_for(photos, request.POST),
                by=request.user,
                caption=form.cleaned_data["caption"],
            )
        except NotAllowed as exc:
            form.add_error("image", f"{exc.message}。这次选择的照片均未上传")
        else:
            messages.success(request, f"已上传{len(photos)}张现场照片")
            return redirect("dispatch:report_detail", pk=pk)
    return report_detail(request, pk, photo_form=form, status=400)


@business_view
def photo_view(request, pk, photo_pk):
    """Photos are never under /media/: each request checks the report is in the user's scope."""
    report = get_object_or_404(permissions.reports_for(request.user), pk=pk)
    photo = get_object_or_404(report.photos, pk=photo_pk)
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        return render(request, "404.html", status=404)
    response = FileResponse(handle, content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@business_view
@require_POST
def photo_delete(request, pk, photo_pk):
    report = _editable_report(request, pk)
    photo = get_object_or_404(report.photos, pk=photo_pk)
    try:
        services.delete_photo(photo, by=request.user)
    except NotAllowed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已删除照片")
    return redirect("dispatch:report_detail", pk=pk)


# --- 待报 -------------------------------------------------------------------------------------


@business_view
def due(request):
    scope = ledger_permissions.projects_for(request.user)
    try:
        year, month = _month_param(request, services.default_due_month(scope, timezone.localdate()))
    except ValueError as exc:
        return render(request, "dispatch/due.html", {"error": str(exc)}, status=400)
    groups = services.due_by_department(scope, year, month)
    deadline = services.deadline(year, month)
    office = core_permissions.is_office(request.user)
    notices = reminders.remind(year, month, projects=scope, send=False) if office else []
    return render(
        request,
        "dispatch/due.html",
        {
            "year": year,
            "month": month,
            "month_value": f"{year}-{month:02d}",
            "groups": groups,
            "count": sum(len(ps) for _, ps in groups),
            "deadline": deadline,
            "days_overdue": (stats.default_as_of(year, timezone.localdate()) - deadline).days,
            "can_remind": office,
            "notices": notices,
            "unreachable": [n["department"] for n in notices if not n["recipients"]],
            "can_draft": permissions.can_draft_reports(request.user),
        },
    )


@office_view
@require_POST
def due_remind(request):
    try:
        year, month = months.parse_month(request.POST.get("month", ""))
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    results = reminders.remind(year, month)
    sent = sum(1 for r in results if r["sent"])
    missing = [r["department"].label for r in results if not r["recipients"]]
    text = f"已向{sent}个单位发送{year}年{month}月待报提醒"
    if missing:
        text += f"；{'、'.join(missing)}没有填写邮箱的填报员，未能发送"
    messages.success(request, text)
    return redirect(reverse("dispatch:due") + f"?month={year}-{month:02d}")


# --- 倒排工期 ---------------------------------------------------------------------------------


@business_view
def template_list(request):
    saved = {t.sector: t for t in PhaseTemplate.objects.all()}
    rows = [
        (value, label, saved.get(value) or services.default_template(value))
        for value, label in Sector.choices
    ]
    return render(
        request,
        "dispatch/template_list.html",
        {
            "rows": rows,
            "gaps": PhaseTemplate.GAP_FIELDS,
            "can_manage": permissions.can_manage_phase_templates(request.user),
        },
    )


@office_view
def template_edit(request, sector):
    if sector not in Sector.values:
        return render(request, "404.html", status=404)
    template = services.template_for(sector)
    form = PhaseTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_template(
                form.save(commit=False), by=request.user, expected_version=form.expected_version
            )
        except StaleEdit as exc:
            form.show_conflict(exc)
        except IntegrityError:
            form.add_error(None, "该行业领域的模板刚由他人创建，请刷新页面后再修改")
            return render(
                request,
                "dispatch/template_form.html",
                {"form": form, "template": template},
                status=409,
            )
        else:
            messages.success(request, f"已保存{template}")
            return redirect("dispatch:template_list")
    status = form.status_code
    return render(
        request,
        "dispatch/template_form.html",
        {"form": form, "template": template},
        status=status,
    )


@business_view
def plan(request, pk):
    project = get_object_or_404(
        ledger_permissions.projects_for(request.user).select_related("department"), pk=pk
    )
    if not permissions.can_plan_project(request.user, project):
        raise PermissionDenied("您没有修改该项目节点的权限")
    template = services.template_for(project.sector)
    phases = [phase for phase, _ in template.steps()]
    today = timezone.localdate()
    warnings: list[str] = []
    conflict = False
    if request.method == "POST":
        dates_form = PlanDatesForm(request.POST, phases=phases)
        target_form = PlanTargetForm(initial=_plan_target_initial(project))
        status = 400
        if dates_form.is_valid():
            planned = dates_form.planned()
            warnings = services.plan_warnings(project, planned, today=today)
            if warnings and dates_form.cleaned_data["confirm"] != dates_form.confirm_key():
                # The confirm step: the same dates again, with what to confirm listed.
                data = request.POST.copy()
                data["confirm"] = dates_form.confirm_key()
                dates_form = PlanDatesForm(data, phases=phases)
                dates_form.is_valid()
                status = 200
            else:
                try:
                    services.save_plan(
                        project,
                        planned,
                        by=request.user,
                        expected_stamp=dates_form.cleaned_data["stamp"],
                    )
                except StaleEdit as exc:
                    dates_form.add_error(None, exc.message)
                    conflict, status, warnings = True, 409, []
                except NotAllowed as exc:
                    dates_form.add_error(None, exc.message)
                    warnings = []
                else:
                    messages.success(request, f"已按倒排工期保存{len(phases)}个节点的计划日期")
                    return redirect(project)
    else:
        target_form = PlanTargetForm(request.GET or None, initial=_plan_target_initial(project))
        dates_form = None
        status = 200
        if request.GET:
            if target_form.is_valid():
                proposal = schedule.reverse_plan(
                    template.steps(),
                    target_form.cleaned_data["target"],
                    target_form.cleaned_data["anchor"],
                )
                dates_form = PlanDatesForm(
                    phases=phases,
                    initial={f"date_{p}": d for p, d in proposal}
                    | {"stamp": services.plan_stamp(project)},
                )
            else:
                status = 400
    existing = {m.phase: m for m in project.milestones.filter(deleted_at__isnull=True)}
    rows = []
    if dates_form is not None:
        for phase in phases:
            rows.append((dates_form[f"date_{phase}"], existing.get(phase)))
    return render(
        request,
        "dispatch/plan.html",
        {
            "project": project,
            "template": template,
            "target_form": target_form,
            "dates_form": dates_form,
            "rows": rows,
            "warnings": warnings,
            "conflict": conflict,
        },
        status=status,
    )


def _plan_target_initial(project) -> dict:
    """The target defaults to the ledger's 计划竣工 (counted back from 竣工验收)."""
    if project.planned_end:
        return {"anchor": ANCHORS[0][0], "target": project.planned_end}
    return {}


# --- Wall chart -------------------------------------------------------------------------------


def _chart(request):
    """The chart for ?year=&department=&page= in the user's scope; ValueError on bad parameters.
    Its period is the year's default (figures.periods): the last closed month, else live."""
    scope = ledger_permissions.projects_for(request.user)
    years = list(scope.values_list("year", flat=True).distinct().order_by("-year"))
    raw = request.GET.get("year", "").strip()
    try:
        year = int(raw) if raw else None
    except ValueError:
        raise ValueError("年度应为数字，如 2022") from None
    if year is not None and not 2000 <= year <= 2100:
        raise ValueError("年度应为2000至2100")
    period = periods.default_period(year)
    year = period.year
    department = _department_param(request)
    title = f"{year}年重点项目挂图作战图"
    if department is not None:
        scope = scope.filter(department=department)
        title += f"（{department.label}）"
    try:
        page = int(request.GET.get("page") or 1)
    except ValueError:
        raise ValueError("页码应为数字") from None
    return wallchart.build(scope, year, period, title, page=page), years, department


@business_view
def wall_chart(request):
    try:
        chart, years, department = _chart(request)
    except ValueError as exc:
        return render(request, "dispatch/wallchart.html", {"error": str(exc)}, status=400)
    query = request.GET.urlencode()
    page_query = request.GET.copy()
    page_query.pop("page", None)
    return render(
        request,
        "dispatch/wallchart.html",
        {
            "chart": chart,
            "svg": wallchart.render_svg(chart),
            "years": years or [chart.year],
            "department": department,
            "departments": Department.objects.filter(is_active=True),
            "query": query,
            "page_query": page_query.urlencode(),
        },
    )


@business_view
def wall_chart_svg(request):
    try:
        chart, _, _ = _chart(request)
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + wallchart.render_svg(chart),
        content_type="image/svg+xml; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="wallchart-{chart.year}.svg"'
    audit.record(
        "report",
        user=request.user,
        request=request,
        kind="wall_chart_svg",
        year=chart.year,
        filters=request.GET.dict(),
    )
    return response


@business_view
def wall_chart_pdf(request):
    try:
        chart, _, _ = _chart(request)
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    try:
        content = wallchart.svg_to_pdf(wallchart.render_svg(chart))
    except RuntimeError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="wallchart-{chart.year}.pdf"'
    audit.record(
        "report",
        user=request.user,
        request=request,
        kind="wall_chart_pdf",
        year=chart.year,
        filters=request.GET.dict(),
    )
    return response


# --- Monthly brief ----------------------------------------------------------------------------


def _brief_month(request):
    """(scope, year, month, period): ?month=2022-03, default the last closed month of the
    current plan year (figures.periods.default_period)."""
    scope = ledger_permissions.projects_for(request.user)
    today = timezone.localdate()
    default = periods.default_period(today=today)
    year, month = _month_param(request, (default.year, default.month))
    if months.is_future_month(year, month, today):
        raise ValueError(f"{year}年{month}月尚未结束，不能生成通报")
    return scope, year, month


@business_view
def brief(request):
    try:
        scope, year, month = _brief_month(request)
    except ValueError as exc:
        return render(request, "dispatch/brief.html", {"error": str(exc)}, status=400)
    data = brief_builder.collect(year, month, scope, ledger_permissions.scope_label(request.user))
    return render(
        request,
        "dispatch/brief.html",
        {"brief": data, "month_value": f"{year}-{month:02d}", "s": data.summary},
    )


@business_view
def brief_docx(request):
    try:
        scope, year, month = _brief_month(request)
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    content = brief_builder.render_docx(
        brief_builder.collect(year, month, scope, ledger_permissions.scope_label(request.user))
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{year}年{month}月重点项目调度通报.docx"
    )
    audit.record(
        "report", user=request.user, request=request, kind="monthly_brief", year=year, month=month
    )
    return response
