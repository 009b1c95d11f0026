from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "keyprojects.dispatch"
    label = "dispatch"
    verbose_name = "月度调度"
