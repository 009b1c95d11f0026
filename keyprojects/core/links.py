"""URLs that take no argument from the request, reversed once per URL configuration and script
prefix: the navigation bar alone names sixteen on every page, and a reverse costs more than
the rest of its link."""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_REVERSED: dict[tuple, str] = {}


def fixed_url(name: str, *args) -> str:
    """reverse(name, args=args), remembered for the running URL configuration."""
    key = (get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF, name, args)
    url = _REVERSED.get(key)
    if url is None:
        url = _REVERSED[key] = reverse(name, args=args or None)
    return url
