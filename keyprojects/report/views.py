"""Quarterly report pages: preview with every figure linked to its rows, generate and
download the .docx, issue it, and the office's wording and free paragraphs."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_POST

from keyprojects import stats
from keyprojects.core import permissions as core
from keyprojects.core.decorators import business_view, office_view
from keyprojects.core.errors import StaleEdit
from keyprojects.core.forms import labelled_errors
from keyprojects.core.models import Department
from keyprojects.ledger import permissions as ledger_permissions
from keyprojects.report import permissions, sections, services
from keyprojects.report.forms import GenerateForm, NoteForm, WordingForm
from keyprojects.report.models import ReportNote
from keyprojects.report.placeholders import TemplateRejected
from keyprojects.security import audit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class BadPeriod(ValueError):
    pass


def _period(request, data=None):
    """(year, quarter, department) from ?year=&quarter=&department=, in the user's scope."""
    data = data if data is not None else request.GET
    scope = ledger_permissions.projects_for(request.user)
    try:
        raw = data.get("year", "").strip()
        if raw:
            year = int(raw)
        else:
            year = scope.order_by("-year").values_list("year", flat=True).first()
            if year is None:
                raise BadPeriod("尚无任何项目，无法生成报告")
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        raise BadPeriod("年度无效：应为2000至2100的整数") from None
    # No quarter asked: the one holding the year's judging day (a past year: its last month
    # with approved reports).
    default_month = stats.default_as_of(year, timezone.localdate()).month
    quarter = data.get("quarter", "").strip() or str((default_month - 1) // 3 + 1)
    if quarter not in ("1", "2", "3", "4"):
        raise BadPeriod("季度无效：应为1至4")
    department = None
    raw = data.get("department", "").strip()
    if raw:
        try:
            department = Department.objects.get(pk=int(raw))
        except (ValueError, Department.DoesNotExist):
            raise BadPeriod("所选部门不存在") from None
    department = permissions.department_for(request.user, department)
    return year, int(quarter), department, scope


def _query(year, quarter, department) -> str:
    params = {"year": year, "quarter": quarter}
    if department is not None:
        params["department"] = department.pk
    return urlencode(params)


@business_view
def quarterly(request):
    try:
        year, quarter, department, scope = _period(request)
    except BadPeriod as exc:
        return render(request, "report/quarterly.html", {"error": str(exc)}, status=400)
    ctx, composed, notes = services.preview(year, quarter, department=department, projects=scope)
    generated = permissions.generated_for(request.user).filter(
        year=year, quarter=quarter, department=department
    )
    return render(
        request,
        "report/quarterly.html",
        {
            "year": year,
            "quarter": quarter,
            "department": department,
            "departments": Department.objects.order_by("order", "name")
            if not core.is_reporter(request.user)
            else [],
            "composed": composed,
            "ctx": ctx,
            "notes": notes,
            "note_form": NoteForm(),
            "generate_form": GenerateForm(),
            "generated": generated[:20],
            "query": _query(year, quarter, department),
            "can_edit": permissions.can_edit_wording(request.user),
            "quarters": [(1, "一季度"), (2, "二季度"), (3, "三季度"), (4, "四季度")],
        },
    )


@business_view
@require_POST
def generate(request):
    try:
        year, quarter, department, scope = _period(request, request.POST)
    except BadPeriod as exc:
        return render(request, "report/quarterly.html", {"error": str(exc)}, status=400)
    form = GenerateForm(request.POST)
    form.is_valid()
    report = services.generate(
        year,
        quarter,
        department=department,
        projects=scope,
        by=request.user,
        appendix=form.cleaned_data.get("appendix", False),
    )
    audit.record(
        "report",
        user=request.user,
        request=request,
        kind="quarterly_report",
        year=year,
        quarter=quarter,
        report=report.pk,
    )
    messages.success(request, f"已生成{report.title}")
    return redirect(reverse("report:quarterly") + "?" + _query(year, quarter, department))


@business_view
def generated_download(request, pk):
    report = get_object_or_404(permissions.generated_for(request.user), pk=pk)
    response = HttpResponse(bytes(report.docx), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, report.filename)
    return response


@business_view
@require_POST
def generated_issue(request, pk):
    report = get_object_or_404(permissions.generated_for(request.user), pk=pk)
    if not permissions.can_issue(request.user):
        raise PermissionDenied("仅办公室可以印发报告")
    services.issue(report, by=request.user)
    messages.success(request, f"已将{report.title}标记为印发稿")
    return redirect(
        reverse("report:quarterly") + "?" + _query(report.year, report.quarter, report.department)
    )


@office_view
def wording_list(request):
    wording, versions = services.current_wording()
    rows = [(s, wording[s.key], versions[s.key]) for s in sections.SECTIONS]
    return render(
        request,
        "report/wording_list.html",
        {"rows": rows, "catalogue": sections.catalogue()},
    )


@office_view
def wording_edit(request, section):
    if section not in sections.BY_KEY:
        return render(request, "404.html", status=404)
    spec = sections.BY_KEY[section]
    wording, versions = services.current_wording()
    initial = {
        "heading": wording[section].heading,
        "body": wording[section].body,
        "version": versions[section],
    }
    form = WordingForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_wording(
                    section,
                    heading=form.cleaned_data["heading"],
                    body=form.cleaned_data["body"],
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except TemplateRejected as exc:
                form.add_error("body", str(exc))
            except StaleEdit as exc:
                form.add_error(None, exc.message)
                status = 409
            except IntegrityError:
                form.add_error(None, "该段落模板刚由他人创建，请刷新页面后再修改")
                status = 409
            else:
                messages.success(request, f"已保存“{spec.label}”的措辞")
                return redirect("report:wording_list")
        if status == 200:
            status = 400
    history = []
    row = services.ReportTemplate.objects.filter(section=section).first()
    if row is not None:
        history = list(row.history.select_related("history_user").order_by("-history_id")[:20])
    return render(
        request,
        "report/wording_form.html",
        {"form": form, "section": spec, "catalogue": sections.catalogue(), "history": history},
        status=status,
    )


@office_view
@require_POST
def note_add(request):
    try:
        year, quarter, department, _ = _period(request, request.POST)
    except BadPeriod as exc:
        return render(request, "report/quarterly.html", {"error": str(exc)}, status=400)
    form = NoteForm(request.POST)
    back = reverse("report:quarterly") + "?" + _query(year, quarter, department)
    if not form.is_valid():
        messages.error(
            request,
            "补充段落未保存：" + "；".join(labelled_errors(form)),
        )
        return redirect(back)
    try:
        services.add_note(
            year=year,
            quarter=quarter,
            department=department,
            part=form.cleaned_data["part"],
            text=form.cleaned_data["text"],
            by=request.user,
        )
    except TemplateRejected as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已添加补充段落")
    return redirect(back)


@office_view
@require_POST
def note_delete(request, pk):
    note = get_object_or_404(ReportNote, pk=pk)
    services.delete_note(note, by=request.user)
    messages.success(request, "已删除补充段落")
    return redirect(
        reverse("report:quarterly") + "?" + _query(note.year, note.quarter, note.department)
    )
