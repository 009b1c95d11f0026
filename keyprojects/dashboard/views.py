"""一屏统览 (dashboard) and 一张图 (project map): thin views over dashboard.figures and the
ledger filter. Pages carry no figures in scripts: charts fetch the JSON endpoint (CSP)."""

import mimetypes
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from keyprojects import geo
from keyprojects.core.decorators import business_view
from keyprojects.core.errors import StaleEdit
from keyprojects.core.forms import labelled_errors
from keyprojects.dashboard import figures, permissions, services
from keyprojects.dashboard.choices import TileSource
from keyprojects.dashboard.forms import BoundaryUploadForm, MapSettingsForm
from keyprojects.dashboard.models import MapSettings
from keyprojects.figures import ledger as ledger_figures
from keyprojects.figures import periods
from keyprojects.ledger.filters import ProjectFilter
from keyprojects.ledger.permissions import scope_label
from keyprojects.ledger.schedule import Colour

MONTHS = [(m, f"{m}月") for m in range(1, 13)]
# At most this many points per map request (clustered in the browser); a province's filter
# beyond it shows the red and yellow ones first and says how many are left off.
MAP_POINTS = 5000


class BadPeriod(ValueError):
    pass


def _period(request):
    """(year, as_of, period) from ?year=&month=; default: the office's current plan year and its
    last closed month (figures.periods), as the summary and the ledger."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or periods.current_plan_year(today=today))
        month = int(request.GET["month"]) if request.GET.get("month") else None
    except ValueError:
        raise BadPeriod("年度或月份无效：年度应为四位数字，月份应为1至12") from None
    if not 2000 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
        raise BadPeriod("年度应为2000至2100，月份应为1至12")
    if month is None:
        period = periods.default_period(year, today=today)
    else:
        # A closed month is read from its snapshot; an open one is live and not final.
        period = periods.month_period(year, month, today=today)
    return year, period.as_of, period


def _years(scope, year) -> list[int]:
    """The year choices of the page's selector: the scope's plan years and the one shown."""
    years = set(scope.values_list("year", flat=True).distinct().order_by("-year"))
    return sorted({*years, year}, reverse=True)


def _page(request, template, extra=None):
    scope = permissions.dashboard_projects_for(request.user)
    try:
        year, as_of, period = _period(request)
    except BadPeriod as exc:
        return HttpResponseBadRequest(str(exc))
    years = _years(scope, year)
    context = {
        "year": year,
        "as_of": as_of,
        "years": years,
        "months": MONTHS,
        "scope_label": scope_label(request.user),
        "period_text": figures.period_text(year, _evaluation_month(year, as_of), as_of),
        "period_statement": period.statement,
        "data_url": f"{reverse('dashboard:data')}?year={year}&month={as_of.month}",
        "query": f"year={year}&month={as_of.month}",
        **(extra or {}),
    }
    return render(request, template, context)


def _evaluation_month(year, as_of):
    from keyprojects.ledger.schedule import evaluation_month

    return evaluation_month(year, as_of)


@business_view
def index(request):
    return _page(request, "dashboard/index.html")


@business_view
def screen(request):
    return _page(request, "dashboard/screen.html")


@business_view
def print_view(request):
    """The same figures as tables for paper (the charts are drawn too, for the record)."""
    scope = permissions.dashboard_projects_for(request.user)
    try:
        year, as_of, period = _period(request)
    except BadPeriod as exc:
        return HttpResponseBadRequest(str(exc))
    data = figures.dashboard(
        scope,
        year=year,
        as_of=as_of,
        period=period,
        with_blocks=permissions.sees_county_blocks(request.user),
        trend_scope=permissions.trend_scope(request.user),
    )
    return _page(request, "dashboard/print.html", {"d": data})


@business_view
def data(request):
    scope = permissions.dashboard_projects_for(request.user)
    try:
        year, as_of, period = _period(request)
    except BadPeriod as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    payload = figures.dashboard(
        scope,
        year=year,
        as_of=as_of,
        period=period,
        with_blocks=permissions.sees_county_blocks(request.user),
        trend_scope=permissions.trend_scope(request.user),
    )
    payload["scope"] = scope_label(request.user)
    payload["ledger_url"] = reverse("ledger:project_list")
    payload["project_url"] = reverse("ledger:project_detail", args=[0]).replace("/0/", "/{id}/")
    payload["links"] = _block_links()
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


def _block_links() -> dict:
    """Pages of other apps a tile may open, where those apps are installed."""
    from django.urls import NoReverseMatch

    out = {}
    for key, name, args, query in [
        ("problems", "problems:list", [], "?status=unsettled"),
        ("land", "factors:list", ["land-batches"], ""),
        ("housing", "factors:list", ["housing"], ""),
        ("fiscal", "factors:list", ["fiscal-tasks"], ""),
        ("funding", "factors:list", ["funding-plans"], ""),
        ("reserve", "reserve:list", [], ""),
    ]:
        try:
            out[key] = reverse(name, args=args) + query
        except NoReverseMatch:
            continue
    return out


# --- Map ------------------------------------------------------------------------------------


def _tile_config(map_settings: MapSettings) -> dict:
    if map_settings.tile_source == TileSource.URL and map_settings.tile_url:
        url = map_settings.tile_url
    elif map_settings.tile_source == TileSource.LOCAL:
        url = reverse("dashboard:tile", args=[0, 0, 0]).replace("0/0/0", "{z}/{x}/{y}")
    else:
        url = ""
    return {
        "url": url,
        "attribution": map_settings.tile_attribution,
        "max_zoom": map_settings.max_zoom,
    }


def _allow_tiles(response, map_settings: MapSettings):
    """The office's intranet tile server is another origin: let this page load images from it."""
    if map_settings.tile_source == TileSource.URL and map_settings.tile_url.startswith("http"):
        parts = urlsplit(map_settings.tile_url)
        response._csp_update = {"img-src": [f"{parts.scheme}://{parts.netloc}"]}
    return response


def map_config(user) -> dict:
    """What a map page needs besides projects (also read by the project form's picker)."""
    map_settings = MapSettings.current()
    return {
        "tiles": _tile_config(map_settings),
        "boundaries_url": reverse("dashboard:boundaries"),
    }


@business_view
def map_config_json(request):
    """The base map and boundaries for any map of ours (the project form's point picker)."""
    return JsonResponse(map_config(request.user), json_dumps_params={"ensure_ascii": False})


@business_view
def map_page(request):
    scope = permissions.dashboard_projects_for(request.user)
    f = ProjectFilter.from_query(request.GET, scope, timezone.localdate())
    f.is_valid()
    query = f.params.copy()
    map_settings = MapSettings.current()
    response = render(
        request,
        "dashboard/map.html",
        {
            "filter": f,
            "config": {
                **map_config(request.user),
                "data_url": f"{reverse('dashboard:map_data')}?{query.urlencode()}",
            },
            "query": query.urlencode(),
            "can_manage": permissions.can_manage_map(request.user),
            "boundaries": permissions.boundaries_for(request.user).only(
                "name", "level", "illustrative", "note"
            ),
            "settings": map_settings,
        },
    )
    return _allow_tiles(response, map_settings)


@business_view
def map_data(request):
    """Projects of the ledger filter as points, with their light (the same filter as the list)."""
    scope = permissions.dashboard_projects_for(request.user).select_related("department")
    f = ProjectFilter.from_query(request.GET, scope, timezone.localdate())
    if not f.is_valid():
        return JsonResponse({"error": "；".join(labelled_errors(f.form))}, status=400)
    counted = f.qs.aggregate(
        n=Count("pk"),
        located=Count("pk", filter=Q(latitude__isnull=False, longitude__isnull=False)),
    )
    located = f.qs.filter(latitude__isnull=False, longitude__isnull=False)
    if counted["located"] > MAP_POINTS:
        # Red and yellow first, so what a leader looks for is on the map; the status line says
        # how many are left off and the filter narrows them.
        located = ledger_figures.order_by_colour(located, f.period, red_first=True)
    rows = list(
        located.only(
            "pk",
            "name",
            "code",
            "year",
            "category",
            "status",
            "department__name",
            "department__short_name",
            "latitude",
            "longitude",
            "total_investment_wan",
            "annual_plan_wan",
            "planned_start",
            "actual_start",
            "monthly_plan",
            "town",
        )[:MAP_POINTS]
    )
    verdict_of = ledger_figures.period_verdicts(rows, f.period)
    points = []
    for p in rows:
        v = verdict_of.get(p.pk)
        points.append(
            {
                "id": p.pk,
                "name": p.name,
                "code": p.code,
                "lat": float(p.latitude),
                "lng": float(p.longitude),
                "department": p.department.label,
                "category": p.get_category_display(),
                "status": p.get_status_display(),
                "town": p.town,
                "total_wan": str(p.total_investment_wan),
                "colour": v.colour.value if v else "none",
                "light": v.colour.label if v else "储备（无序时评价）",
                "reasons": v.reason_text if v else "",
                "url": p.get_absolute_url(),
            }
        )
    return JsonResponse(
        {
            "as_of": f.as_of.isoformat(),
            "count": counted["n"],
            "missing": counted["n"] - counted["located"],
            "located": counted["located"],
            "points": points,
            "colours": {c.value: c.label for c in Colour},
            "ledger_url": f"{reverse('ledger:project_list')}?{f.params.urlencode()}",
        },
        json_dumps_params={"ensure_ascii": False},
    )


@business_view
def boundaries(request):
    """Every boundary layer as one FeatureCollection (WGS-84), each feature tagged."""
    features = []
    for b in permissions.boundaries_for(request.user):
        data = b.geojson
        items = data["features"] if data.get("type") == "FeatureCollection" else [data]
        for item in items:
            feature = (
                item if item.get("type") == "Feature" else {"type": "Feature", "geometry": item}
            )
            features.append(
                {
                    "type": "Feature",
                    "geometry": feature["geometry"],
                    "properties": {
                        **(feature.get("properties") or {}),
                        "kp_layer": b.name,
                        "kp_level": b.level,
                        "kp_illustrative": b.illustrative,
                    },
                }
            )
    return JsonResponse(
        {"type": "FeatureCollection", "features": features},
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )


@business_view
def boundary_list(request):
    if not permissions.can_manage_map(request.user):
        raise PermissionDenied("仅办公室可以管理地图边界")
    form = BoundaryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            b = services.add_boundary(
                name=form.cleaned_data["name"],
                level=form.cleaned_data["level"],
                data=form.cleaned_data["data"],
                system=form.cleaned_data["system"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except geo.BoundaryError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, f"已上传边界“{b.name}”")
            return redirect("dashboard:boundary_list")
    return render(
        request,
        "dashboard/boundaries.html",
        {"form": form, "boundaries": permissions.boundaries_for(request.user)},
        status=400 if form.errors else 200,
    )


@business_view
@require_POST
def boundary_delete(request, pk):
    if not permissions.can_manage_map(request.user):
        raise PermissionDenied("仅办公室可以管理地图边界")
    b = get_object_or_404(permissions.boundaries_for(request.user), pk=pk)
    services.delete_boundary(b, by=request.user)
    messages.success(request, f"已删除边界“{b.name}”")
    return redirect("dashboard:boundary_list")


@business_view
def map_settings(request):
    if not permissions.can_manage_map(request.user):
        raise PermissionDenied("仅办公室可以设置底图")
    instance = MapSettings.current()
    form = MapSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_map_settings(
                form.save(commit=False), by=request.user, expected_version=form.expected_version
            )
        except StaleEdit as exc:
            form.show_conflict(exc)
        else:
            messages.success(request, "已保存地图设置")
            return redirect("dashboard:map")
    status = form.status_code
    return render(request, "dashboard/map_settings.html", {"form": form}, status=status)


TILE_TYPES = ("png", "jpg", "jpeg", "webp")


@business_view
def tile(request, z, x, y):
    """A base-map tile from the local tile folder ({z}/{x}/{y}.png|jpg|webp)."""
    if MapSettings.current().tile_source != TileSource.LOCAL:
        raise Http404("未启用本机瓦片目录")
    root = settings.KP_TILE_DIR
    for ext in TILE_TYPES:
        path = root / str(z) / str(x) / f"{y}.{ext}"
        if path.is_file():
            response = FileResponse(
                path.open("rb"), content_type=mimetypes.types_map.get(f".{ext}", "image/png")
            )
            response["Cache-Control"] = "private, max-age=86400"
            return response
    raise Http404("该级别没有底图瓦片")
