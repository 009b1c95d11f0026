"""Ledger pages: thin views that load in the user's scope, check, call a service, render."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from keyprojects import months, stats
from keyprojects.core.decorators import business_view, office_view
from keyprojects.core.errors import NotAllowed, StaleEdit
from keyprojects.dispatch import permissions as dispatch_permissions
from keyprojects.ledger import permissions, services
from keyprojects.ledger.adapters import LEDGER_EXPORT
from keyprojects.ledger.filters import SORTS, ProjectFilter, ProjectOrdering
from keyprojects.ledger.forms import MilestoneForm, ProjectForm
from keyprojects.ledger.models import Milestone


def _current_year():
    return timezone.localdate().year


@business_view
def project_list(request):
    base = permissions.projects_for(request.user).select_related("department")
    f = ProjectFilter.from_query(request.GET, base, timezone.localdate())
    if not f.is_valid():
        return render(
            request, "ledger/project_list.html", {"filter": f, "errors": f.errors}, status=400
        )
    qs = f.qs
    size = request.GET.get("size", "")
    if size not in PAGE_SIZES:
        size = ""
    per_page = int(size) if size.isdigit() else settings.KP_PAGE_SIZE
    if size == "all":
        per_page = max(qs.count(), 1)
    # A county with 51 projects should not get a second page holding one: a last page of fewer
    # than ORPHANS + 1 rows is folded into the page before it.
    page = Paginator(qs, per_page, orphans=min(ORPHANS, per_page // 2)).get_page(
        request.GET.get("page")
    )
    verdict_of = stats.verdicts(page.object_list, f.as_of)
    rows = [(p, verdict_of.get(p.pk)) for p in page.object_list]
    query = f.params.copy()
    query.pop("page", None)
    sort = f.form.cleaned_data.get("o") or []
    size_query = query.copy()
    size_query.pop("size", None)
    drill = [
        (f.form[name].label, _drill_value(f.form, name))
        for name in DRILL_PARAMS
        if f.form.cleaned_data.get(name) not in (None, "")
    ]
    return render(
        request,
        "ledger/project_list.html",
        {
            "filter": f,
            "page": page,
            "rows": rows,
            "totals": stats.list_totals(qs),
            "query": query.urlencode(),
            "as_of": f.as_of,
            "drill": drill,
            "drill_params": DRILL_PARAMS,
            "sort": sort_headers(sort[0] if sort else "", query),
            "sizes": [(value, label, value == size) for value, label in PAGE_SIZES.items()],
            "size_query": size_query.urlencode(),
            "export_params": [(k, v) for k, vs in query.lists() if k != "columns" for v in vs],
            "export_columns": [(c.key, c.label) for c in LEDGER_EXPORT],
        },
    )


PAGE_SIZES = {"20": "20", "50": "50", "100": "100", "all": "全部"}
ORPHANS = 9


def sort_headers(current: str, query) -> dict:
    """Column header links of the ledger list, as Excel users click them: a column sorts
    ascending on the first click, descending on the next; the arrow shows the order in force.
    → {param: {"query": urlencoded query with the new `o`, "arrow": "▲"/"▼"/""}}."""
    headers = {}
    for param in [*(p for p, _label in SORTS), ProjectOrdering.COLOUR]:
        q = query.copy()
        if current == param:
            q["o"], arrow = f"-{param}", "▲"
        elif current == f"-{param}":
            q["o"], arrow = param, "▼"
        else:
            q["o"], arrow = param, ""
        headers[param] = {"query": q.urlencode(), "arrow": arrow}
    return headers


# Filters the dashboard's drill-down links add; the list form carries them as hidden fields.
DRILL_PARAMS = ("construction", "started", "reported_month", "as_of")


def _drill_value(form, name):
    value = form.cleaned_data[name]
    if name == "as_of":
        return f"{value.year}年{value.month}月{value.day}日"
    if name == "reported_month":
        return f"{form.cleaned_data['year'] or ''}年{value}月".lstrip("年")
    return dict(form.fields[name].widget.choices).get("true" if value else "false", str(value))


@business_view
def project_detail(request, pk):
    project = get_object_or_404(
        permissions.projects_for(request.user).select_related("department"), pk=pk
    )
    today = timezone.localdate()
    as_of = stats.default_as_of(project.year, today)
    verdict = stats.verdicts([project], as_of).get(project.pk)
    milestones = project.milestones.filter(deleted_at__isnull=True)
    return render(
        request,
        "ledger/project_detail.html",
        {
            "project": project,
            "verdict": verdict,
            "milestones": milestones,
            "history": services.project_history(project),
            "can_edit": permissions.can_edit_project(request.user, project),
            "can_delete": permissions.can_delete_project(request.user, project),
            "can_report": project.is_started
            and dispatch_permissions.can_report_on(request.user, project),
            "today": today,
            "as_of": as_of,
            "reports": project.reports.order_by("-year", "-month")[:12],
        },
    )


def _save_project_form(request, form, *, creating):
    try:
        project = services.save_project(
            form.save(commit=False), by=request.user, expected_version=form.expected_version
        )
    except StaleEdit as exc:
        form.show_conflict(exc)
        return None
    messages.success(request, f"已{'新建' if creating else '保存'}项目“{project.name}”")
    return project


@business_view
def project_create(request):
    if not permissions.can_create_project(request.user):
        raise PermissionDenied("您没有新建项目的权限")
    form = ProjectForm(request.POST or None, user=request.user, initial={"year": _current_year()})
    if request.method == "POST" and form.is_valid():
        project = _save_project_form(request, form, creating=True)
        if project:
            return redirect(project)
    return render(
        request,
        "ledger/project_form.html",
        {"form": form, "creating": True},
        status=400 if form.errors else 200,
    )


@business_view
def project_edit(request, pk):
    project = get_object_or_404(permissions.projects_for(request.user), pk=pk)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied("您没有修改该项目的权限")
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save_project_form(request, form, creating=False)
        if saved:
            return redirect(saved)
    status = 409 if form.non_field_errors() else (400 if form.errors else 200)
    return render(
        request,
        "ledger/project_form.html",
        {"form": form, "project": project, "creating": False},
        status=status,
    )


@business_view
def project_delete(request, pk):
    project = get_object_or_404(permissions.projects_for(request.user), pk=pk)
    if not permissions.can_delete_project(request.user, project):
        raise PermissionDenied("仅办公室可以删除项目")
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            return HttpResponseBadRequest("缺少版本号")
        try:
            services.delete_project(project, by=request.user, expected_version=version)
        except StaleEdit as exc:
            messages.error(request, exc.message)
            return redirect(project)
        messages.success(request, f"项目“{project.name}”已移入回收站，可由办公室恢复")
        return redirect("ledger:project_list")
    return render(request, "ledger/project_confirm_delete.html", {"project": project})


@office_view
def recycle_bin(request):
    projects = (
        permissions.deleted_projects_for(request.user)
        .select_related("department", "deleted_by")
        .order_by("-deleted_at")
    )
    milestones = (
        Milestone.objects.filter(deleted_at__isnull=False, project__deleted_at__isnull=True)
        .select_related("project", "deleted_by")
        .order_by("-deleted_at")
    )
    return render(
        request, "ledger/recycle_bin.html", {"projects": projects, "milestones": milestones}
    )


@office_view
@require_POST
def project_restore(request, pk):
    project = get_object_or_404(permissions.deleted_projects_for(request.user), pk=pk)
    try:
        services.restore_project(project, by=request.user)
    except NotAllowed as exc:
        messages.error(request, exc.message)
        return redirect("ledger:recycle_bin")
    messages.success(request, f"已恢复项目“{project.name}”")
    return redirect(project)


@office_view
@require_POST
def milestone_restore(request, mid):
    milestone = get_object_or_404(
        Milestone.objects.filter(deleted_at__isnull=False, project__deleted_at__isnull=True),
        pk=mid,
    )
    services.restore_milestone(milestone, by=request.user)
    messages.success(request, f"已恢复节点“{milestone.name}”")
    return redirect(milestone.project)


def _editable_project(request, pk):
    project = get_object_or_404(permissions.projects_for(request.user), pk=pk)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied("您没有修改该项目的权限")
    return project


@business_view
def milestone_create(request, pk):
    project = _editable_project(request, pk)
    form = MilestoneForm(request.POST or None, instance=Milestone(project=project))
    if request.method == "POST" and form.is_valid():
        services.save_milestone(form.save(commit=False), by=request.user)
        messages.success(request, "已添加节点")
        return redirect(project)
    return render(
        request,
        "ledger/milestone_form.html",
        {"form": form, "project": project},
        status=400 if form.errors else 200,
    )


@business_view
def milestone_edit(request, pk, mid):
    project = _editable_project(request, pk)
    milestone = get_object_or_404(project.milestones.filter(deleted_at__isnull=True), pk=mid)
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_milestone(
                form.save(commit=False), by=request.user, expected_version=form.expected_version
            )
        except StaleEdit as exc:
            form.show_conflict(exc)
        else:
            messages.success(request, "已保存节点")
            return redirect(project)
    status = 409 if form.non_field_errors() else (400 if form.errors else 200)
    return render(
        request,
        "ledger/milestone_form.html",
        {"form": form, "project": project, "milestone": milestone},
        status=status,
    )


@business_view
@require_POST
def milestone_delete(request, pk, mid):
    project = _editable_project(request, pk)
    milestone = get_object_or_404(project.milestones.filter(deleted_at__isnull=True), pk=mid)
    services.delete_milestone(milestone, by=request.user)
    messages.success(request, f"已删除节点“{milestone.name}”")
    return redirect(project)


@business_view
def summary(request):
    scope = permissions.projects_for(request.user)
    years = list(scope.values_list("year", flat=True).distinct().order_by("-year"))
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or (years[0] if years else today.year))
        default_quarter = months.quarter_of(stats.default_as_of(year, today).month)
        quarter = int(request.GET.get("quarter") or default_quarter)
    except ValueError:
        return HttpResponseBadRequest("年度或季度无效")
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        return HttpResponseBadRequest("季度应为1至4，年度应为2000至2100")
    s = stats.ledger_summary(year, quarter=quarter, projects=scope)
    return render(
        request,
        "ledger/summary.html",
        {
            "s": s,
            "years": years or [year],
            "year": year,
            "quarter": quarter,
            # A reporter's figures cover their own department: the text must not say 全县.
            "scope_label": permissions.scope_label(request.user),
            "quarters": [(1, "一季度"), (2, "二季度"), (3, "三季度"), (4, "四季度")],
        },
    )
