"""Default reserve stages (no national ladder exists; counties count 策划 / 预可研 / 县·市·省级
储备, PRACTICE.md), installed by the initial migration and edited by the office."""

STAGES = [
    (1, "谋划", False),
    (2, "策划", False),
    (3, "包装（预可研）", False),
    (4, "成熟（具备开工条件）", False),
    (5, "转化（列入年度计划）", True),
]


def install(apps, schema_editor):
    Stage = apps.get_model("reserve", "Stage")
    for order, name, converted in STAGES:
        Stage.objects.get_or_create(order=order, defaults={"name": name, "is_converted": converted})


def ensure() -> None:
    """Put the default stages back when the table is empty (e.g. after a flush)."""
    from django.apps import apps

    if not apps.get_model("reserve", "Stage").objects.exists():
        install(apps, None)
