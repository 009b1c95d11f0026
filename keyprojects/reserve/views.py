"""Reserve pool pages: list with sufficiency, profile, 前期 tasks, conversion into a plan year."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from keyprojects.core.decorators import business_view
from keyprojects.core.editing import versioned_form_view
from keyprojects.core.errors import NotAllowed
from keyprojects.core.forms import labelled_errors
from keyprojects.core.history import entries
from keyprojects.core.paging import PAGE_SIZES, paginate
from keyprojects.ledger import permissions as ledger_permissions
from keyprojects.ledger.models import Project
from keyprojects.reserve import figures, permissions, services
from keyprojects.reserve.forms import ProfileForm, PromoteForm, TaskForm
from keyprojects.reserve.models import PrepTask, ReserveProfile


def _today():
    return timezone.localdate()


@business_view
def reserve_list(request):
    """The pool of a year: the by-stage aggregate (each count drills down to that stage), the
    county's sufficiency, one page of the projects and one page of the conversions — a fixed
    number of queries whatever the pool's size."""
    scope = ledger_permissions.projects_for(request.user)
    years = list(
        scope.filter(category="reserve").values_list("year", flat=True).distinct().order_by("-year")
    )
    raw = request.GET.get("year") or (years[0] if years else _today().year)
    try:
        year = int(raw)
    except ValueError:
        return _bad_request(request, "年度无效：请填写四位数字的年度")
    if not 2000 <= year <= 2100:
        return _bad_request(request, "年度应为2000至2100")
    by_stage = figures.by_stage(year, scope)
    stage = request.GET.get("stage", "")
    if stage and stage not in {row["key"] for row in by_stage} | {figures.NO_STAGE_KEY}:
        return _bad_request(request, "阶段无效：请从“按阶段”表中选择")
    totals = figures.pool_totals(by_stage, stage)
    projects = (
        figures.pool(year, scope, stage)
        .select_related("department", "reserve_profile__stage")
        # The columns the table shows: the database sorts the whole pool to find one page,
        # and narrow rows sort several times faster than whole projects at 100,000.
        .only(*POOL_COLUMNS)
        .order_by("department__order", "department__name", "code", "pk")
    )
    page, sizes = paginate(projects, request.GET, totals["count"])
    query = QueryDict(mutable=True)
    query["year"] = str(year)
    if stage:
        query["stage"] = stage
    size_query = query.urlencode()
    if request.GET.get("size") in PAGE_SIZES:
        query["size"] = request.GET["size"]
    converted = (
        permissions.profiles_for(request.user)
        .filter(converted_year__isnull=False)
        .select_related("project")
        .only("converted_on", "converted_year", "project__name")
        .order_by("-converted_on", "-pk")
    )
    converted_page = Paginator(converted, CONVERTED_PAGE_SIZE).get_page(request.GET.get("cpage"))
    pool_query = query.copy()
    if page.number > 1:
        pool_query["page"] = str(page.number)
    return render(
        request,
        "reserve/reserve_list.html",
        {
            "year": year,
            "years": years or [year],
            "page": page,
            "totals": totals,
            "pool": figures.pool_totals(by_stage),
            "stage": stage,
            "stage_label": next((r["stage"] for r in by_stage if r["key"] == stage), ""),
            "stages": [r for r in by_stage if r["key"] != figures.NO_STAGE_KEY],
            "no_stage_key": figures.NO_STAGE_KEY,
            "query": query.urlencode(),
            "size_query": size_query,
            "sizes": sizes,
            "pool_query": pool_query.urlencode(),
            "by_stage": by_stage,
            # Sufficiency is the county's figure: the whole pool against the whole plan.
            "sufficiency": figures.sufficiency(year),
            "converted": converted_page,
            "scope_label": ledger_permissions.scope_label(request.user),
        },
    )


POOL_COLUMNS = (
    "name",
    "code",
    "total_investment_wan",
    "department__name",
    "department__short_name",
    "department__order",
    "reserve_profile__level",
    "reserve_profile__source",
    "reserve_profile__stage__name",
)
# Conversions of every year, newest first; older ones page back (the ledger holds them all).
CONVERTED_PAGE_SIZE = 20


def _bad_request(request, message):
    return render(request, "reserve/error.html", {"message": message}, status=400)


def _history(profile):
    out = entries(profile.history.all(), ReserveProfile, lambda r: "储备档案")
    out += entries(
        PrepTask.history.filter(profile_id=profile.pk), PrepTask, lambda r: f"前期工作“{r.name}”"
    )
    out += entries(Project.history.filter(id=profile.project_id), Project, lambda r: "项目")
    return sorted(out, key=lambda e: e.when, reverse=True)


@business_view
def profile_detail(request, pk):
    profile = get_object_or_404(
        permissions.profiles_for(request.user).select_related("project__department", "stage"), pk=pk
    )
    return render(
        request,
        "reserve/profile_detail.html",
        {
            "profile": profile,
            "tasks": profile.tasks.select_related("department"),
            "history": _history(profile),
            "today": _today(),
            "can_edit": permissions.can_edit_profile(request.user, profile),
            "can_promote": permissions.can_promote(request.user, profile),
            "task_form": TaskForm(initial={"department": profile.project.department_id}),
        },
    )


def _profile_service(form, project=None):
    """The profile form also edits the ledger project's estimate: both or neither."""

    def save(profile, *, by, expected_version):
        if project is not None:
            profile.project = project
        return services.save_profile_and_estimate(
            profile,
            form.cleaned_data["total_investment_wan"],
            by=by,
            expected_version=expected_version,
        )

    return save


@business_view
def profile_create(request, project_pk):
    project = get_object_or_404(
        permissions.reserve_projects_for(request.user).filter(reserve_profile__isnull=True),
        pk=project_pk,
    )
    if not permissions.can_create_profile(request.user, project):
        raise PermissionDenied("您不能为该项目建立储备档案")
    form = ProfileForm(
        request.POST or None,
        initial={"intake_on": _today(), "total_investment_wan": project.total_investment_wan},
    )
    return versioned_form_view(
        request,
        form,
        service=_profile_service(form, project),
        template="reserve/profile_form.html",
        context={"project": project},
        success="已建立储备档案",
    )


@business_view
def profile_edit(request, pk):
    profile = get_object_or_404(permissions.profiles_for(request.user), pk=pk)
    if not permissions.can_edit_profile(request.user, profile):
        raise PermissionDenied("您不能修改该储备档案")
    if profile.converted_year is not None:
        return render(
            request,
            "reserve/error.html",
            {"message": "已列入年度计划的项目请在台账中修改"},
            status=400,
        )
    form = ProfileForm(request.POST or None, instance=profile)
    return versioned_form_view(
        request,
        form,
        service=_profile_service(form),
        template="reserve/profile_form.html",
        context={"project": profile.project, "profile": profile},
        success="已保存",
    )


@require_POST
@business_view
def task_create(request, pk):
    profile = get_object_or_404(permissions.profiles_for(request.user), pk=pk)
    if not permissions.can_edit_profile(request.user, profile):
        raise PermissionDenied("您不能修改该储备档案")
    form = TaskForm(request.POST)
    if not form.is_valid():
        errors = "；".join(labelled_errors(form))
        return render(
            request,
            "reserve/error.html",
            {"message": errors or "前期工作填写有误", "profile": profile},
            status=400,
        )
    task = form.save(commit=False)
    task.profile = profile
    services.save_task(task, by=request.user)
    messages.success(request, f"已添加前期工作“{task.name}”")
    return redirect(profile)


@require_POST
@business_view
def task_done(request, pk):
    task = get_object_or_404(
        PrepTask.objects.filter(profile__in=permissions.profiles_for(request.user)), pk=pk
    )
    if not permissions.can_edit_profile(request.user, task.profile):
        raise PermissionDenied("您不能修改该储备档案")
    try:
        services.finish_task(task, on=_today(), by=request.user)
    except NotAllowed as exc:
        return render(
            request,
            "reserve/error.html",
            {"message": exc.message, "profile": task.profile},
            status=400,
        )
    messages.success(request, f"前期工作“{task.name}”已完成")
    return redirect(task.profile)


@business_view
def promote(request, pk):
    profile = get_object_or_404(
        permissions.profiles_for(request.user).select_related("project"), pk=pk
    )
    if not permissions.can_promote(request.user, profile):
        raise PermissionDenied("仅办公室可以将储备项目列入年度计划")
    project = profile.project
    form = PromoteForm(request.POST or None, project=project, initial={"year": project.year + 1})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.promote(
                profile,
                year=d["year"],
                annual_plan_wan=d["annual_plan_wan"],
                planned_start=d["planned_start"],
                planned_end=d["planned_end"],
                on=_today(),
                by=request.user,
            )
        except NotAllowed as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:  # the ledger project's own checks
            for msgs in exc.message_dict.values():
                for m in msgs:
                    form.add_error(None, m)
        else:
            messages.success(request, f"“{project.name}”已列入{d['year']}年度计划（新开工）")
            return redirect(project)
    return render(
        request,
        "reserve/promote.html",
        {"form": form, "profile": profile},
        status=400 if form.errors else 200,
    )
