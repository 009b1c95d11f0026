"""Ledger pages: thin views that load in the user's scope, check, call a service, render."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from keyprojects.core.decorators import business_view, office_view
from keyprojects.core.editing import versioned_form_view
from keyprojects.core.errors import NotAllowed, StaleEdit
from keyprojects.core.forms import VERSION_MISSING, labelled_errors
from keyprojects.core.paging import paginate
from keyprojects.core.permissions import is_office, is_reporter
from keyprojects.dispatch import permissions as dispatch_permissions
from keyprojects.figures import ledger as figures
from keyprojects.figures import periods
from keyprojects.ledger import permissions, rules, services
from keyprojects.ledger.adapters import (
    LEDGER_EXPORT,
    PRINT_DEFAULT,
    export_columns,
    ledger_table,
    print_text,
)
from keyprojects.ledger.choices import ChangeKind, ChangeState
from keyprojects.ledger.filters import SORTS, ProjectFilter, ProjectOrdering
from keyprojects.ledger.forms import (
    ChangeDecisionForm,
    ChangeProposalForm,
    MilestoneForm,
    ProjectForm,
)
from keyprojects.ledger.models import Milestone


def _current_year():
    return timezone.localdate().year


# What a row of the list shows (ledger.table.row_html).
LIST_SHOWN_FIELDS = (
    "code",
    "department_id",
    "name",
    "category",
    "sector",
    "status",
    "annual_plan_pending",
    "total_investment_wan",
    "annual_plan_wan",
    "planned_start",
)
# What an open month's rows load, to be judged live besides (figures.ledger._judge): the
# other forty-odd columns are not read for a page of rows.
LIST_ROW_FIELDS = (
    *(name for name in LIST_SHOWN_FIELDS if name != "department_id"),
    "department",
    "year",
    "monthly_plan",
    "actual_start",
    "actual_end",
)


@business_view
def project_list(request):
    # The rows' department labels come from the filter's department list (no join per row).
    base = permissions.projects_for(request.user)
    f = ProjectFilter.from_query(request.GET, base, timezone.localdate())
    if not f.is_valid():
        return render(
            request,
            "ledger/project_list.html",
            {"filter": f, "errors": labelled_errors(f.form)},
            status=400,
        )
    qs = f.qs
    totals = figures.list_totals(qs)
    # One scan of the filtered rows gives both the totals and the paginator's count.
    if f.period.final:
        rows_qs = figures.shown_rows(qs, f.period, LIST_SHOWN_FIELDS)
    else:
        rows_qs = qs.only(*LIST_ROW_FIELDS)
    page, sizes = paginate(rows_qs, request.GET, totals["count"])
    verdict_of = figures.period_verdicts(list(page.object_list), f.period)
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
            "department_labels": f.department_labels,
            "totals": totals,
            "query": query.urlencode(),
            "as_of": f.as_of,
            "drill": drill,
            # The form carries the drill-down filters along as hidden fields, as typed.
            "drill_hidden": [
                (name, value) for name in DRILL_PARAMS if (value := f.form[name].value())
            ],
            "period": f.period,
            "sort": sort_headers(sort[0] if sort else "", query),
            "sizes": sizes,
            "size_query": size_query.urlencode(),
            "export_params": [(k, v) for k, vs in query.lists() if k != "columns" for v in vs],
            "export_columns": _column_choice(request.GET),
            "print_query": _print_query(query),
        },
    )


def _chosen_columns(query) -> list[str]:
    """The columns the user ticked (shared by the Excel export and the print view); the print
    default when none are. A ValueError (Chinese) names an unknown column."""
    return export_columns(",".join(query.getlist("columns"))) or list(PRINT_DEFAULT)


def _column_choice(query) -> list[tuple[str, str, bool]]:
    try:
        chosen = set(_chosen_columns(query))
    except ValueError:
        chosen = set(PRINT_DEFAULT)
    return [(c.key, c.label, c.key in chosen) for c in LEDGER_EXPORT]


def _print_query(query) -> str:
    q = query.copy()
    for key in ("page", "size"):
        q.pop(key, None)
    if not q.getlist("columns"):
        q.setlist("columns", list(PRINT_DEFAULT))
    return q.urlencode()


# The most rows the print view lays out (about 150 A3 pages); a longer list is filtered first
# or exported to Excel.
PRINT_LIMIT = 3000


@business_view
def project_print(request):
    """The ledger laid out for A3 landscape paper: the chosen columns (the Excel export's
    choice), every filtered row grouped by lead department with 小计, the 合计 once at the end,
    the header repeated on each printed page (kp/print.css)."""
    base = permissions.projects_for(request.user)
    f = ProjectFilter.from_query(request.GET, base, timezone.localdate())
    try:
        keys = _chosen_columns(request.GET)
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    if not f.is_valid():
        return render(
            request,
            "ledger/project_list.html",
            {"filter": f, "errors": labelled_errors(f.form)},
            status=400,
        )
    query = f.params.copy()
    query.setlist("columns", keys)
    list_query = query.copy()
    list_query.pop("columns", None)
    common = {
        "year": f.year,
        "period": f.period,
        "column_choice": [(c.key, c.label, c.key in keys) for c in LEDGER_EXPORT],
        "hidden_params": [(k, v) for k, vs in list_query.lists() for v in vs],
        "list_query": list_query.urlencode(),
        "export_query": query.urlencode(),
    }
    count = f.qs.count()
    if count > PRINT_LIMIT:
        # Thousands of A3 pages help no one, and a cut printout would mislead: say so, and
        # point to the filter and the Excel export.
        return render(
            request,
            "ledger/project_print.html",
            {**common, "too_many": count, "limit": PRINT_LIMIT},
        )
    table = ledger_table(f.qs, year=f.year, period=f.period, keys=keys)
    dense = len(table.columns) > DENSE_FROM
    columns = [
        {
            "label": c.label,
            "unit": "（万元）" if c.key in MONEY_COLUMNS else "",
            "num": c.key in NUMBER_COLUMNS,
            "wide": c.key in WIDE_COLUMNS,
            "width": width,
        }
        for c, width in zip(table.columns, _print_widths(table.columns, dense), strict=True)
    ]

    kinds = [
        "num"
        if c.key in NUMBER_COLUMNS
        else "wide"
        if c.key in WIDE_COLUMNS
        else "date"
        if c.kind == "date"
        else ""
        for c in table.columns
    ]

    def cells(values):
        return [(print_text(c, v), k) for c, v, k in zip(table.columns, values, kinds, strict=True)]

    def sum_cells(sums):
        return [(print_text(c, sums.get(c.key)), "num") for c in table.columns]

    # 小计 and 合计 name themselves across the columns left of the first sum (at least one).
    label_span = max(1, next((i for i, c in enumerate(table.columns) if c.key in table.total), 0))
    if not table.total:
        label_span = len(columns)
    sections = [
        {
            "label": label,
            "rows": [cells(v) for v in rows],
            "subtotal": sum_cells(subtotal)[label_span:],
        }
        for label, rows, subtotal in table.sections
    ]
    return render(
        request,
        "ledger/project_print.html",
        {
            **common,
            "table": table,
            "columns": columns,
            "sections": sections,
            "total": sum_cells(table.total)[label_span:],
            "label_span": label_span,
            "dense": dense,
        },
    )


def _print_widths(columns, dense: bool) -> list[str]:
    """Each column's share of the page width (a fixed table layout, 400 mm between the A3
    margins): numbers get what their longest figure needs at the print's type size (9 pt, or
    7.5 pt when dense) to stay on one line, short choices little, and text shares the rest in
    proportion to its sheet width."""
    money, rate, short, day, choice = (17, 11, 8, 12, 10) if dense else (22, 17, 14, 16, 15)
    fixed: dict[int, float] = {}
    for i, c in enumerate(columns):
        if c.key in MONEY_COLUMNS:
            fixed[i] = money
        elif c.key == "investment_rate":
            fixed[i] = rate
        elif c.key in ("year", "colour"):
            fixed[i] = short
        elif c.key == "serial":
            fixed[i] = short * 2 // 3
        elif c.kind == "date":
            fixed[i] = day
        elif c.kind == "choice":
            fixed[i] = choice
    text = sum(c.width for i, c in enumerate(columns) if i not in fixed)
    room = max(PAGE_MM - sum(fixed.values()), 8 * (len(columns) - len(fixed)))
    widths = [fixed.get(i, room * c.width / text if text else 0) for i, c in enumerate(columns)]
    total = sum(widths)
    return [f"{w * 100 / total:.2f}%" for w in widths]


PAGE_MM = 400
MONEY_COLUMNS = ("total_investment_wan", "completed_before_year_wan", "annual_plan_wan", "ytd_wan")
NUMBER_COLUMNS = (*MONEY_COLUMNS, "investment_rate", "serial", "year")
# Long text wraps inside these; everything else keeps to one line where it can.
WIDE_COLUMNS = ("name", "content", "image_progress", "colour_reason", "funding_note", "notes")
# More columns than this and the print switches to its smaller type.
DENSE_FROM = 16


def sort_headers(current: str, query) -> dict:
    """Column header links of the ledger list, as Excel users click them: a column sorts
    ascending on the first click, descending on the next; the arrow shows the order in force.
    → {param: {"query": urlencoded query with the new `o`, "arrow": "▲"/"▼"/""}}."""
    pairs = [(key, value) for key, values in query.lists() for value in values]
    headers = {}
    for param in [*(p for p, _label in SORTS), ProjectOrdering.COLOUR]:
        if current == param:
            order, arrow = f"-{param}", "▲"
        elif current == f"-{param}":
            order, arrow = param, "▼"
        else:
            order, arrow = param, ""
        headers[param] = {"query": _replaced(pairs, "o", order), "arrow": arrow}
    return headers


def _replaced(pairs, key: str, value: str) -> str:
    """The query `pairs` urlencoded as QueryDict writes it after `q[key] = value` (the first
    `key` takes the value, in its place; the others go), without copying a QueryDict (a deep
    copy) for each of the nine sort links."""
    out, done = [], False
    for k, v in pairs:
        if k != key:
            out.append((k, v))
        elif not done:
            out.append((k, value))
            done = True
    if not done:
        out.append((key, value))
    return urlencode(out)


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
    period = periods.default_period(project.year, today=today)
    as_of = period.as_of
    verdict = figures.period_verdicts([project], period).get(project.pk)
    milestones = list(project.milestones.filter(deleted_at__isnull=True))
    pending = {
        c.milestone_id: c
        for c in permissions.changes_for(request.user).filter(
            milestone__project=project, state=ChangeState.PROPOSED
        )
    }
    rows = []
    for m in milestones:
        state = rules.node_state(m.planned_date, m.actual_date, as_of)
        rows.append(
            {
                "m": m,
                "state": state,
                "state_label": rules.NODE_STATE_LABELS[state],
                "slip": rules.slip_text(m.baseline_date, m.planned_date),
                "pending": pending.get(m.pk),
                "can_propose": permissions.can_propose_change(request.user, m),
            }
        )
    return render(
        request,
        "ledger/project_detail.html",
        {
            "project": project,
            "verdict": verdict,
            "milestones": milestones,
            "milestone_rows": rows,
            "baselined": any(m.baseline_date for m in milestones),
            "plan_stamp": services.plan_stamp(project),
            "can_approve_baseline": milestones
            and permissions.can_approve_baseline(request.user, project),
            "changes": permissions.changes_for(request.user).filter(milestone__project=project)[
                :20
            ],
            "history": services.project_history(project),
            "can_edit": permissions.can_edit_project(request.user, project),
            "can_delete": permissions.can_delete_project(request.user, project),
            "can_report": project.is_started
            and dispatch_permissions.can_report_on(request.user, project),
            "today": today,
            "as_of": as_of,
            "period": period,
            # The reports behind the project's figures, as this user may see them (a leader
            # no drafts), each saying who filed it when the office did (代报).
            "reports": dispatch_permissions.reports_for(request.user)
            .filter(project=project)
            .select_related("proxy_by")
            .order_by("-year", "-month")[:12],
        },
    )


def _project_form_view(request, form, *, creating, context):
    return versioned_form_view(
        request,
        form,
        service=services.save_project,
        template="ledger/project_form.html",
        context={"creating": creating, **context},
        success=lambda project: f"已{'新建' if creating else '保存'}项目“{project.name}”",
    )


@business_view
def project_create(request):
    if not permissions.can_create_project(request.user):
        raise PermissionDenied("您没有新建项目的权限")
    form = ProjectForm(request.POST or None, user=request.user, initial={"year": _current_year()})
    return _project_form_view(request, form, creating=True, context={})


@business_view
def project_edit(request, pk):
    project = get_object_or_404(permissions.projects_for(request.user), pk=pk)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied("您没有修改该项目的权限")
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    return _project_form_view(request, form, creating=False, context={"project": project})


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


def _milestone_form_view(request, form, *, project, success, context=None):
    return versioned_form_view(
        request,
        form,
        service=services.save_milestone,
        template="ledger/milestone_form.html",
        context={"project": project, **(context or {})},
        success=success,
        then=project,
    )


@business_view
def milestone_create(request, pk):
    project = _editable_project(request, pk)
    form = MilestoneForm(request.POST or None, instance=Milestone(project=project))
    return _milestone_form_view(request, form, project=project, success="已添加节点")


@business_view
def milestone_edit(request, pk, mid):
    project = _editable_project(request, pk)
    milestone = get_object_or_404(project.milestones.filter(deleted_at__isnull=True), pk=mid)
    locked = milestone.baseline_date is not None and not is_office(request.user)
    form = MilestoneForm(request.POST or None, instance=milestone, locked_date=locked)
    return _milestone_form_view(
        request, form, project=project, success="已保存节点", context={"milestone": milestone}
    )


@business_view
@require_POST
def milestone_delete(request, pk, mid):
    project = _editable_project(request, pk)
    milestone = get_object_or_404(project.milestones.filter(deleted_at__isnull=True), pk=mid)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return HttpResponseBadRequest(VERSION_MISSING)
    if permissions.can_propose_change(request.user, milestone):
        # A department's delete of a baselined node is a request to the office, never a
        # silent delete (an overdue node would otherwise clear its colour).
        messages.info(request, f"节点“{milestone.name}”已列入基准计划，删除须提出申请")
        return redirect(
            reverse("ledger:milestone_propose", args=[project.pk, milestone.pk]) + "?kind=delete"
        )
    try:
        services.delete_milestone(milestone, by=request.user, expected_version=version)
    except (NotAllowed, StaleEdit) as exc:
        messages.error(request, exc.message)
        return redirect(project)
    messages.success(request, f"已删除节点“{milestone.name}”")
    return redirect(project)


# --- Baselines and node change proposals ------------------------------------------------------


@office_view
@require_POST
def baseline_approve(request, pk):
    project = get_object_or_404(permissions.projects_for(request.user), pk=pk)
    stamp = request.POST.get("stamp", "")
    if not stamp:
        return HttpResponseBadRequest(VERSION_MISSING)
    try:
        saved = services.approve_baseline(project, by=request.user, expected_stamp=stamp)
    except (NotAllowed, StaleEdit) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已将{len(saved)}个节点的计划日期批准为基准计划")
    return redirect(project)


@business_view
def milestone_propose(request, pk, mid):
    project = get_object_or_404(permissions.projects_for(request.user), pk=pk)
    milestone = get_object_or_404(project.milestones.filter(deleted_at__isnull=True), pk=mid)
    if not permissions.can_propose_change(request.user, milestone):
        raise PermissionDenied("只有本部门已列入基准计划的节点可以申请调整")
    form = ChangeProposalForm(
        request.POST or None, initial={"kind": request.GET.get("kind", ChangeKind.MOVE)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_change(
                milestone,
                by=request.user,
                kind=form.cleaned_data["kind"],
                new_date=form.cleaned_data.get("new_date"),
                reason=form.cleaned_data["reason"],
            )
        except NotAllowed as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已提交节点“{milestone.name}”的调整申请，待调度办审核")
            return redirect(project)
    return render(
        request,
        "ledger/change_form.html",
        {"form": form, "project": project, "milestone": milestone},
        status=400 if form.errors else 200,
    )


@business_view
def change_list(request):
    qs = permissions.changes_for(request.user)
    if not (is_office(request.user) or is_reporter(request.user)):
        raise PermissionDenied("仅办公室和填报部门可以查看节点调整申请")
    pending = [
        (c, rules.slip_text(c.milestone.baseline_date, c.new_date) if c.new_date else "")
        for c in qs.filter(state=ChangeState.PROPOSED).order_by("proposed_at", "id")
    ]
    decided = qs.exclude(state=ChangeState.PROPOSED).order_by("-decided_at", "-id")
    page = Paginator(decided, settings.KP_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ledger/change_list.html",
        {
            "pending": pending,
            "page": page,
            "can_decide": permissions.can_decide_changes(request.user),
        },
    )


@office_view
@require_POST
def change_decide(request, cid):
    change = get_object_or_404(permissions.changes_for(request.user), pk=cid)
    form = ChangeDecisionForm(request.POST)
    if not form.is_valid():
        errors = "；".join(e for errs in form.errors.values() for e in errs)
        return HttpResponseBadRequest(errors)
    decide = (
        services.approve_change
        if form.cleaned_data["decision"] == "approve"
        else services.refuse_change
    )
    try:
        decide(
            change,
            by=request.user,
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
        )
    except (NotAllowed, StaleEdit) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{change}：{change.get_state_display()}")
    return redirect("ledger:change_list")


LIST_LIMIT = 20  # the summary's project lists; the full list is the ledger filtered


@business_view
def summary(request):
    scope = permissions.projects_for(request.user)
    years = list(scope.values_list("year", flat=True).distinct().order_by("-year"))
    try:
        period = periods.period_from_query(request.GET)
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    s = figures.summary(
        period,
        projects=scope,
        list_limit=LIST_LIMIT,
        lists=("behind", "not_started", "unreported"),
    )
    if period.year not in years:
        years = sorted({*years, period.year}, reverse=True)
    return render(
        request,
        "ledger/summary.html",
        {
            "s": s,
            "period": period,
            "corrections": periods.corrections(period),
            "years": years,
            "year": period.year,
            "quarter": period.quarter or (period.month - 1) // 3 + 1,
            "list_limit": LIST_LIMIT,
            # A reporter's figures cover their own department: the text must not say 全县.
            "scope_label": permissions.scope_label(request.user),
            "quarters": [(1, "一季度"), (2, "二季度"), (3, "三季度"), (4, "四季度")],
        },
    )
