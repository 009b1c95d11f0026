"""Shared fixtures: the four business roles (office, reporter of the owning department, reporter
of another department, leader), the three administrators, and one project per department."""

import os
import shutil

import pytest

from keyprojects.core.choices import Role
from tests import factories

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright runs an event loop

CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    if not os.path.exists(CHROMIUM):
        skip = pytest.mark.skip(
            reason="浏览器测试跳过：没有 /usr/bin/chromium（apt-get install chromium）"
        )
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)
    if not shutil.which("soffice") and not shutil.which("libreoffice"):
        skip = pytest.mark.skip(
            reason="文档测试跳过：没有 LibreOffice（apt-get install libreoffice-writer-nogui）"
        )
        for item in items:
            if "documents" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": BROWSER_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The users' browsers are Chinese: date inputs, number formats and fonts follow the locale.
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture(autouse=True)
def _plain_static(settings):
    # The manifest storage needs collectstatic; tests serve the source files directly.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def dept(db):
    return factories.department(name="县住房和城乡建设委员会", short_name="住建")


@pytest.fixture
def other_dept(db):
    return factories.department(name="县交通运输委员会", short_name="交通")


@pytest.fixture
def office(db):
    return factories.user(Role.OFFICE, username="office", full_name="王主任")


@pytest.fixture
def reporter(dept):
    return factories.user(Role.REPORTER, department=dept, username="reporter", full_name="刘填报")


@pytest.fixture
def other_reporter(other_dept):
    return factories.user(
        Role.REPORTER, department=other_dept, username="other", full_name="杨填报"
    )


@pytest.fixture
def leader(db):
    return factories.user(Role.LEADER, username="leader", full_name="李县长")


@pytest.fixture
def sysadmin(db):
    return factories.user(Role.SYSADMIN, username="sysadmin")


@pytest.fixture
def secadmin(db):
    return factories.user(Role.SECADMIN, username="secadmin")


@pytest.fixture
def auditadmin(db):
    return factories.user(Role.AUDITADMIN, username="auditadmin")


@pytest.fixture
def project(dept):
    return factories.started_project(dept, name="凤鸣江湾住宅小区")


@pytest.fixture
def other_project(other_dept):
    return factories.project(other_dept, name="省道S526石堤至龙池段改建工程")


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client logged in as that user (None: anonymous)."""

    def make(user):
        from django.test import Client

        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data, loaded once per test module.

    Loaded inside a transaction that is rolled back after the module's last test; each test's
    own transaction (the `db` fixture) nests inside it as a savepoint, so a test's writes are
    undone after it and the next test sees the demo data as loaded. Not for `transactional_db`
    or live-server tests (they commit; those load the demo themselves).
    """
    from django.core.management import call_command
    from django.db import transaction

    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
        try:
            call_command("demo")
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
