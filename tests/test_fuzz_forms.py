"""Property-based fuzzing of the business forms and POST endpoints (issue 10 item 5).

Each endpoint starts from a valid submission; hypothesis replaces one to three of its fields
with hostile values (huge, negative, NaN/Infinity, null bytes, very long, impossible dates,
non-existent ids, emoji, markup) and posts it through the Django test client as the office
user. Never a 500 (the test client re-raises any exception a view lets escape); a 4xx response
always carries a form error; every error message, on a field or on the form, is Chinese.
Each example runs in a savepoint that is rolled back, so every example starts from the same data.
The security forms and the import sheets are fuzzed in tests/security/test_fuzz.py and
tests/importer/test_fuzz.py.
"""

import io
import os
import re
from datetime import date

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from keyprojects.dispatch import services as dispatch_services
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.dispatch.forms import PhaseTemplateForm, ReportForm
from keyprojects.ledger.forms import MilestoneForm, ProjectForm
from tests import factories

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")

HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "-0.01",
    "0.001",
    "12.345",
    "1e309",
    "-1E+9999",
    "1e-400",
    "NaN",
    "nan",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "99999999999999999999999999",
    "9223372036854775808",
    "2147483648",
    "32768",
    "65536",
    "3651",
    "1,000",
    "１２３",
    "٣",
    "\x00",
    "1\x00",
    "a\x00b",
    "x" * 5000,
    "9" * 400,
    "😀" * 60,
    "🏗️凤凰大道",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "2022-02-30",
    "2022-13-01",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "1899-12-31",
    "2022-03",
    "2022/03/18",
    "32/13/2022",
    "999999",
    "-999999",
    "true",
    "null",
    "[]",
    '{"a": 1}',
]

VALUE = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=60),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
)

FUZZ = settings(
    max_examples=int(os.environ.get("KP_FUZZ_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def baseline(form: forms.Form) -> dict:
    """The POST data a browser would send for the form as rendered (its initial values)."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, forms.MultiWidget):
            parts = value if isinstance(value, list | tuple) else field.widget.decompress(value)
            for i, part in enumerate(parts):
                data[f"{name}_{i}"] = "" if part is None else str(part)
        elif value is None:
            data[name] = ""
        elif hasattr(value, "isoformat"):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


def assert_chinese_errors(response, form_keys: tuple[str, ...], mutated: dict):
    """A 4xx has errors; every message (field or form) has Chinese in it."""
    assert response.status_code < 500, response.status_code
    found = []
    for key in form_keys:
        form = response.context.get(key) if response.context else None
        if form is None or not form.is_bound:
            continue
        for field, messages in form.errors.items():
            assert messages, field
            for message in messages:
                assert CJK.search(message), (key, field, message, mutated)
            found.append(field)
    if response.status_code in (400, 409):
        assert found, (response.status_code, mutated)
    return found


@pytest.fixture
def world(dept, office, project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    milestone = factories.milestone(project)
    draft = factories.report(project, 3, "10", status=ReportStatus.DRAFT)
    submitted = factories.report(project, 4, "20", status=ReportStatus.SUBMITTED)
    return {
        "project": project,
        "milestone": milestone,
        "draft": draft,
        "submitted": submitted,
        "office": office,
    }


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 80, 40)).save(buf, "PNG")
    return buf.getvalue()


def endpoints(w) -> dict:
    """name: (url, baseline POST data, the context names of the forms to look at)."""
    project, office = w["project"], w["office"]
    project_data = baseline(ProjectForm(instance=project, user=office))
    new_project = {**project_data, "code": "FUZZ0001", "name": "模糊测试项目"}
    new_project.pop("version")
    template = dispatch_services.template_for(project.sector)
    template_data = baseline(PhaseTemplateForm(instance=template))
    phases = [phase for phase, _ in template.steps()]
    plan = {"anchor": "acceptance", "target": "2025-12-31"}
    plan.update({f"date_{p}": date(2023, 1 + i, 1).isoformat() for i, p in enumerate(phases)})
    # The plan's version, and the confirm step already passed for these (past) dates.
    plan["stamp"] = dispatch_services.plan_stamp(project)
    plan["confirm"] = ",".join(plan[f"date_{p}"] for p in phases)
    return {
        "project_create": (reverse("ledger:project_create"), new_project, ("form",)),
        "project_edit": (
            reverse("ledger:project_edit", args=[project.pk]),
            project_data,
            ("form",),
        ),
        "milestone_create": (
            reverse("ledger:milestone_create", args=[project.pk]),
            {"phase": "start", "name": "开工", "planned_date": "2022-03-01", "note": ""},
            ("form",),
        ),
        "milestone_edit": (
            reverse("ledger:milestone_edit", args=[project.pk, w["milestone"].pk]),
            baseline(MilestoneForm(instance=w["milestone"])),
            ("form",),
        ),
        "report_create": (
            reverse("dispatch:report_create"),
            {
                "project": str(project.pk),
                "period": "2022-05",
                "invested_wan": "12.50",
                "progress_text": "主体施工",
                "progress_pct": "30",
                "problems": "",
                "next_steps": "",
            },
            ("form",),
        ),
        "report_edit": (
            reverse("dispatch:report_edit", args=[w["draft"].pk]),
            baseline(ReportForm(instance=w["draft"], user=office)),
            ("form",),
        ),
        "report_return": (
            reverse("dispatch:report_return", args=[w["submitted"].pk]),
            {"comment": "请补充现场照片", "version": str(w["submitted"].version)},
            ("return_form",),
        ),
        "photo_upload": (
            reverse("dispatch:photo_upload", args=[w["draft"].pk]),
            {"caption": "基坑开挖"},
            ("photo_form",),
        ),
        "template_edit": (
            reverse("dispatch:template_edit", args=[project.sector]),
            template_data,
            ("form",),
        ),
        "plan_save": (
            reverse("dispatch:plan", args=[project.pk]),
            plan,
            ("dates_form", "target_form"),
        ),
    }


NAMES = [
    "project_create",
    "project_edit",
    "milestone_create",
    "milestone_edit",
    "report_create",
    "report_edit",
    "report_return",
    "photo_upload",
    "template_edit",
    "plan_save",
]

IMAGES = st.one_of(
    st.just(b""),
    st.binary(max_size=200),
    st.sampled_from(
        [
            b"%PDF-1.4 not an image",
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            b"\x89PNG\r\n\x1a\n" + b"\0" * 40,
            b"GIF89a" + b"\0" * 20,
        ]
    ),
    st.integers(min_value=0, max_value=200).map(lambda n: _png()[:n] if n else _png()),
)
FILENAMES = st.one_of(
    st.sampled_from(["site.jpg", "现场.png", "..\\..\\x.png", "a\x00.png", "😀.png", "x" * 300]),
    st.text(min_size=1, max_size=40).filter(lambda s: "\x00" not in s and "/" not in s),
)


def post(client, url, data, name, image=None):
    payload = dict(data)
    if name == "photo_upload":
        content, filename = image if image is not None else (_png(), "site.png")
        payload["image"] = SimpleUploadedFile(filename, content, content_type="image/png")
    with transaction.atomic():
        response = client.post(url, payload)
        if response.status_code == 302:  # what was saved also shows without an error
            shown = client.get(response.url)
            assert shown.status_code == 200, (shown.status_code, data)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("name", NAMES)
def test_valid_baseline_is_accepted(name, world, client_for):
    """The starting point of the fuzzing is a submission the endpoint accepts."""
    url, data, keys = endpoints(world)[name]
    response = post(client_for(world["office"]), url, data, name)
    assert response.status_code == 302, assert_chinese_errors(response, keys, {})


@pytest.mark.parametrize("name", NAMES)
def test_hostile_values_never_give_500_and_are_refused_in_chinese(name, world, client_for):
    url, data, keys = endpoints(world)[name]
    client = client_for(world["office"])
    fields = sorted(data)

    @FUZZ
    @given(
        mutated=st.dictionaries(st.sampled_from(fields), VALUE, min_size=1, max_size=3),
        image=st.tuples(IMAGES, FILENAMES),
    )
    def run(mutated, image):
        response = post(client, url, {**data, **mutated}, name, image=image)
        assert_chinese_errors(response, keys, mutated)

    run()


@pytest.mark.parametrize(
    "params",
    [
        {"anchor": "acceptance", "target": "0001-01-01"},
        {"anchor": "start", "target": "0001-03-01"},
        {"anchor": "acceptance", "target": "9999-12-31"},
        {"anchor": "nonsense", "target": "2025-01-01"},
        {"anchor": "acceptance", "target": "2025-02-30"},
    ],
)
def test_plan_proposal_with_extreme_targets(params, world, client_for):
    """The GET side of the plan page (倒排 from a target date) at the ends of the calendar."""
    url = reverse("dispatch:plan", args=[world["project"].pk])
    response = client_for(world["office"]).get(url, params)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert assert_chinese_errors(response, ("target_form",), params)


@given(
    params=st.fixed_dictionaries(
        {"anchor": st.sampled_from(["acceptance", "start", "x", ""]), "target": VALUE}
    )
)
@FUZZ
def test_plan_proposal_fuzzed(params, world, client_for):
    url = reverse("dispatch:plan", args=[world["project"].pk])
    response = client_for(world["office"]).get(url, params)
    assert_chinese_errors(response, ("target_form",), params)


def plain_posts(w) -> dict:
    """POST endpoints without a form object: (url, field fuzzed, other fields)."""
    project = w["project"]
    return {
        "project_delete": (reverse("ledger:project_delete", args=[project.pk]), "version", {}),
        "report_submit": (reverse("dispatch:report_submit", args=[w["draft"].pk]), "version", {}),
        "report_approve": (
            reverse("dispatch:report_approve", args=[w["submitted"].pk]),
            "version",
            {},
        ),
        "due_remind": (reverse("dispatch:due_remind"), "month", {}),
        "report_milestones": (
            reverse("dispatch:report_milestones", args=[w["draft"].pk]),
            f"ms_{w['milestone'].pk}",
            {},
        ),
        "import_upload": (reverse("importer:upload"), "year", {"kind": "ledger", "month": ""}),
        "import_upload_month": (
            reverse("importer:upload"),
            "month",
            {"kind": "dispatch", "year": ""},
        ),
    }


PLAIN = [
    "project_delete",
    "report_submit",
    "report_approve",
    "due_remind",
    "report_milestones",
    "import_upload",
    "import_upload_month",
]


@pytest.mark.parametrize("name", PLAIN)
def test_plain_post_endpoints_never_give_500(name, world, client_for, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    url, field, extra = plain_posts(world)[name]
    client = client_for(world["office"])

    @FUZZ
    @given(value=VALUE)
    def run(value):
        payload = {**extra, field: value}
        if name.startswith("import_upload"):
            payload["file"] = SimpleUploadedFile("台账.xlsx", b"not a workbook")
        with transaction.atomic():
            response = client.post(url, payload)
            transaction.set_rollback(True)
        assert response.status_code < 500, (response.status_code, value)
        if response.status_code == 400:
            body = response.content.decode()
            form = (response.context or {}).get("form") or (response.context or {}).get(
                "milestone_form"
            )
            if form is not None and form.errors:
                for messages in form.errors.values():
                    assert all(CJK.search(m) for m in messages), (messages, value)
            else:
                assert CJK.search(body), (body[:200], value)

    run()
