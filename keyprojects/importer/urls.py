from django.urls import path

from keyprojects.importer import views

app_name = "importer"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/confirm/", views.job_confirm, name="job_confirm"),
    path("jobs/<int:pk>/file/", views.job_file, name="job_file"),
    path("export/ledger/", views.export_ledger, name="export_ledger"),
    path("export/dispatch/", views.export_dispatch, name="export_dispatch"),
]
