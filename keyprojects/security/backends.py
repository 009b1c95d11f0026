"""django-axes glue."""

from axes.backends import AxesStandaloneBackend

from keyprojects.security import audit


class AxesBackend(AxesStandaloneBackend):
    """Axes' lock-out check, skipped for authenticate() calls that have no request.

    Every log-in over HTTP (the log-in page) passes the request and is checked; a call without
    one (Django's test Client.login(), a management command) has no user name to throttle by
    client and would otherwise fail with AxesBackendRequestParameterRequired.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request):
    return audit.client_ip(request) or None
