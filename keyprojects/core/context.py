from keyprojects.core import permissions
from keyprojects.core.models import DemoMarker


def site(request):
    """Values every page template needs: demo banner and what the user may do."""
    user = getattr(request, "user", None)
    return {
        "is_demo_data": DemoMarker.objects.exists(),
        "perms_kp": permissions.capabilities(user) if user and user.is_authenticated else {},
    }
