from django.urls import path

from keyprojects.factors import views

app_name = "factors"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<slug:slug>/", views.table_list, name="list"),
    path("<slug:slug>/new/", views.create, name="create"),
    path("<slug:slug>/export/", views.export, name="export"),
    path("<slug:slug>/recycle/", views.recycle_bin, name="recycle_bin"),
    path("<slug:slug>/<int:pk>/", views.detail, name="detail"),
    path("<slug:slug>/<int:pk>/edit/", views.edit, name="edit"),
    path("<slug:slug>/<int:pk>/history/", views.history, name="history"),
    path("<slug:slug>/<int:pk>/delete/", views.delete, name="delete"),
    path("<slug:slug>/<int:pk>/restore/", views.restore, name="restore"),
]
