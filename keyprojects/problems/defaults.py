"""The published defaults the office starts from (installed by the initial migration; the office
edits them afterwards). Sources: PRACTICE.md — 华亭 2017 (蓝 → 黄 → 约谈 + 红), 三明 2017 (urgent
items or a leader's instruction start higher), 海口江东 2020 (two yellows in a row become red)."""

LEVELS = [
    # rank, name, colour, grace days, reply days, repeats, interview, signer
    (1, "提示", "blue", 3, 10, 0, False, "县重点项目办"),
    (2, "督办", "yellow", 3, 7, 0, False, "县重点项目办"),
    (3, "约谈·通报", "red", 3, 7, 0, True, "县重点项目推进领导小组"),
]


def install(apps, schema_editor):
    Level = apps.get_model("problems", "SupervisionLevel")
    Policy = apps.get_model("problems", "EscalationPolicy")
    for rank, name, colour, grace, reply, repeats, interview, signer in LEVELS:
        Level.objects.get_or_create(
            rank=rank,
            defaults=dict(
                name=name,
                colour=colour,
                grace_days=grace,
                reply_days=reply,
                repeats=repeats,
                needs_interview=interview,
                signer=signer,
            ),
        )
    if not Policy.objects.exists():
        Policy.objects.create()


def ensure() -> None:
    """Put the defaults back when the tables are empty (a flushed database, a test that
    flushed them): the ladder is never missing."""
    from django.apps import apps

    install(apps, None)
