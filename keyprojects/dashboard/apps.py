from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "keyprojects.dashboard"
    label = "dashboard"
    verbose_name = "一屏统览与项目地图"
    demo_loader = "keyprojects.dashboard.demo.load"
