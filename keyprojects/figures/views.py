"""The office's reporting calendar: current plan year, auto-close day, closing a month."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from keyprojects.core.decorators import business_view, office_view
from keyprojects.core.errors import NotAllowed
from keyprojects.core.permissions import is_office
from keyprojects.figures import periods, services
from keyprojects.figures.models import PeriodCorrection, ReportingPeriod
from keyprojects.months import parse_month


@business_view
def period_list(request):
    today = timezone.localdate()
    if is_office(request.user):
        services.close_due_periods(today, by=None)  # the automatic close, when its day has come
    year = periods.current_plan_year(today=today)
    records = {p.month: p for p in ReportingPeriod.objects.filter(year=year)}
    months = [(m, records.get(m)) for m in range(1, 13)]
    row = periods.settings_row()
    return render(
        request,
        "figures/periods.html",
        {
            "year": year,
            "months": months,
            "settings": row,
            "default": periods.default_period(year, today=today),
            "corrections": PeriodCorrection.objects.filter(period__year=year).select_related(
                "period", "project", "recorded_by"
            ),
            "can_manage": is_office(request.user),
        },
    )


@office_view
@require_POST
def period_settings(request):
    try:
        year = int(request.POST.get("current_year", ""))
        raw_day = request.POST.get("auto_close_day", "").strip()
        day = int(raw_day) if raw_day else None
    except ValueError:
        messages.error(request, "当前计划年度或自动关账日应为数字")
        return redirect("figures:period_list")
    try:
        services.set_current_year(year, by=request.user)
        services.set_auto_close_day(day, by=request.user)
    except NotAllowed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已设置当前计划年度为{year}年")
    return redirect("figures:period_list")


@office_view
@require_POST
def period_close(request):
    try:
        year, month = parse_month(request.POST.get("month", ""))
        services.close_period(year, month, by=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    except NotAllowed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已结束{year}年{month}月调度，各项目数字已冻结")
    return redirect("figures:period_list")
