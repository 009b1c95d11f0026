from django.urls import path

from keyprojects.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("summary/", views.summary, name="summary"),
    path("print/", views.project_print, name="project_print"),
    path("new/", views.project_create, name="project_create"),
    path("recycle-bin/", views.recycle_bin, name="recycle_bin"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("<int:pk>/delete/", views.project_delete, name="project_delete"),
    path("<int:pk>/restore/", views.project_restore, name="project_restore"),
    path("milestones/<int:mid>/restore/", views.milestone_restore, name="milestone_restore"),
    path("<int:pk>/milestones/new/", views.milestone_create, name="milestone_create"),
    path("<int:pk>/milestones/<int:mid>/edit/", views.milestone_edit, name="milestone_edit"),
    path("<int:pk>/milestones/<int:mid>/delete/", views.milestone_delete, name="milestone_delete"),
    path(
        "<int:pk>/milestones/<int:mid>/propose/",
        views.milestone_propose,
        name="milestone_propose",
    ),
    path("<int:pk>/baseline/", views.baseline_approve, name="baseline_approve"),
    path("node-changes/", views.change_list, name="change_list"),
    path("node-changes/<int:cid>/decide/", views.change_decide, name="change_decide"),
]
