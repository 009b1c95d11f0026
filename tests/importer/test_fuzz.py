"""Property-based: malformed sheets never crash the importer, never give a 500, and an import
that is rejected leaves the database exactly as it was."""

import contextlib
from datetime import date, datetime

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from keyprojects.dispatch.models import MonthlyReport
from keyprojects.importer import services
from keyprojects.importer.base import ImportRejected
from keyprojects.ledger.models import Project
from tests.importer.builders import save

WORDS = [
    "项目名称",
    "名称",
    "项目编号",
    "牵头单位",
    "项目类别",
    "行业领域",
    "总投资",
    "年度计划投资",
    "计划开工",
    "建设状态",
    "1-3月完成投资",
    "合计",
    "其中：3月",
    "其中：1-2月",
    "年度完成率",
    "形象进度",
    "小计",
    "一、交通（3个）",
    "栏次",
    "单位：亿元",
    "注：",
    "新开工",
    "续建",
    "基础设施",
    "在建",
    "县住房和城乡建设委员会",
    "—",
    "=SUM(A1:A3)",
    "+1",
    "@x",
    "-",
    "１２３",
    "1,234.5",
    "38%",
    "2022年3季度",
    "2022.13",
    "\n",
    " ",
]
CELL = st.one_of(
    st.none(),
    st.sampled_from(WORDS),
    st.text(max_size=12),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.booleans(),
)
GRID = st.lists(st.lists(CELL, min_size=0, max_size=9), min_size=0, max_size=12)
SAFE_TEXT = str.maketrans({chr(c): " " for c in range(32)})


def workbook(grid, merges, hidden):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in grid:
        ws.append(
            [
                v.translate(SAFE_TEXT)
                if isinstance(v, str)
                else datetime(v.year, v.month, v.day)
                if isinstance(v, date)
                else v
                for v in row
            ]
        )
    for r, c, h, w in merges:
        with contextlib.suppress(ValueError):
            ws.merge_cells(start_row=r, start_column=c, end_row=r + h, end_column=c + w)
    for r in hidden:
        ws.row_dimensions[r].hidden = True
    return save(wb)


MERGES = st.lists(
    st.tuples(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2), st.integers(0, 3)),
    max_size=3,
)
HIDDEN = st.lists(st.integers(1, 12), max_size=3)
# A plausible header row first, so that the rows below are read as data.
HEADER = st.lists(st.sampled_from(WORDS[:16]), min_size=0, max_size=9)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    header=HEADER,
    grid=GRID,
    merges=MERGES,
    hidden=HIDDEN,
    kind=st.sampled_from(["ledger", "dispatch"]),
)
@pytest.mark.django_db
def test_malformed_sheets_never_crash_or_half_write(
    header, grid, merges, hidden, kind, office, project
):
    data = workbook([header, *grid], merges, hidden)
    before = (Project.objects.count(), MonthlyReport.objects.count(), Project.history.count())
    try:
        preview = services.run_file(kind, data, "x.xlsx", user=office, year=2022, month=3)
        event(f"{kind}: imported {min(len(preview.creates) + len(preview.updates), 2)}+ rows")
    except ImportRejected as exc:
        event(f"{kind}: rejected")
        assert exc.preview.errors
        assert all(e.message for e in exc.preview.errors)
        assert (
            Project.objects.count(),
            MonthlyReport.objects.count(),
            Project.history.count(),
        ) == before


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    blob=st.binary(max_size=400),
    prefix=st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0"]),
    name=st.sampled_from(["a.xlsx", "a.xls", "a.ods"]),
)
@pytest.mark.django_db
def test_garbage_uploads_never_500(blob, prefix, name, client_for, reporter):
    c = client_for(reporter)
    r = c.post(
        reverse("importer:upload"),
        {"kind": "ledger", "year": "2022", "file": SimpleUploadedFile(name, prefix + blob)},
    )
    assert r.status_code in (302, 400)
    if r.status_code == 302:
        assert c.get(r.url).status_code == 200


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=30
).map(str.strip)
NAMES = st.one_of(
    TEXT.filter(bool),
    st.sampled_from(["=1+1", "+86 023", "-负号", "@SUM(A1)", "＝全角", "项目\n换行"]),
)
MONEY = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=NAMES,
    notes=TEXT,
    total=MONEY,
    before_share=st.integers(0, 100),
    plan_share=st.integers(0, 99),  # plan = remaining exactly: see the note in the report
    start=st.one_of(st.none(), st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1))),
)
@pytest.mark.django_db
def test_any_project_exports_and_imports_back_unchanged(
    name, notes, total, before_share, plan_share, start, office, dept
):
    from decimal import ROUND_DOWN, Decimal

    from keyprojects.ledger import adapters as ledger_adapters
    from tests import factories

    cent = Decimal("0.01")
    before = (total * before_share / 100).quantize(cent, rounding=ROUND_DOWN)
    plan = ((total - before) * plan_share / 100).quantize(cent, rounding=ROUND_DOWN)
    factories.project(
        dept,
        name=name.replace("\r", " ")[:200],
        notes=notes,
        total_investment_wan=total,
        completed_before_year_wan=before,
        annual_plan_wan=plan,
        planned_start=start,
        planned_end=None,
    )
    versions = dict(Project.objects.values_list("pk", "version"))
    data = ledger_adapters.export_ledger(Project.objects.live(), year=2022, as_of=date(2022, 3, 31))
    preview = services.run_file("ledger", data, "x.xlsx", user=office)
    assert (preview.creates, preview.updates, preview.errors) == ([], [], [])
    assert dict(Project.objects.values_list("pk", "version")) == versions


LEDGER_HEADER = ["项目名称", "牵头单位", "项目类别", "行业领域", "总投资", "年度计划投资"]
VALID_ROW = st.builds(
    lambda n, total: [f"有效项目{n}", "县住房和城乡建设委员会", "新开工", "基础设施", total, 1],
    st.integers(0, 10**6),
    st.integers(1, 10**6),
)
MIXED_ROWS = st.lists(
    st.one_of(VALID_ROW, st.lists(CELL, min_size=0, max_size=6)), min_size=1, max_size=10
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=MIXED_ROWS, hidden=HIDDEN)
@pytest.mark.django_db
def test_valid_rows_beside_bad_ones_are_never_written_alone(rows, hidden, office, dept):
    data = workbook([LEDGER_HEADER, *rows], [], hidden)
    before = (Project.objects.count(), Project.history.count())
    try:
        preview = services.run_file("ledger", data, "x.xlsx", user=office, year=2022)
    except ImportRejected as exc:
        event("rejected with valid rows" if exc.preview.creates else "rejected")
        assert (Project.objects.count(), Project.history.count()) == before
    else:
        event("imported")
        created = len(preview.creates)
        assert Project.objects.count() == before[0] + created
        assert Project.history.count() == before[1] + created + len(preview.updates)
