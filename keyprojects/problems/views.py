"""Problem register, 督办单, 约谈, risk flags, KPIs and the ranking: thin views that load in the
user's scope, check a predicate, call one service and render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from keyprojects.core.decorators import business_view
from keyprojects.core.editing import versioned_form_view
from keyprojects.core.errors import NotAllowed, StaleEdit
from keyprojects.core.history import entries
from keyprojects.dispatch import permissions as dispatch_permissions
from keyprojects.figures import periods
from keyprojects.ledger import permissions as ledger_permissions
from keyprojects.problems import adapters, documents, figures, permissions, services
from keyprojects.problems.choices import ProblemType, RiskKind, Status
from keyprojects.problems.forms import (
    ClearRiskForm,
    InterviewForm,
    PeriodForm,
    ProblemForm,
    ReplyForm,
    ReportProblemForm,
    ReviewForm,
    RiskForm,
)
from keyprojects.problems.models import (
    EscalationPolicy,
    Evidence,
    Interview,
    Problem,
    Reply,
    ScoringScheme,
    SupervisionLevel,
    SupervisionOrder,
)


def _today():
    return timezone.localdate()


@business_view
def problem_list(request):
    qs = permissions.problems_for(request.user).select_related("project", "department", "level")
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    if status and status not in Status.values and status != "unsettled":
        return HttpResponseBadRequest("状态参数无效")
    if kind and kind not in ProblemType.values:
        return HttpResponseBadRequest("问题类型参数无效")
    if status == "unsettled":
        qs = qs.unsettled()
    elif status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    # The dashboard's 督办 pie opens the problems of one level (by its name, as the figures key it).
    level = request.GET.get("level", "").strip()
    if level:
        qs = qs.filter(level__name=level)
    return render(
        request,
        "problems/problem_list.html",
        {
            "problems": qs[:500],
            "status": status,
            "kind": kind,
            "statuses": Status.choices,
            "kinds": ProblemType.choices,
            "today": _today(),
            "can_register": permissions.can_register(request.user),
        },
    )


def _history(problem):
    out = entries(problem.history.all(), Problem, lambda r: "问题")
    out += entries(
        SupervisionOrder.history.filter(problem_id=problem.pk),
        SupervisionOrder,
        lambda r: f"督办单{r.instance.number}",
    )
    out += entries(
        Reply.history.filter(problem_id=problem.pk),
        Reply,
        lambda r: f"第{r.round}轮{r.get_kind_display()}",
    )
    out += entries(Interview.history.filter(problem_id=problem.pk), Interview, lambda r: "约谈记录")
    return sorted(out, key=lambda e: e.when, reverse=True)


@business_view
def problem_detail(request, pk):
    problem = get_object_or_404(
        permissions.problems_for(request.user).select_related(
            "project", "department", "level", "report"
        ),
        pk=pk,
    )
    user = request.user
    return render(
        request,
        "problems/problem_detail.html",
        {
            "problem": problem,
            "orders": problem.orders.order_by("issued_on", "seq"),
            "replies": problem.replies.select_related("by").prefetch_related("evidence"),
            "interviews": problem.interviews.select_related("order"),
            "notices": problem.notices.select_related("order")[:20],
            "history": _history(problem),
            "pending": services.pending_step(problem, _today()) if not problem.is_settled else None,
            "today": _today(),
            "overdue_days": problem.days_overdue(_today()),
            "can_edit": permissions.can_edit_problem(user, problem),
            "can_reply": permissions.can_reply(user, problem),
            "can_review": permissions.can_review(user, problem) and problem.status == Status.DONE,
            "can_interview": permissions.can_record_interview(user, problem),
            "reply_form": ReplyForm(),
            "review_form": ReviewForm(initial={"version": problem.version}),
        },
    )


@business_view
def problem_create(request):
    if not permissions.can_register(request.user):
        raise PermissionDenied("仅办公室可以登记督办问题")
    projects = ledger_permissions.projects_for(request.user)
    departments = ledger_permissions.departments_for_edit(request.user)
    initial = {"raised_on": _today()}
    if request.GET.get("project", "").isdigit():
        project = projects.filter(pk=request.GET["project"]).first()
        if project:
            initial.update(
                project=project, department=project.department, person=project.contact_person
            )
    form = ProblemForm(
        request.POST or None, projects=projects, departments=departments, initial=initial
    )
    return versioned_form_view(
        request,
        form,
        # A new problem has no version to check.
        service=lambda problem, *, by, expected_version: services.register(
            problem, by=by, on=_today()
        ),
        template="problems/problem_form.html",
        context={"creating": True},
        success=lambda problem: f"已登记问题并签发{problem.level.name}单",
    )


@business_view
def problem_edit(request, pk):
    problem = get_object_or_404(permissions.problems_for(request.user), pk=pk)
    if not permissions.can_edit_problem(request.user, problem):
        raise PermissionDenied("仅办公室可以修改未办结的问题")
    form = ProblemForm(
        request.POST or None,
        instance=problem,
        projects=ledger_permissions.projects_for(request.user),
        departments=ledger_permissions.departments_for_edit(request.user),
        editing=True,
    )
    return versioned_form_view(
        request,
        form,
        service=services.update,
        template="problems/problem_form.html",
        context={"problem": problem},
        success="已保存",
    )


@require_POST
@business_view
def problem_reply(request, pk):
    problem = get_object_or_404(permissions.problems_for(request.user), pk=pk)
    if not permissions.can_reply(request.user, problem):
        raise PermissionDenied("您不能反馈该问题")
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(
            request, "办理情况：" + "；".join(e for errs in form.errors.values() for e in errs)
        )
        return redirect(problem)
    try:
        services.reply(
            problem,
            text=form.cleaned_data["text"],
            on=_today(),
            by=request.user,
            files=request.FILES.getlist("files"),
        )
    except NotAllowed as exc:
        messages.error(request, exc.message)
        return render(
            request, "problems/error.html", {"message": exc.message, "problem": problem}, status=400
        )
    messages.success(request, "已提交办理情况")
    return redirect(problem)


@require_POST
@business_view
def problem_transition(request, pk, action):
    problem = get_object_or_404(permissions.problems_for(request.user), pk=pk)
    if action not in services.TRANSITIONS:
        return HttpResponseBadRequest("未知操作")
    allowed = (
        permissions.can_review(request.user, problem)
        if action in ("close", "reopen")
        else permissions.can_reply(request.user, problem)
    )
    if not allowed:
        raise PermissionDenied("您不能执行该操作")
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        services.transition(
            problem,
            action,
            by=request.user,
            on=_today(),
            note=form.cleaned_data.get("note") or "",
            expected_version=form.cleaned_data.get("version"),
        )
    except (NotAllowed, StaleEdit) as exc:
        return render(
            request,
            "problems/error.html",
            {"message": exc.message, "problem": problem},
            status=400 if isinstance(exc, NotAllowed) else 409,
        )
    messages.success(request, f"已{services.TRANSITIONS[action][2]}")
    return redirect(problem)


@business_view
def interview_create(request, pk):
    problem = get_object_or_404(permissions.problems_for(request.user), pk=pk)
    if not permissions.can_record_interview(request.user, problem):
        raise PermissionDenied("仅办公室可以记录约谈")
    form = InterviewForm(request.POST or None, initial={"held_on": _today()})
    if request.method == "POST" and form.is_valid():
        interview = form.save(commit=False)
        interview.problem = problem
        services.record_interview(interview, by=request.user)
        messages.success(request, "已记录约谈")
        return redirect(problem)
    return render(
        request,
        "problems/interview_form.html",
        {"form": form, "problem": problem},
        status=400 if form.errors else 200,
    )


@require_POST
@business_view
def from_report(request, report_pk):
    report = get_object_or_404(dispatch_permissions.reports_for(request.user), pk=report_pk)
    if not permissions.can_register(request.user):
        raise PermissionDenied("仅办公室可以登记督办问题")
    form = ReportProblemForm(request.POST)
    if not form.is_valid():
        return render(request, "problems/error.html", {"message": "请选择问题类型"}, status=400)
    try:
        problem = services.register_from_report(
            report, by=request.user, on=_today(), kind=form.cleaned_data["kind"]
        )
    except NotAllowed as exc:
        return render(request, "problems/error.html", {"message": exc.message}, status=400)
    messages.success(request, f"已将月报中的问题登记为督办问题，签发{problem.level.name}单")
    return redirect(problem)


@business_view
def order_list(request):
    orders = permissions.orders_for(request.user).select_related("problem__project")
    return render(request, "problems/order_list.html", {"orders": orders[:500]})


@business_view
def order_docx(request, pk):
    order = get_object_or_404(
        permissions.orders_for(request.user).select_related("problem__project"), pk=pk
    )
    response = HttpResponse(
        documents.order_docx(order),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    from urllib.parse import quote

    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(documents.order_filename(order))}"
    )
    return response


@business_view
def evidence_view(request, pk):
    ev = get_object_or_404(
        Evidence.objects.filter(reply__problem__in=permissions.problems_for(request.user)), pk=pk
    )
    response = FileResponse(ev.file.open("rb"), content_type=ev.content_type)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(ev.original_name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Risk flags -------------------------------------------------------------------------------


@business_view
def risk_list(request):
    flags = permissions.risks_for(request.user).select_related("project__department")
    state = request.GET.get("state", "open")
    if state not in ("open", "all"):
        return HttpResponseBadRequest("参数无效")
    if state == "open":
        flags = flags.filter(cleared_on__isnull=True)
    return render(
        request,
        "problems/risk_list.html",
        {"flags": flags[:500], "state": state, "kinds": RiskKind.choices},
    )


@business_view
def risk_create(request, project_pk):
    project = get_object_or_404(ledger_permissions.projects_for(request.user), pk=project_pk)
    if not permissions.can_flag(request.user, project):
        raise PermissionDenied("您不能登记该项目的风险")
    form = RiskForm(request.POST or None, initial={"raised_on": _today()})
    if request.method == "POST" and form.is_valid():
        flag = form.save(commit=False)
        flag.project = project
        try:
            services.raise_flag(flag, by=request.user)
        except NotAllowed as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已登记风险：{flag.get_kind_display()}")
            return redirect(project)
    return render(
        request,
        "problems/risk_form.html",
        {"form": form, "project": project},
        status=400 if form.errors else 200,
    )


@require_POST
@business_view
def risk_clear(request, pk):
    flag = get_object_or_404(permissions.risks_for(request.user), pk=pk)
    if not permissions.can_flag(request.user, flag.project):
        raise PermissionDenied("您不能解除该风险")
    form = ClearRiskForm(request.POST)
    if not form.is_valid():
        return render(
            request, "problems/error.html", {"message": "请填写有效的解除（复工）日期"}, status=400
        )
    try:
        services.clear_flag(flag, on=form.cleaned_data["cleared_on"], by=request.user)
    except NotAllowed as exc:
        return render(request, "problems/error.html", {"message": exc.message}, status=400)
    messages.success(request, "已解除风险")
    return redirect(flag.project)


# --- KPIs and ranking -------------------------------------------------------------------------


def _period(request):
    """(form, period, label) from ?year=&quarter= or ?month=: the reporting period
    (figures.periods) the ledger summary uses; default the year's last closed month."""
    data = {
        "year": request.GET.get("year") or periods.current_plan_year(today=_today()),
        **{k: request.GET.get(k) for k in ("quarter", "month") if request.GET.get(k)},
    }
    form = PeriodForm(data)
    if not form.is_valid():
        return form, None, None
    year = form.cleaned_data["year"]
    quarter, month = form.cleaned_data.get("quarter"), form.cleaned_data.get("month")
    if month:
        return form, periods.month_period(year, month, today=_today()), f"{year}年{month}月"
    if quarter:
        return (
            form,
            periods.quarter_period(year, quarter, today=_today()),
            f"{year}年第{quarter}季度",
        )
    period = periods.default_period(year, today=_today())
    form.data = {**form.data, "quarter": (max(period.month, 1) - 1) // 3 + 1}
    return form, period, f"{year}年{period.months_label}"


@business_view
def kpi_page(request):
    form, period, label = _period(request)
    if period is None:
        return _bad_period(request, form)
    scope = ledger_permissions.narrowing_for(request.user)
    as_of = period.as_of
    return render(
        request,
        "problems/kpis.html",
        {
            "kpis": figures.kpi_values(period, scope),
            "problems": figures.problems_block(
                year=period.year, quarter=0, as_of=as_of, projects=scope
            ),
            "risks": figures.risks_block(year=period.year, quarter=0, as_of=as_of, projects=scope),
            "label": label,
            "as_of": as_of,
            "period": period,
            "form": form,
            "scope_label": ledger_permissions.scope_label(request.user),
        },
    )


@business_view
def ranking_page(request):
    form, period, label = _period(request)
    if period is None:
        return _bad_period(request, form)
    r = figures.ranking(period)
    return render(
        request,
        "problems/ranking.html",
        {
            "r": r,
            "label": label,
            "form": form,
            "period": period,
            "query": request.GET.urlencode(),
        },
    )


def _bad_period(request, form):
    return render(
        request,
        "problems/error.html",
        {
            "message": "年度、季度或月份无效："
            + "；".join(e for errs in form.errors.values() for e in errs)
        },
        status=400,
    )


@business_view
def ranking_export(request):
    form, period, label = _period(request)
    if period is None:
        return HttpResponseBadRequest("年度、季度或月份无效")
    data = adapters.ranking_xlsx(figures.ranking(period))
    from urllib.parse import quote

    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(label + '单位考核排名.xlsx')}"
    )
    return response


@business_view
def rules_page(request):
    name, scheme = ScoringScheme.current_rules()
    return render(
        request,
        "problems/rules.html",
        {
            "levels": SupervisionLevel.objects.order_by("rank"),
            "policy": EscalationPolicy.current(),
            "scheme_name": name,
            "scheme": scheme,
        },
    )
