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
