"""Role × URL expectations for the reporting-period pages (contract: tests/matrix.py)."""

from tests.matrix import ANON, Case, business


def _office_only(ok):
    return {
        "anonymous": ANON,
        "office": ok,
        "reporter": 403,
        "other_reporter": 403,
        "leader": 403,
        "sysadmin": 403,
        "secadmin": 403,
        "auditadmin": 403,
    }


CASES = [
    Case("figures:period_list", business(200, other=200)),
    Case(
        "figures:period_settings",
        _office_only(302),
        method="post",
        data=lambda w: {"current_year": "2022", "auto_close_day": ""},
    ),
    Case(
        "figures:period_close",
        _office_only(302),
        method="post",
        data=lambda w: {"month": "2022-03"},
    ),
]
