"""Factor pages: an overview of the quarter's figures and, for every table, list, detail,
new/edit, history and Excel export. Thin: scope and predicates from permissions.py, writes
through services.py, figures from figures.py."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from keyprojects.core import history as core_history
from keyprojects.core.decorators import business_view
from keyprojects.core.errors import NotAllowed, StaleEdit
from keyprojects.core.forms import VERSION_MISSING
from keyprojects.factors import display, exports, figures, permissions, rules, services
from keyprojects.factors import models as m
from keyprojects.factors.tables import TABLES, _cn, table
from keyprojects.ledger.permissions import projects_for

PAGE_SIZE = 50


def _table_or_404(slug):
    t = table(slug)
    if t is None:
        raise Http404("没有这张表")
    return t


def _scoped(request, t):
    qs = t.model.objects.select_related(*t.related) if t.related else t.model.objects.all()
    return permissions.scope(request.user, t.kind, qs)


def _year_param(request) -> tuple[int | None, str]:
    raw = request.GET.get("year", "").strip()
    if not raw:
        return None, ""
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        return None, f"年度“{raw[:10]}”无效：应为2000至2100之间的四位数字"
    return int(raw), ""


def _quarter_param(request, today: date) -> tuple[int, int, str]:
    year, error = _year_param(request)
    raw = request.GET.get("quarter", "").strip()
    default_q = (today.month - 1) // 3 + 1
    if raw and raw not in ("1", "2", "3", "4"):
        return today.year, default_q, f"季度“{raw[:10]}”无效：应为1至4"
    return year or today.year, int(raw) if raw else default_q, error


@business_view
def overview(request):
    today = timezone.localdate()
    year, quarter, error = _quarter_param(request, today)
    if error:
        return render(request, "factors/overview.html", {"error": error}, status=400)
    _, last = rules.quarter_months(quarter)
    context = {
        "year": year,
        "quarter": quarter,
        "land": figures.land_block(year=year, quarter=quarter),
        "housing": figures.housing_block(year=year, quarter=quarter),
        "fiscal": figures.fiscal_rows(year, last),
        "county_goals": figures.county_goals(year),
        "funding": figures.funding_summary(year, last, projects=projects_for(request.user)),
        "tables": TABLES.values(),
        "years": range(today.year + 1, 2019, -1),
    }
    return render(request, "factors/overview.html", context)


@business_view
def table_list(request, slug):
    t = _table_or_404(slug)
    year, error = _year_param(request)
    if error:
        return render(request, "factors/list.html", {"t": t, "error": error}, status=400)
    qs = _scoped(request, t)
    if year and t.year_filter:
        qs = t.year_filter(qs, year)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(obj, [c.value(obj, today) for c in t.columns]) for obj in page.object_list]
    return render(
        request,
        "factors/list.html",
        {
            "t": t,
            "page": page,
            "rows": rows,
            "year": year,
            "can_create": permissions.can_create(request.user, t.kind),
            "years": range(today.year + 1, 2019, -1),
        },
    )


@business_view
def delete(request, slug, pk):
    """GET: the confirmation page; POST (with the version shown there): to the recycle bin."""
    t = _table_or_404(slug)
    obj = _get(request, t, pk)
    if not permissions.can_delete(request.user, t.kind, obj):
        raise PermissionDenied(f"您没有删除该{t.verbose_name}的权限")
    if request.method != "POST":
        return render(request, "factors/confirm_delete.html", {"t": t, "obj": obj})
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return HttpResponseBadRequest(VERSION_MISSING)
    try:
        services.delete_record(obj, by=request.user, expected_version=version)
    except (NotAllowed, StaleEdit) as exc:
        messages.error(request, exc.message)
        return redirect("factors:detail", t.slug, obj.pk)
    messages.success(request, f"已删除：{obj}。可在{t.title}的回收站中恢复")
    return redirect("factors:list", t.slug)


def _deleted(request, t):
    qs = t.model.all_objects.filter(deleted_at__isnull=False)
    qs = (
        qs.select_related(*t.related, "deleted_by")
        if t.related
        else qs.select_related("deleted_by")
    )
    return permissions.scope(request.user, t.kind, qs)


@business_view
def recycle_bin(request, slug):
    """The table's deleted records this user may restore, newest deletion first."""
    t = _table_or_404(slug)
    if not permissions.can_create(request.user, t.kind):
        raise PermissionDenied(f"您没有恢复“{t.title}”记录的权限")
    records = [
        obj
        for obj in _deleted(request, t).order_by("-deleted_at", "-pk")[:500]
        if permissions.can_delete(request.user, t.kind, obj)
    ]
    today = timezone.localdate()
    rows = [(obj, [c.value(obj, today) for c in t.columns]) for obj in records]
    return render(request, "factors/recycle_bin.html", {"t": t, "rows": rows})


@require_POST
@business_view
def restore(request, slug, pk):
    t = _table_or_404(slug)
    obj = get_object_or_404(_deleted(request, t), pk=pk)
    if not permissions.can_delete(request.user, t.kind, obj):
        raise PermissionDenied(f"您没有恢复该{t.verbose_name}的权限")
    try:
        services.restore_record(obj, by=request.user)
    except NotAllowed as exc:
        messages.error(request, exc.message)
        return redirect("factors:recycle_bin", t.slug)
    messages.success(request, f"已恢复：{obj}")
    return redirect("factors:detail", t.slug, obj.pk)


def _get(request, t, pk):
    return get_object_or_404(_scoped(request, t), pk=pk)


@business_view
def detail(request, slug, pk):
    t = _table_or_404(slug)
    obj = _get(request, t, pk)
    today = timezone.localdate()
    context = {
        "t": t,
        "obj": obj,
        "rows": display.rows(obj, t.fields),
        "can_edit": permissions.can_edit(request.user, t.kind, obj),
        "can_delete": permissions.can_delete(request.user, t.kind, obj),
        "extra": _extra(t, obj, today),
    }
    return render(request, "factors/detail.html", context)


def _extra(t, obj, today) -> list[tuple[str, str]]:
    """Figures shown under a record (from figures.py)."""
    from keyprojects import units

    if isinstance(obj, m.LandBatch):
        return [
            ("新增建设用地（农用地＋未利用地）", units.format_area(obj.new_construction_ha)),
            ("用地总面积", units.format_area(obj.total_ha)),
        ]
    if isinstance(obj, m.Parcel):
        due = figures.parcel_due(obj, today)
        out = [("出让面积（亩）", f"{obj.area_mu}亩")]
        if due.contract_due:
            out += [
                ("合同签订期限", _cn(due.contract_due)),
                ("缴纳50%期限", _cn(due.half_due)),
                ("缴清期限", _cn(due.full_due)),
            ]
        out.append(("缴款预警", "；".join(due.late) if due.is_late else "未逾期"))
        return out
    if isinstance(obj, m.LandQuota):
        days = figures.quota_overdue_days(obj, today)
        return [("是否逾期", f"已逾期{days}天" if days else "未逾期")]
    if isinstance(obj, m.BondBatch):
        v = figures.bond_verdict(obj, today)
        return [("使用进度", v.reason)]
    if isinstance(obj, m.HousingMonth):
        return [
            ("合计（住宅＋非住宅）", f"{obj.units}套，{units.m2_to_wan_m2(obj.area_m2)}万平方米")
        ]
    if isinstance(obj, m.SalesEvent):
        return [
            ("合计成交", f"{obj.units}套，{units.m2_to_wan_m2(obj.area_m2)}万平方米"),
            ("优惠合计", units.format_wan(obj.subsidy_wan)),
        ]
    if isinstance(obj, m.FiscalTask):
        out = []
        for month in obj.months.order_by("month"):
            out.append((f"{month.month}月完成", units.format_wan(month.amount_wan)))
        if obj.target_wan is not None:
            actual = figures.task_actual(obj, 12)
            rate = rules.fiscal_completion_rate(actual, obj.target_wan)
            out.append(("累计完成", f"{units.format_wan(actual)}，完成年度目标{rate}%"))
        return out
    return []


def _form_view(request, t, obj):
    creating = obj is None
    if creating:
        if not permissions.can_create(request.user, t.kind):
            raise PermissionDenied(f"您没有录入“{t.title}”的权限")
        instance = t.model()
    else:
        if not permissions.can_edit(request.user, t.kind, obj):
            raise PermissionDenied(f"您没有修改该{t.verbose_name}的权限")
        instance = obj
    form = t.form(request.POST or None, instance=instance, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            record = form.save(commit=False)
            projects = form.cleaned_data.get("projects") if "projects" in t.fields else None
            try:
                services.save_record(
                    record,
                    by=request.user,
                    expected_version=form.expected_version,
                    projects=projects,
                )
            except StaleEdit as exc:
                form.show_conflict(exc)
                status = 409
            except ValidationError as exc:
                _add_errors(form, exc)
                status = 400
            else:
                messages.success(request, f"已保存：{record}")
                return redirect("factors:detail", t.slug, record.pk)
        else:
            status = 400
    return render(
        request,
        "factors/form.html",
        {"t": t, "form": form, "obj": obj, "creating": creating},
        status=status,
    )


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        for e in exc.messages:
            form.add_error(None, e)


@business_view
def create(request, slug):
    return _form_view(request, _table_or_404(slug), None)


@business_view
def edit(request, slug, pk):
    t = _table_or_404(slug)
    return _form_view(request, t, _get(request, t, pk))


@business_view
def history(request, slug, pk):
    t = _table_or_404(slug)
    obj = _get(request, t, pk)
    entries = core_history.entries(obj.history.all(), t.model, lambda r: "")
    project_sets = []
    if isinstance(obj, m.LandBatch):
        project_sets = _project_set_history(obj)
    return render(
        request,
        "factors/history.html",
        {"t": t, "obj": obj, "entries": entries, "project_sets": project_sets},
    )


def _project_set_history(batch):
    """The batch's served projects after each change of the set (simple-history m2m rows)."""
    out, previous = [], None
    for rec in batch.history.order_by("history_date", "history_id"):
        names = sorted(str(r.project) for r in rec.projects.select_related("project"))
        if names != previous:
            who = rec.history_user.display_name if rec.history_user else "系统"
            out.append((rec.history_date, who, "、".join(names) or "（无）"))
            previous = names
    return list(reversed(out))


@business_view
def export(request, slug):
    t = _table_or_404(slug)
    year, error = _year_param(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    qs = _scoped(request, t)
    if year and t.year_filter:
        qs = t.year_filter(qs, year)
    data = exports.workbook(t, qs, year=year, today=timezone.localdate())
    name = f"{t.title}{f'（{year}年）' if year else ''}.xlsx"
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def list_url(slug: str) -> str:
    return reverse("factors:list", args=[slug])
