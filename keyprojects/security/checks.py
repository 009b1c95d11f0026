"""System checks for production settings (KEYPROJECTS_DEBUG=false, KEYPROJECTS_HTTPS=true).

They run before every management command that checks (serve, runserver, check --deploy), so a
production instance refuses to start with a superuser (who would bypass 三员分立) or with
demo accounts and their published password on real data.
"""

from django.conf import settings
from django.core.checks import Error, register
from django.db import DatabaseError


def is_production() -> bool:
    return not settings.DEBUG and getattr(settings, "HTTPS", False)


@register("security", deploy=False)
def accounts_check(app_configs=None, **kwargs):
    if not is_production():
        return []
    from keyprojects.core.models import DemoMarker, User

    errors = []
    try:
        superusers = list(User.objects.filter(is_superuser=True).values_list("username", flat=True))
        demo_users = list(User.objects.filter(is_demo=True).values_list("username", flat=True))
        has_demo_data = DemoMarker.objects.exists()
    except DatabaseError:
        return []  # not migrated yet: nothing to check
    if superusers:
        errors.append(
            Error(
                f"生产环境不允许存在超级用户：{'、'.join(superusers[:10])}",
                hint="三员分立：请改为系统管理员、安全管理员或审计管理员角色，并取消超级用户",
                id="security.E001",
            )
        )
    if demo_users and not has_demo_data:
        errors.append(
            Error(
                f"生产环境存在示例账号（密码已公开）：{'、'.join(demo_users[:10])}",
                hint="示例账号只能与示例数据一起使用；请停用并删除这些账号",
                id="security.E002",
            )
        )
    return errors
