from django.apps import AppConfig


class ReserveConfig(AppConfig):
    name = "keyprojects.reserve"
    label = "reserve"
    verbose_name = "项目储备库"
    stats_blocks = {"reserve": "keyprojects.reserve.figures.reserve_block"}
    demo_loader = "keyprojects.reserve.demo.load"
