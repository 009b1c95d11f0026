"""Which tables the importer knows: collected from the apps, never listed here.

Each app names its adapters in its AppConfig (``import_adapters = ["keyprojects.ledger.adapters.
LedgerAdapter"]``); the importer pages, commands, jobs and header matching look a table up by
its kind. Adding a domain's table is adding an adapter in that domain's app (README.md).
"""

from functools import cache

from django.apps import apps
from django.utils.module_loading import import_string


@cache
def adapters() -> dict:
    """kind → adapter instance, in app order."""
    found: dict = {}
    for config in apps.get_app_configs():
        for path in getattr(config, "import_adapters", ()):
            adapter = import_string(path)()
            if adapter.kind in found:
                raise LookupError(f"表格类型“{adapter.kind}”被注册了两次（{path}）")
            found[adapter.kind] = adapter
    return found


def get(kind: str):
    try:
        return adapters()[kind]
    except KeyError:
        raise LookupError(f"未知的表格类型“{kind}”") from None


def kind_choices() -> list[tuple[str, str]]:
    return [(a.kind, a.label) for a in adapters().values()]


def kind_label(kind: str) -> str:
    a = adapters().get(kind)
    return a.label if a else kind
