from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from keyprojects.ledger.models import Milestone, Project, YearSchedule


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "year", "department", "category", "status"]
    list_filter = ["year", "category", "status", "department"]
    search_fields = ["code", "name"]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["project", "name", "planned_date", "actual_date"]


@admin.register(YearSchedule)
class YearScheduleAdmin(admin.ModelAdmin):
    list_display = ["year", "target_pct", "curve"]
