from django.urls import path

from keyprojects.importer import views

app_name = "importer"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/confirm/", views.job_confirm, name="job_confirm"),
    path("jobs/<int:pk>/file/", views.job_file, name="job_file"),
    path("jobs/<int:pk>/mapping/", views.job_mapping, name="job_mapping"),
    path("jobs/<int:pk>/rerun/", views.job_rerun, name="job_rerun"),
    path("mappings/", views.mappings, name="mappings"),
    path("export/<slug:kind>/", views.export, name="export"),
    # The names the ledger and dispatch pages link to (same view, kind fixed).
    path("export/ledger/", views.export, {"kind": "ledger"}, name="export_ledger"),
    path("export/dispatch/", views.export, {"kind": "dispatch"}, name="export_dispatch"),
]
