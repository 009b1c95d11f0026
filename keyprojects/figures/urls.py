from django.urls import path

from keyprojects.figures import views

app_name = "figures"
urlpatterns = [
    path("periods/", views.period_list, name="period_list"),
    path("periods/settings/", views.period_settings, name="period_settings"),
    path("periods/close/", views.period_close, name="period_close"),
]
