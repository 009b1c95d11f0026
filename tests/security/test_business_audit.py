"""Imports, exports and report generation leave a security audit row (who, what, result)."""

import hashlib

import pytest
from django.urls import reverse

from keyprojects.importer import services
from keyprojects.importer.base import ImportRejected
from keyprojects.ledger.models import Project
from keyprojects.security.models import AuditEvent
from tests import factories
from tests.importer.builders import messy_ledger

pytestmark = pytest.mark.django_db


def test_import_is_audited_with_checksum_and_counts(office, dept):
    data = messy_ledger(
        [{"name": "凤凰大道延伸段", "dept": dept.name, "total": 5000, "plan": 1200}], code=False
    )
    services.run_file("ledger", data, "台账.xlsx", user=office, year=2022)
    event = AuditEvent.objects.get(event="import")
    assert (event.user, event.result) == (office, "success")
    assert event.details["sha256"] == hashlib.sha256(data).hexdigest()
    assert event.details["created"] == 1 and event.details["file"] == "台账.xlsx"


def test_refused_import_is_audited_as_failure_and_writes_nothing(office, dept):
    data = messy_ledger(
        [{"name": "凤凰大道延伸段", "dept": "不存在的单位", "total": 5000, "plan": 1200}],
        code=False,
    )
    with pytest.raises(ImportRejected):
        services.run_file("ledger", data, "台账.xlsx", user=office, year=2022)
    assert not Project.objects.exists()
    event = AuditEvent.objects.get(event="import")
    assert event.result == "failure" and "错误" in event.details["outcome"]


def test_dry_run_is_not_an_import(office, dept):
    data = messy_ledger(
        [{"name": "凤凰大道延伸段", "dept": dept.name, "total": 5000, "plan": 1200}], code=False
    )
    services.run_file("ledger", data, "台账.xlsx", user=office, year=2022, dry_run=True)
    assert not AuditEvent.objects.filter(event="import").exists()


def test_export_is_audited_with_filters_and_rows(client_for, office, dept):
    factories.project(dept)
    factories.project(dept, category="continuing")
    r = client_for(office).get(reverse("importer:export_ledger"), {"year": 2022, "category": "new"})
    assert r.status_code == 200
    event = AuditEvent.objects.get(event="export")
    assert event.details["filters"]["category"] == "new" and event.details["rows"] == 1
    assert event.user == office and event.ip == "127.0.0.1"


def test_report_generation_is_audited(client_for, office, dept):
    p = factories.started_project(dept)
    factories.report(p, 3, 100)
    r = client_for(office).get(reverse("dispatch:brief_docx"), {"month": "2022-03"})
    assert r.status_code == 200
    event = AuditEvent.objects.get(event="report")
    assert event.details == {"kind": "monthly_brief", "year": 2022, "month": 3}
