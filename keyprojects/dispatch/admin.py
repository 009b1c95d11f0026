from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from keyprojects.dispatch.models import MonthlyReport, PhaseTemplate


@admin.register(PhaseTemplate)
class PhaseTemplateAdmin(SimpleHistoryAdmin):
    list_display = [
        "sector",
        "land_preview_days",
        "planning_permit_days",
        "construction_permit_days",
        "start_days",
        "main_works_days",
        "acceptance_days",
    ]


@admin.register(MonthlyReport)
class MonthlyReportAdmin(SimpleHistoryAdmin):
    list_display = ["project", "year", "month", "invested_wan", "status", "is_late"]
    list_filter = ["year", "month", "status"]
    search_fields = ["project__name", "project__code"]
    # Figures and states change only through the services (pages), never here.
    readonly_fields = [f.name for f in MonthlyReport._meta.fields]

    def has_add_permission(self, request):
        return False
