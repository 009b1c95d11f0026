"""The office keeps the ladder, the escalation policy and the scoring scheme as reference data
(core/signals.py grants the office group these models)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from keyprojects.problems.models import EscalationPolicy, ScoringScheme, SupervisionLevel


@admin.register(SupervisionLevel)
class SupervisionLevelAdmin(SimpleHistoryAdmin):
    list_display = ["rank", "name", "colour", "grace_days", "reply_days", "repeats", "signer"]


@admin.register(EscalationPolicy)
class EscalationPolicyAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "urgent_start_rank",
        "leader_start_rank",
        "special_start_rank",
        "yellows_to_red",
    ]


@admin.register(ScoringScheme)
class ScoringSchemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "is_active"]
