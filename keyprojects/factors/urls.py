from django.urls import path

from keyprojects.factors import views

app_name = "factors"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<slug:slug>/", views.table_list, name="list"),
    path("<slug:slug>/new/", views.create, name="create"),
    path("<slug:slug>/export/", views.export, name="export"),
    path("<slug:slug>/<int:pk>/", views.detail, name="detail"),
    path("<slug:slug>/<int:pk>/edit/", views.edit, name="edit"),
    path("<slug:slug>/<int:pk>/history/", views.history, name="history"),
]
