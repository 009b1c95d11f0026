from django.urls import path

from keyprojects.report import views

app_name = "report"
urlpatterns = [
    path("quarterly/", views.quarterly, name="quarterly"),
    path("quarterly/generate/", views.generate, name="generate"),
    path("generated/<int:pk>.docx", views.generated_download, name="generated_download"),
    path("generated/<int:pk>/issue/", views.generated_issue, name="generated_issue"),
    path("wording/", views.wording_list, name="wording_list"),
    path("wording/<str:section>/", views.wording_edit, name="wording_edit"),
    path("notes/add/", views.note_add, name="note_add"),
    path("notes/<int:pk>/delete/", views.note_delete, name="note_delete"),
]
