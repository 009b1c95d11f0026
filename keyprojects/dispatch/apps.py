from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "keyprojects.dispatch"
    label = "dispatch"
    verbose_name = "月度调度"
    # Template flags merged by core.context.capabilities.
    capabilities = "keyprojects.dispatch.permissions.capabilities"
    # Tables the Excel importer reads and writes (keyprojects/importer/README.md).
    import_adapters = ["keyprojects.dispatch.adapters.DispatchAdapter"]
