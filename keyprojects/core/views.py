from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render


@login_not_required
def healthz(request):
    """For load balancers and `make run`: the app answers and the database is reachable."""
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else "您没有访问此页面的权限"
    return render(request, "403.html", {"message": message}, status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
