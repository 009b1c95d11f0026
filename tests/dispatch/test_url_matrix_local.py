"""Runs this app's url_matrix.py against every principal, each in a fresh database, until the
shared runner (tests/test_url_matrix.py) does; also checks every dispatch URL has a case."""

from datetime import date

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from keyprojects.core.choices import Role
from tests import factories
from tests.dispatch import url_matrix
from tests.matrix import PRINCIPALS, World

ROLES = {
    "office": (Role.OFFICE, None),
    "reporter": (Role.REPORTER, "dept"),
    "other_reporter": (Role.REPORTER, "other_dept"),
    "leader": (Role.LEADER, None),
    "sysadmin": (Role.SYSADMIN, None),
    "secadmin": (Role.SECADMIN, None),
    "auditadmin": (Role.AUDITADMIN, None),
}


def _world() -> World:
    w = World()
    w.dept = factories.department(name="县住房和城乡建设委员会", short_name="住建")
    w.other_dept = factories.department(name="县交通运输委员会", short_name="交通")
    for name, (role, dept) in ROLES.items():
        w.users[name] = factories.user(role, department=getattr(w, dept) if dept else None)
    w.project = factories.started_project(w.dept)
    w.other_project = factories.project(w.other_dept)
    w.milestone = factories.milestone(w.project, planned_date=date(2022, 2, 1))
    url_matrix.build(w)
    return w


@pytest.mark.django_db
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize(
    "case", url_matrix.CASES, ids=[f"{c.name}{c.query}" for c in url_matrix.CASES]
)
def test_matrix(case, principal):
    w = _world()
    client = Client()
    if principal != "anonymous":
        client.force_login(w.users[principal])
    url = reverse(case.name, args=case.args(w) if case.args else []) + case.query
    if case.method == "post":
        response = client.post(url, case.data(w) if case.data else {})
    else:
        response = client.get(url)
    assert response.status_code == case.expect[principal], (case.name, principal)


def test_every_dispatch_url_has_a_case():
    names = {
        f"dispatch:{name}"
        for name in get_resolver().namespace_dict["dispatch"][1].reverse_dict
        if isinstance(name, str)
    }
    assert names == {c.name for c in url_matrix.CASES}
