from django.urls import path

from keyprojects.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("screen/", views.screen, name="screen"),
    path("print/", views.print_view, name="print"),
    path("data.json", views.data, name="data"),
    path("map/", views.map_page, name="map"),
    path("map/config.json", views.map_config_json, name="map_config"),
    path("map/projects.json", views.map_data, name="map_data"),
    path("map/boundaries.geojson", views.boundaries, name="boundaries"),
    path("map/boundaries/", views.boundary_list, name="boundary_list"),
    path("map/boundaries/<int:pk>/delete/", views.boundary_delete, name="boundary_delete"),
    path("map/settings/", views.map_settings, name="map_settings"),
    path("tiles/<int:z>/<int:x>/<int:y>.png", views.tile, name="tile"),
]
