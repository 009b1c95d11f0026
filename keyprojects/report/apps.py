from django.apps import AppConfig


class ReportConfig(AppConfig):
    name = "keyprojects.report"
    label = "report"
    verbose_name = "工作报告"
