from django.apps import apps
from django.utils.module_loading import import_string

from keyprojects.core import permissions
from keyprojects.core.models import DemoMarker


def _capability_hooks() -> list:
    # An app adds template flags by naming a function `fn(user) -> dict[str, bool]` in its
    # AppConfig's `capabilities` attribute, so core never imports a domain app.
    return [
        import_string(path)
        for config in apps.get_app_configs()
        if (path := getattr(config, "capabilities", None))
    ]


def capabilities(user) -> dict[str, bool]:
    """Flags for templates (buttons shown or hidden); the server checks again on every request."""
    flags = permissions.role_flags(user)
    for hook in _capability_hooks():
        flags.update(hook(user))
    return flags


def site(request):
    """Values every page template needs: demo banner and what the user may do."""
    user = getattr(request, "user", None)
    return {
        "is_demo_data": DemoMarker.objects.exists(),
        "perms_kp": capabilities(user) if user and user.is_authenticated else {},
    }
