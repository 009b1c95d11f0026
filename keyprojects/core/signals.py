"""The office keeps reference data (departments, the year's 序时进度 rule, phase templates) in
Django's admin. Its staff flag and permission group follow the role, so nobody sets them by hand
and no other role reaches the admin through a forgotten flag."""

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from keyprojects.core.choices import Role

OFFICE_GROUP = "办公室（参考数据维护）"
# (app label, model) pairs the office maintains in the admin.
REFERENCE_MODELS = [
    ("core", "department"),
    ("ledger", "yearschedule"),
    ("dispatch", "phasetemplate"),
    ("dispatch", "phasestep"),
    ("importer", "headersynonym"),
    ("problems", "supervisionlevel"),
    ("problems", "escalationpolicy"),
    ("problems", "scoringscheme"),
    ("reserve", "stage"),
    ("reserve", "reservetarget"),
]


def office_group() -> Group:
    group, _ = Group.objects.get_or_create(name=OFFICE_GROUP)
    return group


@receiver(post_migrate)
def grant_reference_permissions(sender, **kwargs):
    # Runs after each app's migration: an app's permissions exist only once its turn came.
    perms = Permission.objects.none()
    for app_label, model in REFERENCE_MODELS:
        perms |= Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model
        )
    office_group().permissions.set(perms)


@receiver(post_save, sender="core.User")
def staff_follows_role(sender, instance, **kwargs):
    is_office = instance.role == Role.OFFICE and instance.is_active
    group = office_group()
    if is_office:
        group.user_set.add(instance)
    else:
        group.user_set.remove(instance)
    wanted = is_office or instance.is_superuser
    if instance.is_staff != wanted:
        # update() does not fire post_save again.
        type(instance).objects.filter(pk=instance.pk).update(is_staff=wanted)
        instance.is_staff = wanted
