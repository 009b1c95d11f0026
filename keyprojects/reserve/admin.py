from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from keyprojects.reserve.models import ReserveTarget, Stage


@admin.register(Stage)
class StageAdmin(SimpleHistoryAdmin):
    list_display = ["order", "name", "is_converted"]


@admin.register(ReserveTarget)
class ReserveTargetAdmin(SimpleHistoryAdmin):
    list_display = ["year", "next_year_plan_wan", "target_ratio"]
