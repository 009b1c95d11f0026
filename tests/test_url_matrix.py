"""Every named URL × every principal (tests/matrix.py). A URL without a case fails the test."""

import importlib
import pkgutil
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from keyprojects.core.choices import Role
from tests import factories
from tests.matrix import PRINCIPALS, World

# URLs that are not pages of ours: Django's admin (staff only, its own permission system),
# static/media helpers and the health check (public by design).
EXEMPT_PREFIXES = ("admin:",)
EXEMPT = {"healthz", "login", "logout"}


def _modules():
    root = Path(tests.__file__).parent
    for info in pkgutil.walk_packages([str(root)], prefix="tests."):
        if info.name.endswith(".url_matrix"):
            yield importlib.import_module(info.name)


MODULES = list(_modules())
CASES = [case for module in MODULES for case in module.CASES]


def _names(resolver=None, ns=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _names(p, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{ns}{p.name}"


def test_every_named_url_has_a_case():
    covered = {c.name for c in CASES}
    missing = sorted(
        n
        for n in set(_names())
        if n not in covered and n not in EXEMPT and not n.startswith(EXEMPT_PREFIXES)
    )
    assert not missing, f"URL 没有权限矩阵用例：{missing}"


@pytest.fixture
def world(db):
    w = World()
    w.dept = factories.department(name="县住房和城乡建设委员会", short_name="住建")
    w.other_dept = factories.department(name="县交通运输委员会", short_name="交通")
    w.users = {
        "office": factories.user(Role.OFFICE),
        "reporter": factories.user(Role.REPORTER, department=w.dept),
        "other_reporter": factories.user(Role.REPORTER, department=w.other_dept),
        "leader": factories.user(Role.LEADER),
        "sysadmin": factories.user(Role.SYSADMIN),
        "secadmin": factories.user(Role.SECADMIN),
        "auditadmin": factories.user(Role.AUDITADMIN),
    }
    w.project = factories.started_project(w.dept)
    w.other_project = factories.project(w.other_dept)
    w.deleted_project = factories.project(w.dept)
    w.deleted_project.deleted_at = w.deleted_project.updated_at
    w.deleted_project.save()
    w.milestone = factories.milestone(w.project)
    for module in MODULES:
        if hasattr(module, "build"):
            module.build(w)
    return w


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_role_url_matrix(case, world):
    url = reverse(case.name, args=case.args(world) if case.args else None) + case.query
    failures = []
    for principal in PRINCIPALS:
        client = Client()
        if principal != "anonymous":
            client.force_login(world.users[principal])
        data = case.data(world) if case.data else {}
        # Each principal meets the same state: what one POST changed is rolled back.
        with transaction.atomic():
            response = getattr(client, case.method)(url, data)
            transaction.set_rollback(True)
        expected = case.expect[principal]
        if response.status_code != expected:
            failures.append(f"{principal}: {response.status_code} ≠ {expected}")
        if principal == "other_reporter" and expected == 404:
            body = response.content.decode(errors="ignore")
            assert world.project.name not in body, "另一部门的项目名称出现在响应中"
    assert not failures, f"{case.method.upper()} {url}: " + "；".join(failures)
