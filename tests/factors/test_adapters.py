"""Excel import of the factor tables: export → import round trip, located Chinese errors,
all or nothing, permissions."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from keyprojects.factors import adapters, exports
from keyprojects.factors import models as m
from keyprojects.factors.tables import TABLES
from keyprojects.importer.base import ImportRejected

pytestmark = pytest.mark.django_db


def _file(rows, name="地块.xlsx", title="出让地块"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buf = BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = name
    return buf


PARCEL_HEAD = [
    "地块编号",
    "宗地位置",
    "出让面积（平方米）",
    "规划用途",
    "出让年限（年）",
    "出让状态",
    "挂牌日期",
    "预计出让收入（万元）",
]


def test_parcels_import_creates_all(land_reporter):
    f = _file(
        [
            ["2022年一季度挂牌出让地块"],
            PARCEL_HEAD,
            ["C31-4/02", "平凯南部新城", 12140.5, "商住用地", 70, "挂牌", "2022-03-18", "1,820.40"],
            [
                "C31-5/03",
                "平凯南部新城",
                10236.8,
                "住宅用地",
                70,
                "挂牌",
                date(2022, 3, 18),
                1535.15,
            ],
        ]
    )
    preview = adapters.read_parcels(f, by=land_reporter, commit=True)
    assert preview.errors == []
    assert [c["name"] for c in preview.creates] == ["C31-4/02地块", "C31-5/03地块"]
    p = m.Parcel.objects.get(code="C31-4/02")
    assert (p.expected_revenue_wan, p.use, p.department.short_name) == (
        Decimal("1820.40"),
        "mixed",
        "规资",
    )
    assert p.history.get().history_user == land_reporter


def test_errors_name_sheet_row_column_and_nothing_is_written(land_reporter):
    f = _file(
        [
            PARCEL_HEAD,
            ["C31-4/02", "平凯南部新城", 12140.5, "商住用地", 70, "挂牌", "2022-03-18", 1820.4],
            ["A55-1/03", "西门塘", "八千", "别墅用地", 40, "成交", "2022-03-25", 1240],
        ]
    )
    with pytest.raises(ImportRejected) as exc:
        adapters.read_parcels(f, by=land_reporter, commit=True)
    lines = [str(e) for e in exc.value.preview.errors]
    assert lines == [
        "出让地块 第3行 C列（出让面积（平方米））：“八千”不是数字",
        "出让地块 第3行 D列（规划用途）：“别墅用地”不是可选值"
        "（应为：住宅用地、商服用地、商住用地、工业用地、其他用地）",
    ]
    assert not m.Parcel.objects.exists()


def test_model_rule_errors_are_located(land_reporter):
    f = _file(
        [PARCEL_HEAD, ["A55-1/03", "西门塘", 8265.3, "商服用地", 40, "成交", "2022-03-25", 1240]]
    )
    preview = adapters.read_parcels(f, by=land_reporter)
    assert [str(e) for e in preview.errors] == [
        "出让地块 第2行 成交日期：出让状态为“成交”，请填写成交日期",
        "出让地块 第2行 成交价（万元）：出让状态为“成交”，请填写成交价",
    ]


def test_housing_reporter_may_not_import_land(reporter):
    with pytest.raises(adapters.NotPermitted) as exc:
        adapters.read_parcels(_file([PARCEL_HEAD]), by=reporter)
    assert exc.value.message == "您没有导入“出让地块”的权限"


def test_no_header_is_an_error(land_reporter):
    preview = adapters.read_parcels(_file([["随便写点什么"]]), by=land_reporter)
    assert [str(e) for e in preview.errors] == [
        "地块.xlsx：没有找到“出让地块”的表头（应含：地块编号）"
    ]


def test_export_imports_back_unchanged_and_updates(batch, land_reporter, project):
    t = TABLES["land-batches"]
    data = exports.workbook(t, m.LandBatch.objects.all(), year=None, today=timezone.localdate())
    f = BytesIO(data)
    f.name = "批次.xlsx"
    preview = adapters.read_land_batches(f, by=land_reporter)
    assert (preview.errors, preview.creates, preview.updates, preview.unchanged) == ([], [], [], 1)
    assert any("折合亩数" in u for u in preview.unknown_columns)
    wb = load_workbook(BytesIO(data))
    ws = wb.active
    headers = [c.value for c in ws[3]]
    ws.cell(row=4, column=headers.index("集体·未利用地（公顷）") + 1, value=2.5)
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "批次.xlsx"
    preview = adapters.read_land_batches(out, by=land_reporter, commit=True)
    assert preview.updates[0]["changes"] == [["集体·未利用地（公顷）", "1.2040", "2.5000"]]
    batch.refresh_from_db()
    assert batch.collective_unused_ha == Decimal("2.5000")
    assert list(batch.projects.all()) == [project]


def test_housing_import_by_reporter(reporter, dept):
    f = _file(
        [
            ["年度", "月份", "区域", "住宅（套）", "住宅面积（平方米）", "车位（个）"],
            [2022, 1, "县城区", 218, 24600, 35],
            [2022, 1, "乡镇", 55, 6200, 4],
            [2022, 1, "乡镇", 1, 1, 1],
        ]
    )
    with pytest.raises(ImportRejected) as exc:
        adapters.read_housing(f, by=reporter, commit=True)
    assert [str(e) for e in exc.value.preview.errors] == [
        "出让地块 第4行：与出让地块 第3行重复（同一条记录出现两次）"
    ]
    f = _file(
        [
            ["年度", "月份", "区域", "住宅（套）", "住宅面积（平方米）", "车位（个）"],
            [2022, 1, "县城区", 218, 24600, 35],
        ],
        title="网签",
    )
    adapters.read_housing(f, by=reporter, commit=True)
    assert m.HousingMonth.objects.get().department == dept
