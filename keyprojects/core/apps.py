from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "keyprojects.core"
    label = "core"
    verbose_name = "基础数据"

    def ready(self):
        from keyprojects.core import signals  # noqa: F401
