from django.urls import path

from keyprojects.reserve import views

app_name = "reserve"

urlpatterns = [
    path("", views.reserve_list, name="list"),
    path("<int:pk>/", views.profile_detail, name="detail"),
    path("<int:pk>/edit/", views.profile_edit, name="edit"),
    path("<int:pk>/promote/", views.promote, name="promote"),
    path("<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("new/<int:project_pk>/", views.profile_create, name="create"),
]
