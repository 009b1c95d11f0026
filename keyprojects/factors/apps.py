from django.apps import AppConfig


class FactorsConfig(AppConfig):
    name = "keyprojects.factors"
    label = "factors"
    verbose_name = "要素保障与市场"
    # `keyprojects stats --json` collects these blocks from every app (COMMON.md).
    stats_blocks = {
        "land": "keyprojects.factors.figures.land_block",
        "housing": "keyprojects.factors.figures.housing_block",
        "fiscal": "keyprojects.factors.figures.fiscal_block",
        "funding": "keyprojects.factors.figures.funding_block",
    }
