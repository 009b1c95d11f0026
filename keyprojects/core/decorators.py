from functools import wraps

from django.core.exceptions import PermissionDenied

from keyprojects.core import permissions


def business_view(view):
    """Ledger, dispatch and statistics pages: business roles only (403 for administrators)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.can_view_business(request.user):
            raise PermissionDenied("您的角色不能查看业务数据")
        return view(request, *args, **kwargs)

    return wrapper


def office_view(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.is_office(request.user):
            raise PermissionDenied("仅办公室可以执行此操作")
        return view(request, *args, **kwargs)

    return wrapper
