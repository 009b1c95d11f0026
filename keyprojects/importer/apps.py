from django.apps import AppConfig


class ImporterConfig(AppConfig):
    name = "keyprojects.importer"
    label = "importer"
    verbose_name = "Excel 导入导出"
