from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from keyprojects.core import views as core_views
from keyprojects.security import views as security_views

urlpatterns = [
    # Each role's first page: business roles the summary, administrators their own page.
    path("", RedirectView.as_view(pattern_name="security:start"), name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", core_views.healthz, name="healthz"),
    path("projects/", include("keyprojects.ledger.urls")),
    path("dispatch/", include("keyprojects.dispatch.urls")),
    path("excel/", include("keyprojects.importer.urls")),
    path("factors/", include("keyprojects.factors.urls")),
    path("security/", include("keyprojects.security.urls")),
    # The admin's own password change has neither a failure limit nor an audit row: its URL
    # (admin:password_change, linked from every admin page) serves ours.
    path("admin/password_change/", security_views.password_change),
    path("reports/", include("keyprojects.report.urls")),
    path("problems/", include("keyprojects.problems.urls")),
    path("reserve/", include("keyprojects.reserve.urls")),
    path("dashboard/", include("keyprojects.dashboard.urls")),
    path("figures/", include("keyprojects.figures.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "keyprojects.core.views.forbidden"
handler404 = "keyprojects.core.views.not_found"
handler500 = "keyprojects.core.views.server_error"
