"""The figures blocks other apps register (AppConfig.stats_blocks), gathered in one place.

An app maps a JSON key to the dotted path of a function

    stats_blocks = {"land": "keyprojects.factors.figures.land_json"}

called as fn(year=…, quarter=…, period=…) -> dict | list. `period` is the reporting period
(figures.periods.Period) the caller states — the quarter's for `stats` and the report, the
chosen month's for the dashboard — so a block that counts ledger projects reads the same
frozen snapshot as the page around it. Quarterly tables (land, housing …) use year and quarter.
`stats --json`, the dashboard and the quarterly report all read blocks through here.
"""

from collections.abc import Callable

from django.apps import apps
from django.utils.module_loading import import_string


def providers() -> dict[str, Callable[..., object]]:
    """JSON key → block function, in app order; an app listed later in INSTALLED_APPS replaces
    an earlier one's block of the same key (a county's own app can take over a table)."""
    found: dict[str, Callable[..., object]] = {}
    for config in apps.get_app_configs():
        for key, dotted in (getattr(config, "stats_blocks", None) or {}).items():
            found[key] = import_string(dotted) if isinstance(dotted, str) else dotted
    return found


def collect(*, year: int, quarter: int, period=None) -> dict:
    """Every registered block for `year`/`quarter`, each given the stated `period`."""
    return {key: fn(year=year, quarter=quarter, period=period) for key, fn in providers().items()}
