from django.apps import AppConfig


class FactorsConfig(AppConfig):
    name = "keyprojects.factors"
    label = "factors"
    verbose_name = "要素保障与市场"
    # `keyprojects stats --json` collects these blocks from every app (COMMON.md).
    stats_blocks = {
        "land": "keyprojects.factors.figures.land_json",
        "housing": "keyprojects.factors.figures.housing_json",
        "fiscal": "keyprojects.factors.figures.fiscal_json",
        "funding": "keyprojects.factors.figures.funding_json",
    }
    demo_loader = "keyprojects.factors.demo.load"
    todo_items = "keyprojects.factors.todo.overdue_quota_items"
    # Every factor table on the importer's upload page, jobs, command and exports
    # (keyprojects/importer/README.md “Adding a table”; one adapter per table in READERS).
    import_adapters = [
        "keyprojects.factors.adapters.LandBatchesAdapter",
        "keyprojects.factors.adapters.FarmlandAdapter",
        "keyprojects.factors.adapters.LandQuotasAdapter",
        "keyprojects.factors.adapters.ParcelsAdapter",
        "keyprojects.factors.adapters.HousingAdapter",
        "keyprojects.factors.adapters.SalesEventsAdapter",
        "keyprojects.factors.adapters.FiscalTasksAdapter",
        "keyprojects.factors.adapters.FiscalMonthsAdapter",
        "keyprojects.factors.adapters.FundingPlansAdapter",
        "keyprojects.factors.adapters.FundingArrivalsAdapter",
        "keyprojects.factors.adapters.BondsAdapter",
    ]
