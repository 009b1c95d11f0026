from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and the commands that start the site (`demo`, `serve`).

    The top of the stack: it may import every app, and no app imports it.
    """

    name = "keyprojects.demo"
    label = "demo"
    verbose_name = "示例数据"
