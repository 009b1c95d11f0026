"""The role × URL permission matrix: every named URL must have an expectation.

Each app's tests keep a `url_matrix.py` beside them (tests/<app>/url_matrix.py) with

    CASES = [Case("ledger:project_detail", args=lambda w: [w.project.pk],
                  expect={"anonymous": 302, "office": 200, ..., "auditadmin": 403})]
    def build(world): ...   # optional: create the objects the cases need, as world attributes

and tests/test_url_matrix.py checks every case against every principal and fails for a named
URL that no case covers, so a new page cannot be forgotten.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

PRINCIPALS = (
    "anonymous",
    "office",
    "reporter",
    "other_reporter",
    "leader",
    "sysadmin",
    "secadmin",
    "auditadmin",
)


@dataclass
class Case:
    name: str  # URL name, "namespace:name"
    expect: dict[str, int]  # principal → HTTP status (every principal listed)
    args: Callable | None = None  # world → list of URL args
    method: str = "get"
    data: Callable | None = None  # world → POST data
    query: str = ""  # appended to the URL (e.g. "?year=2022")
    note: str = ""

    def __post_init__(self):
        missing = set(PRINCIPALS) - set(self.expect)
        if missing:
            raise ValueError(f"{self.name}: no expectation for {sorted(missing)}")


@dataclass
class World:
    """What the cases refer to: the principals and one object of each kind per department."""

    users: dict = field(default_factory=dict)
    dept: object = None
    other_dept: object = None
    project: object = None  # belongs to `reporter`'s department
    other_project: object = None  # belongs to `other_reporter`'s department
    deleted_project: object = None
    milestone: object = None
    extra: dict = field(default_factory=dict)

    def __getattr__(self, name):
        extra = self.__dict__.get("extra", {})
        if name in extra:
            return extra[name]
        raise AttributeError(name)


# Shorthands for common rows.
ANON = 302  # LoginRequiredMiddleware redirects to the log-in page


def business(read: int = 200, *, office=None, reporter=None, other=404, leader=None, admin=403):
    """Expectation for a business page: readers get `read`, other department 404, admins 403."""
    return {
        "anonymous": ANON,
        "office": office if office is not None else read,
        "reporter": reporter if reporter is not None else read,
        "other_reporter": other,
        "leader": leader if leader is not None else read,
        "sysadmin": admin,
        "secadmin": admin,
        "auditadmin": admin,
    }
