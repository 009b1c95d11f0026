from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "keyprojects.ledger"
    label = "ledger"
    verbose_name = "项目台账"
    # Template flags merged by core.context.capabilities.
    capabilities = "keyprojects.ledger.permissions.capabilities"
    # Tables the Excel importer reads and writes (keyprojects/importer/README.md).
    import_adapters = ["keyprojects.ledger.adapters.LedgerAdapter"]
